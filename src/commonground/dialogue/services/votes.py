"""Votes: cast one, and the statement a participant is shown next (reads only)."""

from __future__ import annotations

import random
import zlib
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from commonground.access.lookup import get_conversation, get_statement
from commonground.access.members import AnyUser, can_take_part, membership_of, require_member
from commonground.analysis.routing import StatementTally, next_statement
from commonground.core import readcache
from commonground.core.errors import Conflict, InvalidInput
from commonground.dialogue import events, vote_sql
from commonground.dialogue.models import Conversation, Statement, Vote
from commonground.dialogue.services.conversations import require_open
from commonground.dialogue.services.opinion_map import latest_snapshot
from commonground.dialogue.services.scheduling import schedule_after_commit
from commonground.forums.models import Forum
from commonground.ledger import sequencer
from commonground.ledger.services import append, pending_statement
from commonground.participants.models import Membership

VOTE_WORDS = {"agree": 1, "disagree": -1, "pass": 0}


def member_key(membership: Membership | int) -> str:
    """The participant key of a member's votes."""
    pk = membership if isinstance(membership, int) else membership.pk
    return f"m{pk}"


def parse_vote(value: Any) -> int:
    """-1, 0 or 1 from an int or the words agree / disagree / pass; else InvalidInput."""
    if isinstance(value, str):
        word = value.strip().lower()
        if word in VOTE_WORDS:
            return VOTE_WORDS[word]
        try:
            value = int(word)
        except ValueError:
            raise InvalidInput(_("A vote is agree, disagree or pass.")) from None
    if isinstance(value, bool) or not isinstance(value, int) or value not in (-1, 0, 1):
        raise InvalidInput(_("A vote is agree (1), disagree (-1) or pass (0)."))
    return value


def cast_vote(user: AnyUser, statement: Statement, value: Any) -> tuple[Vote, bool]:
    """A member votes on an accepted statement; a later vote replaces the earlier one.

    Returns the vote and whether it is new. After the commit, a background recompute
    of the opinion map is queued unless one already is (see the module's docstring).
    On PostgreSQL with batched sequencing two hand-written statements do it
    (``dialogue.vote_sql``; issue 19), with the same lock, rules and ledger entry; a
    refusal takes the ORM path, which gives the exact error.
    """
    vote_value = parse_vote(value)
    cast = _cast_by_hand(user, statement.conversation_id, statement.pk, vote_value)
    if cast is not None:
        return cast
    return _cast_orm(user, statement, vote_value)


def vote_on(
    user: AnyUser, conversation_id: int, statement_id: Any, value: Any
) -> tuple[Vote, bool]:
    """``cast_vote`` on the statement with this id of the conversation with this id (the
    API's route): by hand on PostgreSQL without reading either first; otherwise, and on
    any refusal, they are looked up (NotFound, InvalidInput) and the ORM path answers."""
    if isinstance(statement_id, int) and not isinstance(statement_id, bool):
        try:
            vote_value = parse_vote(value)
        except InvalidInput:
            pass  # the ORM path below gives the errors in their order
        else:
            cast = _cast_by_hand(user, conversation_id, statement_id, vote_value)
            if cast is not None:
                return cast
    statement = get_statement(get_conversation(conversation_id), statement_id)
    return _cast_orm(user, statement, parse_vote(value))


def _cast_by_hand(
    user: AnyUser, conversation_id: int, statement_id: int, value: int
) -> tuple[Vote, bool] | None:
    """PostgreSQL's hand-written vote, when the rules let the member cast it now; None
    otherwise (not a member, suspended, closed conversation, statement not accepted or
    not in it, no such row), and nothing was written: the caller takes the ORM path."""
    if connection.vendor != "postgresql" or not sequencer.batched() or not user.is_authenticated:
        return None
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        row = vote_sql.lock(user.pk, conversation_id, statement_id)
        if row is None:
            return None
        member_id, status, group, slug, name, is_open, statement_status = row
        forum = Forum(slug=slug, name=name)
        membership = Membership(id=member_id, forum=forum, status=status, stakeholder_group=group)
        membership.user = user  # authenticated: a User
        if not can_take_part(membership) or not is_open:
            return None
        if statement_status != Statement.Status.ACCEPTED:
            return None
        now, key = timezone.now(), member_key(member_id)
        statement = Statement(id=statement_id, conversation_id=conversation_id)
        event = events.vote_cast(statement, membership, value, slug, now)
        bump = readcache.bump_statement([event])
        also = [bump] if bump is not None else []
        also.append(pending_statement([event]))
        pk, created = vote_sql.cast(
            conversation_id, statement_id, key, member_id, value, now, also, commit=outermost
        )
        transaction.on_commit(lambda: schedule_after_commit(conversation_id))
    vote = Vote(
        id=pk, conversation_id=conversation_id, statement_id=statement_id, participant_key=key,
        membership_id=member_id, value=value, updated_at=now,
    )  # fmt: skip
    return vote, created


