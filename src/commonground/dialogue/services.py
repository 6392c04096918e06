"""State changes of conversations: open, add and moderate statements, vote, recompute the map.

Every function validates, authorizes, changes state inside one transaction and appends
its ledger event in that same transaction.

The opinion map is recomputed in the background (django-tasks, ``dialogue.tasks``):
after a vote commits, ``schedule_recompute`` queues one ``recompute_map`` task unless one
is already queued for the conversation (a conditional UPDATE of
``Conversation.map_queued_at`` decides, so a burst of votes queues one task, across app
servers). With the database queue the task runs at the earliest ``OPINION_MAP_DEBOUNCE``
seconds (default 10) after the previous map, and reads every vote committed until it
starts. Reading a conversation or its map never computes or writes anything.
"""

from __future__ import annotations

import csv
import logging
import random
import time
import zlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from commonground.access.members import AnyUser, membership_of, require_member, require_steward
from commonground.analysis.opinion import (
    OpinionMap,
    OpinionState,
    compute_opinion_map,
    opinion_cross_table,
    stakeholder_consensus_scores,
)
from commonground.analysis.routing import StatementTally, next_statement, statement_extremity
from commonground.contributions.services import text_digests
from commonground.core.errors import Conflict, InvalidInput, NotAllowed, WrongPhase
from commonground.dialogue.models import (
    MAX_STATEMENT,
    Conversation,
    OpinionSnapshot,
    Statement,
    Vote,
)
from commonground.dialogue.votes import ConversationVotes, load_votes
from commonground.forums.models import Forum
from commonground.issues.models import Issue
from commonground.ledger.services import Event, append
from commonground.participants.models import Membership
from commonground.stakeholders import GROUPS

MAX_TOPIC = 300
MAX_DESCRIPTION = 5000
logger = logging.getLogger(__name__)
VOTE_WORDS = {"agree": 1, "disagree": -1, "pass": 0}


# A queued or running mark older than this is taken to be lost (a worker died, a queue
# row was removed) and no longer holds back a new recompute.
RECOMPUTE_LEASE = timedelta(minutes=10)
# Without any snapshot, the map page computes a map in memory (saving nothing) when the
# conversation has at most this many votes: a few hundred milliseconds at most.
PREVIEW_MAX_VOTES = 20_000


def debounce_seconds() -> float:
    """Minimum time between two background recomputes of one conversation's map."""
    return float(getattr(settings, "OPINION_MAP_DEBOUNCE", 10.0))


def member_key(membership: Membership | int) -> str:
    """The participant key of a member's votes."""
    pk = membership if isinstance(membership, int) else membership.pk
    return f"m{pk}"


# -- conversations and statements -------------------------------------------------------------


def open_conversation(
    user: AnyUser,
    issue: Issue,
    *,
    topic: str,
    description: str = "",
    moderation: str = Conversation.Moderation.STRICT,
) -> Conversation:
    """A steward of the issue's forum, or the issue's author, opens a conversation on it."""
    topic = " ".join((topic or "").split())
    description = (description or "").strip()
    if not topic:
        raise InvalidInput("A conversation needs a topic.")
    if len(topic) > MAX_TOPIC:
        raise InvalidInput(f"The topic is {len(topic)} characters; the limit is {MAX_TOPIC}.")
    if len(description) > MAX_DESCRIPTION:
        raise InvalidInput(f"The description is limited to {MAX_DESCRIPTION} characters.")
    if moderation not in Conversation.Moderation.values:
        raise InvalidInput("Moderation is 'strict' or 'open'.")
    with transaction.atomic():
        membership = require_member(user, issue.forum)
        if not membership.is_steward and issue.author_id != membership.pk:
            raise NotAllowed("Only a steward or the issue's author can open a conversation on it.")
        conversation = Conversation.objects.create(
            forum=issue.forum,
            issue=issue,
            topic=topic,
            description=description,
            moderation=moderation,
            created_by=membership,
        )
        append(
            Event(
                "conversation.open",
                "conversation",
                conversation.pk,
                actor=membership.user.public_id,
                forum=issue.forum.slug,
                time=conversation.created_at,
                fields={
                    "issue": issue.pk,
                    "topic": topic,
                    "description": description,
                    "moderation": moderation,
                },
            )
        )
    return conversation


