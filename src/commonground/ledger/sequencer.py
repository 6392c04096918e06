"""Batched sequencing: writes append pending entries, one sequencer gives them their seq.

In the ``batched`` mode (``COMMONGROUND_LEDGER_SEQUENCING``, docs/ledger.md section 7) a
write's transaction inserts its entry into :class:`PendingEntry` and takes no global lock,
so writes of different members run side by side. The sequencer moves committed pending
entries into the tree in ``id`` order: in one transaction it takes the advisory lock
(PostgreSQL) and the head's row lock, gives each entry the next ``seq`` and its leaf hash,
inserts the :class:`LedgerEntry` rows, deletes the pending ones and moves the head. A
crash before the commit leaves everything as it was; a second sequencer waits for the
lock (or, in the background loop, skips its round) and then finds nothing left to do.

As in Certificate Transparency (RFC 9162), the log promises to integrate an entry within
a maximum merge delay (``COMMONGROUND_LEDGER_MAX_MERGE_DELAY``); ``ledger verify`` fails
when a pending entry is older than that. Readers that must see every change (checkpoints,
``ledger verify``, ``ledger audit``, the open-data export) call :func:`integrate_pending`
first.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commonground.core.errors import NotFound
from commonground.ledger import sequencer_sql
from commonground.ledger.merkle import canonical_json, leaf_hash
from commonground.ledger.models import LedgerEntry, LedgerHead, PendingEntry
from commonground.ledger.services import entry_document, inclusion

logger = logging.getLogger(__name__)

#: The PostgreSQL advisory lock key of the sequencer ("cg-ledgr" as a 64-bit integer).
ADVISORY_KEY = int.from_bytes(b"cg-ledgr", "big") & 0x7FFF_FFFF_FFFF_FFFF
#: Most pending entries integrated in one transaction.
BATCH = 5000


def batched() -> bool:
    """True when writes append pending entries (``COMMONGROUND_LEDGER_SEQUENCING=batched``)."""
    return getattr(settings, "COMMONGROUND_LEDGER_SEQUENCING", "inline") == "batched"


def max_merge_delay() -> int:
    """Seconds within which a pending entry is promised a place in the tree."""
    return int(getattr(settings, "COMMONGROUND_LEDGER_MAX_MERGE_DELAY", 10))


def merge_interval() -> float:
    """Seconds between two rounds of the background sequencer."""
    return float(getattr(settings, "COMMONGROUND_LEDGER_MERGE_INTERVAL", 0.2))


def _lock(wait: bool) -> bool:
    """Take the sequencer's advisory lock for this transaction (PostgreSQL only).

    ``wait=False`` gives up at once when another sequencer holds it. On SQLite every
    write transaction holds the database's write lock already.
    """
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        if wait:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_KEY])
            return True
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [ADVISORY_KEY])
        return bool(cursor.fetchone()[0])


def pending_fields(row: PendingEntry) -> dict[str, Any]:
    """The entry's own fields, as the LedgerEntry that integrates it takes them."""
    return {
        "time": row.time,
        "actor": row.actor,
        "action": row.action,
        "object_type": row.object_type,
        "object_id": row.object_id,
        "forum": row.forum,
        "fields": row.fields,
    }


def sequence_pending(head: LedgerHead, limit: int = BATCH) -> list[LedgerEntry]:
    """Integrate up to ``limit`` committed pending entries after ``head`` (locked by the caller).

    Runs inside the caller's transaction, which holds the head's row lock.
    """
    pending = list(PendingEntry.objects.order_by("id")[:limit])
    if not pending:
        return []
    entries = []
    for offset, row in enumerate(pending, start=1):
        entry = LedgerEntry(seq=head.size + offset, pending_id=row.id, **pending_fields(row))
        entry.leaf_hash = leaf_hash(canonical_json(entry_document(entry))).hex()
        entries.append(entry)
    LedgerEntry.objects.bulk_create(entries, batch_size=2000)
    PendingEntry.objects.filter(id__in=[row.id for row in pending]).delete()
    head.size += len(entries)
    head.save(update_fields=["size"])
    return entries


def _integrate_batch(wait: bool) -> int:
    with transaction.atomic():
        if not _lock(wait):
            return 0
        if connection.vendor == "postgresql":  # the same round in three statements
            return sequencer_sql.integrate(BATCH)
        head, _ = LedgerHead.objects.select_for_update().get_or_create(id=1)
        return len(sequence_pending(head))


def integrate_pending(wait: bool = True) -> int:
    """Integrate every pending entry committed before the call; returns how many.

    Public: the open-data export, checkpoints, ``ledger verify`` and ``ledger audit`` call
    it before reading, and so may anyone who needs an entry's seq now. With ``wait=False``
    it does nothing when another sequencer is at work. Must not run inside a transaction
    that wrote pending entries of its own (they would be integrated before they commit,
    which is harmless, but the caller's transaction would hold the head's lock).
    """
    if not (
        sequencer_sql.any_pending()
        if connection.vendor == "postgresql"
        else PendingEntry.objects.exists()
    ):
        return 0  # nothing committed waits: no lock taken (inline mode, or an idle round)
    total = 0
    while True:
        done = _integrate_batch(wait)
        total += done
        if done < BATCH:
            return total


def entry_inclusion(entry: LedgerEntry | PendingEntry, tree_size: int | None = None) -> Any:
    """The inclusion proof of an entry ``append`` returned, integrating it first if pending.

    Same answer as :func:`commonground.ledger.services.inclusion`. A pending entry's
    transaction must have committed (else it cannot be integrated: NotFound).
    """
    if isinstance(entry, LedgerEntry):
        return inclusion(entry.seq, tree_size)
    integrate_pending()
    seq = LedgerEntry.objects.filter(pending_id=entry.id).values_list("seq", flat=True).first()
    if seq is None:
        raise NotFound(_("That entry was never committed, so it has no place in the ledger."))
    return inclusion(seq, tree_size)


def pending_state() -> dict[str, Any]:
    """What the API says of the pending entries: how many, the oldest, the promise."""
    oldest: datetime | None = (
        PendingEntry.objects.order_by("id").values_list("time", flat=True).first()
    )
    return {
        "sequencing": "batched" if batched() else "inline",
        "pending": PendingEntry.objects.count(),
        "oldest": oldest,
        "max_merge_delay": max_merge_delay(),
    }


def overdue() -> tuple[int, datetime] | None:
    """(pending count, oldest time) when a pending entry is older than the merge delay."""
    limit = timezone.now() - timedelta(seconds=max_merge_delay())
    late = PendingEntry.objects.filter(time__lt=limit)
    oldest = late.order_by("time").values_list("time", flat=True).first()
    if oldest is None:
        return None
    return PendingEntry.objects.count(), oldest


def pending_page(limit: int = 1000) -> Sequence[PendingEntry]:
    return list(PendingEntry.objects.order_by("id")[:limit])


def start_sequencer(stop: threading.Event) -> threading.Thread:
    """A daemon thread integrating pending entries every merge interval, until ``stop``."""

    def loop() -> None:
        every = max(merge_interval(), 0.01)
        while not stop.is_set():
            try:
                integrate_pending(wait=False)
            except Exception:  # the worker keeps running; the next round retries
                logger.exception("ledger sequencer round failed")
                close_old_connections()
            stop.wait(every)
        close_old_connections()

    thread = threading.Thread(target=loop, name="ledger-sequencer", daemon=True)
    thread.start()
    return thread
