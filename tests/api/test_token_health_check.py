"""A bearer-token request's token lookup stands for the connection's health check.

With ``CONN_HEALTH_CHECKS`` Django tests a kept connection with ``SELECT 1`` before a
request's first statement. For an API request with a bearer token that statement is the
token lookup, a read: it runs without the ``SELECT 1`` (issue 19, a round trip less per
support), and if the connection was lost while idle (PostgreSQL restarted, the connection
cut), the lookup runs again on a new connection, so the request is answered as the health
check would have let it be. Through Django's WSGI handler, as gunicorn calls it: the
request signals are what reset the check between requests.
"""

from __future__ import annotations

import io
import sys
import time
from collections.abc import Iterable
from typing import Any

import psycopg
import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import ProgrammingError, connection, connections

from commonground.core import prepared
from commonground.issues.models import Issue, Support
from tests.api.conftest import API, bearer
from tests.conftest import World

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's connections"),
    pytest.mark.django_db(transaction=True),
]


def _call(handler: WSGIHandler, method: str, path: str, headers: dict[str, str]) -> str:
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "testserver",
        "CONTENT_LENGTH": "0",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.url_scheme": "http",
        **headers,
    }
    answered: list[str] = []

    def start_response(status: str, response_headers: Any, *exc: Any) -> None:
        answered.append(status)

    chunks: Iterable[bytes] = handler(environ, start_response)
    b"".join(chunks)
    chunks.close()  # type: ignore[attr-defined]  # request_finished, as gunicorn sends it
    return answered[0][:3]


def _cut(pid: int) -> None:
    """End the server session ``pid`` from outside, as a restart or an idle timeout does."""
    dsn = connection.get_connection_params()
    with psycopg.connect(
        **{k: v for k, v in dsn.items() if k in {"host", "port", "user", "password", "dbname"}},
        autocommit=True,
    ) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])
        for _ in range(200):
            gone = admin.execute(
                "SELECT NOT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = %s)", [pid]
            )
            if gone.fetchone() == (True,):
                return
            time.sleep(0.01)


def test_a_support_on_a_connection_lost_while_idle_is_answered_on_a_new_one(
    world: World, issue: Issue, monkeypatch: pytest.MonkeyPatch
) -> None:
    member = world.member["government"]
    auth, handler = bearer(member), WSGIHandler()
    url = f"{API}/issues/{issue.pk}/support"
    assert _call(handler, "POST", url, auth) == "201"
    kept = connection.connection
    assert kept is not None and not kept.closed  # kept between requests (CONN_MAX_AGE)
    _cut(kept.info.backend_pid)
    assert _call(handler, "DELETE", url, auth) == "204"  # the lookup ran again, reconnected
    assert connection.connection is not kept
    assert not Support.objects.filter(issue=issue).exists()
    # Boundary: the next request on the new connection, checked by its lookup alone
    # (no SELECT 1 of Django's health check before it).
    checks: list[object] = []
    usable = type(connections["default"]).is_usable
    monkeypatch.setattr(
        type(connections["default"]), "is_usable", lambda db: checks.append(db) or usable(db)
    )
    assert _call(handler, "POST", url, auth) == "201"
    assert checks == []
    assert Support.objects.filter(issue=issue).count() == 1


def test_a_lookups_own_error_on_a_live_connection_is_raised_not_retried() -> None:
    connection.ensure_connection()
    connection.health_check_done = False  # as at a request's start
    with pytest.raises(ProgrammingError):
        prepared.fetch("SELECT no_such_column FROM (SELECT %s) AS t", [1], checks_connection=True)
    assert connection.connection is not None and not connection.connection.closed


def test_a_statement_after_the_health_check_replaced_the_connection_is_prepared_anew() -> None:
    """Any hand-written statement (not standing for the check): Django's health check runs
    before the statement's session is looked up, so a statement prepared on the lost
    connection is prepared again on the new one instead of failing as unknown there."""
    statement = "SELECT %s + 1"
    assert prepared.fetch(statement, [1]) == (2,)  # prepared on this connection
    lost = connection.connection
    _cut(lost.info.backend_pid)
    connection.health_check_done = False  # as at the next request's start
    assert prepared.fetch(statement, [2]) == (3,)
    assert connection.connection is not lost