def _require_open(conversation: Conversation) -> None:
    if not conversation.is_open:
        raise WrongPhase("This conversation is closed.")


def clean_statement(text: str) -> str:
    """One statement's text, whitespace collapsed; InvalidInput when empty or too long."""
    text = " ".join((text or "").split())
    if not text:
        raise InvalidInput("A statement needs some text.")
    if len(text) > MAX_STATEMENT:
        raise InvalidInput(
            f"The statement is {len(text)} characters; the limit is {MAX_STATEMENT}."
        )
    return text


def add_statement(user: AnyUser, conversation: Conversation, text: str) -> Statement:
    """A member adds a statement. Under strict moderation it waits for a steward's
    approval (a steward's own statements are accepted at once); under open moderation
    it is shown right away."""
    text = clean_statement(text)
    with transaction.atomic():
        membership = require_member(user, conversation.forum)
        _require_open(conversation)
        if Statement.objects.filter(conversation=conversation, text__iexact=text).exists():
            raise InvalidInput("This statement is already in the conversation.")
        strict = conversation.moderation == Conversation.Moderation.STRICT
        status = (
            Statement.Status.PENDING
            if strict and not membership.is_steward
            else Statement.Status.ACCEPTED
        )
        statement = Statement.objects.create(
            conversation=conversation, text=text, author=membership, status=status
        )
        append(
            Event(
                "statement.add",
                "statement",
                statement.pk,
                actor=membership.user.public_id,
                forum=conversation.forum.slug,
                time=statement.created_at,
                # By digest: a steward may reject the statement, and the public,
                # permanent ledger must not keep its text (docs/ledger.md).
                fields={
                    "conversation": conversation.pk,
                    **text_digests(text=text),
                    "status": status,
                    "stakeholder_group": membership.stakeholder_group,
                },
            )
        )
    return statement


def moderate_statement(user: AnyUser, statement: Statement, decision: str) -> Statement:
    """A steward accepts or rejects a statement (and may revisit the decision)."""
    if decision not in (Statement.Status.ACCEPTED, Statement.Status.REJECTED):
        raise InvalidInput("Moderation decides 'accepted' or 'rejected'.")
    conversation = statement.conversation
    with transaction.atomic():
        membership = require_steward(user, conversation.forum)
        if decision == Statement.Status.ACCEPTED and not statement.text.strip():
            # A rejected statement restored from an open-data package carries no text (it
            # travels by id only), so accepting it would publish an empty statement.
            raise Conflict("This statement has no text (it was imported after rejection).")
        previous = statement.status
        statement.status = decision
        statement.save(update_fields=["status"])
        append(
            Event(
                "statement.moderate",
                "statement",
                statement.pk,
                actor=membership.user.public_id,
                forum=conversation.forum.slug,
                fields={"conversation": conversation.pk, "from": previous, "to": decision},
            )
        )
        if previous != decision and previous != Statement.Status.PENDING:
            # Accepting again or rejecting a statement that has votes changes the map
            # (rejected statements count as passes); a pending one has no votes.
            conversation_id = conversation.pk
            transaction.on_commit(lambda: _schedule_after_commit(conversation_id))
    return statement


def parse_vote(value: Any) -> int:
    """-1, 0 or 1 from an int or the words agree / disagree / pass; else InvalidInput."""
    if isinstance(value, str):
        word = value.strip().lower()
        if word in VOTE_WORDS:
            return VOTE_WORDS[word]
        try:
            value = int(word)
        except ValueError:
            raise InvalidInput("A vote is agree, disagree or pass.") from None
    if isinstance(value, bool) or not isinstance(value, int) or value not in (-1, 0, 1):
        raise InvalidInput("A vote is agree (1), disagree (-1) or pass (0).")
    return value


