"""Dialogue routes: conversations on an issue, their statements and votes, the statement
to vote on next, moderation, and the opinion map as JSON.

The same services as the web pages do the work (``commonground.dialogue.services``).
Reading is public, except that pending and rejected statements are shown only to the
forum's stewards and to their authors, and a statement's author is named only to them.
The opinion map is the latest saved one (a GET never computes or saves a map, except a
small conversation with no map yet, which gets one computed in memory); its field names
follow the ``commonground opinion-map`` JSON.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from django.utils.translation import gettext as _
from ninja import Path, Router, Schema, Status
from pydantic import BeforeValidator, Field, StringConstraints

from commonground.access.lookup import get_conversation, get_issue, get_statement
from commonground.access.members import AnyUser, membership_of
from commonground.access.rules import can_review_statements, can_see_statement_author, is_author
from commonground.api.auth import AUTH, ApiRequest, optional_user
from commonground.api.schemas import (
    MAX_ID,
    WRITE_ERRORS,
    AuthorOut,
    Filled,
    InputSchema,
    IssueId,
    NoNul,
    errors,
)
from commonground.api.serializers import author_of
from commonground.core.errors import NotFound
from commonground.dialogue import services
from commonground.dialogue.models import MAX_STATEMENT, Conversation, Statement, Vote
from commonground.dialogue.votes import last_vote_at
from commonground.participants.models import Membership

router = Router(tags=["dialogue"])

ConversationId = Annotated[int, Path(ge=1, le=MAX_ID, description="The conversation's id.")]
StatementId = Annotated[int, Path(ge=1, le=MAX_ID, description="The statement's id.")]

# Reads: a wrong bearer token (401), an unknown object (404), a bad path id (422).
READ = errors(401, 404, 422)
WRITE = errors(*WRITE_ERRORS)

TopicText = Annotated[str, StringConstraints(max_length=services.MAX_TOPIC), Filled]
DescriptionText = Annotated[str, StringConstraints(max_length=services.MAX_DESCRIPTION), NoNul]
# The schema states the limit the service applies (a text it allows is never refused).
StatementText = Annotated[str, StringConstraints(max_length=MAX_STATEMENT), Filled]


def _json_integer(value: Any) -> Any:
    """A JSON integer: 12 (or 12.0, which JSON Schema counts the same), never "12"."""
    if isinstance(value, str):
        raise ValueError("Input should be an integer, not a string")
    return value


JsonInt = Annotated[int, BeforeValidator(_json_integer)]

# ---------------------------------------------------------------- schemas


class ConversationIn(InputSchema):
    topic: TopicText
    description: DescriptionText = ""
    moderation: Literal["strict", "open"] = Field(
        "strict", description="strict: a steward approves each statement; open: shown at once."
    )


class ConversationOut(Schema):
    id: int
    forum: str = Field(description="The forum's slug.")
    issue: int | None
    topic: str
    description: str
    moderation: str
    is_open: bool
    source: str = Field(description='Where an imported conversation came from, else "".')
    created_at: datetime
    statements: int = Field(description="Accepted statements (the ones open to votes).")
    last_vote_at: datetime | None


class StatementIn(InputSchema):
    text: StatementText = Field(description=f"At most {MAX_STATEMENT} characters.")


class StatementOut(Schema):
    id: int
    conversation: int
    text: str
    status: Literal["pending", "accepted", "rejected"]
    created_at: datetime
    mine: bool = Field(description="Whether the caller wrote it.")
    author: AuthorOut | None = Field(
        description="Shown to the forum's stewards and to the author; null for others."
    )


class VoteIn(InputSchema):
    statement: JsonInt = Field(ge=1, le=MAX_ID, description="An accepted statement's id.")
    vote: Literal[-1, 0, 1] = Field(description="1 agree, -1 disagree, 0 pass.")


class VoteOut(Schema):
    id: int
    statement: int
    vote: int
    updated_at: datetime


class ModerationIn(InputSchema):
    decision: Literal["accepted", "rejected"]


class NextOut(Schema):
    statement: StatementOut | None = Field(description="Null when every statement is voted on.")
    voted: int = Field(description="Accepted statements the caller has voted on.")
    total: int = Field(description="Accepted statements.")


class RepresentativeOut(Schema):
    statement_id: int
    direction: Literal["agree", "disagree"]
    repness: float
    repness_test: float | None
    p_success: float
    p_test: float | None
    n_success: int
    n_trials: int
    agree_share: float = Field(description="Share of the group's votes on it that agree.")
    disagree_share: float


class GroupOut(Schema):
    id: int
    size: int
    members: list[str] = Field(
        description="Participants placed in this group: members' public ids, and the "
        "export's participant ids for imported votes."
    )
    representative: list[RepresentativeOut]
    stakeholders: dict[str, int] = Field(description="Members per stakeholder group.")
    unknown_stakeholder: int = Field(description="Members with no known stakeholder group.")


class ConsensusOut(Schema):
    agree: list[int]
    disagree: list[int]


class StatementStatsOut(Schema):
    statement_id: int
    agree: int
    disagree: int
    pass_: int = Field(alias="pass")
    seen: int
    group_informed_consensus: float
    stakeholder_informed_consensus: float | None = Field(
        description="Product over stakeholder groups of (agree + 1) / (seen + 2); null "
        "when no voter has a known stakeholder group."
    )
    moderated_out: bool


class CrossTableOut(Schema):
    stakeholder_groups: list[str] = Field(description="The columns.")
    counts: list[list[int]] = Field(description="One row per opinion group.")
    share_of_opinion_group: list[list[float]]
    share_of_stakeholder_group: list[list[float]]


class OpinionMapOut(Schema):
    conversation: int
    computed_at: datetime | None = Field(
        description="When the map's votes were read; null for a map computed for this "
        "response only (a small conversation with no saved map yet)."
    )
    recomputing: bool = Field(description="Newer votes exist or a recompute is queued.")
    participants: int
    statements: int
    votes: int
    in_conversation: int
    k: int
    groups: list[GroupOut]
    consensus: ConsensusOut
    statements_stats: list[StatementStatsOut]
    cross_table: CrossTableOut
    engine_seconds: float


# ---------------------------------------------------------------- helpers


def conversation_out(conversation: Conversation) -> dict[str, Any]:
    accepted = Statement.objects.filter(
        conversation=conversation, status=Statement.Status.ACCEPTED
    ).count()
    return {
        "id": conversation.pk,
        "forum": conversation.forum.slug,
        "issue": conversation.issue_id,
        "topic": conversation.topic,
        "description": conversation.description,
        "moderation": conversation.moderation,
        "is_open": conversation.is_open,
        "source": conversation.source,
        "created_at": conversation.created_at,
        "statements": accepted,
        "last_vote_at": last_vote_at(conversation),
    }


def statement_out(statement: Statement, viewer: Membership | None) -> dict[str, Any]:
    shown = can_see_statement_author(viewer, statement) and statement.author is not None
    return {
        "id": statement.pk,
        "conversation": statement.conversation_id,
        "text": statement.text,
        "status": statement.status,
        "created_at": statement.created_at,
        "mine": is_author(viewer, statement),
        "author": author_of(statement.author) if shown and statement.author is not None else None,
    }


def _viewer(user: AnyUser, conversation: Conversation) -> Membership | None:
    return membership_of(user, conversation.forum)


def _member_ids(keys: list[str]) -> dict[str, str]:
    """Public ids for member keys ("m<membership id>"); export ids for imported ("x<id>")."""
    pks = [int(k[1:]) for k in keys if k.startswith("m") and k[1:].isdigit()]
    public = dict(Membership.objects.filter(pk__in=pks).values_list("pk", "user__public_id"))
    out: dict[str, str] = {}
    for key in keys:
        if key.startswith("m") and key[1:].isdigit() and int(key[1:]) in public:
            out[key] = public[int(key[1:])]
        else:
            out[key] = key[1:] if key[:1] == "x" else key
    return out


def opinion_map_out(
    conversation: Conversation,
    doc: dict[str, Any],
    computed_at: datetime | None,
    recomputing: bool,
) -> dict[str, Any]:
    """The API's opinion map from a snapshot's result document."""
    keys: list[str] = list(doc.get("point_keys", []))
    names = _member_ids(keys)
    members: dict[int, list[str]] = {}
    for key, point in zip(keys, doc.get("points", []), strict=False):
        members.setdefault(int(point[2]), []).append(names[key])
    groups = [
        {
            "id": g["id"],
            "size": g["size"],
            "members": members.get(g["id"], []),
            "representative": [
                {
                    "statement_id": r["statement"],
                    "direction": r["direction"],
                    "repness": r["repness"],
                    "repness_test": r.get("repness_test"),
                    "p_success": r["p_success"],
                    "p_test": r.get("p_test"),
                    "n_success": r["n_success"],
                    "n_trials": r["n_trials"],
                    "agree_share": r["agree_share"],
                    "disagree_share": r["disagree_share"],
                }
                for r in g["representative"]
            ],
            "stakeholders": g["stakeholders"],
            "unknown_stakeholder": g["unknown_stakeholder"],
        }
        for g in doc["groups"]
    ]
    stats = [
        {
            "statement_id": int(sid),
            "agree": row["agree"],
            "disagree": row["disagree"],
            "pass": row["pass"],
            "seen": row["seen"],
            "group_informed_consensus": row["gic"],
            "stakeholder_informed_consensus": row["sic"],
            "moderated_out": row["moderated_out"],
        }
        for sid, row in sorted(doc["statements"].items(), key=lambda item: int(item[0]))
    ]
    return {
        "conversation": conversation.pk,
        "computed_at": computed_at,
        "recomputing": recomputing,
        "participants": doc["participants"],
        "statements": len(doc["statements"]),
        "votes": doc["votes"],
        "in_conversation": doc["in_conversation"],
        "k": doc["k"],
        "groups": groups,
        "consensus": {
            d: [c["statement"] for c in doc["consensus"].get(d, [])] for d in ("agree", "disagree")
        },
        "statements_stats": stats,
        "cross_table": doc["cross"],
        "engine_seconds": doc.get("seconds", 0.0),
    }


# ---------------------------------------------------------------- conversations


@router.get(
    "/issues/{issue_id}/conversations",
    response={200: list[ConversationOut], **READ},
    summary="Conversations on an issue",
)
def list_conversations(request: ApiRequest, issue_id: IssueId) -> list[dict[str, Any]]:
    """The issue's conversations, newest first."""
    optional_user(request)
    issue = get_issue(issue_id)
    rows = Conversation.objects.filter(issue=issue).select_related("forum")
    return [conversation_out(c) for c in rows]


