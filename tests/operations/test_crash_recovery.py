"""Every acknowledged support survives a crash of PostgreSQL.

The site runs (``commonground serve``) against a database of its own; 50 participants
support 10 issues each through the API, 500 requests each answered 201; then the
PostgreSQL cluster is stopped with ``-m immediate`` (no shutdown checkpoint: recovery
replays the WAL, as after a power cut) and started again. All 500 supports must be
there and ``commonground ledger verify`` must pass.

Stopping the cluster breaks every other connection to it, so this test runs only when
asked for: as root, with ``pg_ctlcluster``, and ``COMMONGROUND_CRASH_TESTS=1``::

    COMMONGROUND_CRASH_TESTS=1 uv run pytest -m crash -p no:cacheprovider tests/operations

It always starts the cluster again before it ends.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.operations.helpers import (
    REPO,
    base_env,
    cg,
    create_database,
    drop_database,
    free_port,
    postgres_unavailable,
    seed,
)

pytestmark = [pytest.mark.postgres, pytest.mark.crash]

FORUM = "crash-igf"
PEOPLE, ISSUES = 50, 10
#: Longest wait for the server or the cluster to come up.
WAIT = 30.0


def _cluster() -> tuple[str, str] | str:
    """(version, name) of the local cluster, or why the test cannot run."""
    if os.environ.get("COMMONGROUND_CRASH_TESTS") != "1":
        return (
            "crash test: set COMMONGROUND_CRASH_TESTS=1 to run it (it stops the shared "
            "PostgreSQL cluster, breaking other test runs that use it)"
        )
    if os.geteuid() != 0:
        return "crash test: needs root to stop and start the PostgreSQL cluster"
    if shutil.which("pg_ctlcluster") is None:
        return "crash test: pg_ctlcluster is not installed"
    versions = (
        sorted(Path("/etc/postgresql").glob("*/main")) if Path("/etc/postgresql").is_dir() else []
    )
    if not versions:
        return "crash test: no cluster under /etc/postgresql/*/main"
    reason = postgres_unavailable()
    if reason:
        return f"crash test: {reason}"
    return versions[-1].parent.name, "main"


def _pg_ctl(version: str, name: str, *args: str) -> None:
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, name, *args],
        check=True,
        capture_output=True,
        timeout=60,
    )


def _wait_for_postgres() -> None:
    deadline = time.monotonic() + WAIT
    while postgres_unavailable() is not None:
        assert time.monotonic() < deadline, "PostgreSQL did not come back"
        time.sleep(0.5)


def _support(port: int, token: str, issue: int) -> int:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/issues/{issue}/support",
        method="POST",
        headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


def _count(url: str, sql: str) -> int:
    import psycopg

    with psycopg.connect(url, connect_timeout=5) as conn:
        row = conn.execute(sql).fetchone()
    return int(row[0]) if row else -1


def test_acknowledged_supports_survive_an_immediate_stop_of_postgres(tmp_path: Path) -> None:
    cluster = _cluster()
    if isinstance(cluster, str):
        pytest.skip(reason=cluster)
    version, name = cluster
    database = f"cg_crash_{os.getpid()}"
    url = create_database(database)
    env = base_env(tmp_path / "data", url)
    server = None
    stopped = False
    try:
        cg(env, "manage", "migrate", "-v", "0")
        cg(env, "forum", "create", FORUM, "--name", "Crash IGF", "--level", "global")
        cg(env, "cycle", "open", FORUM, "2027")
        world = seed(env, FORUM, "crash", str(PEOPLE), str(ISSUES), "0", "--tokens")
        tokens, issues = world["tokens"], world["issues"]
        assert len(tokens) == PEOPLE and len(issues) == ISSUES

        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "commonground.cli", "serve", "--no-migrate",
             "--port", str(port), "--workers", "2"],
            env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + WAIT
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/forums", timeout=2):
                    break
            except OSError:
                assert server.poll() is None, "the server stopped"
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.25)

        started = time.monotonic()
        jobs = [(token, issue) for token in tokens for issue in issues]
        with ThreadPoolExecutor(max_workers=8) as pool:
            statuses = list(pool.map(lambda job: _support(port, *job), jobs))
        sending = time.monotonic() - started
        assert statuses.count(201) == PEOPLE * ISSUES, sorted(set(statuses))

        stopped = True
        _pg_ctl(version, name, "stop", "-m", "immediate")
        _pg_ctl(version, name, "start")
        stopped = False
        _wait_for_postgres()

        # Each acknowledged support committed its ledger entry in its own transaction: as a
        # pending entry (batched sequencing, docs/ledger.md section 7) or already integrated.
        # The crash may come before the sequencer's next round, so both tables count.
        supports = _count(url, "SELECT count(*) FROM issues_support")
        written = _count(
            url,
            "SELECT (SELECT count(*) FROM ledger_ledgerentry WHERE action = 'support.add')"
            " + (SELECT count(*) FROM ledger_pendingentry WHERE action = 'support.add')",
        )
        assert (supports, written) == (PEOPLE * ISSUES, PEOPLE * ISSUES)
        # `ledger verify` integrates what is pending, then checks every hash: afterwards all
        # 500 entries have their place in the tree and none is left waiting.
        verify = cg(env, "ledger", "verify", check=False)
        assert verify.returncode == 0, verify.stderr
        integrated = _count(
            url, "SELECT count(*) FROM ledger_ledgerentry WHERE action = 'support.add'"
        )
        assert integrated == PEOPLE * ISSUES
        assert _count(url, "SELECT count(*) FROM ledger_pendingentry") == 0
        assert cg(env, "agenda", "check", FORUM, check=False).returncode == 0
        print(json.dumps({"supports": supports, "sending_seconds": round(sending, 1)}))
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
        if stopped or postgres_unavailable() is not None:
            subprocess.run(
                ["pg_ctlcluster", "--skip-systemctl-redirect", version, name, "start"],
                capture_output=True,
                timeout=60,
                check=False,
            )
            _wait_for_postgres()
        drop_database(database)
