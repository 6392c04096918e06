"""A throwaway Common Ground site for benchmarks that go through Django.

Each run gets a fresh data directory (SQLite) or a freshly created PostgreSQL database,
migrated, so a benchmark never touches a real site's data.
"""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

POSTGRES_SERVER = "postgres://postgres@127.0.0.1:5432"

# What bench/load.py's servers run with: the bench-only URLconf (the baselines' views),
# batched ledger sequencing, and the database task queue (a vote queues its opinion map's
# recompute instead of computing it in the request).
LOAD_SERVER_SETTINGS = {
    "COMMONGROUND_BENCH_URLCONF": "bench.load_urls",
    "COMMONGROUND_LEDGER_SEQUENCING": "batched",
    "COMMONGROUND_TASKS": "database",
}


def like_load_servers(every_read_checks: bool = False) -> None:
    """Run this process with the load bench's servers' settings, where its environment
    does not say otherwise: a one-request-at-a-time bench then measures the code paths
    the load runs take. ``every_read_checks``: the read cache's window off, so every
    anonymous read checks its versions and each read after a write is the render (or the
    version check) that write causes."""
    for name, value in LOAD_SERVER_SETTINGS.items():
        os.environ.setdefault(name, value)
    if every_read_checks:
        os.environ["COMMONGROUND_READ_STALE_SECONDS"] = "0"


def wsgi_environ(port: int, **more: Any) -> dict[str, Any]:
    """What a loopback client's request carries to Django's WSGI handler, less its
    method, path and body (and ``more``): the benches that call the handler one request
    at a time send the same headers as the load's clients."""
    return {
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": str(port),
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": f"127.0.0.1:{port}",
        "HTTP_ACCEPT_ENCODING": "gzip, deflate",
        "HTTP_ACCEPT": "*/*",
        "HTTP_USER_AGENT": "bench",
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        **more,
    }


def print_profile(run: Callable[[], object], by_own: int, by_total: int) -> None:
    """Run ``run`` under cProfile with the process's CPU time as its clock (a benchmark's
    figure is CPU, not wall time) and print its ``by_own`` functions of most own time and
    its ``by_total`` of most cumulative time."""
    profile = cProfile.Profile(time.process_time)
    profile.enable()
    run()
    profile.disable()
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out).sort_stats("tottime")
    stats.print_stats(by_own)
    stats.sort_stats("cumulative").print_stats(by_total)
    print(out.getvalue())


def setup_scratch_site(database: str, name: str) -> None:
    """Configure and migrate a new, empty site; ``name`` names its data dir and database."""
    data_dir = Path(tempfile.mkdtemp(prefix=f"cg-bench-{name}-"))
    os.environ["COMMONGROUND_DATA_DIR"] = str(data_dir)
    db_name = f"cg_bench_{name.replace('-', '_')}"
    if database == "postgres":
        os.environ["DATABASE_URL"] = f"{POSTGRES_SERVER}/{db_name}"
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "commonground.settings"
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    if database == "postgres":
        import psycopg

        with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as c:
            c.execute(f"DROP DATABASE IF EXISTS {db_name}")
            c.execute(f"CREATE DATABASE {db_name}")
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def call_handler(handler: Any, environ: dict[str, Any], csrf: dict[str, str]) -> tuple[str, bytes]:
    """Call Django's WSGI ``handler`` as a reader's browser would: the CSRF cookie sent back
    once the first answer set it (kept in ``csrf``). Returns the status line and the body."""
    if csrf:
        environ["HTTP_COOKIE"] = f"csrftoken={csrf['value']}"
    answered: list[tuple[str, list[tuple[str, str]]]] = []

    def start_response(status: str, headers: list[tuple[str, str]], *exc: Any) -> None:
        answered.append((status, headers))

    chunks: Iterable[bytes] = handler(environ, start_response)
    body = b"".join(chunks)
    status, headers = answered[0]
    for name, value in headers:
        cookie = value.strip()
        if name == "Set-Cookie" and cookie.startswith("csrftoken=") and not csrf:
            csrf["value"] = cookie.split(";")[0].split("=", 1)[1]
    return status, body
