"""The database itself refuses to change ledger rows: UPDATE always, DELETE on PostgreSQL."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from commonground.ledger.models import Checkpoint, LedgerEntry
from commonground.ledger.services import publish_checkpoint
from tests.ledger.helpers import grow, ledger_key  # noqa: F401 - autouse fixture

pytestmark = pytest.mark.django_db


def _refused(sql: str) -> None:
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)


def test_update_of_a_ledger_entry_is_refused() -> None:
    grow(3)
    _refused("UPDATE ledger_ledgerentry SET action = 'forged' WHERE seq = 2")
    with pytest.raises(DatabaseError), transaction.atomic():
        LedgerEntry.objects.filter(seq=1).update(fields={"n": 99})
    assert LedgerEntry.objects.get(seq=2).action == "test.note"


def test_update_of_a_checkpoint_is_refused() -> None:
    grow(1)
    publish_checkpoint()
    _refused("UPDATE ledger_checkpoint SET tree_size = 7")
    assert Checkpoint.objects.get().tree_size == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite keeps DELETE for flush")
def test_delete_of_a_ledger_entry_is_refused_on_postgresql() -> None:
    grow(3)
    _refused("DELETE FROM ledger_ledgerentry WHERE seq = 3")
    publish_checkpoint()
    _refused("DELETE FROM ledger_checkpoint")
    assert LedgerEntry.objects.count() == 3


def test_appending_still_works() -> None:
    grow(2)
    grow(2)
    assert list(LedgerEntry.objects.values_list("seq", flat=True)) == [1, 2, 3, 4]
