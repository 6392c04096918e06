"""The sessions tables are a fold of the ledger (issue 18): a forged package is refused by
``import`` and ``agenda --from`` naming file, row and column, and a direct UPDATE of the
database is named by ``ledger audit``. Scores stay blind: the ledger gets a proposal's
aggregates only when evaluation ends."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from commonground.ledger.models import LedgerEntry
from commonground.meetings.models import Session
from commonground.opendata.export import export_forum
from commonground.opendata.ledger_audit import audit_database
from commonground.opendata.package_proof import check_tables
from tests.ledger.helpers import ledger_key  # noqa: F401 - autouse fixture
from tests.ledger_helpers import assert_package_refused
from tests.ledger_helpers import csv_rows as _rows
from tests.ledger_helpers import ledger_audit as _audit
from tests.ledger_helpers import run_sql as _sql
from tests.ledger_helpers import set_cell as _set
from tests.meetings.conftest import Programme
from tests.meetings.test_open_data import SCORE, _run_cycle

pytestmark = pytest.mark.django_db(transaction=True)


def test_every_sessions_table_follows_from_the_ledger(programme: Programme, tmp_path: Path) -> None:
    _run_cycle(programme)
    assert [d.line() for d in audit_database().differences] == []
    package = export_forum(programme.forum, tmp_path / "pkg")
    for table in ("sessions", "session_speakers", "session_scores", "session_reports"):
        assert len(_rows(package / f"{table}.csv")) > 1, table
    check_tables(package)  # the export is the fold of its ledger


def test_scores_reach_the_ledger_as_aggregates_only_when_evaluation_ends(
    programme: Programme,
) -> None:
    from commonground.meetings.services import advisory

    session = programme.propose()
    programme.advance()  # evaluation
    advisory.score_session(programme.advisors[0], session, {**SCORE, "relevance": 2,
                           "reason_code": "weak_interaction", "comment": "Thin."})  # fmt: skip
    advisory.score_session(programme.advisors[1], session, {**SCORE, "interaction": 5})
    assert not LedgerEntry.objects.filter(action="session.scores").exists()
    for entry in LedgerEntry.objects.filter(action="session.score"):
        assert entry.actor in ("", None) and set(entry.fields) == {"new"}
    programme.advance()  # forum: evaluation has ended
    (entry,) = LedgerEntry.objects.filter(action="session.scores")
    assert entry.fields == {
        "scores": "2", "mean_score": "4.0", "spread": "1.0", "relevance": "3.0",
        "content": "5.0", "interaction": "4.0", "diversity": "4.0",
    }  # fmt: skip


def _first(path: Path, column: str) -> str:
    rows = _rows(path)
    return rows[1][rows[0].index(column)]


FORGERIES = {
    "a session's title": (
        lambda p: _set(p / "sessions.csv", 1, "title", "A forged title"),
        "sessions.csv row 1: title 'A forged title' differs from the ledger's",
    ),
    "a score": (
        lambda p: _set(p / "session_scores.csv", 1, "mean_score", "4.9"),
        "session_scores.csv row 1: mean_score '4.9' differs from the ledger's '4.25'",
    ),
    "a speaker's gender": (
        lambda p: _set(
            p / "session_speakers.csv",
            1,
            "gender",
            "woman" if _first(p / "session_speakers.csv", "gender") != "woman" else "man",
        ),
        "session_speakers.csv row 1: gender",
    ),
    "a decision": (
        lambda p: _set(p / "sessions.csv", 2, "decision", "approved"),
        "sessions.csv row 2: decision 'approved' differs from the ledger's 'approved_if_merged'",
    ),
    "an advisory seat given to another member": (
        lambda p: _set(
            p / "advisory_seats.csv",
            1,
            "participant",
            _first(p / "sessions.csv", "proposed_by"),  # a proposer holds no seat
        ),
        "advisory_seats.csv row 1: not in the ledger",
    ),
    "a speaker's name": (
        lambda p: _set(p / "session_speakers.csv", 1, "name", "Someone Else"),
        "session_speakers.csv row 1: name",
    ),
    "a report's takeaways": (
        lambda p: _set(p / "session_reports.csv", 1, "key_takeaways", '["Forged."]'),
        "session_reports.csv row 1: key_takeaways",
    ),
}


@pytest.mark.parametrize("forgery", FORGERIES)
def test_import_and_agenda_refuse_a_package_whose_sessions_differ_from_the_ledger(
    programme: Programme, tmp_path: Path, capsys: pytest.CaptureFixture[str], forgery: str
) -> None:
    change, message = FORGERIES[forgery]
    _run_cycle(programme)
    package = export_forum(programme.forum, tmp_path / "pkg")
    change(package)
    assert_package_refused(package, message, capsys)


def test_ledger_audit_names_a_title_and_a_score_changed_in_the_database(
    programme: Programme, capsys: pytest.CaptureFixture[str]
) -> None:
    session = _run_cycle(programme)
    assert _audit(capsys)[0] == 0
    Session.objects.filter(pk=session.pk).update(title="Forged title")
    _sql("UPDATE meetings_score SET relevance = 1 WHERE session_id = %s", [session.pk])
    code, said = _audit(capsys)
    assert code == 1
    assert "sessions.csv row 1: title 'Forged title' differs" in said, said
    assert "session_scores.csv row 1: mean_score" in said, said


def _doc(seq: int, action: str, oid: str, fields: dict[str, Any], actor: str = "p1") -> Any:
    return {
        "forum": "f",
        "action": action,
        "object": {"type": "session", "id": oid},
        "actor": actor,
        "time": f"2026-01-0{seq}T00:00:00.000000Z",
        "fields": fields,
    }


def test_entries_written_before_the_fold_leave_the_facts_they_lack_unchecked() -> None:
    from commonground.opendata.audit_sessions import SESSION_CHECKS
    from commonground.opendata.fold import Fold

    older = {"cycle": 1, "title": "T", "format": "workshop", "issues": [2], "speakers": 3,
             "screening": []}  # fmt: skip
    fold = Fold("f").feed_all(
        [
            _doc(1, "session.propose", "7", older),
            _doc(
                2,
                "session.decide",
                "7",
                {"decision": "approved", "merge_with": None, "reason": "Fine."},
            ),
        ]
    )
    row = {"id": "7", "cycle_id": "1", "proposed_by": "p1", "title": "T", "format": "workshop",
           "issue_ids": "[2]", "status": "submitted", "screening_failures": "[]",
           "decision": "approved", "decision_reason": "Fine.", "description": "anything",
           "submitted_at": "2025-12-31T23:59:59.999999Z", "decided_at": "2026-02-01T00:00:00Z",
           "merge_with": "", "room": "", "starts_at": "", "duration_minutes": ""}  # fmt: skip
    tables: dict[str, list[tuple[int, dict[str, str]]]] = {
        "sessions": [(1, row)],
        "session_speakers": [(1, {"id": "1", "session_id": "7", "position": "0"})],
        "session_scores": [(1, {"session_id": "7", "scores": "2"})],
    }
    differences = [
        d.line()
        for check in SESSION_CHECKS
        for d in check.compare(tables.get(check.name, []), fold)
    ]
    assert differences == []
    row["title"] = "Forged"
    (difference,) = SESSION_CHECKS[0].compare([(1, row)], fold)
    assert difference.line() == "sessions.csv row 1: title 'Forged' differs from the ledger's 'T'"
