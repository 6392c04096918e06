"""Shared helpers of the ledger tests: a private signing key and a quick way to grow the log."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.db import connection, transaction

from commonground.ledger.services import Event, append_many


@pytest.fixture(autouse=True)
def ledger_key(settings: Any, tmp_path: Path) -> Path:
    """Every test signs with its own key file, created on first use under tmp_path."""
    path = tmp_path / "ledger_ed25519.pem"
    settings.COMMONGROUND_LEDGER_KEY = None
    settings.COMMONGROUND_LEDGER_KEY_FILE = path
    settings.COMMONGROUND_LEDGER_ORIGIN = "forum.example.org"
    return path


def grow(n: int, action: str = "test.note") -> None:
    """Append ``n`` entries with distinct fields."""
    with transaction.atomic():
        append_many(
            Event(action, "note", i, actor=f"p-{i % 7}", fields={"n": i, "text": f"é {i}"})
            for i in range(n)
        )


LEDGER_TABLES = ("ledger_ledgerentry", "ledger_checkpoint", "ledger_ledgerhead")


def tamper(sql: str, params: list[Any] | None = None) -> None:
    """Run raw SQL on ledger rows as the tables' owner would: past every trigger.

    Inside the test's transaction: the triggers are dropped (SQLite) or disabled
    (PostgreSQL) and come back when the test's transaction is rolled back.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table in LEDGER_TABLES:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN "
                f"({', '.join('%s' for _ in LEDGER_TABLES)})",
                list(LEDGER_TABLES),
            )
            for (name,) in cursor.fetchall():
                cursor.execute(f"DROP TRIGGER {name}")
        cursor.execute(sql, params or [])
