"""A real streaming replica behind the router (docs/deployment.md, "Replica").

The test builds its own small primary cluster (initdb), migrates it, clones it with
``pg_basebackup`` into a streaming replica on another port, and serves Common Ground on
both. With the replica's replay paused, a new issue is on the primary only: an anonymous
read of the issue list does not see it (it read the replica), the member who wrote it
does (pinned to the primary by the cookie of the write). Skips with a reason when the
PostgreSQL server tools are missing, never under CI=true when they are there.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from commonground.core.children import stop_children

BIN = Path("/usr/lib/postgresql/15/bin")
TOOLS = ("initdb", "pg_ctl", "pg_basebackup", "psql")
SEED = """
import django, json
django.setup()
from commonground.forums.services import create_forum, join_forum, open_cycle
from commonground.participants.services import create_account, create_api_token
forum = create_forum(None, slug="rep-igf", name="Replica IGF", level="global")
open_cycle(None, forum, "2027")
user = create_account("rita.replica@example.org", None, display_name="Rita")
join_forum(user, forum, stakeholder_group="civil_society", country="KE")
print(json.dumps({"token": create_api_token(user, "replica")[1]}))
"""


def _tool(name: str) -> str | None:
    found = BIN / name
    return str(found) if found.exists() else shutil.which(name)


def _ports() -> list[int]:
    low, _, high = os.environ.get("COMMONGROUND_TEST_PORTS", "8690-8699").partition("-")
    return list(range(int(low), int(high or low) + 1))[-3:]


def _pg(tool: str, *args: str) -> list[str]:
    """A PostgreSQL server tool's command line, run as the postgres user when root."""
    command = [_tool(tool) or tool, *args]
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def _run(command: list[str], **kwargs: Any) -> str:
    done = subprocess.run(command, capture_output=True, text=True, timeout=180, **kwargs)
    assert done.returncode == 0, f"{command[:3]}: {done.stdout[-800:]} {done.stderr[-800:]}"
    return done.stdout


@pytest.fixture
def clusters() -> Iterator[dict[str, Any]]:
    missing = [t for t in TOOLS if _tool(t) is None]
    if missing or (os.geteuid() == 0 and shutil.which("runuser") is None):
        reason = f"needs the PostgreSQL server tools ({', '.join(missing) or 'runuser'})"
        if os.environ.get("CI") == "true" and not missing:
            pytest.fail(reason)
        pytest.skip(reason)
    primary_port, replica_port, web_port = _ports()
    root = Path(tempfile.mkdtemp(prefix="cg-replica-"))
    primary, replica = root / "primary", root / "replica"
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
    started: list[Path] = []

    def start(data: Path, port: int) -> None:
        options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off"
        log = str(root / f"{data.name}.log")
        _run(_pg("pg_ctl", "-D", str(data), "-o", options, "-l", log, "-w", "start"))
        started.append(data)

    try:
        _run(_pg("initdb", "-D", str(primary), "-U", "postgres", "--auth=trust"))
        start(primary, primary_port)
        at = ["-h", "127.0.0.1", "-p", str(primary_port), "-U", "postgres"]
        _run(_pg("psql", *at, "-c", "CREATE DATABASE cg"))
        _run(_pg("pg_basebackup", *at, "-D", str(replica), "-R", "-X", "stream", "-c", "fast"))
        start(replica, replica_port)
        yield {
            "primary": f"postgres://postgres@127.0.0.1:{primary_port}/cg",
            "replica": f"postgres://postgres@127.0.0.1:{replica_port}/cg",
            "web_port": web_port,
            "root": root,
        }
    finally:
        for data in reversed(started):
            subprocess.run(
                _pg("pg_ctl", "-D", str(data), "-m", "immediate", "stop"),
                capture_output=True,
                timeout=60,
            )
        shutil.rmtree(root, ignore_errors=True)


def _request(url: str, method: str = "GET", body: Any = None, headers: Any = None) -> Any:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    if data is not None:
        request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=30) as answer:
        return answer.status, answer.headers, json.loads(answer.read() or b"null")


