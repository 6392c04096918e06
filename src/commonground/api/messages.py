"""Message routes (issue 14): draft, comment window, positions, dispositions, designation,
publish, referral and uptake. The same services as the pages do the work
(``commonground.outcomes``); reading is public."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from ninja import Router, Status

from commonground.access.lookup import get_forum, get_issue, get_message, get_objection
from commonground.api.auth import AUTH, ApiRequest
from commonground.api.messages_schemas import (
    CreatedOut,
    DesignationIn,
    DesignationOut,
    DispositionIn,
    MessageId,
    MessageIn,
    MessageOut,
    MessageSummaryOut,
    ObjectionId,
    ObjectionOut,
    PositionIn,
    PositionOut,
    ReferralIn,
    ReferralOut,
    ReplyIn,
    ReplyOut,
    UptakeIn,
    UptakeOut,
    VersionIn,
    VersionOut,
    WindowIn,
    WindowOut,
)
from commonground.api.schemas import WRITE_ERRORS, errors
from commonground.api.schemas.base import ErrorOut
from commonground.core.errors import NotFound
from commonground.outcomes import chairing, followup, queries, services
from commonground.outcomes.models import Message

router = Router(tags=["messages"])

READ = errors(401, 404, 422)
WRITE = errors(*WRITE_ERRORS)


@router.post(
    "/forums/{slug}/messages",
    auth=AUTH,
    response={201: CreatedOut, **WRITE},
    summary="Draft a message on an agenda issue",
)
def draft(request: ApiRequest, slug: str, payload: MessageIn) -> Status[dict[str, Any]]:
    """A steward drafts a message (version 1) on an issue of the cycle's latest published
    agenda, during the messages phase. 403 for others, 409 in another phase."""
    forum = get_forum(slug)
    issue = get_issue(payload.issue_id)
    if issue.forum_id != forum.pk:
        raise NotFound(
            _("Issue %(id)s is not in %(forum)s.") % {"id": issue.pk, "forum": forum.name}
        )
    message = services.draft_message(
        request.auth,
        issue,
        title=payload.title,
        text=payload.text,
        report_ids=payload.report_ids,
        conversation_ids=payload.conversation_ids,
        language=payload.language,
    )
    return Status(201, {"id": message.pk, "state": message.state})


@router.get(
    "/forums/{slug}/messages",
    response={200: list[MessageSummaryOut], 404: ErrorOut, 422: ErrorOut},
    summary="A forum's messages",
)
def forum_messages(request: ApiRequest, slug: str) -> list[dict[str, Any]]:
    """Every message of the forum, all cycles, by issue and then drafting order."""
    forum = get_forum(slug)
    rows = Message.objects.filter(forum=forum).select_related("cycle")
    return [queries.message_summary(m) for m in rows]


@router.get("/messages/{message_id}", response={200: MessageOut, **READ}, summary="One message")
def message_detail(request: ApiRequest, message_id: MessageId) -> dict[str, Any]:
    """The message with its window, positions by group, the suggested level and its
    figures, the designation, objections with dispositions, referrals and uptake."""
    return queries.message_record(get_message(message_id))


@router.get(
    "/messages/{message_id}/versions",
    response={200: list[VersionOut], **READ},
    summary="A message's versions",
)
def versions(request: ApiRequest, message_id: MessageId) -> list[Any]:
    return list(get_message(message_id).versions.all())


@router.post(
    "/messages/{message_id}/versions",
    auth=AUTH,
    response={201: VersionOut, **WRITE},
    summary="Save a new version of a message",
)
def revise(request: ApiRequest, message_id: MessageId, payload: VersionIn) -> Status[Any]:
    """A steward saves a new version until the message is published (409 after)."""
    message = get_message(message_id)
    version = services.revise_message(
        request.auth,
        message,
        title=payload.title,
        text=payload.text,
        note=payload.note,
        language=payload.language,
    )
    return Status(201, version)


@router.post(
    "/messages/{message_id}/comment-window",
    auth=AUTH,
    response={200: WindowOut, **WRITE},
    summary="Open or move the public comment window",
)
def comment_window(request: ApiRequest, message_id: MessageId, payload: WindowIn) -> Any:
    """A steward opens the window for at least the forum's ``message_comment_min_days``."""
    message = services.open_comment_window(
        request.auth,
        get_message(message_id),
        opens_at=payload.opens_at,
        closes_at=payload.closes_at,
    )
    return {"opens_at": message.opens_at, "closes_at": message.closes_at}


