"""A database queue for django-tasks, and the worker that empties it.

django-tasks 0.12 ships only the immediate and dummy backends (its database backend
became a separate package this project does not depend on), so this module provides
the small part needed: ``DatabaseBackend`` stores each enqueued task as a
``QueuedTask`` row, and ``run_worker`` claims ready rows one at a time and runs them.

Claiming is a conditional ``UPDATE ... WHERE status = 'READY'`` on one row, which works
the same on SQLite and PostgreSQL: when several workers (or processes) race for a row,
exactly one update succeeds. A row enqueued inside a transaction only becomes visible
to workers when that transaction commits.

Settings: ``TASKS = {"default": {"BACKEND": "commonground.dialogue.taskqueue.DatabaseBackend",
"QUEUES": [...], "OPTIONS": {"retention_days": 7}}}``. ``commonground serve`` and
``commonground demo`` start one worker process beside gunicorn; ``commonground worker``
runs one on its own.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.db import close_old_connections, connection
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import TaskContext, TaskResult, TaskResultStatus, task_backends
from django_tasks.backends.base import BaseTaskBackend
from django_tasks.base import Task, TaskError
from django_tasks.exceptions import TaskResultDoesNotExist
from django_tasks.signals import task_enqueued, task_finished, task_started
from django_tasks.utils import (
    get_exception_traceback,
    get_module_path,
    get_random_id,
    normalize_json,
)

from commonground.dialogue.models import QueuedTask

logger = logging.getLogger(__name__)

# A RUNNING row older than this when a worker starts belongs to a worker that died
# (a recompute takes seconds); it is marked FAILED so it is not mistaken for work.
ABANDONED_AFTER = timedelta(hours=1)
# Finished rows are deleted after this many days (OPTIONS["retention_days"]).
DEFAULT_RETENTION_DAYS = 7
PRUNE_EVERY = timedelta(hours=1)


class DatabaseBackend(BaseTaskBackend):
    """Tasks wait as ``QueuedTask`` rows until a worker runs them."""

    supports_defer = True
    supports_get_result = True
    supports_priority = True
    supports_async_task = False

    def enqueue(self, task: Task, args: Any, kwargs: Any) -> TaskResult:
        """Store the task as a READY row (inside the caller's transaction, if any)."""
        self.validate_task(task)
        row = QueuedTask.objects.create(
            id=get_random_id(),
            task_path=task.module_path,
            backend=self.alias,
            queue_name=task.queue_name,
            priority=task.priority,
            args=normalize_json(list(args)),
            kwargs=normalize_json(dict(kwargs)),
            run_after=task.run_after,
        )
        result = to_result(row, task)
        task_enqueued.send(type(self), task_result=result)
        return result

    def get_result(self, result_id: str) -> TaskResult:
        row = QueuedTask.objects.filter(pk=result_id, backend=self.alias).first()
        if row is None:
            raise TaskResultDoesNotExist(result_id)
        return to_result(row)


def _load_task(path: str) -> Task:
    found = import_string(path)
    if not isinstance(found, Task):
        raise TypeError(f"{path} is not a django-tasks task")
    return found


def to_result(row: QueuedTask, task: Task | None = None) -> TaskResult:
    """The django-tasks view of a queue row."""
    result = TaskResult(
        task=task if task is not None else _load_task(row.task_path),
        id=row.pk,
        status=TaskResultStatus(row.status),
        enqueued_at=row.enqueued_at,
        started_at=row.started_at,
        finished_at=row.finished_at,
        last_attempted_at=row.last_attempted_at,
        args=list(row.args),
        kwargs=dict(row.kwargs),
        backend=row.backend,
        errors=[TaskError(**e) for e in row.errors],
        worker_ids=[row.worker_id] if row.worker_id else [],
    )
    if row.status == QueuedTask.Status.SUCCESSFUL:
        object.__setattr__(result, "_return_value", row.return_value)
    return result


def claim_next(worker_id: str, backend: str, queues: Iterable[str]) -> QueuedTask | None:
    """Mark the most urgent ready row RUNNING for this worker and return it, or None.

    Several workers may read the same candidates; the conditional UPDATE lets exactly
    one of them have each row, and the others try the next candidate.
    """
    now = timezone.now()
    candidates = (
        QueuedTask.objects.filter(
            status=QueuedTask.Status.READY, backend=backend, queue_name__in=list(queues)
        )
        .filter(Q(run_after__isnull=True) | Q(run_after__lte=now))
        .order_by("-priority", "enqueued_at", "id")
        .values_list("pk", flat=True)[:10]
    )
    for pk in list(candidates):
        claimed = QueuedTask.objects.filter(pk=pk, status=QueuedTask.Status.READY).update(
            status=QueuedTask.Status.RUNNING,
            started_at=now,
            last_attempted_at=now,
            worker_id=worker_id,
        )
        if claimed:
            return QueuedTask.objects.get(pk=pk)
    return None


def run_claimed(row: QueuedTask) -> QueuedTask:
    """Run a claimed row's task and record the outcome on the row.

    A failing task is logged and recorded as FAILED with its traceback; it never stops
    the worker.
    """
    backend_cls = type(task_backends[row.backend])
    try:
        task = _load_task(row.task_path)
        result = to_result(row, task)
        task_started.send(backend_cls, task_result=result)
        if task.takes_context:
            value = task.call(TaskContext(task_result=result), *row.args, **row.kwargs)
        else:
            value = task.call(*row.args, **row.kwargs)
    except Exception as exc:
        logger.exception("task %s (%s) failed", row.task_path, row.pk)
        row.status = QueuedTask.Status.FAILED
        row.errors = [
            *row.errors,
            {
                "exception_class_path": get_module_path(type(exc)),
                "traceback": get_exception_traceback(exc),
            },
        ]
    else:
        row.status = QueuedTask.Status.SUCCESSFUL
        row.return_value = _jsonable(value)
    row.finished_at = timezone.now()
    row.save(update_fields=["status", "errors", "return_value", "finished_at"])
    try:
        task_finished.send(backend_cls, task_result=to_result(row))
    except Exception:  # a row whose task cannot be imported still counts as finished
        logger.warning("task %s (%s) finished with an unknown task", row.task_path, row.pk)
    return row


def _jsonable(value: Any) -> Any:
    try:
        return normalize_json(value)
    except (TypeError, ValueError):  # a return value JSON cannot hold is kept as text
        return repr(value)


def fail_abandoned(backend: str, older_than: timedelta = ABANDONED_AFTER) -> int:
    """Mark RUNNING rows whose worker must have died as FAILED; returns how many."""
    now = timezone.now()
    return QueuedTask.objects.filter(
        status=QueuedTask.Status.RUNNING, backend=backend, started_at__lt=now - older_than
    ).update(status=QueuedTask.Status.FAILED, finished_at=now)


def prune_finished(backend: str, retention: timedelta) -> int:
    """Delete finished rows older than the retention; returns how many."""
    deleted, _ = QueuedTask.objects.filter(
        status__in=[QueuedTask.Status.SUCCESSFUL, QueuedTask.Status.FAILED],
        backend=backend,
        finished_at__lt=timezone.now() - retention,
    ).delete()
    return deleted


def run_worker(
    *,
    backend: str = "default",
    queues: Iterable[str] | None = None,
    interval: float = 1.0,
    stop: threading.Event | None = None,
    parent_pid: int | None = None,
    until_empty: bool = False,
) -> int:
    """Run queued tasks one at a time until stopped; returns how many ran.

    Stops on ``stop``, on SIGTERM/SIGINT (when run in the main thread) after the task
    in hand, when ``parent_pid`` is no longer this process's parent (the server that
    started it is gone), or, with ``until_empty``, when no task is ready.
    """
    configured = task_backends[backend]
    if not isinstance(configured, DatabaseBackend):
        raise ValueError(
            f"the task backend {backend!r} is not the database queue "
            "(set COMMONGROUND_TASKS=database)"
        )
    names = list(queues) if queues else sorted(configured.queues)
    stop = stop or threading.Event()
    previous: dict[int, Any] = {}
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGTERM, signal.SIGINT):
            previous[signum] = signal.signal(signum, lambda *_: stop.set())
    try:
        return _work(configured, backend, names, interval, stop, parent_pid, until_empty)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _work(
    configured: BaseTaskBackend,
    backend: str,
    names: list[str],
    interval: float,
    stop: threading.Event,
    parent_pid: int | None,
    until_empty: bool,
) -> int:
    worker_id = get_random_id()
    retention = timedelta(
        days=float(configured.options.get("retention_days", DEFAULT_RETENTION_DAYS))
    )
    fail_abandoned(backend)
    last_prune = 0.0
    ran = 0
    while not stop.is_set():
        if parent_pid is not None and os.getppid() != parent_pid:
            break
        _refresh_connections()
        row = claim_next(worker_id, backend, names)
        if row is not None:
            run_claimed(row)
            ran += 1
            continue
        if until_empty:
            break
        if time.monotonic() - last_prune > PRUNE_EVERY.total_seconds():
            prune_finished(backend, retention)
            last_prune = time.monotonic()
        stop.wait(interval)
    _refresh_connections()
    return ran


def _refresh_connections() -> None:
    """A worker lives for days: drop connections the database has closed or that are
    past their age. (Never inside a transaction: a test wraps the worker in one.)"""
    if not connection.in_atomic_block:
        close_old_connections()