def _cast_orm(user: AnyUser, statement: Statement, vote_value: int) -> tuple[Vote, bool]:
    """``cast_vote`` through the ORM: on SQLite, inline sequencing, and where the
    hand-written path declines (a refusal, whose exact reason is given here)."""
    conversation = statement.conversation
    with transaction.atomic():
        # The row lock serialises one member's concurrent votes; the unique constraint
        # guards against duplicates in any case.
        membership = require_member(user, conversation.forum, lock=True)
        require_open(conversation)
        if statement.status != Statement.Status.ACCEPTED:
            raise Conflict(_("Only accepted statements can be voted on."))
        now = timezone.now()
        key = member_key(membership)
        updated = Vote.objects.filter(statement=statement, participant_key=key).update(
            value=vote_value, updated_at=now
        )
        created = not updated
        if created:
            try:
                with transaction.atomic():
                    Vote.objects.create(
                        conversation=conversation,
                        statement=statement,
                        participant_key=key,
                        membership=membership,
                        value=vote_value,
                        updated_at=now,
                    )
            except IntegrityError:
                Vote.objects.filter(statement=statement, participant_key=key).update(
                    value=vote_value, updated_at=now
                )
                created = False
        # No update of the conversation's last vote time: it is read from the votes
        # (dialogue.votes.last_vote_at), so concurrent votes share no row (issue 19).
        append(events.vote_cast(statement, membership, vote_value, conversation.forum.slug, now))
        conversation_id = conversation.pk
        transaction.on_commit(lambda: schedule_after_commit(conversation_id))
    vote = Vote.objects.get(statement=statement, participant_key=key)
    return vote, created


# -- reading: routing and progress ------------------------------------------------------------


def statement_tallies(conversation: Conversation) -> list[StatementTally]:
    """Routing inputs of every accepted statement: live vote counts, and the extremity
    from the latest snapshot (0 before the first map)."""
    snapshot = latest_snapshot(conversation)
    extremity: dict[str, float] = {}
    if snapshot is not None:
        extremity = {
            sid: float(row.get("extremity", 0.0))
            for sid, row in snapshot.result.get("statements", {}).items()
        }
    rows = (
        Statement.objects.filter(conversation=conversation, status=Statement.Status.ACCEPTED)
        .order_by("id")
        .annotate(
            n_agree=Count("votes", filter=Q(votes__value=1)),
            n_pass=Count("votes", filter=Q(votes__value=0)),
            n_seen=Count("votes"),
        )
        .values_list("id", "n_agree", "n_pass", "n_seen")
    )
    return [
        StatementTally(pk, agree, passes, seen, extremity.get(str(pk), 0.0))
        for pk, agree, passes, seen in rows
    ]


def voted_statement_ids(conversation: Conversation, membership: Membership | None) -> set[int]:
    """Ids of the statements this member has voted on."""
    if membership is None:
        return set()
    return set(
        Vote.objects.filter(
            conversation=conversation, participant_key=member_key(membership)
        ).values_list("statement_id", flat=True)
    )


@dataclass(frozen=True)
class NextStatement:
    """The statement to show a participant next, and their progress."""

    statement: Statement | None
    voted: int
    total: int


def next_statement_for(conversation: Conversation, membership: Membership | None) -> NextStatement:
    """The accepted statement this member (or an anonymous visitor) should vote on next,
    drawn by Polis's routing priority among those not yet voted on (reads only).

    The draw is seeded by the conversation, the voter and their number of votes: the
    same statement on a reload, a fresh weighted draw after each vote.
    """
    tallies = statement_tallies(conversation)
    voted = voted_statement_ids(conversation, membership)
    key = member_key(membership) if membership is not None else "anonymous"
    accepted = {t.statement for t in tallies}
    n_voted = len(voted & accepted)
    rng = random.Random(zlib.crc32(f"{conversation.pk}:{key}:{n_voted}".encode()))
    chosen = next_statement(tallies, voted, rng)
    statement = (
        Statement.objects.filter(pk=chosen.statement).first() if chosen is not None else None
    )
    return NextStatement(statement, n_voted, len(accepted))


def viewer_membership(user: AnyUser, conversation: Conversation) -> Membership | None:
    """The viewer's membership in the conversation's forum, if any."""
    return membership_of(user, conversation.forum)
