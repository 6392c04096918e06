"""The ledger actions of conversations, and their builders.

A statement's text travels by digest (a steward may reject it, and the public, permanent
ledger must not keep it: docs/ledger.md) and its author not at all (the API names the
author only to stewards and to the author); votes carry the voter's stakeholder group.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from commonground.dialogue.models import Conversation, OpinionSnapshot, Statement
from commonground.ledger.services import Event
from commonground.ledger.vocabulary import builds, event, text_digests
from commonground.participants.models import Membership


class Action(StrEnum):
    CONVERSATION_OPEN = "conversation.open"
    CONVERSATION_IMPORT = "conversation.import"
    CONVERSATION_OPINION_MAP = "conversation.opinion_map"
    STATEMENT_ADD = "statement.add"
    STATEMENT_MODERATE = "statement.moderate"
    VOTE_CAST = "vote.cast"


@builds(
    Action.CONVERSATION_OPEN,
    object_type="conversation",
    fields=("issue", "topic", "description", "moderation"),
)
def conversation_opened(
    conversation: Conversation, actor: str | None, time: datetime | None = None
) -> Event:
    """A steward or the issue's author opened a conversation on an issue."""
    return event(
        Action.CONVERSATION_OPEN,
        "conversation",
        conversation.pk,
        actor=actor,
        forum=conversation.forum.slug,
        time=time or conversation.created_at,
        fields={
            "issue": conversation.issue_id,
            "topic": conversation.topic,
            "description": conversation.description,
            "moderation": conversation.moderation,
        },
    )


@builds(
    Action.CONVERSATION_IMPORT,
    object_type="conversation",
    fields=(
        "source",
        "issue",
        "topic",
        "statements",
        "moderated_out",
        "participants",
        "votes",
    ),
)
def conversation_imported(
    conversation: Conversation,
    *,
    statements: int,
    moderated_out: list[int],
    participants: int,
    votes: int,
) -> Event:
    """A Polis export was imported as a conversation (its ids, counts and moderation)."""
    return event(
        Action.CONVERSATION_IMPORT,
        "conversation",
        conversation.pk,
        forum=conversation.forum.slug,
        time=conversation.created_at,
        fields={
            "source": conversation.source,
            "issue": conversation.issue_id,
            "topic": conversation.topic,
            "statements": statements,
            "moderated_out": moderated_out,
            "participants": participants,
            "votes": votes,
        },
    )


@builds(
    Action.CONVERSATION_OPINION_MAP,
    object_type="conversation",
    fields=(
        "snapshot",
        "participants",
        "in_conversation",
        "statements",
        "votes",
        "groups",
        "group_sizes",
    ),
)
def opinion_map_computed(snapshot: OpinionSnapshot, document: dict[str, Any]) -> Event:
    """The conversation's opinion map was recomputed and kept as a snapshot."""
    conversation = snapshot.conversation
    return event(
        Action.CONVERSATION_OPINION_MAP,
        "conversation",
        conversation.pk,
        forum=conversation.forum.slug,
        fields={
            "snapshot": snapshot.pk,
            "participants": snapshot.participants,
            "in_conversation": document["in_conversation"],
            "statements": snapshot.statements,
            "votes": snapshot.votes,
            "groups": snapshot.groups,
            "group_sizes": [g["size"] for g in document["groups"]],
        },
    )


@builds(
    Action.STATEMENT_ADD,
    object_type="statement",
    fields=("conversation", "text_sha256", "status"),
)
def statement_added(statement: Statement, forum: str) -> Event:
    """A statement was added to a conversation (waiting for review, or accepted).

    The entry names no author (no actor, no stakeholder group): a statement's author is
    shown only to the forum's stewards and to the author (``can_see_statement_author``),
    so the public ledger must not name them either.
    """
    return event(
        Action.STATEMENT_ADD,
        "statement",
        statement.pk,
        forum=forum,
        time=statement.created_at,
        fields={
            "conversation": statement.conversation_id,
            **text_digests(text=statement.text),
            "status": statement.status,
        },
    )


@builds(
    Action.STATEMENT_MODERATE,
    object_type="statement",
    fields=("conversation", "from", "to"),
)
def statement_moderated(statement: Statement, steward: Membership, previous: str) -> Event:
    """A steward accepted or rejected a statement."""
    return event(
        Action.STATEMENT_MODERATE,
        "statement",
        statement.pk,
        actor=steward.user.public_id,
        forum=steward.forum.slug,
        fields={
            "conversation": statement.conversation_id,
            "from": previous,
            "to": statement.status,
        },
    )


@builds(
    Action.VOTE_CAST, object_type="statement", fields=("conversation", "vote", "stakeholder_group")
)
def vote_cast(
    statement: Statement, voter: Membership, value: int, forum: str, time: datetime
) -> Event:
    """A member voted agree (1), disagree (-1) or pass (0) on a statement."""
    return event(
        Action.VOTE_CAST,
        "statement",
        statement.pk,
        actor=voter.user.public_id,
        forum=forum,
        time=time,
        fields={
            "conversation": statement.conversation_id,
            "vote": value,
            "stakeholder_group": voter.stakeholder_group,
        },
    )
