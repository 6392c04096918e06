"""On PostgreSQL the application role of docs/deployment.md cannot undo the ledger (issue 18).

The statements are read from the documentation itself, so the guide and the test agree.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.db import DatabaseError, connection, transaction

from commonground.ledger.models import LedgerEntry
from commonground.ledger.services import publish_checkpoint
from tests.ledger.helpers import grow, ledger_key  # noqa: F401 - autouse fixture

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL roles"),
]

DOC = Path(__file__).resolve().parents[2] / "docs" / "deployment.md"
ROLE = "commonground_app"


def _documented_grants() -> list[str]:
    text = DOC.read_text(encoding="utf-8")
    block = re.search(r"<!-- app-role-grants.*?-->\s*```sql\n(.*?)```", text, re.S)
    assert block, "docs/deployment.md lost its app-role-grants block"
    return [s.strip() for s in block.group(1).split(";") if s.strip()]


@pytest.fixture
def app_role() -> None:
    """Within the test's transaction: the documented role exists and this session acts as it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [ROLE])
        if cursor.fetchone() is None:
            cursor.execute(f"CREATE ROLE {ROLE} NOLOGIN")  # rolled back with the test
        for statement in _documented_grants():
            cursor.execute(statement)
        cursor.execute(f"SET LOCAL ROLE {ROLE}")


def _refused(sql: str) -> str:
    with (
        pytest.raises(DatabaseError) as caught,
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)
    return str(caught.value)


def test_the_app_role_appends_but_cannot_undo_the_ledger(app_role: None) -> None:
    grow(3)  # the application's own writes work as this role
    publish_checkpoint()
    for sql in (
        "TRUNCATE ledger_ledgerentry",
        "TRUNCATE ledger_checkpoint",
        "TRUNCATE ledger_ledgerhead",
        "DELETE FROM ledger_ledgerentry WHERE seq = 3",
        "DELETE FROM ledger_checkpoint",
        "DELETE FROM ledger_ledgerhead",
        "UPDATE ledger_ledgerentry SET action = 'forged' WHERE seq = 2",
        "UPDATE ledger_checkpoint SET tree_size = 1",
        "UPDATE ledger_ledgerhead SET size = 1",
        "ALTER TABLE ledger_ledgerentry DISABLE TRIGGER USER",
        "ALTER TABLE ledger_ledgerentry DISABLE TRIGGER ledger_ledgerentry_append_only",
        "SET session_replication_role = replica",
    ):
        message = _refused(sql)
        assert (
            "permission denied" in message
            or "must be owner" in message
            or ("append-only" in message)
        ), f"{sql}: {message}"
    assert LedgerEntry.objects.count() == 3


def test_even_granted_everything_the_app_role_is_stopped_by_the_triggers(app_role) -> None:
    grow(2)
    with connection.cursor() as cursor:  # a mistaken, too wide grant, made by the owner
        cursor.execute("RESET ROLE")
        cursor.execute(f"GRANT ALL ON ALL TABLES IN SCHEMA public TO {ROLE}")
        cursor.execute(f"SET LOCAL ROLE {ROLE}")
    for sql in (
        "TRUNCATE ledger_ledgerentry",
        "DELETE FROM ledger_ledgerentry WHERE seq = 2",
        "UPDATE ledger_ledgerentry SET action = 'forged' WHERE seq = 1",
        "UPDATE ledger_ledgerhead SET size = 1",
    ):
        assert "append-only" in _refused(sql), sql
    assert LedgerEntry.objects.count() == 2
