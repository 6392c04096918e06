"""Moderation routes for stewards: the queue of reported contributions, acting on one, and
suspending a member. The same services as the queue page (``contributions.moderation``)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from django.utils.translation import gettext as _
from ninja import Path, Router, Schema
from pydantic import Field, StringConstraints

from commonground.access.lookup import get_contribution, get_forum, get_participant
from commonground.api.auth import AUTH, ApiRequest
from commonground.api.schemas import MAX_ID, WRITE_ERRORS, InputSchema, NoNul, errors
from commonground.contributions import moderation
from commonground.contributions.models import Report
from commonground.contributions.services import MAX_REASON, moderate, set_suspended
from commonground.core.errors import NotFound
from commonground.participants.models import Membership

router = Router(tags=["moderation"])

KindName = Literal["signal", "solution", "advice", "comment"]
ReasonText = Annotated[str, StringConstraints(min_length=1, max_length=MAX_REASON), NoNul]
ContributionId = Annotated[int, Path(ge=1, le=MAX_ID, description="The contribution's id.")]


class ReportedOut(Schema):
    kind: KindName
    id: int
    issue: int = Field(description="The issue the contribution belongs to.")
    author: str = Field(description="The author's public id.")
    hidden: bool
    hidden_reason: str
    open_reports: int
    reasons: dict[str, int] = Field(description="Open reports by reason.")
    notes: list[str] = Field(description="The reporters' notes (reporters are never named).")
    first_reported_at: datetime
    last_reported_at: datetime
    text: str = Field(description="The reported text, for the stewards who judge it.")


class ReportQueueOut(Schema):
    count: int = Field(description="Contributions with open reports in all.")
    items: list[ReportedOut] = Field(description="The most reported first, at most 200.")


class ModerationActionIn(InputSchema):
    action: Literal["hide", "restore", "dismiss"] = Field(
        description="hide or restore the contribution, or dismiss its open reports."
    )
    reason: ReasonText = Field(description="Public for hide and restore; recorded in the ledger.")


class ModerationResultOut(Schema):
    kind: KindName
    id: int
    hidden: bool
    hidden_reason: str
    open_reports: int


class SuspensionIn(InputSchema):
    suspended: bool
    reason: ReasonText


class SuspensionOut(Schema):
    forum: str
    participant: str
    status: Literal["active", "suspended"]


@router.get(
    "/forums/{slug}/reports",
    auth=AUTH,
    response={200: ReportQueueOut, **errors(401, 403, 404)},
    summary="The moderation queue: contributions with open reports (stewards)",
)
def reports(request: ApiRequest, slug: str) -> dict[str, Any]:
    """Stewards of the forum only (403 for anyone else): each reported contribution with its
    open reports counted by reason, the most reported first."""
    entries, total = moderation.open_reports(request.auth, get_forum(slug))
    items = [
        {
            "kind": e.kind,
            "id": e.item.pk,
            "issue": e.issue_id,
            "author": e.item.author.user.public_id,
            "hidden": e.item.hidden,
            "hidden_reason": e.item.hidden_reason,
            "open_reports": e.count,
            "reasons": e.reasons,
            "notes": e.notes,
            "first_reported_at": e.first_reported,
            "last_reported_at": e.last_reported,
            "text": e.excerpt,
        }
        for e in entries
    ]
    return {"count": total, "items": items}


@router.post(
    "/contributions/{kind}/{contribution_id}/moderation",
    auth=AUTH,
    response={200: ModerationResultOut, **errors(*WRITE_ERRORS)},
    summary="Hide or restore a contribution, or dismiss its reports (stewards)",
)
def moderate_contribution(
    request: ApiRequest,
    kind: KindName,
    contribution_id: ContributionId,
    payload: ModerationActionIn,
) -> dict[str, Any]:
    """Hiding or restoring closes the contribution's open reports; dismissing closes them and
    leaves the contribution as it is. 409 when it is hidden already (hide), not hidden
    (restore) or has no open report (dismiss)."""
    item = get_contribution(kind, contribution_id)
    if payload.action == "dismiss":
        moderation.dismiss_reports(request.auth, kind, item, reason=payload.reason)
    else:
        hide = payload.action == "hide"
        moderate(request.auth, kind, item, hide=hide, reason=payload.reason)
    item = get_contribution(kind, contribution_id)
    still_open = Report.objects.filter(kind=kind, object_id=item.pk, resolved_at__isnull=True)
    return {
        "kind": kind,
        "id": item.pk,
        "hidden": item.hidden,
        "hidden_reason": item.hidden_reason,
        "open_reports": still_open.count(),
    }


@router.post(
    "/forums/{slug}/members/{public_id}/suspension",
    auth=AUTH,
    response={200: SuspensionOut, **errors(*WRITE_ERRORS)},
    summary="Suspend a member or lift the suspension (stewards)",
)
def suspension(
    request: ApiRequest, slug: str, public_id: str, payload: SuspensionIn
) -> dict[str, Any]:
    """A suspended member keeps reading but can no longer raise, support, contribute or
    report. 409 when the member is in that state already; a steward cannot be suspended."""
    forum = get_forum(slug)
    membership = _membership(forum, public_id)
    membership = set_suspended(
        request.auth, membership, suspended=payload.suspended, reason=payload.reason
    )
    return {"forum": forum.slug, "participant": public_id, "status": membership.status}


def _membership(forum: Any, public_id: str) -> Membership:
    user = get_participant(public_id)
    membership = (
        Membership.objects.filter(forum=forum, user=user).select_related("user", "forum").first()
    )
    if membership is None:
        message = _("%(id)s is not a member of %(forum)s.")
        raise NotFound(message % {"id": public_id[:20], "forum": forum.name})
    return membership
