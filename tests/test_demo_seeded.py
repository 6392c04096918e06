"""What the seeded demo holds, checked on one seeding shared by the module.

Seeding the demo takes tens of seconds; every check here reads the same seeded database,
so the module seeds it once, inside a transaction that is rolled back when the module
ends (each test still runs in its own savepoint, so nothing one test writes reaches the
next). The demo is deterministic for a seed; these checks hold for any seed.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.utils.html import escape

from commonground.analysis.programme import composition_problems
from commonground.contributions.models import Advice, AdviceRevision, Comment, Signal, Solution
from commonground.demo import content
from commonground.demo.meetings import load
from commonground.demo.seed import Seeded, seed_demo
from commonground.forums.models import Cycle, Forum
from commonground.issues.models import IssueTranslation
from commonground.ledger.models import Checkpoint, LedgerEntry
from commonground.ledger.vocabulary import registry
from commonground.meetings.models import AdvisorySeat, Report, Score, SelectionPublication, Session
from commonground.meetings.services.advisory import seats_by_group
from commonground.meetings.services.common import government_max_share, settings_of
from commonground.opendata.export import export_forum
from commonground.opendata.package_reader import agenda_from_package
from commonground.outcomes.models import (
    Designation,
    Disposition,
    Message,
    MessageTranslation,
    Uptake,
)
from commonground.recognition.services import live_agenda

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Seeded]:
    """The demo seeded once for the module, rolled back at its end."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield seed_demo(seed=11)
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def test_demo_seeds_contributions_with_ledger_entries(demo: Seeded) -> None:
    assert Signal.objects.count() > len(content.SIGNALS) // 2
    assert Solution.objects.count() == len(content.SOLUTIONS)
    assert Advice.objects.count() > len(content.ADVICE) // 2
    assert AdviceRevision.objects.count() == Advice.objects.count()
    assert Comment.objects.filter(parent__isnull=False).exists()
    for action, model in (
        ("signal.add", Signal),
        ("solution.propose", Solution),
        ("advice.give", Advice),
        ("comment.add", Comment),
    ):
        assert LedgerEntry.objects.filter(action=action).count() == model.objects.count()
    for reply in Comment.objects.filter(parent__isnull=False).select_related("parent"):
        assert reply.parent.issue_id == reply.issue_id and reply.parent.parent_id is None
        assert reply.created_at >= reply.parent.created_at
    for signal in Signal.objects.select_related("author"):
        assert signal.author.stakeholder_group in ("government", "intergovernmental")
    for advice in Advice.objects.select_related("author"):
        assert advice.author.stakeholder_group in ("academic_technical", "internet_institution")
    issue = Signal.objects.first().issue
    html = Client().get(issue.get_absolute_url()).content.decode()
    assert "Signalled by" in html


def test_demo_publishes_a_checkpoint_over_its_whole_ledger(demo: Seeded) -> None:
    checkpoint = Checkpoint.objects.get()
    assert checkpoint.tree_size == LedgerEntry.objects.count() == demo.ledger_entries
    assert Client().get("/api/v1/ledger/checkpoint").status_code == 200


def test_every_entry_the_demo_writes_fits_its_builders_declaration(demo: Seeded) -> None:
    specs = registry()
    checked: set[str] = set()
    rows = LedgerEntry.objects.values_list("seq", "action", "object_type", "fields")
    for seq, action, object_type, fields in rows.iterator(chunk_size=5000):
        spec = specs.get(action)
        assert spec is not None, f"entry {seq} names {action}, which no builder declares"
        assert object_type in spec.object_types, f"entry {seq} ({action}) names {object_type}"
        assert spec.accepts(set(fields)), f"entry {seq} ({action}) carries {sorted(fields)}"
        checked.add(action)
    # The demo writes the core actions it seeds, through the builders.
    for action in ("forum.create", "membership.join", "issue.raise", "support.add"):
        assert action in checked
    for action in ("signal.add", "comment.add", "statement.add", "vote.cast"):
        assert action in checked


def test_demo_seeds_a_programme_with_every_stage(demo: Seeded) -> None:
    data = load()
    sessions = Session.objects.filter(forum__slug="igf")
    assert sessions.count() == len(data["stem"]) * len(data["angles"]) == 60
    declined = sessions.filter(status="declined")
    assert declined.exists() and all(s.screening_failures for s in declined)
    seats = [s.membership for s in AdvisorySeat.objects.select_related("membership")]
    assert len(seats) == 20
    forum = sessions.first().forum
    rules = settings_of(forum)
    assert not composition_problems(
        seats_by_group(seats),
        government_max_share=government_max_share(rules),
        max_difference=rules.balanced_groups_max_difference,
    )
    assert Score.objects.count() == LedgerEntry.objects.filter(action="session.score").count() > 0
    assert SelectionPublication.objects.filter(cycle__forum=forum).count() == 1
    scheduled = sessions.exclude(starts_at=None)
    assert scheduled.count() == data["approved"]
    assert len({s.starts_at.date() for s in scheduled}) == 2
    assert len({s.room for s in scheduled}) == 4
    reports = Report.objects.filter(session__forum=forum)
    assert 0 < reports.count() < scheduled.count()
    assert any(r.late for r in reports)
    html = Client().get("/forums/igf/programme/").content.decode()
    assert html.count("data-session=") == data["approved"]
    assert "Report overdue" in html and "Report filed late" in html


