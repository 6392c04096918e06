"""The database keeps the ledger append-only, on SQLite as on PostgreSQL.

The triggers (migrations 0003 and 0004) refuse to UPDATE or DELETE a ledger entry or a
checkpoint, to lower the ledger head, and on PostgreSQL to TRUNCATE these tables. On
SQLite the DELETE triggers ask ``commonground_ledger_reset()``, a function this module
registers on every connection the application opens: it answers 1 only inside
:func:`resetting`, the one place that empties a whole database (the test suite's flush
between tests). A connection that did not register it (the ``sqlite3`` shell, another
program) cannot run the trigger's condition, so its DELETE fails too.

On PostgreSQL the TRUNCATE trigger lets the tables' owner through (an owner could drop
the trigger anyway): the deployment runs the application as a role that does not own
the tables (docs/deployment.md), so that role can neither truncate nor disable triggers.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

_resetting: ContextVar[bool] = ContextVar("commonground_ledger_resetting", default=False)

SQL_FUNCTION = "commonground_ledger_reset"


@contextlib.contextmanager
def resetting() -> Iterator[None]:
    """Let this thread empty the ledger tables of a SQLite database (a whole-database reset)."""
    token = _resetting.set(True)
    try:
        yield
    finally:
        _resetting.reset(token)


def _reset_allowed() -> int:
    return 1 if _resetting.get() else 0


def register_sqlite_function(sender: Any, connection: Any, **kwargs: Any) -> None:
    """``connection_created`` receiver: give each SQLite connection the trigger's function."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(SQL_FUNCTION, 0, _reset_allowed)
