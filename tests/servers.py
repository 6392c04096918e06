"""Real server processes for the tests: ``commonground serve`` (gunicorn) on the test database.

A subprocess rather than ``live_server``: Django's development server answers a client that
keeps its connection alive (as Schemathesis does) about six times slower, the production
server is the one whose behaviour matters, and only separate processes show what is, or
is not, shared between them. Tests using it need
``django_db(transaction=True)`` so the server sees the rows they write.

``COMMONGROUND_TEST_PORTS`` (e.g. ``8650-8659``) confines the ports the servers take to a
range, for machines where several people run tests side by side.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit
from urllib.request import urlopen

import pytest
from django.db import connection

from commonground.core.children import stop_children

_taken: set[int] = set()


def script(name: str) -> str:
    """A command of this environment (``st``, ``commonground``); a failure, never a skip."""
    beside_python = Path(sys.executable).with_name(name)
    found = str(beside_python) if beside_python.exists() else shutil.which(name)
    if found is None:
        pytest.fail(f"the command '{name}' is missing: run 'uv sync'")
    return found


def _bindable(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def free_port() -> int:
    """A port nobody listens on: from COMMONGROUND_TEST_PORTS if set, else any."""
    span = os.environ.get("COMMONGROUND_TEST_PORTS", "")
    if span:
        low, _, high = span.partition("-")
        for port in range(int(low), int(high or low) + 1):
            if port not in _taken and _bindable(port):
                _taken.add(port)
                return port
        pytest.fail(f"no free port in COMMONGROUND_TEST_PORTS={span}")
    # The system may hand out the same free port twice in a row (nothing listens on it
    # yet); two servers of one test given one port would answer for each other.
    while True:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port: int = probe.getsockname()[1]
        if port not in _taken:
            _taken.add(port)
            return port


def server_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """The environment that points ``commonground serve`` at this test's database."""
    env = {**os.environ, "COMMONGROUND_DATA_DIR": str(data_dir)}
    env["COMMONGROUND_EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    # Static files from the app folders: no collecting and compressing at each start (the
    # collected, compressed files are tested once, in tests/test_cli.py).
    env["COMMONGROUND_STATIC"] = "plain"
    # Tests read right after their changes: no staleness window for anonymous readers
    # (tests/conftest.py says why; tests/web/test_read_cache.py checks the window).
    env["COMMONGROUND_READ_STALE_SECONDS"] = "0"
    database = connection.settings_dict
    if connection.vendor == "sqlite":
        env.pop("DATABASE_URL", None)
        env["COMMONGROUND_SQLITE_PATH"] = str(database["NAME"])
    else:
        # The same server and credentials as the suite's DATABASE_URL, on the test database.
        url = urlsplit(os.environ["DATABASE_URL"])
        env["DATABASE_URL"] = urlunsplit(url._replace(path="/" + quote(database["NAME"])))
    env.update(extra)
    return env


ACCESS_LOG = re.compile(r"^\d+\.\d+\.\d+\.\d+ - - \[|^[A-Z][A-Za-z ]+: /")


def server_log(log: Path) -> str:
    """What the server logged besides access lines and 4xx notes: tracebacks, mostly."""
    lines = log.read_text(errors="replace").splitlines()
    return "\n".join(line for line in lines if not ACCESS_LOG.match(line))[-20_000:]


@contextmanager
def serving(
    env: dict[str, str],
    log: Path,
    *,
    workers: int = 1,
    task_worker: bool = False,
    port: int | None = None,
) -> Iterator[str]:
    """Run ``commonground serve --no-migrate`` until the block ends; yields its base URL.

    ``port`` serves on a port taken before (an instance whose public URL names it)."""
    port = port or free_port()
    command = [script("commonground"), "serve", "--no-migrate", "--host", "127.0.0.1",
               "--port", str(port), "--workers", str(workers)]  # fmt: skip
    if not task_worker:
        command.append("--no-worker")
    with log.open("w") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            # Generous bounds: on a machine shared with other test runs the first request
            # (imports, the OpenAPI document) can take many seconds; a slow start is not a
            # failure, a server that never answers is.
            deadline = time.monotonic() + 180
            while True:
                if process.poll() is not None:
                    pytest.fail(f"the server ended at start:\n{server_log(log)}")
                try:
                    with urlopen(f"{url}/api/v1/openapi.json", timeout=30) as answer:
                        if answer.status == 200:
                            break
                except OSError:
                    if time.monotonic() > deadline:
                        pytest.fail(f"the server did not start:\n{server_log(log)}")
                    time.sleep(0.3)
            yield url
        finally:
            stop_children([process])  # as the CLI stops its own: SIGTERM, then a kill
            _taken.discard(port)
