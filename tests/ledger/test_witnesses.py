"""Witnesses across two instances on loopback (issue 18): co-signing, publication, a forked
log refused and reported on both sides, and ``ledger verify --url --witness``.

Instance A is this test's live server; instance B is a second instance with its own
SQLite database and key, driven through its command line.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
from pathlib import Path
from typing import Any
from urllib.request import urlopen

import pytest

from commonground.cli import main as cli
from commonground.ledger.anchors import key_fingerprint
from commonground.ledger.merkle import (
    Checkpoint as Body,
)
from commonground.ledger.merkle import (
    entry_leaf_hash,
    format_timestamp,
    private_key_from_pem,
    public_key_bytes,
    root_hash,
    sign_checkpoint,
)
from commonground.ledger.models import Checkpoint, LedgerEntry, SplitView
from commonground.ledger.services import (
    entry_document,
    leaf_hashes,
    publish_checkpoint,
    signing_key,
)
from tests.ledger.helpers import grow, ledger_key, tamper  # noqa: F401 - autouse fixture
from tests.migrated import migrate
from tests.servers import script

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.scenario]


@pytest.fixture
def instance_b(tmp_path: Path) -> dict[str, str]:
    """A second instance: its own data directory, SQLite database and ledger key."""
    data = tmp_path / "b"
    data.mkdir()
    env = {**os.environ, "COMMONGROUND_DATA_DIR": str(data)}
    for name in ("DATABASE_URL", "COMMONGROUND_SQLITE_PATH", "COMMONGROUND_LEDGER_KEY"):
        env.pop(name, None)
    env["COMMONGROUND_LEDGER_KEY_FILE"] = str(data / "ledger_ed25519.pem")
    env["COMMONGROUND_SITE_URL"] = "http://127.0.0.1:9/"  # B's address as it names itself
    migrate(env)
    return env


def _b(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [script("commonground"), *args], env=env, capture_output=True, text=True, timeout=300
    )


def _b_key(env: dict[str, str]) -> str:
    pem = Path(env["COMMONGROUND_LEDGER_KEY_FILE"]).read_bytes()
    return base64.b64encode(public_key_bytes(private_key_from_pem(pem))).decode()


def _checkpoint(url: str) -> dict[str, Any]:
    with urlopen(f"{url}/api/v1/ledger/checkpoint", timeout=30) as answer:
        return json.load(answer)


def _verify(capsys: Any, *args: str) -> tuple[int, str]:
    code = cli(["ledger", "verify", *args])
    out, err = capsys.readouterr()
    return code, out + err


def test_a_witness_cosigns_consistent_checkpoints_and_refuses_a_fork(
    live_server: Any, instance_b: dict[str, str], capsys
) -> None:
    a = live_server.url
    grow(5)
    publish_checkpoint()
    added = _b(instance_b, "witness", "add", a)
    assert added.returncode == 0, added.stderr
    ran = _b(instance_b, "witness", "run")
    assert ran.returncode == 0 and "co-signed the checkpoint at 5" in ran.stdout, ran.stderr

    b_key = _b_key(instance_b)
    published = _checkpoint(a)
    assert [w["url"] for w in published["witnesses"]] == ["http://127.0.0.1:9"]
    assert published["witnesses"][0]["key_id"] == key_fingerprint(base64.b64decode(b_key))
    assert set(published["witnesses"][0]) == {"url", "key_id", "signature", "seen_at"}
    code, text = _verify(capsys, "--url", a, "--witness", b_key)
    assert code == 0 and "ledger OK: 5 entries" in text
    stranger = base64.b64encode(b"\x01" * 32).decode()
    code, text = _verify(capsys, "--url", a, "--witness", b_key, "--witness", stranger)
    assert code == 1 and "co-signed by 1 of the 2 trusted witnesses required" in text
    code, text = _verify(capsys, "--url", a, "--witness", stranger)
    assert code == 1 and "co-signed by 0 of the 1" in text

    grow(3)  # A grows; B checks the consistency proof from 5 to 8 and co-signs
    publish_checkpoint()
    ran = _b(instance_b, "witness", "run")
    assert "co-signed the checkpoint at 8" in ran.stdout, ran.stdout + ran.stderr

    # A forks its log: entry 7 rewritten with its hash, and a checkpoint at 9 signed with
    # A's real key over the forged history (ledger checkpoint itself refuses to sign it).
    grow(1)
    entry = LedgerEntry.objects.get(seq=7)
    entry.action = "forged"
    tamper(
        "UPDATE ledger_ledgerentry SET action = %s, leaf_hash = %s WHERE seq = 7",
        ["forged", entry_leaf_hash(entry_document(entry)).hex()],
    )
    body = Body(9, root_hash(leaf_hashes(9)), format_timestamp(), "forum.example.org")
    doc = sign_checkpoint(body, signing_key()).to_json_dict()
    Checkpoint.objects.create(**{k: doc[k] for k in (
        "tree_size", "root_hash", "timestamp", "origin", "signature", "public_key")})  # fmt: skip

    ran = _b(instance_b, "witness", "run")
    assert ran.returncode == 1
    assert "SPLIT VIEW: the checkpoint at 9 is not consistent with the one at 8" in ran.stdout
    listed = _b(instance_b, "witness", "list")
    assert listed.returncode == 1 and "SPLIT VIEW (witness)" in listed.stderr
    assert _checkpoint(a)["witnesses"] == []  # the forged checkpoint is not co-signed
    reported = SplitView.objects.get()  # A keeps the witness's report, with proof
    assert reported.side == "witnessed" and reported.second["tree_size"] == 9
    page = urlopen(f"{a}/ledger/", timeout=30).read().decode()
    assert "Split view detected" in page and "Reported by the witness" in page
    code, text = _verify(capsys, "--url", a, "--witness", b_key)
    assert code == 1 and "co-signed by 0 of the 1" in text


def test_a_split_view_report_without_proof_is_refused(live_server: Any, client) -> None:
    grow(3)
    cp = publish_checkpoint()[0]
    from commonground.ledger.services import checkpoint_document

    doc = checkpoint_document(cp)
    answer = client.post(
        "/api/v1/ledger/witness/split",
        {"url": "http://x.example", "first": doc, "second": doc, "reason": "made up"},
        content_type="application/json",
    )
    assert answer.status_code == 409 and "no split view" in answer.json()["detail"]
    assert not SplitView.objects.exists()


def test_a_split_view_report_signed_by_another_key_is_403_and_a_malformed_one_422(client) -> None:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    grow(3)
    ours = publish_checkpoint()[0]
    from commonground.ledger.services import checkpoint_document

    doc = checkpoint_document(ours)
    body = Body(ours.tree_size, bytes(32), format_timestamp(), "forum.example.org")
    forged = sign_checkpoint(body, Ed25519PrivateKey.generate()).to_json_dict()
    answer = client.post(
        "/api/v1/ledger/witness/split",
        {"first": doc, "second": forged},
        content_type="application/json",
    )
    assert answer.status_code == 403 and "not signed by this instance" in answer.json()["detail"]
    malformed = {**forged, "signature": forged["signature"][:-3] + "="}  # 65 characters short
    answer = client.post(
        "/api/v1/ledger/witness/split",
        {"first": doc, "second": malformed},
        content_type="application/json",
    )
    assert answer.status_code == 422
    assert not SplitView.objects.exists()
