"""The sequencer's round writes the same ledger entries whichever way it runs.

On PostgreSQL the background sequencer integrates pending entries with hand-written
statements and builds each entry's document from the row's values
(``ledger/sequencer_sql.py``); the ORM round (``sequencer.sequence_pending``, SQLite's and
the inline path's) builds ``LedgerEntry`` instances. Both must give every entry the same
seq, columns and leaf hash, and the hash must be the one docs/ledger.md defines:
SHA-256 of 0x00 and the canonical JSON (keys sorted, no spaces, UTF-8, time in UTC with
microseconds and ``Z``), computed here the plain way.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from django.db import connection, transaction

from commonground.ledger import sequencer, sequencer_sql
from commonground.ledger.models import LedgerEntry, LedgerHead, PendingEntry
from commonground.ledger.services import Event, append

POSTGRES = connection.vendor == "postgresql"
KOLKATA = timezone(timedelta(hours=5, minutes=30))

# Entries that exercise every part of the document: non-ASCII text, nested objects and
# lists, null, booleans, the largest safe integer, an empty forum, no actor, a time with
# no microseconds, a time given in another zone, and the years on either side of 1000
# (below it strftime's %Y is the C library's own: the encoder keeps strftime there).
GROUP = {"stakeholder_group": "civil_society"}
TITLE = {"title": "Accès à l'eau — 水", "topics": ["a", "b"], "n": 2**53 - 1}
NESTED = {"nested": {"z": [1, None, True, False], "a": {"b": ""}}}
EVENTS = [
    Event("support.add", "issue", 7, actor="u_abc", forum="igf", fields=GROUP),
    Event("support.withdraw", "issue", "7", actor="u_abc", forum="igf", fields=GROUP),
    Event("issue.raise", "issue", 12, actor="u_zé", forum="forum-ü", fields=TITLE),
    Event("test.note", "note", 1, actor=None, forum="", fields=NESTED),
    Event("test.note", "note", 2, time=datetime(2026, 12, 7, 1, 2, 3, tzinfo=UTC), fields={}),
    Event("test.note", "note", 3, time=datetime(2026, 12, 7, 6, 32, 3, 999999, tzinfo=KOLKATA)),
    Event("test.note", "note", 4, time=datetime(1000, 1, 1, 0, 0, 0, 1, tzinfo=UTC)),
    Event("test.note", "note", 5, time=datetime(999, 12, 31, 23, 59, 59, tzinfo=UTC)),
    Event("test.note", "note", 6, fields={"emoji": "🗳️", "quote": '"\\/\n\t', "control": "\x01"}),
]


@pytest.fixture
def batched(settings: Any) -> None:
    settings.COMMONGROUND_LEDGER_SEQUENCING = "batched"


def _reference_leaf_hash(entry: dict[str, Any]) -> str:
    document = {
        "seq": entry["seq"],
        "time": entry["time"].astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "actor": entry["actor"],
        "action": entry["action"],
        "object": {"type": entry["object_type"], "id": str(entry["object_id"])},
        "forum": entry["forum"],
        "fields": entry["fields"],
    }
    text = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(b"\x00" + text.encode("utf-8")).hexdigest()


def _integrated() -> list[dict[str, Any]]:
    return list(LedgerEntry.objects.order_by("seq").values())


class _Undo(Exception):
    pass


def _orm_round() -> list[dict[str, Any]]:
    with transaction.atomic():
        head, _ = LedgerHead.objects.select_for_update().get_or_create(id=1)
        sequencer.sequence_pending(head)
    return _integrated()


@pytest.mark.django_db
def test_every_integrated_entry_has_the_leaf_hash_of_its_canonical_document(
    batched: None,
) -> None:
    for event in EVENTS:
        append(event)
    assert PendingEntry.objects.count() == len(EVENTS)
    assert sequencer.integrate_pending() == len(EVENTS)
    entries = _integrated()
    assert [e["seq"] for e in entries] == list(range(1, len(EVENTS) + 1))
    assert [e["leaf_hash"] for e in entries] == [_reference_leaf_hash(e) for e in entries]
    assert PendingEntry.objects.count() == 0 and LedgerHead.objects.get(id=1).size == len(EVENTS)
    # One past the boundary: a changed field changes the hash the reference computes.
    changed = {**entries[0], "fields": {"stakeholder_group": "government"}}
    assert _reference_leaf_hash(changed) != entries[0]["leaf_hash"]


@pytest.mark.django_db
@pytest.mark.skipif(not POSTGRES, reason="the hand-written round runs on PostgreSQL only")
def test_the_hand_written_round_writes_the_entries_the_orm_round_writes(batched: None) -> None:
    append(Event("test.first", "note", 0))
    sequencer.integrate_pending()  # a head with entries before the round, as in a real run
    for event in EVENTS:
        append(event)
    pending = list(PendingEntry.objects.order_by("id").values())
    try:
        with transaction.atomic():
            assert sequencer_sql.integrate(sequencer.BATCH) == len(EVENTS)
            by_hand = _integrated()
            size = LedgerHead.objects.get(id=1).size
            raise _Undo
    except _Undo:
        pass
    assert list(PendingEntry.objects.order_by("id").values()) == pending  # undone
    by_orm = _orm_round()
    assert by_hand == by_orm  # every column of every entry, leaf hash and pending id too
    assert size == LedgerHead.objects.get(id=1).size == len(EVENTS) + 1
    assert [e["pending_id"] for e in by_hand[1:]] == [p["id"] for p in pending]
    assert [e["leaf_hash"] for e in by_hand] == [_reference_leaf_hash(e) for e in by_hand]
