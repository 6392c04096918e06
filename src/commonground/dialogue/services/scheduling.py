"""Scheduling the opinion map's background recompute (django-tasks).

After a vote (or a moderation decision that changes the map) commits,
``schedule_recompute`` queues one ``recompute_map`` task unless one is already queued
for the conversation (a conditional UPDATE of ``Conversation.map_queued_at`` decides,
so a burst of votes queues one task, across app servers). With the database backend a
worker runs it, at the earliest one debounce window after the previous map; with the
immediate backend (tests, one-off commands) it runs at once in the enqueuing process.
The task and the code that queues it live here together, so neither imports the other.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from commonground.dialogue.models import Conversation, OpinionSnapshot
from commonground.dialogue.services.opinion_map import recompute_opinion_map
from commonground.dialogue.votes import last_vote_at

logger = logging.getLogger(__name__)


# A queued or running mark older than this is taken to be lost (a worker died, a queue
# row was removed) and no longer holds back a new recompute.
RECOMPUTE_LEASE = timedelta(minutes=10)


def debounce_seconds() -> float:
    """Minimum time between two background recomputes of one conversation's map."""
    return float(getattr(settings, "OPINION_MAP_DEBOUNCE", 10.0))


def schedule_recompute(conversation_id: int, *, delay: float | None = None) -> bool:
    """Queue a background recompute of the conversation's map unless one is queued.

    The conditional UPDATE of ``map_queued_at`` lets exactly one caller queue the task;
    later votes need none, since the task reads every vote committed until it starts.
    A backend that can defer (the database queue) runs it ``delay`` seconds from now,
    by default one debounce window after the latest map, so a conversation is
    recomputed at most once per window. Returns whether this call queued a task.
    """
    now = timezone.now()
    if not _claim_queue(conversation_id, now):
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


def _claim_queue(conversation_id: int, now: datetime) -> bool:
    """Set ``map_queued_at`` unless a recompute is queued (and not lost): whether this
    call set it. Written by hand: every vote runs it after its commit, and the ORM's
    conditional UPDATE cost about as much CPU as the vote's own statements (issue 19)."""
    table = connection.ops.quote_name(Conversation._meta.db_table)
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET map_queued_at = %s WHERE id = %s "
            "AND (map_queued_at IS NULL OR map_queued_at <= %s)",
            [adapt(now), conversation_id, adapt(now - RECOMPUTE_LEASE)],
        )
        return cursor.rowcount > 0


def schedule_after_commit(conversation_id: int) -> None:
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
    last_vote = last_vote_at(conversation)
    return MapStatus(
        computed_at=computed_at,
        newer_votes=last_vote is not None and (computed_at is None or computed_at < last_vote),
        queued=conversation.map_queued_at is not None and conversation.map_queued_at > fresh_after,
        running=conversation.map_running_since is not None
        and conversation.map_running_since > fresh_after,
    )


@task()
def recompute_map(conversation_id: int) -> int | None:
    """Recompute one conversation's opinion map from all its votes so far.

    Returns the new snapshot's id, or None when there was nothing to compute or another
    worker was computing the same conversation (a new run is then queued).
    """
    return run_queued_recompute(conversation_id)