def test_demo_global_forum_has_a_finished_cycle_of_messages(demo: Seeded) -> None:
    earlier = Cycle.objects.get(forum__slug="igf", name="2026")
    assert not earlier.is_open and earlier.phase == "follow_up"
    assert Cycle.objects.get(forum__slug="igf", name="2027").is_open
    messages = Message.objects.filter(cycle=earlier)
    assert {m.state for m in messages} == {"published", "referred"}
    levels = {d.level for d in Designation.objects.filter(message__cycle=earlier)}
    assert levels == set(Designation.Level.values)
    assert Designation.objects.exclude(minority_view="").exists()
    kinds = set(Disposition.objects.values_list("disposition", flat=True))
    assert kinds == set(Disposition.Kind.values)
    groups = set(Uptake.objects.values_list("stakeholder_group", flat=True))
    assert groups == {"government", "intergovernmental"} and Uptake.objects.count() >= 4
    # Each suggestion agrees with the chair's designation in the demo.
    for d in Designation.objects.filter(message__cycle=earlier):
        assert d.suggested_level == d.level
    assert LedgerEntry.objects.filter(action="message.publish").count() == messages.count()
    page = Client().get("/forums/igf/").content.decode()
    assert "/forums/igf/cycles/2026/messages.pdf" in page
    follow_up = Client().get("/forums/igf/cycles/2026/follow-up/").content.decode()
    assert "3 of 4 agenda issues got uptake." in follow_up


def test_live_agenda_api_and_open_data_agree_on_the_demo(demo: Seeded, tmp_path: Path) -> None:
    client = Client()
    for slug in ("igf", "kenya-igf", "africa-igf"):
        forum = Forum.objects.get(slug=slug)
        live = live_agenda(forum.cycles.get(is_open=True)).to_json_dict()
        target = tmp_path / slug
        export_forum(forum, target)
        recomputed = agenda_from_package(target)
        assert json.loads(json.dumps(live)) == recomputed
        api = client.get(f"/api/v1/forums/{slug}/agenda").json()
        assert api["agenda"] == recomputed["agenda"]
        assert api["issues"] == recomputed["issues"]
    # The demo shows a meaningful agenda: recognized issues and some held back.
    igf = agenda_from_package(tmp_path / "igf")
    held_back = [i for i in igf["issues"] if not i["recognized"]]
    assert igf["agenda"] and held_back
    assert max(sum(g["supports"] for g in i["groups"].values()) for i in held_back) > 100


def test_demo_seeds_community_translations_with_one_stale_on_pages_and_open_data(
    demo: Seeded, tmp_path: Path
) -> None:
    issue_rows = IssueTranslation.objects.select_related("issue", "author")
    message_rows = MessageTranslation.objects.select_related("message", "author")
    assert sorted(t.language for t in issue_rows) == ["es", "es", "fr", "fr"]
    assert sorted(t.language for t in message_rows) == ["es", "fr"]
    assert len({t.issue_id for t in issue_rows}) == 2
    originals = [(t, t.issue.author_id) for t in issue_rows]
    originals += [(t, t.message.created_by_id) for t in message_rows]
    for t, original_author in originals:  # by members, not by the original's author
        assert t.author.role == "participant" and t.author_id != original_author
    stale = [t for t in issue_rows if t.stale]
    assert [(t.language, t.issue.title) for t in stale] == [
        ("fr", content.ISSUES[content.issue_index("shutdowns")]["title"])
    ]
    for action, n in (("translation.add", 4), ("message_translation.add", 2), ("issue.edit", 1)):
        assert LedgerEntry.objects.filter(action=action).count() == n
    client = Client()
    issue = stale[0].issue
    api = client.get(f"/api/v1/issues/{issue.pk}").json()["translations"]
    assert sorted((t["language"], t["stale"]) for t in api) == [("es", False), ("fr", True)]
    page = client.get(issue.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert 'data-testid="translation-stale"' in page and escape(stale[0].title) in page
    igf = Forum.objects.get(slug="igf")
    export_forum(igf, tmp_path / "igf")
    for table, rows in (("issue_translations", 4), ("message_translations", 2)):
        with (tmp_path / "igf" / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
            assert {row["language"] for row in csv.DictReader(handle)} == {"fr", "es"}
            handle.seek(0)
            assert len(list(csv.DictReader(handle))) == rows
