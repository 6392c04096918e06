"""The opinion map is recomputed by a background task: queued once per burst, debounced,
run by the database queue's worker (django-tasks-db), and never computed or saved by a GET."""

from __future__ import annotations

import contextlib
import io
import os
import re
import signal
import subprocess
import sys
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from commonground.cli import main
from commonground.cli import server as cli_server
from commonground.dialogue import services
from commonground.dialogue.models import Conversation, OpinionSnapshot, Statement
from commonground.dialogue.services import opinion_map, scheduling
from commonground.dialogue.tasks import recompute_map
from commonground.ledger.models import LedgerEntry
from tests.conftest import World
from tests.security.test_state_changing_urls import snapshot as database_state

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
READY, RUNNING, SUCCESSFUL, FAILED = "READY", "RUNNING", "SUCCESSFUL", "FAILED"


@pytest.fixture(autouse=True)
def _worker_in_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """`commonground worker` sets COMMONGROUND_TASKS in its process; here that process is
    the test run, so the variable is put back after each test. db_worker closes database
    connections between polls, which would close the test's open transaction (Django's
    test client likewise keeps connections open across requests)."""
    monkeypatch.setenv("COMMONGROUND_TASKS", os.environ.get("COMMONGROUND_TASKS", "immediate"))
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)


@pytest.fixture
def queue(settings: Any) -> None:
    """The database backend, as under `commonground serve` (tests default to immediate)."""
    settings.TASKS = DATABASE_QUEUE


def _vote_all(world: World, statements: list[Statement], capture: Callable[..., Any]) -> int:
    """Every persona votes on every statement, in two camps; returns the number of votes."""
    n = 0
    with capture(execute=True):
        for i, user in enumerate(world.member.values()):
            for j, statement in enumerate(statements):
                services.cast_vote(user, statement, 1 if (i < 3) == (j < 4) else -1)
                n += 1
    return n


def _conversation(statements: list[Statement]) -> Conversation:
    return Conversation.objects.get(pk=statements[0].conversation_id)


