"""Signed checkpoints: published on demand or at an interval, verifiable, not ledger entries."""

from __future__ import annotations

import json
import stat
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from commonground.cli import main as cli
from commonground.ledger import cli as ledger_cli
from commonground.ledger.merkle import (
    EMPTY_ROOT,
    entry_leaf_hash,
    private_key_to_pem,
    public_key_bytes,
    root_hash,
    verify_checkpoint,
)
from commonground.ledger.models import Checkpoint, LedgerEntry
from commonground.ledger.services import entry_document, publish_checkpoint, signed_checkpoint
from tests.ledger.helpers import grow, ledger_key  # noqa: F401 - autouse fixture

pytestmark = pytest.mark.django_db


def _root_of_entries() -> bytes:
    return root_hash(
        [entry_leaf_hash(entry_document(e)) for e in LedgerEntry.objects.order_by("seq")]
    )


def test_checkpoint_signs_the_root_of_all_entries_and_verifies(settings: Any) -> None:
    grow(13)
    checkpoint, created = publish_checkpoint()
    assert created and checkpoint.tree_size == 13
    assert checkpoint.root_hash == _root_of_entries().hex()
    assert checkpoint.origin == "forum.example.org"
    signed = signed_checkpoint(checkpoint)
    key_file = Path(settings.COMMONGROUND_LEDGER_KEY_FILE)
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    from commonground.ledger.merkle import private_key_from_pem

    key = private_key_from_pem(key_file.read_bytes())
    assert verify_checkpoint(signed, key)
    assert verify_checkpoint(signed, public_key_bytes(key))


def test_checkpoint_signature_fails_with_another_key() -> None:
    grow(3)
    signed = signed_checkpoint(publish_checkpoint()[0])
    other = Ed25519PrivateKey.generate()
    assert not verify_checkpoint(signed, other)
    # Even a checkpoint re-labelled with the other key's public half does not verify.
    forged = type(signed)(signed.checkpoint, signed.signature, public_key_bytes(other))
    assert not verify_checkpoint(forged, other)


def test_publishing_is_not_a_ledger_entry_and_only_grows() -> None:
    grow(2)
    first, created = publish_checkpoint()
    assert created and LedgerEntry.objects.count() == 2
    again, created = publish_checkpoint()
    assert not created and again.pk == first.pk
    grow(3)
    second, created = publish_checkpoint()
    assert created and second.tree_size == 5
    assert list(Checkpoint.objects.values_list("tree_size", flat=True)) == [2, 5]


def test_checkpoint_of_the_empty_ledger_is_the_empty_root() -> None:
    checkpoint, created = publish_checkpoint()
    assert created and checkpoint.tree_size == 0
    assert checkpoint.root_hash == EMPTY_ROOT.hex()


def test_signing_key_from_pem_setting(settings: Any) -> None:
    key = Ed25519PrivateKey.generate()
    settings.COMMONGROUND_LEDGER_KEY = private_key_to_pem(key).decode()
    grow(1)
    signed = signed_checkpoint(publish_checkpoint()[0])
    assert signed.public_key == public_key_bytes(key)
    assert verify_checkpoint(signed, key)
    assert not Path(settings.COMMONGROUND_LEDGER_KEY_FILE).exists()


def test_cli_checkpoint_publishes_and_writes_json(tmp_path: Path, capsys) -> None:
    grow(4)
    out = tmp_path / "checkpoint.json"
    assert cli(["ledger", "checkpoint", "--output", str(out)]) == 0
    assert "published checkpoint: tree size 4" in capsys.readouterr().out
    data = json.loads(out.read_text())
    assert data["tree_size"] == 4 and data["root_hash"] == _root_of_entries().hex()
    assert cli(["ledger", "checkpoint"]) == 0
    assert "ledger unchanged since checkpoint: tree size 4" in capsys.readouterr().out
    assert Checkpoint.objects.count() == 1


def test_cli_checkpoint_every_publishes_when_the_tree_grew(monkeypatch, capsys) -> None:
    rounds: list[float] = []

    def fake_sleep(seconds: float) -> None:
        rounds.append(seconds)
        if len(rounds) == 1:
            grow(2)  # the ledger grows between the first and second round

    monkeypatch.setattr(ledger_cli.time, "sleep", fake_sleep)
    grow(1)
    assert cli(["ledger", "checkpoint", "--every", "5", "--times", "3"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert (
        out == [line for line in out if line.startswith("published checkpoint")] and len(out) == 2
    )
    assert rounds == [5.0, 5.0]
    assert list(Checkpoint.objects.values_list("tree_size", flat=True)) == [1, 3]


def test_cli_checkpoint_every_stops_on_ctrl_c(monkeypatch, capsys) -> None:
    def interrupt(seconds: float) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(ledger_cli.time, "sleep", interrupt)
    assert cli(["ledger", "checkpoint", "--every", "60"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "stopped"


@pytest.mark.parametrize(
    "args",
    [
        ["--every", "0"],
        ["--every", "1e9"],
        ["--every", "nan"],
        ["--times", "2"],
        ["--every", "5", "--times", "0"],
    ],
)
def test_cli_checkpoint_refuses_bad_intervals(args: list[str], capsys) -> None:
    assert cli(["ledger", "checkpoint", *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1
    assert not Checkpoint.objects.exists()
