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
from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections
from psycopg import ClientCursor
from psycopg._queries import PostgresClientQuery
from psycopg.adapt import Transformer
from psycopg.pq import ExecStatus, TransactionStatus

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


_NAMED = re.compile(r"%\((\w+)\)s")


@lru_cache(maxsize=512)
def _order(sql: str) -> tuple[str, ...]:
    """A statement's parameter names (``%(name)s``), each once, in order of first use."""
    return tuple(dict.fromkeys(_NAMED.findall(sql)))


@lru_cache(maxsize=512)
def _named(sql: str, types: tuple[str, ...]) -> _Named:
    """The statement's name and texts, made once per statement and parameter types."""
    signature = f"{sql}\x00{','.join(types)}"
    name = "cg_" + hashlib.sha1(signature.encode(), usedforsecurity=False).hexdigest()[:20]
    execute = f"EXECUTE {name}({', '.join(['%s'] * len(types))})"
    if "$" in sql:  # never in the hand-written statements: refuse rather than guess
        raise ValueError("a prepared statement's text may not contain '$'")
    if "%(" in sql:  # named: each name is one parameter, however often the text uses it
        number = {n: i for i, n in enumerate(_order(sql), start=1)}
        body = _NAMED.sub(lambda m: f"${number[m.group(1)]}", sql)
    else:
        numbered = iter(range(1, len(types) + 1))
        body = _PLACEHOLDER.sub(lambda _m: f"${next(numbered)}", sql)
    return _Named(name, execute, f"PREPARE {name} ({', '.join(types)}) AS {body}")


def quoted_tables(models: dict[str, Any]) -> dict[str, str]:
    """Each model's table name quoted for the default database, by the caller's names for
    them: what a hand-written statement's builder keeps once per process."""
    quote = connection.ops.quote_name
    return {name: str(quote(model._meta.db_table)) for name, model in models.items()}


def enabled() -> bool:
    """Prepared on PostgreSQL, unless sessions are shared by a pooler in transaction mode."""
    return connection.vendor == "postgresql" and not getattr(
        settings, "COMMONGROUND_PGBOUNCER", False
    )


Params = list[Any] | dict[str, Any]


def fetch(
    sql: str,
    params: Params,
    then: str = "",
    using: str = DEFAULT_DB_ALIAS,
    before: tuple[str, list[Any]] | None = None,
    checks_connection: bool = False,
) -> Row | None:
    """The first row of ``sql`` (parameters written ``%s`` with a list, or ``%(name)s`` with
    a dict, a name used as often as the text needs it but sent once; no ``None`` among
    ``params``) run as the session's prepared statement; ``then``: statements sent after
    it in the same message (``"; COMMIT"``); ``using``: the database (a read replica's,
    for a read routed there); ``before``: a statement (``%s`` parameters, its rows unread)
    run first in the same message, e.g. one that waits for a row's lock so that ``sql``
    starts with a snapshot taken after it; left out where nothing is prepared (behind a
    pooler), so it may only be what makes ``sql`` cheaper, never what makes it right.
    ``checks_connection``: ``sql`` only reads, so it may stand for the request's health
    check (``_checked``)."""
    if checks_connection:
        return _checked(sql, params, then, using, before)
    # The connection of this thread, looked up once: each ``connection.x`` goes through
    # Django's proxy and the thread's local storage (~8 per call, ~5 % of a support's
    # CPU under the profiler).
    db = connections[using]
    if db.vendor != "postgresql" or getattr(settings, "COMMONGROUND_PGBOUNCER", False):
        return _first(db, sql + then, params)
    # Django's health check (once a request) before the session is looked up: when it
    # replaces a lost connection, the statements are prepared on the new one.
    db.close_if_health_check_failed()
    db.ensure_connection()
    session = db.connection
    prepared = _PREPARED.get(session)
    if prepared is None:
        prepared = _PREPARED.setdefault(session, set())
    if before is None:  # one statement (nearly every call): as short a way as can be
        values = [params[n] for n in _order(sql)] if isinstance(params, dict) else params
        types = tuple([_TYPES.get(type(value)) or _type(value) for value in values])
        name, execute, prepare = _named(sql, types)
        _settle(db, session, prepared, name)
        if name in prepared:
            return _first(db, execute + then, values)
        try:
            row = _first(db, f"{prepare}; {execute}{then}", values)
        except Exception:
            # PREPARE is not undone by a rollback: when the statement after it failed (a
            # deadlock, a conflict), the session has it. Asked once, on the next use.
            _UNSURE.setdefault(session, set()).add(name)
            raise
        prepared.add(name)
        return row
    texts: list[str] = []  # the PREPAREs this message must carry, then the EXECUTEs
    executes: list[str] = []
    values = []
    names: list[str] = []
    for text, given in (before, (sql, params)):
        ordered = [given[n] for n in _order(text)] if isinstance(given, dict) else given
        types = tuple([_TYPES.get(type(value)) or _type(value) for value in ordered])
        name, execute, prepare = _named(text, types)
        _settle(db, session, prepared, name)
        if name not in prepared:
            texts.append(prepare)
            names.append(name)
        executes.append(execute)
        values += ordered
    message = "; ".join(texts + executes) + then
    try:
        row = _first(db, message, values, skip=len(executes) - 1)
    except Exception:
        _UNSURE.setdefault(session, set()).update(names)  # as above
        raise
    prepared.update(names)
    return row


