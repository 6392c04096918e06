"""The support path's statements run prepared in the database session, never behind a pooler.

commonground.core.prepared runs the hand-written hot statements as ``EXECUTE`` of a
statement the session prepared on first use. A failure after the ``PREPARE`` (which a
rollback does not undo) must not leave the session's bookkeeping wrong, and behind
PgBouncer in transaction mode nothing is prepared.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction

from commonground.core import prepared
from commonground.issues.models import Issue
from commonground.issues.services import support_issue, withdraw_support
from tests.conftest import World

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="prepared statements of PostgreSQL sessions"
    ),
    pytest.mark.django_db,
]


def _prepared_names() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pg_prepared_statements WHERE name LIKE 'cg_%%'")
        return {row[0] for row in cursor.fetchall()}


@pytest.fixture
def batched(settings: Any) -> None:
    settings.COMMONGROUND_LEDGER_SEQUENCING = "batched"


def test_a_support_and_a_withdrawal_prepare_their_statements_once_per_session(
    batched: None, world: World, issue: Issue
) -> None:
    before = _prepared_names()
    support_issue(world.member["government"], issue.pk)
    assert _prepared_names() - before  # the lock statement and the change statement
    support_issue(world.member["civil_society"], issue.pk)
    withdraw_support(world.member["government"], issue.pk)
    after = _prepared_names()
    # The same statements again: run as prepared, nothing new prepared, counts exact.
    support_issue(world.member["government"], issue.pk)
    withdraw_support(world.member["government"], issue.pk)
    assert _prepared_names() == after
    issue.refresh_from_db()
    assert issue.support_count == 1 and issue.supports_civil_society == 1


def test_a_statement_that_fails_after_its_prepare_is_run_again_without_preparing_twice() -> None:
    sql = "SELECT 10 / %s"
    with pytest.raises(DatabaseError), transaction.atomic():
        prepared.fetch(sql, [0])  # PREPARE succeeds, the division fails
    assert prepared.fetch(sql, [5]) == (2,)
    assert prepared.fetch(sql, [2]) == (5,)


def test_behind_a_pooler_in_transaction_mode_nothing_is_prepared(settings: Any) -> None:
    settings.COMMONGROUND_PGBOUNCER = True
    before = _prepared_names()
    assert prepared.fetch("SELECT %s + 1", [41]) == (42,)
    assert _prepared_names() == before


def test_the_sessions_prepared_statements_are_planned_generically_from_their_first_run(
    batched: None, world: World, issue: Issue
) -> None:
    # Five custom plans first (the default) would plan the whole statement again on each
    # of a new connection's first five runs of it; a generic plan is made once.
    support_issue(world.member["government"], issue.pk)
    withdraw_support(world.member["government"], issue.pk)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT sum(generic_plans), sum(custom_plans) FROM pg_prepared_statements "
            "WHERE name LIKE 'cg_%%'"
        )
        generic, custom = cursor.fetchone()
    assert generic >= 2 and custom == 0
