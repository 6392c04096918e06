"""Appending to the ledger. Called by every service inside its own transaction."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from commonground.ledger.merkle import canonical_json, leaf_hash
from commonground.ledger.models import LedgerEntry, LedgerHead


@dataclass(frozen=True)
class Event:
    """A state change to record: who did what to which object, with its public fields."""

    action: str
    object_type: str
    object_id: str | int
    actor: str | None = None
    forum: str = ""
    fields: Mapping[str, Any] | None = None
    time: datetime | None = None


def entry_document(entry: LedgerEntry) -> dict[str, Any]:
    """The canonical document of an entry: exactly what is hashed and exported."""
    return {
        "seq": entry.seq,
        "time": entry.time.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "actor": entry.actor,
        "action": entry.action,
        "object": {"type": entry.object_type, "id": str(entry.object_id)},
        "forum": entry.forum,
        "fields": entry.fields,
    }


def _build(seq: int, event: Event) -> LedgerEntry:
    entry = LedgerEntry(
        seq=seq,
        time=event.time or timezone.now(),
        actor=event.actor,
        action=event.action,
        object_type=event.object_type,
        object_id=str(event.object_id),
        forum=event.forum,
        fields=dict(event.fields or {}),
    )
    entry.leaf_hash = leaf_hash(canonical_json(entry_document(entry))).hex()
    return entry


def _lock_head() -> LedgerHead:
    head, _ = LedgerHead.objects.select_for_update().get_or_create(id=1)
    return head


def append(event: Event) -> LedgerEntry:
    """Append one entry. Must run inside the transaction of the change it records."""
    return append_many([event])[0]


def append_many(events: Iterable[Event]) -> list[LedgerEntry]:
    """Append entries in order, taking the next sequence numbers under the head lock."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("ledger entries are written in the transaction of their change")
    head = _lock_head()
    entries = [_build(head.size + i + 1, event) for i, event in enumerate(events)]
    LedgerEntry.objects.bulk_create(entries, batch_size=2000)
    head.size += len(entries)
    head.save(update_fields=["size"])
    return entries
