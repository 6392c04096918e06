"""The demo's global forum holds a finished earlier cycle with messages at every level."""

from __future__ import annotations

import pytest
from django.test import Client

from commonground.demo.seed import seed_demo
from commonground.forums.models import Cycle
from commonground.ledger.models import LedgerEntry
from commonground.outcomes.models import Designation, Disposition, Message, Uptake

pytestmark = pytest.mark.django_db


def test_demo_global_forum_has_a_finished_cycle_of_messages() -> None:
    seed_demo(seed=5)
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
