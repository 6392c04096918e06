"""The agenda API's JSON is what django-ninja's validated answer was, byte for byte.

``GET /api/v1/forums/<slug>/agenda`` reads the forum, its open cycle and its tally version
in one statement (commonground.access.forum_read) and writes the agenda without validating
it against ``AgendaOut`` (commonground.api.direct). For agendas with recognized issues (a
rank) and others (no rank, a reason), with no supports at all, and with an issue with
supports withdrawn, the bytes are those of the schema's validated dump of what the route
computed before; an unknown forum and a forum without an open cycle keep their refusals.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from ninja.responses import NinjaJSONEncoder

from commonground.access.lookup import get_forum, open_cycle_of
from commonground.api.agenda import AgendaOut
from commonground.forums.models import Cycle
from commonground.forums.services import advance_cycle, update_recognition_settings
from commonground.issues.services import raise_issue, support_issue, withdraw_support
from commonground.recognition.services import live_agenda
from tests.conftest import World

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_page_cache(settings: Any) -> None:
    settings.COMMONGROUND_READ_CACHE_SECONDS = 0


def _validated(slug: str) -> bytes:
    """What the route answered before: its dict validated and dumped by the schema."""
    forum = get_forum(slug)
    cycle = open_cycle_of(forum)
    data = {"forum": forum.slug, "cycle": cycle.name, "phase": cycle.phase}
    data |= live_agenda(cycle).to_json_dict()
    return json.dumps(AgendaOut.model_validate(data).model_dump(), cls=NinjaJSONEncoder).encode()


def _agenda(slug: str) -> Any:
    return Client().get(f"/api/v1/forums/{slug}/agenda")


def _same(slug: str) -> None:
    answer = _agenda(slug)
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/json; charset=utf-8"
    assert answer.content == _validated(slug)


def test_an_agenda_without_supports_is_the_validated_json(world: World, issue: Any) -> None:
    _same(world.forum.slug)


def test_an_agenda_with_recognized_and_unrecognized_issues_is_the_validated_json(
    world: World, issue: Any
) -> None:
    # One persona per group: one supporter counts for a group here, a share of 0.3.
    update_recognition_settings(
        None, world.forum, min_groups=3, min_supporters=1, min_share=0.3, agenda_slots=5
    )
    other = raise_issue(
        world.member["government"], world.forum, title="Spectrum", description="Auctions."
    )
    for group in ("government", "private_sector", "civil_society", "academic_technical"):
        support_issue(world.member[group], issue)
    support_issue(world.member["government"], other)
    support_issue(world.member["private_sector"], other)
    withdraw_support(world.member["private_sector"], other)
    _same(world.forum.slug)
    body = _agenda(world.forum.slug).json()
    ranks = {item["issue_id"]: item["rank"] for item in body["issues"]}
    assert ranks[str(issue.pk)] == 1 and ranks[str(other.pk)] is None  # both kinds covered


def test_refusals_are_unchanged(world: World) -> None:
    missing = _agenda("no-such-forum")
    assert missing.status_code == 404
    assert missing.json() == {"detail": "No forum 'no-such-forum'."}
    assert _agenda("bad%20slug").status_code == 404
    for _ in range(10):  # through every phase: after follow-up the cycle closes
        if not Cycle.objects.filter(forum=world.forum, is_open=True).exists():
            break
        advance_cycle(None, world.forum)
    closed = _agenda(world.forum.slug)
    assert closed.status_code == 409
    assert closed.json() == {"detail": f"{world.forum.name} has no open cycle."}