def cast_vote(user: AnyUser, statement: Statement, value: Any) -> tuple[Vote, bool]:
    """A member votes on an accepted statement; a later vote replaces the earlier one.

    Returns the vote and whether it is new. After the commit, a background recompute
    of the opinion map is queued unless one already is (see the module's docstring).
    """
    vote_value = parse_vote(value)
    conversation = statement.conversation
    with transaction.atomic():
        # The row lock serialises one member's concurrent votes; the unique constraint
        # guards against duplicates in any case.
        membership = require_member(user, conversation.forum, lock=True)
        _require_open(conversation)
        if statement.status != Statement.Status.ACCEPTED:
            raise InvalidInput("Only accepted statements can be voted on.")
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
        Conversation.objects.filter(pk=conversation.pk).update(last_vote_at=now)
        append(
            Event(
                "vote.cast",
                "statement",
                statement.pk,
                actor=membership.user.public_id,
                forum=conversation.forum.slug,
                time=now,
                fields={
                    "conversation": conversation.pk,
                    "vote": vote_value,
                    "stakeholder_group": membership.stakeholder_group,
                },
            )
        )
        conversation_id = conversation.pk
        transaction.on_commit(lambda: _schedule_after_commit(conversation_id))
    vote = Vote.objects.get(statement=statement, participant_key=key)
    return vote, created


# -- the opinion map --------------------------------------------------------------------------


def latest_snapshot(conversation: Conversation) -> OpinionSnapshot | None:
    """The conversation's most recent opinion map, if any."""
    return OpinionSnapshot.objects.filter(conversation=conversation).first()


def schedule_recompute(conversation_id: int, *, delay: float | None = None) -> bool:
    """Queue a background recompute of the conversation's map unless one is queued.

    The conditional UPDATE of ``map_queued_at`` lets exactly one caller queue the task;
    later votes need none, since the task reads every vote committed until it starts.
    A backend that can defer (the database queue) runs it ``delay`` seconds from now,
    by default one debounce window after the latest map, so a conversation is
    recomputed at most once per window. Returns whether this call queued a task.
    """
    from commonground.dialogue.tasks import recompute_map

    now = timezone.now()
    claimed = (
        Conversation.objects.filter(pk=conversation_id)
        .filter(Q(map_queued_at__isnull=True) | Q(map_queued_at__lte=now - RECOMPUTE_LEASE))
        .update(map_queued_at=now)
    )
    if not claimed:
        return False
    job = recompute_map
    if job.get_backend().supports_defer:
        if delay is not None:
            due = now + timedelta(seconds=delay)
        else:
            latest = (
                OpinionSnapshot.objects.filter(conversation_id=conversation_id)
                .values_list("computed_at", flat=True)
                .first()
            )
            due = now if latest is None else latest + timedelta(seconds=debounce_seconds())
        if due > now:
            job = job.using(run_after=due)
    try:
        job.enqueue(conversation_id)
    except Exception:
        # Nothing was queued: release the mark so that the next vote tries again.
        Conversation.objects.filter(pk=conversation_id, map_queued_at=now).update(
            map_queued_at=None
        )
        raise
    return True


def _schedule_after_commit(conversation_id: int) -> None:
    """The vote is committed whatever happens here: a failure to queue the recompute is
    logged, and the next vote tries again."""
    try:
        schedule_recompute(conversation_id)
    except Exception:
        logger.exception("queueing the opinion map of conversation %s failed", conversation_id)


def run_queued_recompute(conversation_id: int) -> int | None:
    """The body of the ``recompute_map`` task: recompute the map from all votes so far.

    Returns the new snapshot's id, or None when nobody has voted, the conversation is
    gone, or another worker is computing it right now (then a new run is queued one
    debounce window later, since that worker may have read the votes before the latest).
    """
    # Release the queued mark before any vote is read: a vote committed from here on
    # queues a new run, and every vote committed before is read below.
    Conversation.objects.filter(pk=conversation_id).update(map_queued_at=None)
    now = timezone.now()
    claimed = (
        Conversation.objects.filter(pk=conversation_id)
        .filter(Q(map_running_since__isnull=True) | Q(map_running_since__lte=now - RECOMPUTE_LEASE))
        .update(map_running_since=now)
    )
    if not claimed:
        from commonground.dialogue.tasks import recompute_map

        # Only a queue that defers can wait for the other run to end; the immediate
        # backend would come straight back here.
        if (
            Conversation.objects.filter(pk=conversation_id).exists()
            and recompute_map.get_backend().supports_defer
        ):
            schedule_recompute(conversation_id, delay=debounce_seconds())
        return None
    try:
        conversation = Conversation.objects.select_related("forum").get(pk=conversation_id)
        snapshot = recompute_opinion_map(conversation)
    finally:
        Conversation.objects.filter(pk=conversation_id, map_running_since=now).update(
            map_running_since=None
        )
    return snapshot.pk if snapshot is not None else None


