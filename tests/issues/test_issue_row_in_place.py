"""A support updates its issue's row in place: no index holds a count.

Every support and withdrawal adds to the issue's ``support_count`` and one group's tally.
PostgreSQL writes such an update as a HOT update (the new version on the same page, no
new entry in any index) only when none of the changed columns is in an index. With the
counts indexed, each support of a hot issue wrote into all eight of the issue's indexes
under its row lock (docs/performance.md, "The issue's row updated in place").
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection, transaction
from django.utils import timezone

from commonground.issues.models import TALLY_FIELDS, Issue
from commonground.issues.services import support_issue, withdraw_support
from tests.conftest import World

COUNTS = {"support_count", *TALLY_FIELDS.values()}


def _indexed_columns() -> dict[str, set[str]]:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, Issue._meta.db_table)
    return {name: set(c["columns"]) for name, c in found.items() if c["index"]}


@pytest.mark.django_db
def test_no_index_of_the_issue_holds_a_count() -> None:
    indexed = _indexed_columns()
    assert indexed, "the introspection found the issue's indexes"
    assert {name: cols & COUNTS for name, cols in indexed.items() if cols & COUNTS} == {}
    # The agenda's other index is still there: the rule removed counts, not indexes.
    assert any(cols >= {"cycle_id", "raised_at"} for cols in indexed.values())


def _updates() -> tuple[int, int]:
    """(updates, HOT updates) of the issue table in the current transaction."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_stat_get_xact_tuples_updated(%s::regclass), "
            "pg_stat_get_xact_tuples_hot_updated(%s::regclass)",
            [Issue._meta.db_table] * 2,
        )
        updated, hot = cursor.fetchone()
    return int(updated), int(hot)


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="HOT updates of PostgreSQL")
@pytest.mark.django_db
@pytest.mark.parametrize("sequencing", ["inline", "batched"])
def test_supports_and_withdrawals_update_the_issue_row_in_place_an_indexed_change_does_not(
    world: World, issue: Issue, settings: Any, sequencing: str
) -> None:
    settings.COMMONGROUND_LEDGER_SEQUENCING = sequencing
    # Plain statements, not the session's prepared ones: the same writes, and the
    # session is left as other tests expect it (test_prepared_statements.py).
    settings.COMMONGROUND_PGBOUNCER = True
    with transaction.atomic():
        before = _updates()
        for group in ("government", "private_sector", "academic_technical"):
            assert support_issue(world.member[group], issue)[1]
        assert withdraw_support(world.member["government"], issue)
        updated, hot = (n - b for n, b in zip(_updates(), before, strict=True))
        assert updated == 4
        assert hot == 4
        # One past the rule: a change of an indexed column (raised_at, in the cycle's
        # index) is not in place, so the counter above does tell the two apart.
        Issue.objects.filter(pk=issue.pk).update(raised_at=timezone.now())
        updated_after, hot_after = (n - b for n, b in zip(_updates(), before, strict=True))
        assert (updated_after, hot_after) == (5, 4)
    issue.refresh_from_db()
    assert issue.support_count == 2
