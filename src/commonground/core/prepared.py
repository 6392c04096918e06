"""Hand-written hot statements as prepared statements of the database session (issue 19).

A support's statements are a few hundred characters of SQL with a dozen sub-statements:
PostgreSQL parsed and planned them afresh every time, about as much of its CPU as running
them (docs/performance.md, "The support statement prepared"). :func:`fetch` runs such a
statement as ``EXECUTE`` of a statement the session prepared on first use (SQL-level
``PREPARE``, in the same message), so the plan is made once per connection. The text
stays the simple query protocol's, so a caller may still end the message with
``; COMMIT``.

The parameters' types are fixed in the ``PREPARE`` from the first call's Python values
(part of the statement's name, so other types make another statement). Prepared
statements live in the server session: behind PgBouncer in transaction mode
(``COMMONGROUND_PGBOUNCER``) a client's next transaction may run on another server
session, so there the statement runs as plain text, as before.
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime
from functools import lru_cache
from typing import Any, NamedTuple
from weakref import WeakKeyDictionary

from django.conf import settings
from django.db import connection
from psycopg.pq import ExecStatus

Row = tuple[Any, ...]

# Per psycopg connection (one server session each): the names it has prepared. A new
# connection (Django reconnects after CONN_MAX_AGE or an error) starts empty.
_PREPARED: WeakKeyDictionary[Any, set[str]] = WeakKeyDictionary()
# Names whose PREPARE went out in a message that failed: prepared or not, the session knows.
_UNSURE: WeakKeyDictionary[Any, set[str]] = WeakKeyDictionary()
_PLACEHOLDER = re.compile(r"%s")


# The common exact types: one lookup instead of up to three isinstance tests per value.
_TYPES = {bool: "boolean", int: "bigint", datetime: "timestamptz", str: "text"}


def _type(value: Any) -> str:
    exact = _TYPES.get(type(value))
    if exact is not None:
        return exact
    if isinstance(value, bool):  # before int: a bool is an int
        return "boolean"
    if isinstance(value, int):
        return "bigint"
    if isinstance(value, datetime):
        return "timestamptz"
    return "text"  # strings (JSON text carries its own ::jsonb in the statement)


class _Named(NamedTuple):
    name: str
    execute: str  # EXECUTE name(%s, ...)
    prepare: str  # PREPARE name (types) AS the statement with $1, $2, ...


@lru_cache(maxsize=512)
def _named(sql: str, types: tuple[str, ...]) -> _Named:
    """The statement's name and texts, made once per statement and parameter types."""
    signature = f"{sql}\x00{','.join(types)}"
    name = "cg_" + hashlib.sha1(signature.encode(), usedforsecurity=False).hexdigest()[:20]
    execute = f"EXECUTE {name}({', '.join(['%s'] * len(types))})"
    if "$" in sql:  # never in the hand-written statements: refuse rather than guess
        raise ValueError("a prepared statement's text may not contain '$'")
    numbered = iter(range(1, len(types) + 1))
    body = _PLACEHOLDER.sub(lambda _m: f"${next(numbered)}", sql)
    return _Named(name, execute, f"PREPARE {name} ({', '.join(types)}) AS {body}")


def enabled() -> bool:
    """Prepared on PostgreSQL, unless sessions are shared by a pooler in transaction mode."""
    return connection.vendor == "postgresql" and not getattr(
        settings, "COMMONGROUND_PGBOUNCER", False
    )


def fetch(sql: str, params: list[Any], then: str = "") -> Row | None:
    """The first row of ``sql`` (parameters written ``%s``; no ``None`` among ``params``) run
    as the session's prepared statement; ``then``: statements sent after it in the same
    message (``"; COMMIT"``)."""
    if not enabled():
        return _first(sql + then, params)
    types = tuple(_type(value) for value in params)
    name, execute, prepare = _named(sql, types)
    execute += then
    connection.ensure_connection()
    prepared = _PREPARED.setdefault(connection.connection, set())
    if name in _UNSURE.get(connection.connection, ()):
        _UNSURE[connection.connection].discard(name)
        if _first("SELECT 1 FROM pg_prepared_statements WHERE name = %s", [name]):
            prepared.add(name)
    if name in prepared:
        return _first(execute, params)
    try:
        row = _first(f"{prepare}; {execute}", params)
    except Exception:
        # PREPARE is not undone by a rollback: when the statement after it failed (a
        # deadlock, a conflict), the session has it. Asked once, on the next use.
        _UNSURE.setdefault(connection.connection, set()).add(name)
        raise
    prepared.add(name)
    return row


def _returns_rows(cursor: Any) -> bool:
    """Whether the cursor's current result has rows (psycopg's test for ``description``,
    without building its column objects: about 15 % of a support's application CPU went
    to building them twice per statement, docs/performance.md)."""
    result = cursor.pgresult
    return result is not None and bool(result.nfields or result.status == ExecStatus.TUPLES_OK)


def _first(sql: str, params: list[Any]) -> Row | None:
    with connection.cursor() as wrapper:
        wrapper.execute(sql, params)
        if connection.vendor != "postgresql":
            row = wrapper.fetchone() if wrapper.description is not None else None
            return tuple(row) if row is not None else None
        cursor = wrapper.cursor  # psycopg's own, past Django's wrapper
        while not _returns_rows(cursor) and cursor.nextset():
            pass  # past PREPARE's result to the statement's rows
        row = cursor.fetchone() if _returns_rows(cursor) else None
    return tuple(row) if row is not None else None