def _checked(
    sql: str, params: Params, then: str, using: str, before: tuple[str, list[Any]] | None
) -> Row | None:
    """``fetch`` of a statement that only reads, standing for Django's health check.

    With ``CONN_HEALTH_CHECKS`` Django runs ``SELECT 1`` on a kept connection before a
    request's first statement, a round trip of its own (issue 19: a bearer-token request's
    first statement is the token lookup). Here the read itself is the check: run on the
    connection unchecked, and if it fails because the connection is gone (PostgreSQL
    restarted, the connection cut while idle), the connection is closed and the read run
    once more on a new one, as the health check would have replaced it first. Any other
    error is the read's own and raised as it is. Inside a transaction, or when the check
    is done already or not asked for, the read runs as any other."""
    db: Any = connections[using]  # the health check's attributes are not in the stubs
    if (
        db.vendor != "postgresql"
        or db.connection is None
        or not db.health_check_enabled
        or db.health_check_done
        or db.in_atomic_block
        or getattr(db, "pool", None)
    ):
        return fetch(sql, params, then, using, before)
    db.health_check_done = True
    try:
        return fetch(sql, params, then, using, before)
    except DatabaseError:
        if db.connection is not None and not db.connection.closed:
            raise  # the connection is alive: the statement's own error
    db.close()
    return fetch(sql, params, then, using, before)  # on a new connection


def _settle(db: Any, session: Any, prepared: set[str], name: str) -> None:
    """Whether a statement whose PREPARE went out in a failed message is prepared: asked
    of the session once, on the statement's next use."""
    unsure = _UNSURE.get(session)
    if unsure and name in unsure:
        unsure.discard(name)
        if _first(db, "SELECT 1 FROM pg_prepared_statements WHERE name = %s", [name]):
            prepared.add(name)


def _returns_rows(cursor: Any) -> bool:
    """Whether the cursor's current result has rows (psycopg's test for ``description``,
    without building its column objects: about 15 % of a support's application CPU went
    to building them twice per statement, docs/performance.md)."""
    result = cursor.pgresult
    return result is not None and bool(result.nfields or result.status == ExecStatus.TUPLES_OK)


# Set on a database's wrapper: its psycopg connection, the cursor made for it and the
# transformer that writes the statements' parameters as literals for it.
_CURSOR = "_commonground_prepared_cursor"