@router.post(
    "/issues/{issue_id}/conversations",
    auth=AUTH,
    response={201: ConversationOut, **WRITE},
    summary="Open a conversation on an issue",
)
def open_conversation(
    request: ApiRequest, issue_id: IssueId, payload: ConversationIn
) -> Status[dict[str, Any]]:
    """A steward of the issue's forum or the issue's author opens a conversation."""
    conversation = services.open_conversation(
        request.auth, get_issue(issue_id), **payload.model_dump()
    )
    return Status(201, conversation_out(conversation))


@router.get(
    "/conversations/{conversation_id}",
    response={200: ConversationOut, **READ},
    summary="One conversation",
)
def conversation_detail(request: ApiRequest, conversation_id: ConversationId) -> dict[str, Any]:
    optional_user(request)
    return conversation_out(get_conversation(conversation_id))


# ---------------------------------------------------------------- statements


@router.get(
    "/conversations/{conversation_id}/statements",
    response={200: list[StatementOut], **READ},
    summary="Statements of a conversation",
)
def list_statements(request: ApiRequest, conversation_id: ConversationId) -> list[dict[str, Any]]:
    """Accepted statements, oldest first; stewards see every statement (the moderation
    queue included) and authors also their own pending or rejected ones."""
    user = optional_user(request)
    conversation = get_conversation(conversation_id)
    viewer = _viewer(user, conversation)
    rows = Statement.objects.filter(conversation=conversation).select_related("author__user")
    if viewer is None:
        rows = rows.filter(status=Statement.Status.ACCEPTED)
    elif not can_review_statements(viewer):
        rows = rows.filter(status=Statement.Status.ACCEPTED) | rows.filter(author=viewer)
    return [statement_out(s, viewer) for s in rows.order_by("created_at", "id")]


