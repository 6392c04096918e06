"""Agenda routes: the live agenda of a forum's open cycle and its published snapshots."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema

from commonground.access.lookup import get_forum, get_forum_and_open_cycle
from commonground.api.direct import json_response
from commonground.api.schemas import ErrorOut
from commonground.api.serializers import publication_out
from commonground.recognition.models import AgendaPublication
from commonground.recognition.services import live_agenda

router = Router(tags=["agenda"])


class GroupFigures(Schema):
    supports: int
    active: int
    rate: float


class AgendaSettingsOut(Schema):
    """The recognition settings an agenda was computed with (its own name: the forum's
    settings schema, ``RecognitionSettingsOut``, calls the slots ``agenda_slots``)."""

    min_groups: int
    min_supporters: int
    min_share: float
    slots: int


class AgendaIssue(Schema):
    issue_id: str
    recognized: bool
    on_agenda: bool
    rank: int | None
    balanced_support: float
    breadth: int
    groups: dict[str, GroupFigures]
    reason: str


class PublishedIssue(AgendaIssue):
    title: str


class AgendaOut(Schema):
    forum: str
    cycle: str
    phase: str
    settings: AgendaSettingsOut
    agenda: list[str]
    issues: list[AgendaIssue]


class PublicationOut(Schema):
    number: int
    cycle: str
    published_at: datetime
    published_by: str | None
    settings: AgendaSettingsOut
    agenda: list[str]
    issues: list[PublishedIssue]


@router.get(
    "/forums/{slug}/agenda",
    response={200: AgendaOut, 404: ErrorOut, 409: ErrorOut},
    summary="The live agenda of the forum's open cycle",
)
def agenda(request: HttpRequest, slug: str) -> HttpResponse:
    """Every issue of the open cycle with its recognition figures and reason; ``agenda`` lists
    the ids on the agenda in rank order. The same JSON as ``commonground agenda --from`` on
    an export of the forum."""
    # The forum, its open cycle and the cycle's tally version in one statement.
    forum, cycle, version = get_forum_and_open_cycle(slug)
    data = live_agenda(cycle, version).to_json_dict()
    # Built here with AgendaOut's fields, order and types: written without re-validating
    # it (commonground.api.direct; tests/recognition/test_agenda_api_json.py compares).
    return json_response({"forum": forum.slug, "cycle": cycle.name, "phase": cycle.phase, **data})


@router.get(
    "/forums/{slug}/agenda/published",
    response={200: list[PublicationOut], 404: ErrorOut},
    summary="Published agenda snapshots of the forum, newest first",
)
def published(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    """Frozen agenda snapshots of every cycle of the forum, with the settings in force."""
    forum = get_forum(slug)
    snapshots = (
        AgendaPublication.objects.filter(cycle__forum=forum)
        .select_related("cycle", "published_by")
        .order_by("-published_at", "-number")
    )
    return [publication_out(s) for s in snapshots]