@router.put(
    "/messages/{message_id}/position",
    auth=AUTH,
    response={200: PositionOut, **WRITE},
    summary="Record or change one's position",
)
def position(request: ApiRequest, message_id: MessageId, payload: PositionIn) -> dict[str, Any]:
    """A member's one position, changeable until the window closes (409 outside it).
    An objection must say what the member cannot live with (400 without a text)."""
    row = services.record_position(
        request.auth, get_message(message_id), position=payload.position, text=payload.text
    )
    return {
        "id": row.pk,
        "name": row.membership.user.public_name,
        "participant": row.membership.user.public_id,
        "stakeholder_group": row.stakeholder_group,
        "position": row.position,
        "text": row.text,
        "version": row.version,
        "updated_at": row.updated_at,
    }


@router.post(
    "/messages/{message_id}/objections/{objection_id}/replies",
    auth=AUTH,
    response={201: ReplyOut, **WRITE},
    summary="Reply to an objection",
)
def reply(
    request: ApiRequest, message_id: MessageId, objection_id: ObjectionId, payload: ReplyIn
) -> Status[dict[str, Any]]:
    objection = get_objection(get_message(message_id), objection_id)
    row = services.reply_to_objection(request.auth, objection, text=payload.text)
    return Status(
        201, {"name": row.author.user.public_name, "text": row.text, "created_at": row.created_at}
    )


@router.post(
    "/messages/{message_id}/objections/{objection_id}/disposition",
    auth=AUTH,
    response={200: ObjectionOut, **WRITE},
    summary="Record the disposition of an objection",
)
def disposition(
    request: ApiRequest, message_id: MessageId, objection_id: ObjectionId, payload: DispositionIn
) -> dict[str, Any]:
    """``accepted`` links the current version (save the answering version first),
    ``rejected`` and ``tradeoff_acknowledged`` need a reason. The objector is notified."""
    objection = get_objection(get_message(message_id), objection_id)
    chairing.record_disposition(
        request.auth, objection, disposition=payload.disposition, reason=payload.reason
    )
    return queries.objection_json(get_objection(objection.message, objection.pk))


@router.post(
    "/messages/{message_id}/designation",
    auth=AUTH,
    response={200: DesignationOut, **WRITE},
    summary="Designate the consensus level",
)
def designation(request: ApiRequest, message_id: MessageId, payload: DesignationIn) -> Any:
    """The chair designates after the window closes, with a rationale (which says why when
    the level differs from the suggestion) and, where there is one, the minority view."""
    return chairing.designate(
        request.auth,
        get_message(message_id),
        level=payload.level,
        rationale=payload.rationale,
        minority_view=payload.minority_view,
    )


@router.post(
    "/messages/{message_id}/publish",
    auth=AUTH,
    response={200: MessageOut, **WRITE},
    summary="Publish a message",
)
def publish(request: ApiRequest, message_id: MessageId) -> dict[str, Any]:
    """409 with a ``detail`` naming what is missing: the window still open, objections
    without a disposition, no designation. A published message is frozen."""
    message = chairing.publish_message(request.auth, get_message(message_id))
    return queries.message_record(message)


@router.post(
    "/messages/{message_id}/referrals",
    auth=AUTH,
    response={201: ReferralOut, **WRITE},
    summary="Refer a published message to a named body",
)
def refer(request: ApiRequest, message_id: MessageId, payload: ReferralIn) -> Status[Any]:
    row = followup.refer_message(
        request.auth,
        get_message(message_id),
        name=payload.name,
        kind=payload.kind,
        contact=payload.contact,
    )
    return Status(201, queries.referral_json(row))


@router.post(
    "/messages/{message_id}/uptake",
    auth=AUTH,
    response={201: UptakeOut, **WRITE},
    summary="Record what an institution did with a referred message",
)
def uptake(request: ApiRequest, message_id: MessageId, payload: UptakeIn) -> Status[Any]:
    """Government and intergovernmental members (verified where the forum requires it);
    403 for other groups, 409 before the message is referred."""
    row = followup.record_uptake(
        request.auth,
        get_message(message_id),
        body=payload.body,
        action=payload.action,
        summary=payload.summary,
        date=payload.date,
        url=payload.url,
    )
    return Status(201, queries.uptake_json(row))