@router.post(
    "/conversations/{conversation_id}/statements",
    auth=AUTH,
    response={201: StatementOut, **WRITE},
    summary="Add a statement",
)
def add_statement(
    request: ApiRequest, conversation_id: ConversationId, payload: StatementIn
) -> Status[dict[str, Any]]:
    """Any member of the forum; under strict moderation it waits for a steward
    (``status: pending``), under open moderation it is accepted at once."""
    conversation = get_conversation(conversation_id)
    statement = services.add_statement(request.auth, conversation, payload.text)
    statement = Statement.objects.select_related("author__user").get(pk=statement.pk)
    return Status(201, statement_out(statement, _viewer(request.auth, conversation)))


@router.post(
    "/conversations/{conversation_id}/statements/{statement_id}/moderation",
    auth=AUTH,
    response={200: StatementOut, **WRITE},
    summary="Accept or reject a statement (stewards)",
)
def moderate_statement(
    request: ApiRequest,
    conversation_id: ConversationId,
    statement_id: StatementId,
    payload: ModerationIn,
) -> dict[str, Any]:
    """A steward of the forum accepts or rejects a statement; a decision may be revisited."""
    conversation = get_conversation(conversation_id)
    statement = get_statement(conversation, statement_id)
    services.moderate_statement(request.auth, statement, payload.decision)
    statement = Statement.objects.select_related("author__user").get(pk=statement.pk)
    return statement_out(statement, _viewer(request.auth, conversation))


