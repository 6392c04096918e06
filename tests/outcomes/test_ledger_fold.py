"""The messages tables are a fold of the ledger (issue 18): a forged package is refused by
``import`` and ``agenda --from`` naming file, row and column, and a direct UPDATE of the
database is named by ``ledger audit``."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from commonground.ledger.models import LedgerEntry
from commonground.opendata.audit import first_difference
from commonground.opendata.export import export_forum
from commonground.opendata.fold import Fold
from commonground.opendata.ledger_audit import audit_database
from commonground.opendata.package_proof import check_tables, csv_rows
from commonground.outcomes.models import Designation, Message
from tests.conftest import World
from tests.ledger.helpers import ledger_key  # noqa: F401 - autouse fixture
from tests.ledger_helpers import assert_package_refused
from tests.ledger_helpers import csv_rows as _rows
from tests.ledger_helpers import ledger_audit as _audit
from tests.ledger_helpers import run_sql as _sql
from tests.ledger_helpers import set_cell as _set
from tests.outcomes.test_open_data import _seed

pytestmark = pytest.mark.django_db(transaction=True)


def _row_of(path: Path, column: str, value: str) -> int:
    rows = _rows(path)
    return next(i for i, r in enumerate(rows) if i and r[rows[0].index(column)] == value)


def test_every_messages_table_follows_from_the_ledger(
    world: World, commenting: Message, t0: datetime, tmp_path: Path
) -> None:
    _seed(world, commenting, t0)
    report = audit_database()
    assert [d.line() for d in report.differences] == []
    package = export_forum(world.forum, tmp_path / "pkg")
    check_tables(package)  # the export is the fold of its ledger


FORGERIES = {
    "a message's title": (
        "messages.csv",
        lambda p: _set(p / "messages.csv", 1, "title", "A forged title"),
        "messages.csv row 1: title",
    ),
    "a member's position": (
        "message_positions.csv",
        lambda p: _set(
            p / "message_positions.csv",
            _row_of(p / "message_positions.csv", "position", "object"),
            "position",
            "support",
        ),
        "position 'support' differs from the ledger's 'object'",
    ),
    "a disposition": (
        "message_dispositions.csv",
        lambda p: _set(
            p / "message_dispositions.csv",
            _row_of(p / "message_dispositions.csv", "disposition", "rejected"),
            "disposition",
            "accepted",
        ),
        "disposition 'accepted' differs from the ledger's 'rejected'",
    ),
    "an uptake's group": (
        "message_uptake.csv",
        lambda p: _set(p / "message_uptake.csv", 1, "stakeholder_group", "government"),
        "message_uptake.csv row 1: stakeholder_group 'government' differs",
    ),
    "a translation's language": (
        "message_translations.csv",
        lambda p: _set(p / "message_translations.csv", 1, "language", "fr"),
        "message_translations.csv row 1: language 'fr' differs from the ledger's 'ar'",
    ),
    "a translation's text": (
        "message_translations.csv",
        lambda p: _set(p / "message_translations.csv", 1, "text", "Forged."),
        "message_translations.csv row 1: text ",
    ),
    "a designation's time": (
        "message_designations.csv",
        lambda p: _set(
            p / "message_designations.csv", 1, "designated_at", "2020-01-01T00:00:00.000000Z"
        ),
        "message_designations.csv row 1: designated_at '2020-01-01T00:00:00.000000Z' differs",
    ),
}


@pytest.mark.parametrize("forgery", FORGERIES)
def test_import_and_agenda_refuse_a_package_whose_messages_differ_from_the_ledger(
    world: World,
    commenting: Message,
    t0: datetime,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    forgery: str,
) -> None:
    file, change, message = FORGERIES[forgery]
    _seed(world, commenting, t0)
    package = export_forum(world.forum, tmp_path / "pkg")
    change(package)
    reason = assert_package_refused(package, message, capsys)
    assert reason.startswith(f"{file} row "), reason


def test_ledger_audit_names_a_position_and_a_disposition_changed_in_the_database(
    world: World, commenting: Message, t0: datetime, capsys: pytest.CaptureFixture[str]
) -> None:
    _seed(world, commenting, t0)
    assert _audit(capsys)[0] == 0
    _sql("UPDATE outcomes_position SET position = 'support' WHERE position = 'object'")
    _sql("UPDATE outcomes_disposition SET disposition = 'accepted', version = 2")
    code, said = _audit(capsys)
    assert code == 1
    assert "message_positions.csv row" in said and "position 'support' differs" in said
    assert "message_dispositions.csv row" in said and "disposition 'accepted' differs" in said


def test_ledger_audit_names_a_message_whose_text_was_changed_in_the_database(
    world: World, commenting: Message, t0: datetime, capsys: pytest.CaptureFixture[str]
) -> None:
    _seed(world, commenting, t0)
    _sql("UPDATE outcomes_message SET text = 'Forged.'")
    code, said = _audit(capsys)
    assert code == 1 and "messages.csv row 1: text 'Forged.' differs" not in said
    # Free text is compared by digest: the line names the column and both digests.
    assert "messages.csv row 1: text " in said


def test_ledger_audit_names_a_designation_and_a_hidden_translation_changed_in_the_database(
    world: World, commenting: Message, t0: datetime, capsys: pytest.CaptureFixture[str]
) -> None:
    _seed(world, commenting, t0)
    _sql("UPDATE outcomes_designation SET level = 'consensus'")
    _sql("UPDATE outcomes_messagetranslation SET hidden = %s", [True])
    code, said = _audit(capsys)
    assert code == 1
    assert "message_designations.csv row 1: level 'consensus' differs" in said, said
    assert "message_translations.csv: the ledger's message translation" in said


def test_the_designation_entry_names_the_designation_and_older_entries_match_by_time(
    world: World, commenting: Message, t0: datetime, tmp_path: Path
) -> None:
    _seed(world, commenting, t0)
    designation = Designation.objects.get()
    entry = LedgerEntry.objects.get(action="message.designate")
    assert entry.fields["designation"] == designation.pk
    package = export_forum(world.forum, tmp_path / "pkg")
    check_tables(package)  # matched by id

    # An entry recorded before the id was added: the fold matches it by message and time.
    lines = (package / "ledger.jsonl").read_text(encoding="utf-8").splitlines()
    docs = [json.loads(line) for line in lines]
    for doc in docs:
        if doc["action"] == "message.designate":
            del doc["fields"]["designation"]
    older = Fold(world.forum.slug).feed_all(docs)
    assert first_difference(older, lambda name: csv_rows(package, name)) is None
    _set(package / "message_designations.csv", 1, "level", "consensus")
    difference = first_difference(older, lambda name: csv_rows(package, name))
    assert difference is not None
    assert difference.line().startswith("message_designations.csv row 1: level 'consensus'")
