"""A conversation's votes read from the database into the engine's sparse matrix.

The rows are collected in typed arrays (a few bytes per vote, not a Python object per
vote) and handed to NumPy without a copy. ``bench/opinion_db.py`` measures the whole
recompute against a plain SQL fetch of the same rows.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce, Greatest

from commonground.analysis.opinion import VoteMatrix
from commonground.dialogue.models import Conversation, Statement, Vote
from commonground.participants.models import Membership


@dataclass(frozen=True)
class ConversationVotes:
    """The engine's input for one conversation, with what the map page adds to it."""

    matrix: VoteMatrix
    labels: list[str | None]  # stakeholder group per participant row (None: unknown)
    moderated_out: list[int]
    statement_ids: list[int]


def load_votes(conversation: Conversation) -> ConversationVotes:
    """The vote matrix of ``conversation``: accepted and rejected statements (rejected ones
    are the engine's moderated-out statements; pending ones count nowhere) as columns in
    id order, participants as rows in the order of their first vote, keyed by their
    participant key (``m<membership id>`` or ``x<id>``)."""
    statements = list(
        Statement.objects.filter(conversation=conversation)
        .exclude(status=Statement.Status.PENDING)
        .order_by("id")
        .values_list("id", "status")
    )
    sids = [pk for pk, _ in statements]
    column = {pk: j for j, pk in enumerate(sids)}
    moderated = [pk for pk, status in statements if status == Statement.Status.REJECTED]
    keys: dict[str, int] = {}
    labels: list[str | None] = []
    # Typed arrays, not lists of Python ints: a few bytes per vote instead of dozens.
    rows, cols, values = array("q"), array("q"), array("b")
    query = (
        Vote.objects.filter(conversation=conversation, statement_id__in=sids)
        .order_by("id")
        .values_list("participant_key", "statement_id", "value", "membership__stakeholder_group")
    )
    for key, sid, value, group in query.iterator(chunk_size=20_000):
        row = keys.get(key)
        if row is None:
            row = keys[key] = len(labels)
            labels.append(group)
        rows.append(row)
        cols.append(column[sid])
        values.append(value)
    matrix = VoteMatrix.from_votes(
        np.frombuffer(rows, dtype=np.int64),
        np.frombuffer(cols, dtype=np.int64),
        np.frombuffer(values, dtype=np.int8),
        participant_ids=np.asarray(list(keys), dtype=object),
        statement_ids=np.asarray(sids, dtype=np.int64),
    )
    return ConversationVotes(matrix, labels, moderated, sids)


@dataclass(frozen=True)
class CastVote:
    """One of a member's current votes, for the "your votes" list of the vote page."""

    statement: Statement
    value: int

    @property
    def label(self) -> str:
        return Vote.VALUES[self.value]


def votes_of(conversation: Conversation, membership: Membership | None) -> list[CastVote]:
    """The member's current votes on the accepted statements, latest first (reads only)."""
    if membership is None:
        return []
    rows = (
        Vote.objects.filter(
            conversation=conversation,
            membership=membership,
            statement__status=Statement.Status.ACCEPTED,
        )
        .select_related("statement")
        .order_by("-updated_at", "-pk")
    )
    return [CastVote(row.statement, row.value) for row in rows]


def _latest_vote(conversation: Any) -> Subquery:
    """The latest ``updated_at`` of the conversation's votes (index conversation,
    updated_at): one index probe."""
    return Subquery(
        Vote.objects.filter(conversation=conversation)
        .order_by("-updated_at")
        .values("updated_at")[:1]
    )


def with_last_vote(conversations: Any) -> Any:
    """The queryset annotated with ``voted_at``, each conversation's last vote time (see
    ``last_vote_at``)."""
    latest = _latest_vote(OuterRef("pk"))
    # Greatest of a null is null on SQLite: each side falls back on the other.
    return conversations.annotate(
        voted_at=Greatest(Coalesce("last_vote_at", latest), Coalesce(latest, "last_vote_at"))
    )


def last_vote_at(conversation: Conversation) -> datetime | None:
    """When the last vote was cast in the conversation: the latest of its votes' times,
    or the time an import recorded (``Conversation.last_vote_at``) if later.

    Read from the votes rather than written by every vote: a column every vote updated
    made all votes of a conversation queue on its row (issue 19). A vote's row is only
    ever replaced by a later vote of the same voter (never deleted by a service), so the
    latest vote time never goes back.
    """
    latest = (
        Vote.objects.filter(conversation=conversation)
        .order_by("-updated_at")
        .values_list("updated_at", flat=True)
        .first()
    )
    times = [t for t in (conversation.last_vote_at, latest) if t is not None]
    return max(times) if times else None
