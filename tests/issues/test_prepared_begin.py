"""A transaction's BEGIN travels with its first hand-written statement (issue 19).

psycopg opens the transaction Django's ``atomic`` asks for by sending BEGIN on its own
before the first statement. commonground.core.prepared sends it in the first hand-written
statement's message instead (a support's lock statement): the same transaction, begun
with the same options, committed or rolled back by Django as before, one round trip less.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import DataError, connection, transaction
from psycopg.pq import TransactionStatus

from commonground.core import prepared

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the BEGIN of PostgreSQL's transactions"
    ),
    pytest.mark.django_db(transaction=True),
]

# True when the statement came in the message that began its transaction.
SAME_MESSAGE = "SELECT transaction_timestamp() = statement_timestamp() AND %s"


@pytest.fixture
def notes() -> Iterator[str]:
    """A table of this test's own (dropped after it)."""
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE cg_test_begin_notes (id serial PRIMARY KEY, note text)")
    yield "cg_test_begin_notes"
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE cg_test_begin_notes")


def _notes() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT note FROM cg_test_begin_notes ORDER BY id")
        return [row[0] for row in cursor.fetchall()]


def test_the_first_statement_of_a_transaction_carries_its_begin() -> None:
    with transaction.atomic():
        assert prepared.fetch(SAME_MESSAGE, [True]) == (True,)
        # The next one runs in the transaction the first message began.
        assert prepared.fetch(SAME_MESSAGE, [True]) == (False,)
        status = connection.connection.pgconn.transaction_status
        assert status == TransactionStatus.INTRANS
    assert connection.connection.pgconn.transaction_status == TransactionStatus.IDLE
    assert connection.connection.autocommit  # Django's autocommit restored after the block


def test_outside_a_transaction_nothing_is_begun() -> None:
    assert prepared.fetch(SAME_MESSAGE, [True]) == (True,)  # its own implicit transaction
    assert connection.connection.pgconn.transaction_status == TransactionStatus.IDLE


def test_a_transaction_begun_with_its_first_statement_commits_and_rolls_back_whole(
    notes: str,
) -> None:
    insert = f"INSERT INTO {notes} (note) VALUES (%s) RETURNING id"
    with transaction.atomic():
        prepared.fetch(insert, ["kept"])
        prepared.fetch(insert, ["kept too"])
    with pytest.raises(RuntimeError), transaction.atomic():
        prepared.fetch(insert, ["undone"])
        raise RuntimeError("after the first statement")
    with pytest.raises(DataError), transaction.atomic():
        prepared.fetch(insert, ["undone with the failed statement"])
        prepared.fetch("SELECT 1 / %s", [0])
    with pytest.raises(DataError), transaction.atomic():  # the first statement itself fails
        prepared.fetch("SELECT 1 / %s", [0])
    assert _notes() == ["kept", "kept too"]
    assert connection.connection.pgconn.transaction_status == TransactionStatus.IDLE


def test_a_begun_transaction_keeps_the_connections_isolation_level() -> None:
    with transaction.atomic():
        prepared.fetch(SAME_MESSAGE, [True])
        level = prepared.fetch("SELECT current_setting(%s)", ["transaction_isolation"])
    with connection.cursor() as cursor:
        cursor.execute("SHOW default_transaction_isolation")
        assert level == cursor.fetchone()
