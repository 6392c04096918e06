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


def tamper(sql: str, params: list[Any]) -> None:
    """Run a raw UPDATE/DELETE on ledger rows past the append-only trigger.

    Inside the test's transaction: the trigger is dropped (SQLite) or disabled
    (PostgreSQL) and comes back when the test's transaction is rolled back.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "ALTER TABLE ledger_ledgerentry DISABLE TRIGGER ledger_ledgerentry_append_only"
            )
        else:
            cursor.execute("DROP TRIGGER ledger_ledgerentry_no_update")
        cursor.execute(sql, params)