@dataclass(frozen=True)
class MapStatus:
    """How current a conversation's map is, for the map page and the API."""

    computed_at: datetime | None
    newer_votes: bool
    queued: bool
    running: bool

    @property
    def recomputing(self) -> bool:
        """Newer votes exist or a recompute is queued or running: a fresher map is coming."""
        return self.newer_votes or self.queued or self.running


def map_status(conversation: Conversation, snapshot: OpinionSnapshot | None) -> MapStatus:
    """The map's time and whether a recompute is pending (reads only)."""
    fresh_after = timezone.now() - RECOMPUTE_LEASE
    computed_at = snapshot.computed_at if snapshot is not None else None
    last_vote = conversation.last_vote_at
    return MapStatus(
        computed_at=computed_at,
        newer_votes=last_vote is not None and (computed_at is None or computed_at < last_vote),
        queued=conversation.map_queued_at is not None and conversation.map_queued_at > fresh_after,
        running=conversation.map_running_since is not None
        and conversation.map_running_since > fresh_after,
    )


def _result_document(
    result: OpinionMap, votes: ConversationVotes, seconds: float
) -> dict[str, Any]:
    """The JSON kept in a snapshot: what the opinion map page and routing read."""
    sids = votes.statement_ids
    labels = votes.labels
    present = [g for g in GROUPS if g in set(labels)]
    if present:
        sic, _ = stakeholder_consensus_scores(votes.matrix, labels, present)
        cross = opinion_cross_table(result, labels, present)
        cross_doc: dict[str, Any] = {
            "stakeholder_groups": list(cross.stakeholder_groups),
            "counts": cross.counts.tolist(),
            "share_of_opinion_group": cross.share_of_opinion_group.tolist(),
            "share_of_stakeholder_group": cross.share_of_stakeholder_group.tolist(),
        }
    else:
        sic = None
        cross_doc = {
            "stakeholder_groups": [],
            "counts": [[] for _ in range(result.k)],
            "share_of_opinion_group": [[] for _ in range(result.k)],
            "share_of_stakeholder_group": [[] for _ in range(result.k)],
        }
    totals = result.totals
    n_s = len(sids)
    statements: dict[str, dict[str, Any]] = {}
    for j, sid in enumerate(sids):
        statements[str(sid)] = {
            "agree": int(totals.agree[0, j]),
            "disagree": int(totals.disagree[0, j]),
            "pass": int(totals.passes[0, j]),
            "seen": int(totals.seen[0, j]),
            "gic": float(result.group_informed_consensus[j]),
            "sic": None if sic is None else float(sic[j]),
            "extremity": statement_extremity(
                float(result.center[j]), result.components[:, j].tolist(), n_s
            ),
            "moderated_out": bool(result.moderated_out[j]),
        }
    in_rows = np.flatnonzero(result.in_conversation)
    points = [
        [
            round(float(result.projections[i, 0]), 5),
            round(float(result.projections[i, 1]), 5),
            int(result.group_labels[i]),
        ]
        for i in in_rows
    ]
    counts = result.group_counts
    groups = []
    for g in range(result.k):
        members = result.group_labels == g
        make_up = {
            name: int(sum(1 for i in np.flatnonzero(members) if labels[i] == name))
            for name in present
        }
        groups.append(
            {
                "id": g,
                "size": int(members.sum()),
                "stakeholders": make_up,
                "unknown_stakeholder": int(members.sum()) - sum(make_up.values()),
                "representative": [
                    {
                        "statement": int(sids[r.statement]),
                        "direction": r.direction,
                        "p_success": float(r.p_success),
                        "n_success": int(r.n_success),
                        "n_trials": int(r.n_trials),
                        "repness": float(r.repness),
                        "repness_test": float(r.repness_test),
                        "p_test": float(r.p_test),
                        "agree_share": _share(
                            counts.agree[g, r.statement], counts.seen[g, r.statement]
                        ),
                        "disagree_share": _share(
                            counts.disagree[g, r.statement], counts.seen[g, r.statement]
                        ),
                    }
                    for r in result.representative[g]
                ],
            }
        )
    consensus = {
        direction: [
            {
                "statement": int(sids[c.statement]),
                "p_success": float(c.p_success),
                "n_success": int(c.n_success),
                "n_trials": int(c.n_trials),
            }
            for c in result.consensus.get(direction, [])
        ]
        for direction in ("agree", "disagree")
    }
    return {
        "k": int(result.k),
        "participants": len(result.participant_ids),
        "in_conversation": int(result.in_conversation.sum()),
        "votes": int(result.n_votes),
        "statements": statements,
        "points": points,
        "point_keys": [str(result.participant_ids[i]) for i in in_rows],
        "groups": groups,
        "consensus": consensus,
        "cross": cross_doc,
        "seconds": round(seconds, 4),
    }


