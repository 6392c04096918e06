"""The tamper suite for data packages (issue 18): each forgery refused by the right command.

A package's tables must be the fold of its ledger (``import`` and ``agenda --from`` refuse
otherwise, naming the first differing row), and a trust anchor says who must have signed
it: a ledger rewritten and re-signed with another key passes only without one.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from commonground.cli import main as cli
from commonground.ledger.anchors import key_fingerprint
from commonground.ledger.merkle import (
    Checkpoint,
    CompactRange,
    canonical_json,
    format_timestamp,
    leaf_hash,
    sign_checkpoint,
)
from commonground.ledger.services import latest_checkpoint
from commonground.opendata.export import export_forum
from commonground.opendata.importer import ImportRefused, import_package
from commonground.opendata.package_proof import PackageRefused, check_tables
from tests.conftest import World
from tests.ledger.helpers import ledger_key  # noqa: F401 - autouse fixture
from tests.ledger_helpers import csv_rows, set_cell, write_rows
from tests.opendata.test_package_round_trip import _empty_the_instance, seed_everything

# Emptying the instance between export and import is a flush: on PostgreSQL a TRUNCATE,
# which cannot run inside the test's transaction.
pytestmark = pytest.mark.django_db(transaction=True)


def _other_participant(package: Path, not_of_issue: str) -> str:
    """A participant of the package who does not support issue ``not_of_issue``."""
    supports = csv_rows(package / "supports.csv")
    taken = {r[1] for r in supports[1:] if r[2] == not_of_issue}
    ids = [r[0] for r in csv_rows(package / "participants.csv")[1:]]
    return next(p for p in ids if p not in taken)


def swap_supporter(p: Path) -> None:
    row = csv_rows(p / "supports.csv")[1]
    set_cell(p / "supports.csv", 1, "participant_id", _other_participant(p, row[2]))


def add_support(p: Path) -> None:
    rows = csv_rows(p / "supports.csv")
    fake = list(rows[1])
    fake[0] = "999999"
    fake[1] = _other_participant(p, fake[2])
    write_rows(p / "supports.csv", [*rows, fake])


def delete_support(p: Path) -> None:
    rows = csv_rows(p / "supports.csv")
    write_rows(p / "supports.csv", [rows[0], *rows[2:]])


def regroup_support(p: Path) -> None:
    rows = csv_rows(p / "supports.csv")
    group = rows[1][rows[0].index("stakeholder_group")]
    set_cell(
        p / "supports.csv",
        1,
        "stakeholder_group",
        "government" if group != "government" else "civil_society",
    )


FORGERIES: dict[str, tuple[Callable[[Path], None], str]] = {
    "supporter swapped": (swap_supporter, "supports.csv row 1: not in the ledger"),
    "support added": (add_support, "not in the ledger"),
    "support deleted": (delete_support, "supports.csv: the ledger's support (participant, issue)"),
    "support regrouped": (regroup_support, "supports.csv row 1: stakeholder_group"),
    "title edited": (
        lambda p: set_cell(p / "issues.csv", 1, "title", "A forged title"),
        "issues.csv row 1: title 'A forged title' differs from the ledger's",
    ),
    "verified flag edited": (
        lambda p: set_cell(
            p / "participants.csv",
            next(i for i, r in enumerate(csv_rows(p / "participants.csv")) if r[5] == "false"),
            "verified",
            "true",
        ),
        "verified 'true' differs from the ledger's 'false'",
    ),
    "vote edited": (
        lambda p: set_cell(
            p / "votes.csv", 1, "vote", "0" if csv_rows(p / "votes.csv")[1][5] != "0" else "1"
        ),
        "votes.csv row 1: vote",
    ),
}


@pytest.fixture
def package(world: World, tmp_path: Path) -> Path:
    seed_everything(world)
    return export_forum(world.forum, tmp_path / "pkg")


def _agenda(capsys: Any, package: Path, *extra: str) -> tuple[int, str, str]:
    code = cli(["agenda", "--from", str(package), "--format", "json", *extra])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("forgery", FORGERIES)
def test_import_and_agenda_refuse_tables_that_differ_from_the_ledger(
    package: Path, capsys, forgery: str
) -> None:
    change, message = FORGERIES[forgery]
    check_tables(package)  # the export itself is the fold of its ledger
    change(package)
    with pytest.raises(PackageRefused) as refused:
        check_tables(package)
    assert message in str(refused.value), str(refused.value)
    code, out, err = _agenda(capsys, package)
    assert code == 1 and out == "" and err.startswith("error: ") and message in err
    _empty_the_instance()
    with pytest.raises(ImportRefused) as refused_import:
        import_package(package)
    assert message in str(refused_import.value)


def test_agenda_trust_tables_skips_the_check_and_says_so(package: Path, capsys) -> None:
    swap_supporter(package)
    code, out, err = _agenda(capsys, package, "--trust-tables")
    assert code == 0 and json.loads(out)["issues"]
    assert "--trust-tables: the tables were not checked against the ledger" in err


def _resign(package: Path, key: Ed25519PrivateKey) -> None:
    """Rewrite the ledger (one support.add given to another participant, the tables to
    match) and sign every checkpoint afresh with ``key``: a self-consistent forgery."""
    lines = (package / "ledger.jsonl").read_text(encoding="utf-8").splitlines()
    docs = [json.loads(line) for line in lines]
    supports = csv_rows(package / "supports.csv")
    header, first = supports[0], supports[1]
    who, issue = first[header.index("participant_id")], first[header.index("issue_id")]
    forger = _other_participant(package, issue)
    for doc in docs:
        if doc["action"] == "support.add" and doc["actor"] == who and doc["object"]["id"] == issue:
            doc["actor"] = forger
    set_cell(package / "supports.csv", 1, "participant_id", forger)
    acc, roots = CompactRange(), {}
    out = []
    for doc in docs:
        doc.pop("leaf_hash")
        h = leaf_hash(canonical_json(doc))
        acc.append(h)
        roots[acc.size] = acc.root()
        out.append(canonical_json({**doc, "leaf_hash": h.hex()}).decode() + "\n")
    (package / "ledger.jsonl").write_text("".join(out), encoding="utf-8")
    cps = csv_rows(package / "checkpoints.csv")
    signed = []
    for row in cps[1:]:
        size = int(row[0])
        body = Checkpoint(size, roots[size], format_timestamp(), row[cps[0].index("origin")])
        doc = sign_checkpoint(body, key).to_json_dict()
        signed.append(
            [
                str(size),
                doc["root_hash"],
                doc["timestamp"],
                doc["origin"],
                doc["public_key"],
                doc["signature"],
            ]
        )
    assert cps[0] == ["tree_size", "root_hash", "timestamp", "origin", "public_key", "signature"]
    write_rows(package / "checkpoints.csv", [cps[0], *signed])
    (package / "checkpoint.json").write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["commonground"]["ledger"]["root_hash"] = doc["root_hash"]
    (package / "datapackage.json").write_text(json.dumps(descriptor, indent=2), encoding="utf-8")


def test_a_ledger_rewritten_and_resigned_passes_only_without_an_anchor(
    package: Path, capsys
) -> None:
    real = latest_checkpoint()
    assert real is not None
    real_key = real.public_key
    real_fp = key_fingerprint(base64.b64decode(real_key))
    _resign(package, Ed25519PrivateKey.generate())
    check_tables(package)  # self-consistent: the tables are the fold of the forged ledger

    code, _, err = _agenda(capsys, package)
    assert code == 0 and "proves only its own consistency" in err
    code, out, err = _agenda(capsys, package, "--public-key", real_key)
    assert code == 1 and out == ""
    assert "is not signed by the key given with --public-key" in err
    code, _, err = _agenda(capsys, package, "--fingerprint", real_fp)
    assert code == 1 and f"not {real_fp}" in err

    _empty_the_instance()
    code = cli(["import", str(package), "--public-key", real_key])
    out, err = capsys.readouterr()
    assert code == 1 and "is not signed by the key given with --public-key" in err
    code = cli(["import", str(package)])
    out, err = capsys.readouterr()
    assert code == 0 and "proves only its own consistency" in err


def test_the_real_package_passes_with_its_anchors(package: Path, capsys) -> None:
    real = latest_checkpoint()
    assert real is not None
    fp = key_fingerprint(base64.b64decode(real.public_key))
    code, out, err = _agenda(capsys, package, "--public-key", real.public_key, "--fingerprint", fp)
    assert code == 0 and json.loads(out)["issues"] and "proves only" not in err


def test_a_malformed_anchor_is_one_line_exit_2(package: Path, capsys) -> None:
    code = cli(["agenda", "--from", str(package), "--fingerprint", "xyz"])
    _, err = capsys.readouterr()
    assert code == 2 and "--fingerprint must be the 64 hex digits" in err and err.count("\n") == 1


def test_from_url_accepts_a_package_the_instance_grew_past_and_refuses_a_fork(
    world: World, tmp_path: Path, live_server: Any, capsys
) -> None:
    from commonground.issues.services import raise_issue
    from commonground.ledger.services import publish_checkpoint, signing_key

    seed_everything(world)
    package = export_forum(world.forum, tmp_path / "pkg")
    raise_issue(world.member["government"], world.forum, title="Later", description="After.")
    publish_checkpoint()  # the instance is now ahead of the package
    code, out, err = _agenda(capsys, package, "--from-url", live_server.url)
    assert code == 0, err
    assert "proves only" not in err
    code = cli(
        ["ledger", "verify", "--entries", str(package / "ledger.jsonl"), "--checkpoint",
         str(package / "checkpoint.json"), "--from-url", live_server.url]
    )  # fmt: skip
    out, err = capsys.readouterr()
    assert code == 0 and "anchored: consistent with the checkpoint" in out

    # The operator's own key, stolen or used: a rewritten history, signed with the real key,
    # is a fork of what the instance publishes.
    _resign(package, signing_key())
    code, out, err = _agenda(capsys, package, "--from-url", live_server.url)
    assert code == 1 and "is not consistent with the checkpoint" in err
    code = cli(
        ["ledger", "verify", "--entries", str(package / "ledger.jsonl"), "--checkpoint",
         str(package / "checkpoint.json"), "--from-url", live_server.url]
    )  # fmt: skip
    _, err = capsys.readouterr()
    assert code == 1 and "is not consistent with the checkpoint" in err
    _resign(package, Ed25519PrivateKey.generate())
    code, out, err = _agenda(capsys, package, "--from-url", live_server.url)
    assert code == 1 and "signed by another key than the one" in err