def run_worker(*flags: str) -> int:
    """`commonground worker --until-empty` in this process; returns how many tasks ran."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["worker", "--until-empty", "--verbosity", "0", *flags]) == 0
    found = re.fullmatch(r"ran (\d+) tasks?\n", out.getvalue())
    assert found is not None, out.getvalue()
    return int(found.group(1))


def test_a_burst_of_votes_queues_one_task_that_reads_every_vote(
    world: World, statements: list[Statement], queue: None, django_capture_on_commit_callbacks
) -> None:
    n = _vote_all(world, statements, django_capture_on_commit_callbacks)
    task = DBTaskResult.objects.get()
    assert task.status == READY
    assert task.task_path == recompute_map.module_path
    assert task.args_kwargs["args"] == [statements[0].conversation_id]
    assert task.task.run_after is None  # no map yet: due at once
    assert _conversation(statements).map_queued_at is not None
    assert not OpinionSnapshot.objects.exists()  # nothing computed in the request

    assert run_worker() == 1
    task.refresh_from_db()
    assert task.status == SUCCESSFUL
    snapshot = OpinionSnapshot.objects.get()
    assert task.return_value == snapshot.pk
    assert recompute_map.get_result(str(task.id)).return_value == snapshot.pk
    assert snapshot.votes == n == 48
    conversation = _conversation(statements)
    assert conversation.map_queued_at is None and conversation.map_running_since is None
    assert not services.map_status(conversation, snapshot).recomputing


def test_the_next_task_waits_one_debounce_window_after_the_last_map(
    world: World,
    statements: list[Statement],
    queue: None,
    settings: Any,
    django_capture_on_commit_callbacks,
) -> None:
    settings.OPINION_MAP_DEBOUNCE = 30
    _vote_all(world, statements, django_capture_on_commit_callbacks)
    run_worker()
    first = OpinionSnapshot.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.cast_vote(world.steward, statements[0], "agree")
        services.cast_vote(world.steward, statements[1], "agree")
    waiting = DBTaskResult.objects.get(status=READY)
    assert waiting.run_after == first.computed_at + timedelta(seconds=30)
    assert run_worker() == 0  # not due yet
    status = services.map_status(_conversation(statements), first)
    assert status.queued and status.newer_votes and status.recomputing
    # Once due, it runs and covers both later votes.
    DBTaskResult.objects.filter(pk=waiting.pk).update(run_after=timezone.now())
    assert run_worker() == 1
    assert OpinionSnapshot.objects.first().votes == first.votes + 2


def test_a_failing_task_is_recorded_and_the_worker_goes_on(
    world: World,
    statements: list[Statement],
    queue: None,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks,
) -> None:
    _vote_all(world, statements, django_capture_on_commit_callbacks)
    recompute_map.enqueue(-1)  # a conversation that does not exist: nothing to do
    with monkeypatch.context() as patch:

        def broken(conversation: Conversation, **kwargs: object) -> None:
            raise RuntimeError("engine down")

        patch.setattr(scheduling, "recompute_opinion_map", broken)
        assert run_worker() == 2
    failed = DBTaskResult.objects.get(status=FAILED)
    assert failed.args_kwargs["args"] == [statements[0].conversation_id]
    assert "engine down" in failed.traceback
    assert DBTaskResult.objects.get(status=SUCCESSFUL).args_kwargs["args"] == [-1]
    assert recompute_map.get_result(str(failed.id)).errors[0].exception_class is RuntimeError
    conversation = _conversation(statements)
    assert conversation.map_running_since is None  # released, so a retry can run
    with django_capture_on_commit_callbacks(execute=True):
        services.cast_vote(world.steward, statements[0], "pass")
    assert run_worker() == 1
    assert OpinionSnapshot.objects.count() == 1


def test_one_run_at_a_time_per_conversation_and_a_busy_one_is_queued_again(
    world: World, statements: list[Statement], queue: None, django_capture_on_commit_callbacks
) -> None:
    _vote_all(world, statements, django_capture_on_commit_callbacks)
    conversation = _conversation(statements)
    Conversation.objects.filter(pk=conversation.pk).update(map_running_since=timezone.now())
    assert services.run_queued_recompute(conversation.pk) is None
    assert not OpinionSnapshot.objects.exists()
    again = DBTaskResult.objects.filter(status=READY).order_by("-enqueued_at")[0]
    assert again.run_after is not None and again.run_after > timezone.now()
    # A claim older than the lease belongs to a dead worker and no longer blocks.
    stale = timezone.now() - services.RECOMPUTE_LEASE - timedelta(seconds=1)
    Conversation.objects.filter(pk=conversation.pk).update(map_running_since=stale)
    assert services.run_queued_recompute(conversation.pk) is not None


def test_rejecting_a_voted_statement_queues_a_recompute(
    world: World, statements: list[Statement], queue: None, django_capture_on_commit_callbacks
) -> None:
    _vote_all(world, statements, django_capture_on_commit_callbacks)
    run_worker()
    with django_capture_on_commit_callbacks(execute=True):
        services.moderate_statement(world.steward, statements[0], "rejected")
    assert DBTaskResult.objects.filter(status=READY).count() == 1


def test_immediate_backend_recomputes_after_each_vote(
    world: World, statements: list[Statement], django_capture_on_commit_callbacks
) -> None:
    for statement in statements[:2]:
        with django_capture_on_commit_callbacks(execute=True):
            services.cast_vote(world.member["government"], statement, "agree")
    assert [s.votes for s in OpinionSnapshot.objects.order_by("id")] == [1, 2]
    assert not DBTaskResult.objects.exists()


def test_worker_command_runs_the_queue_and_refuses_the_immediate_backend(
    world: World,
    statements: list[Statement],
    settings: Any,
    capsys: pytest.CaptureFixture[str],
    django_capture_on_commit_callbacks,
) -> None:
    assert main(["worker", "--until-empty"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1 and "COMMONGROUND_TASKS" in err
    settings.TASKS = DATABASE_QUEUE
    assert main(["worker", "--until-empty", "--interval", "-1"]) == 2
    assert "--interval" in capsys.readouterr().err
    _vote_all(world, statements, django_capture_on_commit_callbacks)
    assert main(["worker", "--until-empty", "--verbosity", "0"]) == 0
    assert capsys.readouterr().out == "ran 1 task\n"
    assert OpinionSnapshot.objects.count() == 1
    assert DBTaskResult.objects.get().status == SUCCESSFUL


# -- the map page only reads ------------------------------------------------------------------


def _map(client: Client, conversation_id: int) -> str:
    response = client.get(f"/conversations/{conversation_id}/map/")
    assert response.status_code == 200
    return response.content.decode()


def test_map_page_get_changes_nothing_and_says_recomputing_when_votes_are_newer(
    world: World, statements: list[Statement], django_capture_on_commit_callbacks
) -> None:
    conversation_id = statements[0].conversation_id
    _vote_all(world, statements, django_capture_on_commit_callbacks)
    first = OpinionSnapshot.objects.first()
    assert first is not None
    # A later vote whose recompute has not run yet (its commit hook is not executed).
    services.cast_vote(world.steward, statements[0], "agree")
    # Logging in writes (last_login), so the clients are made before the state is taken.
    people = (None, world.outsider, world.member["government"], world.steward)
    clients = [world.client_for(user) for user in people]
    before = database_state()
    ledger = LedgerEntry.objects.count()
    for client in clients:
        html = _map(client, conversation_id)
        assert 'data-testid="recomputing"' in html
        assert 'data-testid="opinion-map"' in html
    assert database_state() == before
    assert LedgerEntry.objects.count() == ledger
    assert OpinionSnapshot.objects.first() == first


def test_map_page_without_a_snapshot_shows_a_map_computed_in_memory_and_saves_nothing(
    world: World, statements: list[Statement]
) -> None:
    for i, user in enumerate(world.member.values()):
        for j, statement in enumerate(statements):
            services.cast_vote(user, statement, 1 if (i < 3) == (j < 4) else -1)
    client = world.client_for(world.member["government"])
    before = database_state()
    html = _map(client, statements[0].conversation_id)
    assert 'data-testid="opinion-map"' in html
    assert "Computed just now for this page" in html
    assert database_state() == before
    assert not OpinionSnapshot.objects.exists()


def test_map_page_of_a_large_conversation_without_a_snapshot_shows_a_notice(
    world: World, statements: list[Statement], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(opinion_map, "PREVIEW_MAX_VOTES", 3)
    for user in world.member.values():
        services.cast_vote(user, statements[0], "agree")
    before = database_state()
    html = _map(Client(), statements[0].conversation_id)
    assert 'data-testid="no-map"' in html and "being computed" in html
    assert 'data-testid="opinion-map"' not in html
    assert database_state() == before


# -- the worker beside the server -------------------------------------------------------------


def test_worker_does_not_start_when_the_server_that_started_it_is_gone(
    db: None, queue: None
) -> None:
    recompute_map.enqueue(123)
    not_my_parent = os.getppid() + 1_000_000
    assert main(["worker", "--parent-pid", str(not_my_parent)]) == 0
    assert DBTaskResult.objects.get().status == READY  # left for the next worker


# The "server": starts the worker as serve does, says its pid, then waits to be killed.
SERVER = """
import os, sys, time
from commonground.cli import server as cli_server
cli_server.setup_django()
worker = cli_server._start_task_worker()
print(worker.pid, flush=True)
time.sleep(600)
"""


def test_worker_leaves_when_its_server_is_killed(tmp_path: Any) -> None:
    env = {
        **os.environ,
        "COMMONGROUND_TASKS": "database",
        "COMMONGROUND_DATA_DIR": str(tmp_path),
        "COMMONGROUND_SQLITE_PATH": str(tmp_path / "queue.sqlite3"),
    }
    env.pop("DATABASE_URL", None)
    command = [sys.executable, "-m", "commonground.cli"]
    subprocess.run(
        [*command, "manage", "migrate", "django_tasks_database", "-v", "0"], env=env, check=True
    )
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert server.stdout is not None
    worker_pid = int(server.stdout.readline())
    try:
        # The worker logs its start (to the inherited pipe) once it is polling the queue.
        for line in server.stdout:
            if "Starting worker" in line:
                break
        server.kill()  # no chance to stop its worker
        server.wait()
        # The pipe closes when its last writer, the orphaned worker, has exited.
        rest, _ = server.communicate(timeout=60)
        assert "shutting down gracefully" in rest
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(worker_pid, signal.SIGKILL)


def test_serve_starts_a_worker_only_for_the_database_queue(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[list[str]] = []

    class FakePopen:
        def __init__(self, command: list[str], env: dict[str, str]) -> None:
            started.append(command)

    monkeypatch.setattr(subprocess, "Popen", FakePopen)
    assert (
        cli_server._start_task_worker() is None
    )  # immediate backend: tasks run in the web process
    settings.TASKS = DATABASE_QUEUE
    assert isinstance(cli_server._start_task_worker(), FakePopen)
    assert started == [
        [sys.executable, "-m", "commonground.cli", "worker", "--parent-pid", str(os.getpid())]
    ]


def test_stopping_the_server_stops_its_worker() -> None:
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    cli_server._stop_task_worker(child)
    assert child.returncode == -signal.SIGTERM
    cli_server._stop_task_worker(None)  # --no-worker: nothing to stop
