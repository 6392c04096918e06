"""Background tasks of the dialogue app (django-tasks).

``recompute_map`` is enqueued by ``services.schedule_recompute`` after votes (or a
moderation decision) commit. With the database backend a worker runs it, at the
earliest one debounce window after the previous map; with the immediate backend
(tests, one-off commands) it runs at once in the enqueuing process.
"""

from __future__ import annotations

from django_tasks import task


@task()
def recompute_map(conversation_id: int) -> int | None:
    """Recompute one conversation's opinion map from all its votes so far.

    Returns the new snapshot's id, or None when there was nothing to compute or another
    worker was computing the same conversation (a new run is then queued).
    """
    from commonground.dialogue.services import run_queued_recompute

    return run_queued_recompute(conversation_id)