# ---------------------------------------------------------------- votes


@router.post(
    "/conversations/{conversation_id}/votes",
    auth=AUTH,
    response={200: VoteOut, 201: VoteOut, **WRITE},
    summary="Vote on a statement",
)
def cast_vote(
    request: ApiRequest, conversation_id: ConversationId, payload: VoteIn
) -> Status[dict[str, Any]]:
    """Agree (1), disagree (-1) or pass (0) on an accepted statement: 201 for a first
    vote, 200 when it replaces the caller's earlier vote (the last vote counts)."""
    vote, created = services.vote_on(request.auth, conversation_id, payload.statement, payload.vote)
    return Status(201 if created else 200, _vote_out(vote))


def _vote_out(vote: Vote) -> dict[str, Any]:
    return {
        "id": vote.pk,
        "statement": vote.statement_id,
        "vote": vote.value,
        "updated_at": vote.updated_at,
    }


@router.get(
    "/conversations/{conversation_id}/next",
    response={200: NextOut, **READ},
    summary="The statement to vote on next",
)
def next_statement(request: ApiRequest, conversation_id: ConversationId) -> dict[str, Any]:
    """Drawn among the accepted statements the caller has not voted on, weighted by
    Polis's routing priority; the same one until the caller votes. Anonymous callers
    get a statement too (they cannot vote on it)."""
    user = optional_user(request)
    conversation = get_conversation(conversation_id)
    viewer = _viewer(user, conversation)
    chosen = services.next_statement_for(conversation, viewer)
    statement = chosen.statement
    if statement is not None:
        statement = Statement.objects.select_related("author__user").get(pk=statement.pk)
    return {
        "statement": statement_out(statement, viewer) if statement is not None else None,
        "voted": chosen.voted,
        "total": chosen.total,
    }


# ---------------------------------------------------------------- opinion map


@router.get(
    "/conversations/{conversation_id}/opinion-map",
    response={200: OpinionMapOut, **READ},
    by_alias=True,
    summary="The opinion map",
)
def opinion_map(request: ApiRequest, conversation_id: ConversationId) -> dict[str, Any]:
    """The latest computed map: opinion groups with their members and representative
    statements, consensus, per-statement group- and stakeholder-informed consensus, and
    opinion groups x stakeholder groups. 404 while there is no map yet."""
    optional_user(request)
    conversation = get_conversation(conversation_id)
    snapshot = services.latest_snapshot(conversation)
    status = services.map_status(conversation, snapshot)
    if snapshot is not None:
        return opinion_map_out(
            conversation, snapshot.result, snapshot.computed_at, status.recomputing
        )
    preview = services.preview_opinion_map(conversation)
    if preview is None:
        raise NotFound(
            _("This conversation has no opinion map yet: it is being computed.")
            if status.recomputing
            else _("This conversation has no opinion map yet: nobody has voted.")
        )
    return opinion_map_out(conversation, preview, None, status.recomputing)
