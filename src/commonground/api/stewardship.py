"""What stewards and the secretariat do, as routes: create forums, open cycles, move (or
correct) the phase, publish the agenda, list and verify members. Each calls the same
service as the web page and the CLI."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from django.db.models import Count, Prefetch
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import ConfigDict, Field, StringConstraints, model_validator

from commonground.access.lookup import get_forum, get_participant
from commonground.access.members import require_steward
from commonground.access.phases import PHASES
from commonground.api.agenda import PublicationOut
from commonground.api.auth import AUTH, ApiRequest
from commonground.api.forums import router as forums_router
from commonground.api.schemas import (
    MAX_ID,
    WRITE_ERRORS,
    CountryCode,
    CycleOut,
    ForumOut,
    InputSchema,
    NoNul,
    RegionName,
    errors,
)
from commonground.api.serializers import forum_summary, open_cycles_prefetch, publication_out
from commonground.core.errors import Conflict, NotFound
from commonground.federation.remote import create_forum_under_remote_parent
from commonground.forums.models import Cycle, Forum, PhaseChange
from commonground.forums.phase_changes import CLOSED, MAX_REASON, change_phase
from commonground.forums.services import create_forum, open_cycle
from commonground.participants.models import Membership
from commonground.participants.services import set_verified
from commonground.recognition.models import AgendaPublication
from commonground.recognition.services import publish_agenda

router = Router(tags=["stewardship"])

ERRORS = errors(*WRITE_ERRORS)
PhaseName = Literal[
    "call_for_issues", "agenda_setting", "call_for_sessions", "evaluation", "forum",
    "messages", "follow_up", "closed",
]  # fmt: skip
assert set(PhaseName.__args__) == {*PHASES, CLOSED}  # type: ignore[attr-defined]

SlugText = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{1,58}[a-z0-9]$")]
Text = Annotated[str, NoNul]


class ForumIn(InputSchema):
    slug: SlugText = Field(description="3 to 60 lower-case letters, digits and hyphens.")
    name: Annotated[Text, StringConstraints(min_length=1, max_length=160)]
    level: Literal["global", "regional", "national", "subnational", "youth"]
    parent: SlugText | None = Field(None, description="The slug of the forum above.")
    parent_url: Annotated[Text, StringConstraints(min_length=1, max_length=300)] | None = Field(
        None,
        description="The page URL of the forum above when it is on another instance (instead "
        "of parent; both: 409): the instance must be a pinned peer and list that forum in "
        "its /.well-known/commonground, else 409. Superusers only.",
    )
    country: CountryCode | Literal[""] = ""
    region: RegionName | Literal[""] = ""
    description: Annotated[Text, StringConstraints(max_length=4000)] = ""

    # A sub-national forum names its national parent: a rule of the input alone, so the
    # schema states it (JSON Schema if/then) and a body without one is a 422 (issue 11.17).
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "if": {"properties": {"level": {"const": "subnational"}}, "required": ["level"]},
            "then": {"required": ["parent"], "properties": {"parent": {"type": "string"}}},
        },
    )

    @model_validator(mode="after")
    def _subnational_has_parent(self) -> ForumIn:
        if self.level == "subnational" and not self.parent:
            raise ValueError(_("A sub-national forum names its national parent."))
        return self


class CycleIn(InputSchema):
    name: Annotated[Text, StringConstraints(min_length=1, max_length=60, pattern=r"\S")]


class PhaseChangeIn(InputSchema):
    to: PhaseName = Field(
        description="The next phase (or closed after follow_up): a step forward; "
        "an earlier phase: a correction, which needs a reason."
    )
    reason: Annotated[Text, StringConstraints(max_length=MAX_REASON)] = ""


class PublicationIn(InputSchema):
    agenda: list[Annotated[str, StringConstraints(pattern=r"^[1-9][0-9]{0,18}$")]] | None = Field(
        None,
        max_length=10_000,
        description="The agenda (issue ids in rank order) you checked; when it changed "
        "since, nothing is published (409). Leave out to publish the agenda as it is.",
    )


class VerificationIn(InputSchema):
    verified: bool = True


class MemberOut(Schema):
    participant: str
    name: str
    stakeholder_group: str
    country: str
    region: str
    affiliation: str
    verified: bool
    role: str
    status: str
    joined_at: datetime


class MemberFilters(Schema):
    verified: bool | None = Field(None, description="Only verified (true) or pending (false).")
    limit: int = Field(100, ge=1, le=1000)
    offset: int = Field(0, ge=0, le=MAX_ID)


class MemberPage(Schema):
    count: int
    items: list[MemberOut]


def cycle_out(cycle: Cycle) -> dict[str, Any]:
    """A cycle with its phase history, as ``GET /forums/{slug}/cycles`` lists it."""
    history = PhaseChange.objects.select_related("changed_by").order_by("changed_at", "id")
    cycle = (
        Cycle.objects.filter(pk=cycle.pk)
        .select_related("forum")
        .annotate(issue_count=Count("issues"))
        .prefetch_related(Prefetch("phase_changes", queryset=history))
        .get()
    )
    return {
        "id": cycle.pk,
        "forum": cycle.forum.slug,
        "name": cycle.name,
        "phase": cycle.phase,
        "phase_label": cycle.phase_label,
        "is_open": cycle.is_open,
        "opened_at": cycle.opened_at,
        "closed_at": cycle.closed_at,
        "issue_count": cycle.issue_count,
        "phase_history": [
            {
                "from_phase": change.from_phase or None,
                "to_phase": change.to_phase,
                "changed_at": change.changed_at,
                "changed_by": change.changed_by.public_id if change.changed_by else None,
                "reason": change.reason,
            }
            for change in cycle.phase_changes.all()
        ],
    }


def member_out(membership: Membership) -> dict[str, Any]:
    return {
        "participant": membership.user.public_id,
        "name": membership.user.public_name,
        "stakeholder_group": membership.stakeholder_group,
        "country": membership.country,
        "region": membership.region,
        "affiliation": membership.affiliation,
        "verified": membership.verified,
        "role": membership.role,
        "status": membership.status,
        "joined_at": membership.joined_at,
    }


# Same paths as the forum routes' GET: Django routes a path to one view, so these two
# join the forums router (ninja serves each path's methods from one view).
@forums_router.post(
    "/forums", auth=AUTH, response={201: ForumOut, **ERRORS}, summary="Create a forum (secretariat)"
)
def create(request: ApiRequest, payload: ForumIn) -> Status[dict[str, Any]]:
    """A superuser creates a forum anywhere in the tree; a steward of a forum creates
    forums under it (403 for anyone else; 409 when the slug is taken)."""
    data = payload.model_dump()
    parent_url = data.pop("parent_url")
    if parent_url and data["parent"]:
        # Both fit the schema; together they name two parents (a rule of the request as a
        # whole, stated in parent_url's description).
        raise Conflict(_("Name the parent here (parent) or on a peer (parent_url), not both."))
    if parent_url:
        data.pop("parent")
        create_forum_under_remote_parent(request.auth, parent_url=parent_url, **data)
    else:
        create_forum(request.auth, **data)
    forum = Forum.objects.select_related("parent", "remote_parent__remote")
    forum = forum.prefetch_related(open_cycles_prefetch())
    return Status(201, forum_summary(forum.get(slug=payload.slug)))


@forums_router.post(
    "/forums/{slug}/cycles",
    auth=AUTH,
    response={201: CycleOut, **ERRORS},
    summary="Open a cycle with a call for issues (stewards, superusers)",
)
def create_cycle(request: ApiRequest, slug: str, payload: CycleIn) -> Status[dict[str, Any]]:
    """409 while the forum has an open cycle, or has a cycle of that name."""
    cycle = open_cycle(request.auth, get_forum(slug), payload.name)
    return Status(201, cycle_out(cycle))


@router.post(
    "/forums/{slug}/phase-changes",
    auth=AUTH,
    response={201: CycleOut, **ERRORS},
    summary="Move the open cycle to its next phase, or back to an earlier one (stewards)",
)
def create_phase_change(
    request: ApiRequest, slug: str, payload: PhaseChangeIn
) -> Status[dict[str, Any]]:
    """``to`` names the phase the cycle moves to, so that a repeated request never moves it
    twice: the next phase (``closed`` after the follow-up) is a step forward; an earlier
    phase of the cycle corrects a step taken by mistake and needs a ``reason`` (400
    without). Any other phase is a 409 and changes nothing."""
    cycle = change_phase(request.auth, get_forum(slug), payload.to, payload.reason)
    return Status(201, cycle_out(cycle))


@router.post(
    "/forums/{slug}/agenda/publications",
    auth=AUTH,
    response={201: PublicationOut, **ERRORS},
    summary="Publish (freeze) the live agenda (stewards)",
)
def create_publication(
    request: ApiRequest, slug: str, payload: PublicationIn | None = None
) -> Status[dict[str, Any]]:
    """The next numbered snapshot of the live agenda, in agenda setting or the call for
    sessions (409 in other phases, or when ``agenda`` no longer matches)."""
    expected = payload.agenda if payload is not None else None
    publication = publish_agenda(request.auth, get_forum(slug), expected_agenda=expected)
    s = AgendaPublication.objects.select_related("cycle", "published_by").get(pk=publication.pk)
    return Status(201, publication_out(s))


@router.get(
    "/forums/{slug}/members",
    auth=AUTH,
    response={200: MemberPage, **errors(401, 403, 404, 422)},
    summary="The forum's members, with join requests to verify (stewards)",
)
def members(request: ApiRequest, slug: str, filters: Query[MemberFilters]) -> dict[str, Any]:
    """Newest first; ``verified=false`` lists the declared groups waiting for verification."""
    forum = get_forum(slug)
    require_steward(request.auth, forum)
    rows = Membership.objects.filter(forum=forum).select_related("user")
    if filters.verified is not None:
        rows = rows.filter(verified=filters.verified)
    rows = rows.order_by("-joined_at", "-id")
    page = rows[filters.offset : filters.offset + filters.limit]
    return {"count": rows.count(), "items": [member_out(m) for m in page]}


@router.post(
    "/forums/{slug}/members/{public_id}/verification",
    auth=AUTH,
    response={200: MemberOut, **ERRORS},
    summary="Verify a member's declared stakeholder group, or withdraw it (stewards)",
)
def verification(
    request: ApiRequest, slug: str, public_id: str, payload: VerificationIn
) -> dict[str, Any]:
    """``verified`` true marks the declared group verified; false withdraws the mark."""
    forum = get_forum(slug)
    user = get_participant(public_id)
    membership = Membership.objects.filter(forum=forum, user=user).select_related("user").first()
    if membership is None:
        message = _("%(id)s is not a member of %(forum)s.")
        raise NotFound(message % {"id": public_id[:20], "forum": forum.name})
    membership = set_verified(request.auth, membership, payload.verified)
    return member_out(Membership.objects.select_related("user").get(pk=membership.pk))