def _titles(url: str, headers: Any = None) -> list[str]:
    return [i["title"] for i in _request(url, headers=headers)[2]["items"]]


@pytest.mark.scenario
def test_read_heavy_gets_read_the_replica_while_a_writer_reads_the_primary(
    clusters: dict[str, Any],
) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": clusters["primary"],
        "DJANGO_SETTINGS_MODULE": "commonground.settings",
        "COMMONGROUND_DATA_DIR": str(clusters["root"] / "data"),
    }
    env.pop("DATABASE_REPLICA_URL", None)
    _run([sys.executable, "-m", "commonground.cli", "manage", "migrate"], env=env)
    token = json.loads(_run([sys.executable, "-c", SEED], env=env).strip().splitlines()[-1])
    env["DATABASE_REPLICA_URL"] = clusters["replica"]
    port = clusters["web_port"]
    command = [sys.executable, "-m", "commonground.cli", "serve", "--no-migrate", "--no-worker"]
    log = (clusters["root"] / "web.log").open("w")
    server = subprocess.Popen(
        [*command, "--workers", "1", "--port", str(port)], env=env, stdout=log, stderr=log
    )
    base = f"http://127.0.0.1:{port}/api/v1/forums/rep-igf/issues"
    replica_sql = [_tool("psql") or "", clusters["replica"], "-Atc"]
    try:
        deadline = time.monotonic() + 90
        while True:  # the server is up and the replica has the seeded forum
            try:
                if _request(base)[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "the server did not answer"
            time.sleep(0.5)
        _run([*replica_sql, "SELECT pg_wal_replay_pause()"])
        auth = {"Authorization": f"Bearer {token['token']}"}
        body = {"title": "Written on the primary", "description": "Replay is paused."}
        status, headers, _ = _request(base, "POST", body, auth)
        assert status == 201
        pin = headers.get("Set-Cookie", "")
        assert pin.startswith("cg_primary=1") and "Max-Age=5" in pin
        assert _titles(base) == []  # the anonymous read went to the paused replica
        pinned = {"Cookie": "cg_primary=1"}
        assert _titles(base, pinned) == ["Written on the primary"]  # read-your-writes
        _run([*replica_sql, "SELECT pg_wal_replay_resume()"])
        deadline = time.monotonic() + 30
        while _titles(base) != ["Written on the primary"]:
            assert time.monotonic() < deadline, "the replica never caught up"
            time.sleep(0.2)
    finally:
        stop_children([server])
        log.close()


@pytest.mark.django_db(transaction=True)  # outside a transaction, as a request's reads are
def test_the_database_cache_reads_and_writes_the_primary_during_a_replica_read(
    settings: Any,
) -> None:
    """A lagging replica must not answer the shared cache (a stale version key would serve
    an old page): in a request whose reads go to the replica, the cache's reads and
    writes stay on the primary. No replica database is configured here, so a cache query
    sent to it would fail; the issue list's read of the same request does go there."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from commonground.core import replica
    from commonground.issues.models import Issue

    settings.DATABASE_ROUTERS = ["commonground.core.replica.ReplicaRouter"]
    token = replica._use_replica.set(True)  # what ReplicaMiddleware sets for an eligible GET
    try:
        router = replica.ReplicaRouter()
        assert router.db_for_read(Issue) == replica.REPLICA  # the page's own reads
        assert router.db_for_read(cache.cache_model_class) == "default"  # type: ignore[attr-defined]
        with CaptureQueriesContext(connection) as primary:
            cache.set("version:issue:1", "a", 60)
            assert cache.get("version:issue:1") == "a"
            assert cache.add("version:issue:1", "b", 60) is False
            assert cache.get_many(["version:issue:1"]) == {"version:issue:1": "a"}
            assert cache.has_key("version:issue:1")
            cache.delete("version:issue:1")
        assert len(primary.captured_queries) >= 6  # every one of them on the primary
    finally:
        replica._use_replica.reset(token)