def _cursor(db: Any) -> tuple[Any, Any]:
    """The psycopg cursor that runs this database's hand-written statements and the
    transformer that quotes their parameters, made once per server connection (a new
    connection gets new ones), past Django's cursor wrapper."""
    db.close_if_health_check_failed()  # what ``db.cursor()`` does first: once a request
    db.ensure_connection()
    db.validate_thread_sharing()
    session = db.connection
    cached = getattr(db, _CURSOR, None)
    if cached is not None and cached[0] is session and not cached[1].closed:
        return cached[1], cached[2]
    with db.wrap_database_errors:
        cursor = db.create_cursor()
    # Parameters written into the text, as psycopg's client-side cursor (Django's unless
    # ``server_side_binding``) does: what lets a statement end with "; COMMIT".
    if not isinstance(cursor, ClientCursor):
        raise ImproperlyConfigured(
            "hand-written statements need client-side binding (no server_side_binding)"
        )
    quoting = Transformer(cursor)
    setattr(db, _CURSOR, (session, cursor, quoting))
    return cursor, quoting


def _rows_of(cursor: Any, skip: int) -> Row | None:
    """The first row of the message's ``skip + 1``-th statement that returns rows (the
    PREPAREs' results, which have none, passed over)."""
    while not _returns_rows(cursor) and cursor.nextset():
        pass  # past PREPARE's result to the statement's rows
    for _ in range(skip):  # past the rows of a statement run before the one asked for
        if not cursor.nextset():
            return None
        while not _returns_rows(cursor) and cursor.nextset():
            pass
    row = cursor.fetchone() if _returns_rows(cursor) else None
    return tuple(row) if row is not None else None


def _begin(session: Any) -> bytes | None:
    """The statement that starts the transaction psycopg would open before the next
    statement (Django's ``atomic`` turned autocommit off and nothing ran since), or None
    when there is none to open (autocommit, a transaction already open, a pipeline)."""
    if session._autocommit or session._pipeline is not None:
        return None
    if session.pgconn.transaction_status != TransactionStatus.IDLE:
        return None
    begin: bytes = session._get_tx_start_command()  # BEGIN with the isolation level etc.
    return begin


def _execute_begun(session: Any, cursor: Any, text: bytes) -> None:
    """Run ``text`` (starting with the transaction's BEGIN) in one message. psycopg would
    send the BEGIN alone first, a round trip of its own (issue 19: the first statement of
    a support's transaction, the lock statement); it opens no transaction of its own while
    it believes the connection in autocommit, and after this message the transaction is
    open (or failed), so psycopg's commit and rollback end it as they would have."""
    session._autocommit = True
    try:
        cursor.execute(text)
    finally:
        session._autocommit = False


def _first(db: Any, sql: str, params: Params, skip: int = 0) -> Row | None:
    if db.vendor == "postgresql" and not db.queries_logged and not db.execute_wrappers:
        # A hot statement (a support runs three) without a Django cursor made and closed
        # for it: the same connection, health check, thread check, broken-transaction check
        # and error translation, but one psycopg cursor kept per server connection (made
        # and closed each time, about a quarter of the statement's application CPU, issue
        # 19). Logged queries (DEBUG, tests counting them) and execute wrappers take
        # Django's cursor, which runs them.
        cursor, quoting = _cursor(db)
        db.validate_no_broken_transaction()
        with db.wrap_database_errors:
            # The text psycopg's client-side cursor sends (its own query class quoting each
            # parameter), with a transformer kept for the connection: the cursor makes a new
            # one per statement, whose cache of dumpers starts empty (finding each type's
            # dumper again was most of the quoting's CPU, issue 19).
            query = PostgresClientQuery(quoting)
            query.convert(sql, params)
            begin = _begin(db.connection)
            if begin is None:
                cursor.execute(query.query)
            else:
                _execute_begun(db.connection, cursor, begin + b"; " + query.query)
            return _rows_of(cursor, skip)
    with db.cursor() as wrapper:
        wrapper.execute(sql, params)
        if db.vendor != "postgresql":
            row = wrapper.fetchone() if wrapper.description is not None else None
            return tuple(row) if row is not None else None
        return _rows_of(wrapper.cursor, skip)  # psycopg's own, past Django's wrapper
