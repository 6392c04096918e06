"""A log forked to show two witnesses two different heads (issue 18): the split view is
caught by the witness that saw the other history, kept with its proof on both sides, and
``ledger verify --url --witness-url`` with both witnesses fails naming the split.

Instance A is this test's live server; witnesses B and C are two more instances, each with
its own database and key, served on loopback (``verify`` asks them what they saw).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.request import urlopen

import pytest

from commonground.cli import main as cli
from commonground.ledger.merkle import Checkpoint as Body
from commonground.ledger.merkle import entry_leaf_hash, format_timestamp, root_hash, sign_checkpoint
from commonground.ledger.models import Checkpoint, LedgerEntry, SplitView
from commonground.ledger.services import (
    entry_document,
    leaf_hashes,
    publish_checkpoint,
    signing_key,
)
from tests.federation.instances import new_instance, served
from tests.ledger.helpers import grow, ledger_key, tamper  # noqa: F401 - autouse fixture

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.scenario]


def _fork_at(seq: int, size: int) -> None:
    """A rewrites entry ``seq`` (with its hash) and signs a checkpoint at ``size`` over the
    forged history with its real key (``ledger checkpoint`` itself refuses to)."""
    grow(size - LedgerEntry.objects.count())
    entry = LedgerEntry.objects.get(seq=seq)
    entry.action = "forged"
    tamper(
        "UPDATE ledger_ledgerentry SET action = %s, leaf_hash = %s WHERE seq = %s",
        ["forged", entry_leaf_hash(entry_document(entry)).hex(), seq],
    )
    body = Body(size, root_hash(leaf_hashes(size)), format_timestamp(), "forum.example.org")
    doc = sign_checkpoint(body, signing_key()).to_json_dict()
    Checkpoint.objects.create(**{k: doc[k] for k in (
        "tree_size", "root_hash", "timestamp", "origin", "signature", "public_key")})  # fmt: skip


def _verify(capsys: Any, *args: str) -> tuple[int, str]:
    code = cli(["ledger", "verify", *args])
    out, err = capsys.readouterr()
    return code, out + err


def test_two_witnesses_shown_different_heads_expose_the_split_on_both_sides(
    live_server: Any, tmp_path: Path, capsys: Any
) -> None:
    a = live_server.url
    b = new_instance(tmp_path / "b", "Witness B")
    c = new_instance(tmp_path / "c", "Witness C")
    with served(b, tmp_path / "b.log"), served(c, tmp_path / "c.log"):
        grow(5)
        publish_checkpoint()
        for witness in (b, c):
            witness.run("witness", "add", a)
            assert "co-signed the checkpoint at 5" in witness.run("witness", "run").stdout
        code, text = _verify(capsys, "--url", a, "--witness-url", b.url, "--witness-url", c.url)
        assert code == 0 and "ledger OK: 5 entries" in text, text

        grow(3)  # B is shown the honest head at 8
        publish_checkpoint()
        assert "co-signed the checkpoint at 8" in b.run("witness", "run").stdout
        _fork_at(7, 9)  # C is shown a forked head at 9, which extends what C saw (5)
        assert "co-signed the checkpoint at 9" in c.run("witness", "run").stdout

        # Each witness alone holds a consistent view; together they name the split.
        code, text = _verify(capsys, "--url", a, "--witness-url", c.url)
        assert code == 0, text
        code, text = _verify(capsys, "--url", a, "--witness-url", b.url, "--witness-url", c.url)
        assert code == 1
        assert (
            f"SPLIT VIEW: the witness {b.url} saw the checkpoint of {a} at tree size 8, which "
            "the checkpoint published at 9 does not extend"
        ) in text

        # B's next round catches it: not co-signed, kept with its proof, reported to A.
        ran = b.run("witness", "run", check=False)
        assert ran.returncode == 1
        assert "SPLIT VIEW: the checkpoint at 9 is not consistent with the one at 8" in ran.stdout
        with urlopen(f"{b.url}/api/v1/ledger/witnessed?url={a}", timeout=30) as answer:
            kept = json.load(answer)
        (view,) = kept["split_views"]
        assert view["first"]["tree_size"] == 8 and view["second"]["tree_size"] == 9
        assert view["proof"]  # the consistency proof from 8 to 9 that failed
        reported = SplitView.objects.get()
        assert reported.side == "witnessed" and reported.second["tree_size"] == 9
        code, text = _verify(capsys, "--url", a, "--witness-url", c.url, "--witness-url", b.url)
        assert code == 1
        assert f"SPLIT VIEW of {a} reported by the witness {b.url}: the checkpoint at 9" in text


def test_a_witness_asked_about_a_log_it_does_not_witness_answers_404(client: Any) -> None:
    answer = client.get("/api/v1/ledger/witnessed", {"url": "https://elsewhere.example.org"})
    assert answer.status_code == 404
    assert "does not witness https://elsewhere.example.org" in answer.json()["detail"]
