"""The demo's global forum shows the whole session process of its 2026 cycle."""

from __future__ import annotations

import pytest
from django.test import Client

from commonground.analysis.programme import composition_problems
from commonground.demo.meetings import load
from commonground.demo.seed import seed_demo
from commonground.ledger.models import LedgerEntry
from commonground.meetings.models import AdvisorySeat, Report, Score, SelectionPublication, Session
from commonground.meetings.services.advisory import seats_by_group
from commonground.meetings.services.common import government_max_share, settings_of

pytestmark = pytest.mark.django_db


def test_demo_seeds_a_programme_with_every_stage() -> None:
    seed_demo(seed=3)
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
