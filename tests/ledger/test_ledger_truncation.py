"""The ledger only grows: no row deleted, no head lowered, no history re-signed (issue 18)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from commonground.cli import main as cli
from commonground.ledger.guard import resetting
from commonground.ledger.merkle import entry_leaf_hash
from commonground.ledger.models import Checkpoint, LedgerEntry, LedgerHead
from commonground.ledger.services import (
    Event,
    LedgerDamaged,
    append_many,
    entry_document,
    publish_checkpoint,
)
from tests.ledger.helpers import grow, ledger_key, tamper  # noqa: F401 - autouse fixture

pytestmark = pytest.mark.django_db


def _refused(sql: str) -> None:
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)


def _verify(capsys: Any) -> tuple[int, str]:
    code = cli(["ledger", "verify"])
    out, err = capsys.readouterr()
    return code, (out + err).strip()


# -- what the database refuses, on SQLite as on PostgreSQL ------------------------------------


def test_deleting_a_ledger_entry_is_refused() -> None:
    grow(3)
    _refused("DELETE FROM ledger_ledgerentry WHERE seq = 3")
    with pytest.raises(DatabaseError), transaction.atomic():
        LedgerEntry.objects.filter(seq=1).delete()
    assert LedgerEntry.objects.count() == 3


def test_deleting_a_checkpoint_is_refused() -> None:
    grow(2)
    publish_checkpoint()
    _refused("DELETE FROM ledger_checkpoint")
    assert Checkpoint.objects.count() == 1


def test_lowering_the_head_is_refused_and_one_past_it_is_allowed() -> None:
    grow(4)
    _refused("UPDATE ledger_ledgerhead SET size = 3")
    _refused("DELETE FROM ledger_ledgerhead")
    with connection.cursor() as cursor:  # the same size, and one more, are allowed
        cursor.execute("UPDATE ledger_ledgerhead SET size = 4")
    grow(1)
    assert LedgerHead.objects.get().size == 5


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the reset function is SQLite's")
def test_a_whole_database_reset_may_empty_the_ledger_on_sqlite() -> None:
    grow(2)
    with resetting(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM ledger_ledgerentry")
    assert not LedgerEntry.objects.exists()
    _refused("DELETE FROM ledger_ledgerhead")  # outside resetting() the guard is back


# -- signing never covers a damaged history ---------------------------------------------------


def test_a_checkpoint_is_never_signed_below_the_latest_one() -> None:
    grow(5)
    publish_checkpoint()
    tamper("DELETE FROM ledger_ledgerentry WHERE seq > 3")
    tamper("UPDATE ledger_ledgerhead SET size = 3")
    with pytest.raises(LedgerDamaged, match="head is at 3 but a checkpoint covers 5"):
        publish_checkpoint()
    assert list(Checkpoint.objects.values_list("tree_size", flat=True)) == [5]


def test_a_rewritten_history_is_not_signed_with_the_real_key() -> None:
    grow(4)
    publish_checkpoint()
    grow(2)
    entry = LedgerEntry.objects.get(seq=2)
    entry.action = "forged"
    tamper(
        "UPDATE ledger_ledgerentry SET action = %s, leaf_hash = %s WHERE seq = 2",
        ["forged", entry_leaf_hash(entry_document(entry)).hex()],
    )
    with pytest.raises(LedgerDamaged, match=r"entries 1\.\.4 no longer give the root"):
        publish_checkpoint()


def test_an_entry_appended_past_the_services_is_not_signed() -> None:
    grow(3)
    publish_checkpoint()
    grow(2)
    tamper("UPDATE ledger_ledgerentry SET action = 'forged' WHERE seq = 5")
    with pytest.raises(LedgerDamaged, match="entry 5 does not match its stored leaf hash"):
        publish_checkpoint()
    tamper("UPDATE ledger_ledgerentry SET action = 'test.note' WHERE seq = 5")
    assert publish_checkpoint()[0].tree_size == 5


# -- `ledger verify` sees truncation and missing checkpoints ----------------------------------


def test_verify_fails_when_the_entries_end_before_the_latest_checkpoint(capsys) -> None:
    grow(6)
    publish_checkpoint()
    tamper("DELETE FROM ledger_ledgerentry WHERE seq > 4")
    tamper("UPDATE ledger_ledgerhead SET size = 4")
    code, text = _verify(capsys)
    assert code == 1
    assert text == "ledger FAILED at seq 5: the entries end at seq 4 but a checkpoint covers 6"


def _old_entries(n: int, age: timedelta) -> None:
    when = timezone.now() - age
    with transaction.atomic():
        append_many(Event("test.note", "note", i, fields={"n": i}, time=when) for i in range(n))


def test_verify_fails_when_no_checkpoint_covers_entries_older_than_the_limit(
    capsys, settings: Any
) -> None:
    settings.COMMONGROUND_LEDGER_CHECKPOINT_MAX_AGE = 3600
    _old_entries(2, timedelta(seconds=3700))
    code, text = _verify(capsys)
    assert code == 1
    assert text.startswith("ledger FAILED at seq 1: no checkpoint covers entry 1, written ")
    publish_checkpoint()
    _old_entries(1, timedelta(seconds=3700))  # after the checkpoint, and as old: fails again
    code, text = _verify(capsys)
    assert code == 1 and "no checkpoint covers entry 3" in text


def test_verify_passes_for_uncovered_entries_younger_than_the_limit(capsys, settings) -> None:
    settings.COMMONGROUND_LEDGER_CHECKPOINT_MAX_AGE = 3600
    _old_entries(2, timedelta(seconds=3000))
    code, text = _verify(capsys)
    assert code == 0 and text == "ledger OK: 2 entries, 0 checkpoints"


def test_deleting_every_checkpoint_is_seen_once_entries_are_old(capsys, settings) -> None:
    settings.COMMONGROUND_LEDGER_CHECKPOINT_MAX_AGE = 60
    _old_entries(3, timedelta(hours=2))
    publish_checkpoint()
    assert _verify(capsys)[0] == 0
    tamper("DELETE FROM ledger_checkpoint")
    code, text = _verify(capsys)
    assert code == 1 and "no checkpoint covers entry 1" in text


def _cosign(size: int) -> None:
    from commonground.ledger.models import Cosignature

    cp = Checkpoint.objects.get(tree_size=size)
    Cosignature.objects.create(
        tree_size=size, root_hash=cp.root_hash, url="http://w.example", key_id="ab" * 32,
        signature="c2ln", seen_at="2027-01-01T00:00:00.000000Z",
    )  # fmt: skip


def test_verify_fails_when_the_entries_end_before_the_latest_witnessed_checkpoint(capsys) -> None:
    grow(6)
    publish_checkpoint()
    _cosign(6)
    assert _verify(capsys)[0] == 0
    tamper("DELETE FROM ledger_checkpoint")  # the operator hides the checkpoint, then the tail
    tamper("DELETE FROM ledger_ledgerentry WHERE seq > 4")
    tamper("UPDATE ledger_ledgerhead SET size = 4")
    code, text = _verify(capsys)
    assert code == 1
    assert text == (
        "ledger FAILED at seq 5: the entries end at seq 4 but a witness co-signed a checkpoint at 6"
    )


def test_verify_fails_when_a_witnessed_checkpoint_was_deleted(capsys) -> None:
    grow(3)
    publish_checkpoint()
    _cosign(3)
    tamper("DELETE FROM ledger_checkpoint")
    code, text = _verify(capsys)
    assert code == 1 and "the checkpoint at 3 a witness co-signed is missing or was changed" in text
