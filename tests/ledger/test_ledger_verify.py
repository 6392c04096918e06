"""``commonground ledger verify``: the local database, an offline export, a running site."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from commonground.cli import main as cli
from commonground.ledger.merkle import public_key_bytes
from commonground.ledger.models import LedgerEntry
from commonground.ledger.services import publish_checkpoint
from tests.ledger.helpers import grow, ledger_key, tamper  # noqa: F401 - autouse fixture

pytestmark = pytest.mark.django_db


def _run(capsys: Any, *args: str) -> tuple[int, str, str]:
    code = cli(["ledger", "verify", *args])
    out, err = capsys.readouterr()
    return code, out, err


# -- the local database -----------------------------------------------------------------------


def test_verify_database_ok(capsys) -> None:
    grow(9)
    publish_checkpoint()
    grow(4)
    publish_checkpoint()
    code, out, _ = _run(capsys)
    assert code == 0 and out.strip() == "ledger OK: 13 entries, 2 checkpoints"


def test_verify_empty_database_ok(capsys) -> None:
    code, out, _ = _run(capsys)
    assert code == 0 and out.strip() == "ledger OK: 0 entries, 0 checkpoints"


def test_tampered_fields_fail_naming_the_entry(capsys) -> None:
    grow(12)
    publish_checkpoint()
    tamper("UPDATE ledger_ledgerentry SET fields = %s WHERE seq = 7", [json.dumps({"n": 700})])
    code, _, err = _run(capsys)
    assert code == 1
    assert err.strip() == "ledger FAILED at seq 7: the stored leaf hash does not match the entry"


def test_tampered_entry_with_its_hash_rewritten_fails_at_the_checkpoint(capsys) -> None:
    grow(6)
    publish_checkpoint()
    from commonground.ledger.merkle import entry_leaf_hash
    from commonground.ledger.services import entry_document

    entry = LedgerEntry.objects.get(seq=3)
    entry.action = "forged"
    forged_hash = entry_leaf_hash(entry_document(entry)).hex()
    tamper(
        "UPDATE ledger_ledgerentry SET action = %s, leaf_hash = %s WHERE seq = 3",
        ["forged", forged_hash],
    )
    code, _, err = _run(capsys)
    assert code == 1 and err.startswith("ledger FAILED: checkpoint at tree size 6: its root hash")


def test_removed_last_entry_fails_naming_it(capsys) -> None:
    grow(5)
    tamper("DELETE FROM ledger_ledgerentry WHERE seq = 5", [])
    code, _, err = _run(capsys)
    assert code == 1 and err.startswith("ledger FAILED at seq 5: the ledger head counts 5")


def test_removed_middle_entry_fails_naming_it(capsys) -> None:
    grow(5)
    tamper("DELETE FROM ledger_ledgerentry WHERE seq = 2", [])
    code, _, err = _run(capsys)
    assert code == 1 and err.strip() == "ledger FAILED at seq 2: expected seq 2, found 3"


def test_verify_with_a_pinned_key(capsys, settings: Any) -> None:
    grow(2)
    publish_checkpoint()
    import base64

    from commonground.ledger.services import signing_key

    good = base64.b64encode(public_key_bytes(signing_key())).decode()
    other = base64.b64encode(public_key_bytes(Ed25519PrivateKey.generate())).decode()
    assert _run(capsys, "--public-key", good)[0] == 0
    code, _, err = _run(capsys, "--public-key", other)
    assert code == 1 and "checkpoint at tree size 2: signature or key is wrong" in err
    code, _, err = _run(capsys, "--public-key", "not base64!")
    assert code == 2 and err.strip() == "error: --public-key is not valid base64"


# -- offline: an export and a checkpoint file -------------------------------------------------


@pytest.fixture
def exported(tmp_path: Path, capsys) -> tuple[Path, Path]:
    grow(40)
    entries = tmp_path / "ledger.jsonl"
    checkpoint = tmp_path / "checkpoint.json"
    assert cli(["ledger", "checkpoint", "--output", str(checkpoint)]) == 0
    grow(3)  # newer than the checkpoint: exported and checked, not covered
    assert cli(["ledger", "export-entries", str(entries)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == f"exported 43 entries to {entries}"
    return entries, checkpoint


def test_export_is_one_canonical_document_per_line(exported: tuple[Path, Path]) -> None:
    from commonground.ledger.merkle import canonical_json

    lines = exported[0].read_text(encoding="utf-8").splitlines()
    assert len(lines) == 43
    for seq, line in enumerate(lines, start=1):
        row = json.loads(line)
        assert row["seq"] == seq
        assert canonical_json(row).decode() == line  # already canonical


def test_offline_verify_passes(exported: tuple[Path, Path], capsys) -> None:
    entries, checkpoint = exported
    code, out, _ = _run(capsys, "--entries", str(entries), "--checkpoint", str(checkpoint))
    assert code == 0 and out.splitlines()[0] == "ledger OK: 43 entries, 1 checkpoints"
    assert "compare it with the operator's published key" in out


def test_offline_verify_needs_no_django(exported: tuple[Path, Path], tmp_path: Path) -> None:
    import subprocess
    import sys

    entries, checkpoint = exported
    script = (
        "import sys; from commonground.ledger import cli; "
        "from pathlib import Path; "
        f"r = cli.audit(cli.file_triples(Path({str(entries)!r})), "
        f"cli.read_checkpoints(Path({str(checkpoint)!r}))); "
        "assert 'django' not in sys.modules, 'django imported'; print(r.line())"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ledger OK: 43 entries, 1 checkpoints"


def _rewrite_line(path: Path, seq: int, change: Any) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    row = json.loads(lines[seq - 1])
    change(row)
    lines[seq - 1] = json.dumps(row, ensure_ascii=False) + "\n"
    path.write_text("".join(lines), encoding="utf-8")


@pytest.mark.parametrize(
    ("seq", "change", "message"),
    [
        (17, lambda r: r["fields"].update(n=1700), "at seq 17: the stored leaf hash"),
        (5, lambda r: r.update(actor="p-other"), "at seq 5: the stored leaf hash"),
        (42, lambda r: r.update(time="2020-01-01T00:00:00.000000Z"), "at seq 42: the stored leaf"),
        (8, lambda r: r.update(seq=9), "at seq 8: expected seq 8, found 9"),
        (3, lambda r: r["fields"].update(x=0.5), "at seq 3: not a valid entry"),
    ],
)
def test_offline_verify_fails_when_a_line_is_altered(
    exported: tuple[Path, Path], capsys, seq: int, change: Any, message: str
) -> None:
    entries, checkpoint = exported
    _rewrite_line(entries, seq, change)
    code, _, err = _run(capsys, "--entries", str(entries), "--checkpoint", str(checkpoint))
    assert code == 1 and err.startswith(f"ledger FAILED {message}"), err


def test_offline_verify_catches_a_rewritten_hash_and_a_truncated_file(
    exported: tuple[Path, Path], capsys
) -> None:
    from commonground.ledger.merkle import canonical_json, leaf_hash

    entries, checkpoint = exported
    original = entries.read_text(encoding="utf-8")

    def forge(row: dict) -> None:
        row["action"] = "forged"
        row.pop("leaf_hash")
        row["leaf_hash"] = leaf_hash(canonical_json(row)).hex()

    _rewrite_line(entries, 20, forge)
    code, _, err = _run(capsys, "--entries", str(entries), "--checkpoint", str(checkpoint))
    assert code == 1 and "checkpoint at tree size 40: its root hash does not match" in err
    entries.write_text("".join(original.splitlines(keepends=True)[:30]), encoding="utf-8")
    code, _, err = _run(capsys, "--entries", str(entries), "--checkpoint", str(checkpoint))
    assert code == 1
    assert err.strip() == (
        "ledger FAILED at seq 31: the entries end at seq 30 but a checkpoint covers 40"
    )


def test_offline_verify_fails_with_a_bad_signature(exported: tuple[Path, Path], capsys) -> None:
    entries, checkpoint = exported
    data = json.loads(checkpoint.read_text())
    data["tree_size"] = 41  # claims more than was signed
    checkpoint.write_text(json.dumps(data))
    code, _, err = _run(capsys, "--entries", str(entries), "--checkpoint", str(checkpoint))
    assert code == 1 and err.strip() == (
        "ledger FAILED: checkpoint at tree size 41: signature is wrong"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--entries", "/nonexistent/ledger.jsonl"],
            "error: cannot read /nonexistent/ledger.jsonl",
        ),
        (["--checkpoint", "cp.json"], "error: --checkpoint goes with --entries FILE"),
        (["--url", "ftp://example.org"], "error: not an http(s) URL: 'ftp://example.org'"),
        (["--url", "http://x", "--entries", "f"], "error: --url cannot be combined"),
    ],
)
def test_bad_verify_arguments_are_one_line(args: list[str], message: str, capsys) -> None:
    code, _, err = _run(capsys, *args)
    assert code == 2 and err.startswith(message) and err.count("\n") == 1, err


def test_garbage_files_are_one_line_errors(tmp_path: Path, capsys) -> None:
    entries = tmp_path / "e.jsonl"
    entries.write_text("{not json\n")
    checkpoint = tmp_path / "cp.json"
    checkpoint.write_text('{"tree_size": 1}')
    code, _, err = _run(capsys, "--entries", str(entries), "--checkpoint", str(checkpoint))
    assert code == 2 and "is missing" in err and err.count("\n") == 1
    code, _, err = _run(capsys, "--entries", str(entries))
    assert code == 2 and err.strip() == f"error: {entries}, line 1: not valid JSON"


# -- a running site ---------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_verify_url_audits_a_running_site(live_server: Any, capsys) -> None:
    code, _, err = _run(capsys, "--url", live_server.url)
    assert code == 2 and "HTTP 404 No checkpoint has been published yet." in err
    grow(2345)  # three pages of entries
    publish_checkpoint()
    grow(5)  # newer than the checkpoint
    code, out, _ = _run(capsys, "--url", live_server.url)
    assert code == 0, out
    assert out.splitlines()[0] == "ledger OK: 2345 entries, 1 checkpoints"
    code, out, _ = _run(capsys, "--url", f"{live_server.url}/api/v1/")
    assert code == 0


@pytest.mark.django_db(transaction=True)
def test_verify_url_detects_a_tampered_entry(live_server: Any, capsys) -> None:
    grow(30)
    publish_checkpoint()
    from django.db import connection, transaction

    with transaction.atomic():
        tamper("UPDATE ledger_ledgerentry SET forum = %s WHERE seq = 12", ["elsewhere"])
        with connection.cursor() as cursor:  # put the trigger back before committing
            if connection.vendor == "postgresql":
                cursor.execute(
                    "ALTER TABLE ledger_ledgerentry ENABLE TRIGGER ledger_ledgerentry_append_only"
                )
            else:
                cursor.execute(
                    "CREATE TRIGGER ledger_ledgerentry_no_update BEFORE UPDATE ON "
                    "ledger_ledgerentry BEGIN SELECT RAISE(ABORT, 'ledger is append-only'); END;"
                )
    code, _, err = _run(capsys, "--url", live_server.url)
    assert code == 1
    assert err.strip() == "ledger FAILED at seq 12: the stored leaf hash does not match the entry"