def _share(part: Any, whole: Any) -> float:
    whole = int(whole)
    return round(int(part) / whole, 4) if whole else 0.0


def _compute(
    conversation: Conversation, state: OpinionState | None, seed: int
) -> tuple[dict[str, Any], OpinionMap, ConversationVotes, float] | None:
    votes = load_votes(conversation)
    if votes.matrix.n_votes == 0:
        return None
    started = time.perf_counter()
    result = compute_opinion_map(
        votes.matrix, moderated_out=votes.moderated_out, state=state, seed=seed
    )
    seconds = time.perf_counter() - started
    return _result_document(result, votes, seconds), result, votes, seconds


def preview_opinion_map(conversation: Conversation, *, seed: int = 0) -> dict[str, Any] | None:
    """A map computed in memory and saved nowhere, for a conversation without any
    snapshot yet and at most ``PREVIEW_MAX_VOTES`` votes; None otherwise."""
    if OpinionSnapshot.objects.filter(conversation=conversation).exists():
        return None
    n_votes = Vote.objects.filter(conversation=conversation).count()
    if n_votes == 0 or n_votes > PREVIEW_MAX_VOTES:
        return None
    computed = _compute(conversation, None, seed)
    return computed[0] if computed is not None else None


def recompute_opinion_map(
    conversation: Conversation, *, seed: int = 0, start: OpinionState | None = None
) -> OpinionSnapshot | None:
    """Compute the opinion map from the current votes, warm-started from the last
    snapshot's state (or from ``start``, a state carried in from elsewhere such as a
    replayed Polis history), and keep it as a new snapshot. None when nobody has voted.

    The snapshot's time is when its votes were read, so any vote stamped later is
    known to be newer than the map.
    """
    now = timezone.now()
    previous = latest_snapshot(conversation)
    state = start
    if state is None and previous is not None:
        state = OpinionState.from_dict(previous.state)
    computed = _compute(conversation, state, seed)
    if computed is None:
        return None
    doc, result, votes, seconds = computed
    with transaction.atomic():
        snapshot = OpinionSnapshot.objects.create(
            conversation=conversation,
            computed_at=now,
            result=doc,
            state=result.state.to_dict(),
            participants=votes.matrix.n_participants,
            statements=votes.matrix.n_statements,
            votes=votes.matrix.n_votes,
            groups=result.k,
            seconds=seconds,
        )
        append(
            Event(
                "conversation.opinion_map",
                "conversation",
                conversation.pk,
                forum=conversation.forum.slug,
                fields={
                    "snapshot": snapshot.pk,
                    "participants": snapshot.participants,
                    "in_conversation": doc["in_conversation"],
                    "statements": snapshot.statements,
                    "votes": snapshot.votes,
                    "groups": snapshot.groups,
                    "group_sizes": [g["size"] for g in doc["groups"]],
                },
            )
        )
    return snapshot


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


# -- import -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportResult:
    conversation: Conversation
    statements: int
    participants: int
    votes: int
    snapshot: OpinionSnapshot | None


def _comment_texts(folder: Path) -> dict[int, str]:
    path = folder / "comments.csv"
    if not path.is_file():
        return {}
    texts: dict[int, str] = {}
    with path.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            try:
                cid = int((row.get("comment-id") or "").strip())
            except ValueError:
                continue
            texts[cid] = (row.get("comment-body") or "").strip()
    return texts


