"""Sessions in the open-data package: every table exported, imported into an empty
instance with nothing lost (byte-identical re-export); scores only as aggregates; nothing
of a cycle whose evaluation is still blind."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from django.core.management import call_command

from commonground.forums.models import Forum
from commonground.meetings.models import Report, ScoreSummary, Session
from commonground.meetings.services import advisory, reports, selection
from commonground.opendata.export import export_forum
from commonground.opendata.importer import import_package
from tests.meetings.conftest import Programme, slot

pytestmark = pytest.mark.django_db(transaction=True)

TABLES = (
    "sessions",
    "session_speakers",
    "session_scores",
    "selection_publications",
    "session_reports",
    "advisory_seats",
)
SCORE = {"relevance": 4, "content": 5, "interaction": 3, "diversity": 4}


def _rows(folder: Path, table: str) -> list[dict[str, str]]:
    with (folder / f"{table}.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _run_cycle(programme: Programme) -> Session:
    session = programme.propose()
    other = programme.propose(programme.world.member["internet_institution"], title="Other")
    programme.advance()
    low = {**SCORE, "reason_code": "weak_interaction", "comment": "A panel."}
    advisory.score_session(programme.advisors[0], session, low)
    advisory.score_session(programme.advisors[1], session, {**SCORE, "interaction": 5})
    steward = programme.steward
    selection.decide_session(steward, session, {"decision": "approved", "reason": "Balanced."})
    selection.decide_session(
        steward,
        other,
        {"decision": "approved_if_merged", "merge_with": session.pk, "reason": "Same."},
    )
    selection.publish_selection(steward, programme.forum)
    programme.advance()  # forum
    session = slot(session, programme, "Room 1", -3)
    data = {"key_takeaways": ["Licences matter."], "attendance": {"onsite": 9, "women_share": 0.4}}
    reports.file_report(programme.world.member["civil_society"], session, data)
    return session


def test_sessions_round_trip_through_export_and_import(
    programme: Programme, tmp_path: Path
) -> None:
    session = _run_cycle(programme)
    first = export_forum(programme.forum, tmp_path / "first")
    for table in TABLES:
        assert _rows(first, table), table
    (scores,) = _rows(first, "session_scores")
    assert scores["scores"] == "2" and scores["mean_score"] == "4.25"
    # Aggregates only: no column names a member, no comment or reason leaves.
    assert set(scores) == {
        "session_id", "scores", "mean_score", "spread",
        "relevance", "content", "interaction", "diversity",
    }  # fmt: skip
    assert "A panel." not in (first / "session_scores.csv").read_text()
    call_command("flush", interactive=False, verbosity=0)
    import_package(first)
    second = export_forum(Forum.objects.get(slug=programme.forum.slug), tmp_path / "second")
    assert _files(second) == _files(first)
    restored = Session.objects.get(pk=session.pk)
    assert restored.room == "Room 1" and restored.speakers.count() == 3
    assert Report.objects.get(session=restored).women_share == 0.4
    assert ScoreSummary.objects.get(session=restored).mean_score == 4.25


def test_a_cycle_in_blind_evaluation_exports_no_proposal(
    programme: Programme, tmp_path: Path
) -> None:
    programme.propose()
    programme.advance()  # evaluation
    folder = export_forum(programme.forum, tmp_path / "pkg")
    assert _rows(folder, "sessions") == [] and _rows(folder, "session_speakers") == []
    assert len(_rows(folder, "advisory_seats")) == 5  # the group's composition is public