def import_polis(
    folder: str | Path,
    forum: Forum,
    *,
    issue: Issue | None = None,
    topic: str = "",
    compute_map: bool = True,
) -> ImportResult:
    """Import a Polis open-data export as a conversation of ``forum`` (optionally on
    ``issue``): its statements (moderated-out ones as rejected) and the latest vote of
    each pseudonymous participant. One ledger event records the import. With
    ``compute_map``, the first map continues Polis's history of the votes, replayed
    (``replay_history``) and renamed to the new conversation's ids.

    Raises ``PolisExportError`` (a ``ValueError``) with a one-line reason for bad input.
    """
    from commonground.opendata.polis import PolisExportError, load_polis_export, replay_history

    folder = Path(folder)
    export = load_polis_export(folder)
    if export.matrix.n_votes == 0:
        raise PolisExportError(f"{export.source} holds no votes")
    if issue is not None and issue.forum_id != forum.pk:
        raise InvalidInput(f"Issue {issue.pk} is not an issue of {forum.slug}.")
    texts = _comment_texts(folder)
    matrix = export.matrix
    moderated = set(export.moderated_out)
    comment_ids = sorted(set(int(x) for x in matrix.statement_ids.tolist()) | set(texts))
    name = export.summary.get("topic") or folder.name
    topic = " ".join((topic or f"{name} (imported from Polis)").split())[:MAX_TOPIC]
    description = export.summary.get("conversation-description", "")[:MAX_DESCRIPTION]
    now = timezone.now()
    with transaction.atomic():
        conversation = Conversation.objects.create(
            forum=forum,
            issue=issue,
            topic=topic,
            description=description,
            moderation=Conversation.Moderation.STRICT,
            source=f"polis:{folder.name}"[:200],
            created_at=now,
            last_vote_at=now,
            is_open=False,
        )
        statements = Statement.objects.bulk_create(
            [
                Statement(
                    conversation=conversation,
                    text=texts.get(cid) or f"Statement {cid}",
                    status=Statement.Status.REJECTED
                    if cid in moderated
                    else Statement.Status.ACCEPTED,
                    created_at=now,
                    external_id=cid,
                )
                for cid in comment_ids
            ],
            batch_size=2000,
        )
        if any(s.pk is None for s in statements):  # backends that do not return ids
            by_external = dict(
                Statement.objects.filter(conversation=conversation).values_list("external_id", "id")
            )
        else:
            by_external = {s.external_id: s.pk for s in statements}
        column_pk = np.asarray(
            [by_external[int(c)] for c in matrix.statement_ids.tolist()], dtype=np.int64
        )
        rows = np.repeat(np.arange(matrix.n_participants), np.diff(matrix.indptr))
        pids = [f"x{int(p)}" for p in matrix.participant_ids.tolist()]
        Vote.objects.bulk_create(
            (
                Vote(
                    conversation=conversation,
                    statement_id=int(column_pk[c]),
                    participant_key=pids[r],
                    value=int(v),
                    updated_at=now,
                )
                for r, c, v in zip(
                    rows.tolist(), matrix.indices.tolist(), matrix.values.tolist(), strict=True
                )
            ),
            batch_size=5000,
        )
        append(
            Event(
                "conversation.import",
                "conversation",
                conversation.pk,
                forum=forum.slug,
                time=now,
                fields={
                    "source": conversation.source,
                    "issue": issue.pk if issue is not None else None,
                    "topic": topic,
                    "statements": len(comment_ids),
                    "moderated_out": sorted(moderated & set(comment_ids)),
                    "participants": matrix.n_participants,
                    "votes": matrix.n_votes,
                },
            )
        )
    snapshot = None
    if compute_map:
        # Polis's map is the end of a history (state carried from update to update), so
        # the first map starts from that history replayed, under this instance's ids.
        replayed, _ = replay_history(export)
        start = replayed.state.relabelled(
            {p: f"x{int(p)}" for p in matrix.participant_ids.tolist()},
            {int(c): by_external[int(c)] for c in matrix.statement_ids.tolist()},
        )
        snapshot = recompute_opinion_map(conversation, start=start)
    return ImportResult(
        conversation, len(comment_ids), matrix.n_participants, matrix.n_votes, snapshot
    )
