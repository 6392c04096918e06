"""Appending to the ledger. Called by every service inside its own transaction."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commonground.core import readcache
from commonground.core.errors import InvalidInput, NotFound
from commonground.ledger.merkle import (
    Checkpoint as CheckpointBody,
)
from commonground.ledger.merkle import (
    CompactRange,
    SignedCheckpoint,
    canonical_json,
    consistency_proof,
    format_timestamp,
    inclusion_proof,
    leaf_hash,
    load_or_create_private_key,
    private_key_from_pem,
    root_hash,
    sign_checkpoint,
)
from commonground.ledger.models import Checkpoint, LedgerEntry, LedgerHead, PendingEntry


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
    return document(
        entry.seq,
        entry.time,
        entry.actor,
        entry.action,
        entry.object_type,
        entry.object_id,
        entry.forum,
        entry.fields,
    )


def document(
    seq: int,
    time: datetime,
    actor: str | None,
    action: str,
    object_type: str,
    object_id: str | int,
    forum: str,
    fields: Any,
) -> dict[str, Any]:
    """:func:`entry_document` from the entry's values, for a caller that holds them without
    a model instance (the sequencer's round builds none: docs/performance.md)."""
    return {
        "seq": seq,
        "time": utc_text(time),
        "actor": actor,
        "action": action,
        "object": {"type": object_type, "id": str(object_id)},
        "forum": forum,
        "fields": fields,
    }


def utc_text(time: datetime) -> str:
    """``time`` in UTC as ``strftime("%Y-%m-%dT%H:%M:%S.%fZ")`` writes it."""
    utc = time.astimezone(UTC)
    if utc.year < 1000:  # strftime's %Y of such a year depends on the C library: its own way
        return utc.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    # The same characters for every other year, in a third of strftime's time.
    return utc.replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


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
    head, _created = LedgerHead.objects.select_for_update().get_or_create(id=1)
    return head


def _pending(events: Sequence[Event]) -> list[PendingEntry]:
    """The pending entries recording these events (batched sequencing)."""
    now = timezone.now()
    return [
        PendingEntry(
            time=event.time or now,
            actor=event.actor,
            action=event.action,
            object_type=event.object_type,
            object_id=str(event.object_id),
            forum=event.forum,
            fields=dict(event.fields or {}),
        )
        for event in events
    ]


_PENDING_COLUMNS = ("time", "actor", "action", "object_type", "object_id", "forum", "fields")


def pending_statement(events: Sequence[Event], when: str | None = None) -> tuple[str, list[Any]]:
    """The INSERT of these events' pending entries, with its parameters (batched sequencing,
    PostgreSQL): for a hand-written write that folds its ledger entry into its own
    statement (commonground.issues.support_sql), in its transaction as ``append`` does.
    Its caller bumps the read versions (``readcache.bump_statement``) as ``append`` would.
    ``when``: an SQL condition (no parameters) the rows are inserted under, for a
    statement whose change may turn out to be none (the entry is then not written)."""
    table = connection.ops.quote_name(PendingEntry._meta.db_table)
    rows: list[str] = []
    params: list[Any] = []
    now = timezone.now()
    for e in events:  # the values ``_pending`` gives its rows, without building them
        rows.append("(%s, %s, %s, %s, %s, %s, %s::jsonb)")
        params += [e.time or now, e.actor, e.action, e.object_type, str(e.object_id), e.forum]
        params.append(json.dumps(dict(e.fields or {})))
    values = f"VALUES {', '.join(rows)}"
    if when is not None:
        values = f"SELECT * FROM ({values}) AS v WHERE {when}"
    return f"INSERT INTO {table} ({', '.join(_PENDING_COLUMNS)}) {values}", params


def append(event: Event) -> LedgerEntry | PendingEntry:
    """Append one entry. Must run inside the transaction of the change it records."""
    return append_many([event])[0]


def append_many(events: Iterable[Event]) -> Sequence[LedgerEntry | PendingEntry]:
    """Append entries in order, in the transaction of the change they record.

    Inline sequencing: under the head lock, with the next sequence numbers (entries left
    pending by an earlier batched run are integrated first, so the order is kept).
    Batched: as pending entries, without a global lock; the sequencer integrates them
    (commonground.ledger.sequencer).
    """
    from commonground.ledger import sequencer

    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("ledger entries are written in the transaction of their change")
    events = list(events)
    # Cached reads are keyed by versions of what they show: these changes make new ones,
    # committed with them (commonground.core.readcache).
    readcache.bump(events)
    if sequencer.batched():
        return PendingEntry.objects.bulk_create(_pending(events), batch_size=2000)
    head = _lock_head()
    if PendingEntry.objects.exists():
        sequencer.sequence_pending(head, limit=10**9)
    entries = [_build(head.size + i + 1, event) for i, event in enumerate(events)]
    LedgerEntry.objects.bulk_create(entries, batch_size=2000)
    head.size += len(entries)
    head.save(update_fields=["size"])
    return entries


# -- reading the tree -------------------------------------------------------------------------


class LedgerDamaged(Exception):
    """The stored entries do not form the gap-free sequence the head promises."""


def ledger_size() -> int:
    """Number of committed entries, as the head says (0 before the first append).

    Every entry with ``seq <= ledger_size()`` is committed with the head, so reading
    the size first and the entries afterwards gives a consistent prefix without a lock.
    """
    head = LedgerHead.objects.filter(id=1).values_list("size", flat=True).first()
    return int(head or 0)


def leaf_hashes(tree_size: int) -> list[bytes]:
    """The stored leaf hashes of entries 1..tree_size, in order (32 bytes each)."""
    rows = (
        LedgerEntry.objects.filter(seq__lte=tree_size)
        .order_by("seq")
        .values_list("leaf_hash", flat=True)
        .iterator(chunk_size=20_000)
    )
    try:
        leaves = [bytes.fromhex(h) for h in rows]
    except ValueError:
        raise LedgerDamaged("a stored leaf hash is not hex") from None
    if len(leaves) != tree_size:
        raise LedgerDamaged(f"the ledger holds {len(leaves)} of its first {tree_size} entries")
    return leaves


def _compact_range(tree_size: int) -> CompactRange:
    acc = CompactRange()
    rows = (
        LedgerEntry.objects.filter(seq__lte=tree_size)
        .order_by("seq")
        .values_list("leaf_hash", flat=True)
        .iterator(chunk_size=20_000)
    )
    try:
        acc.extend(bytes.fromhex(h) for h in rows)
    except ValueError:
        raise LedgerDamaged("a stored leaf hash is not a 32-byte hex hash") from None
    if acc.size != tree_size:
        raise LedgerDamaged(f"the ledger holds {acc.size} of its first {tree_size} entries")
    return acc


# -- checkpoints ------------------------------------------------------------------------------


def signing_key() -> Any:
    """The operator's Ed25519 key: COMMONGROUND_LEDGER_KEY (PEM) or the key file."""
    pem = getattr(settings, "COMMONGROUND_LEDGER_KEY", None)
    if pem:
        return private_key_from_pem(pem.encode() if isinstance(pem, str) else pem)
    return load_or_create_private_key(settings.COMMONGROUND_LEDGER_KEY_FILE)


def signed_checkpoint(checkpoint: Checkpoint) -> SignedCheckpoint:
    """The stored checkpoint as the pure module's signed checkpoint (ValueError if malformed)."""
    return SignedCheckpoint.from_json_dict(checkpoint_document(checkpoint))


def checkpoint_document(checkpoint: Checkpoint) -> dict[str, Any]:
    """The published JSON form of a checkpoint (docs/ledger.md, section 5)."""
    return {
        "format": "commonground-checkpoint/v1",
        "origin": checkpoint.origin,
        "tree_size": checkpoint.tree_size,
        "root_hash": checkpoint.root_hash,
        "timestamp": checkpoint.timestamp,
        "algorithm": "Ed25519",
        "public_key": checkpoint.public_key,
        "signature": checkpoint.signature,
    }


def latest_checkpoint() -> Checkpoint | None:
    return Checkpoint.objects.order_by("-tree_size").first()


def _root_checked_against(size: int, latest: Checkpoint | None) -> bytes:
    """The root of entries 1..size, refusing a history that the latest checkpoint contradicts.

    Entries the latest checkpoint covers must still give its root (else the history was
    rewritten since it was signed); every later entry must hash to its stored leaf hash
    (else it was written past the services). Signing is the operator's promise, so a
    damaged ledger is never signed, not even by its own key.
    """
    signed = latest.tree_size if latest is not None else 0
    acc = CompactRange()
    if signed:
        acc = _compact_range(signed)
        if acc.root().hex() != latest.root_hash:  # type: ignore[union-attr]
            raise LedgerDamaged(
                _("entries 1..%(size)s no longer give the root of the checkpoint at %(size)s: "
                  "the history was rewritten after it was signed") % {"size": signed}
            )  # fmt: skip
    rows = LedgerEntry.objects.filter(seq__gt=signed, seq__lte=size).order_by("seq")
    for entry in rows.iterator(chunk_size=5000):
        if entry.seq != acc.size + 1:
            raise LedgerDamaged(_("entry %(seq)s is missing") % {"seq": acc.size + 1})
        computed = leaf_hash(canonical_json(entry_document(entry)))
        if computed.hex() != entry.leaf_hash:
            raise LedgerDamaged(
                _("entry %(seq)s does not match its stored leaf hash") % {"seq": entry.seq}
            )
        acc.append(computed)
    if acc.size != size:
        raise LedgerDamaged(
            _("the ledger holds %(found)s of its first %(size)s entries")
            % {"found": acc.size, "size": size}
        )
    return acc.root()


def publish_checkpoint() -> tuple[Checkpoint, bool]:
    """Sign the ledger's current size and root; returns the checkpoint and whether it is new.

    When the ledger has not grown since the latest checkpoint, that one is returned
    unchanged. Publishing is not a ledger entry. Raises :class:`LedgerDamaged` when the
    stored entries have a gap, when the head is below the latest checkpoint (the head only
    moves forward), or when the entries no longer match the latest checkpoint.
    """
    from commonground.ledger.sequencer import integrate_pending

    integrate_pending()  # a checkpoint covers every change committed before it
    size = ledger_size()
    latest = latest_checkpoint()
    if latest is not None and latest.tree_size == size:
        return latest, False
    if latest is not None and size < latest.tree_size:
        raise LedgerDamaged(
            _("the ledger head is at %(size)s but a checkpoint covers %(signed)s entries: "
              "entries were removed") % {"size": size, "signed": latest.tree_size}
        )  # fmt: skip
    key = signing_key()
    root = _root_checked_against(size, latest)
    body = CheckpointBody(
        tree_size=size,
        root_hash=root,
        timestamp=format_timestamp(),
        origin=settings.COMMONGROUND_LEDGER_ORIGIN,
    )
    doc = sign_checkpoint(body, key).to_json_dict()
    try:
        with transaction.atomic():
            checkpoint = Checkpoint.objects.create(
                tree_size=size,
                root_hash=doc["root_hash"],
                timestamp=doc["timestamp"],
                origin=doc["origin"],
                signature=doc["signature"],
                public_key=doc["public_key"],
            )
    except IntegrityError:  # another publisher signed this size first
        return Checkpoint.objects.get(tree_size=size), False
    return checkpoint, True


# -- proofs -----------------------------------------------------------------------------------


def _size_or_current(tree_size: int | None, name: str = "tree_size") -> int:
    current = ledger_size()
    size = current if tree_size is None else tree_size
    if not 0 <= size <= current:
        raise NotFound(
            _("There is no tree of %(size)s entries: %(name)s is at most the ledger's size, "
              "%(current)s.") % {"size": size, "name": name, "current": current}
        )  # fmt: skip
    return size


def inclusion(seq: int, tree_size: int | None = None) -> dict[str, Any]:
    """The inclusion proof of entry ``seq`` in the tree of ``tree_size`` entries (default: all)."""
    size = _size_or_current(tree_size)
    if not 1 <= seq <= size:
        raise NotFound(
            _("There is no entry %(seq)s in the tree of %(size)s entries.")
            % {"seq": seq, "size": size}
        )
    leaves = leaf_hashes(size)
    proof = inclusion_proof(leaves, seq - 1, size)
    return {
        "seq": seq,
        "leaf_index": seq - 1,
        "tree_size": size,
        "leaf_hash": leaves[seq - 1].hex(),
        "root_hash": root_hash(leaves).hex(),
        "audit_path": [h.hex() for h in proof],
    }


def consistency(first: int, second: int | None = None) -> dict[str, Any]:
    """The proof that the tree of ``first`` entries is a prefix of the tree of ``second``."""
    size = _size_or_current(second, "second")
    if not 0 <= first <= size:
        raise NotFound(
            _("There is no consistency proof from %(first)s to %(size)s entries: first is at "
              "most second.") % {"first": first, "size": size}
        )  # fmt: skip
    leaves = leaf_hashes(size)
    proof = consistency_proof(leaves, first, size)
    return {
        "first": first,
        "second": size,
        "first_root": root_hash(leaves[:first]).hex(),
        "second_root": root_hash(leaves).hex(),
        "proof": [h.hex() for h in proof],
    }


MAX_PAGE = 1000


def entries_page(start: int, end: int | None = None) -> dict[str, Any]:
    """Entries ``start``..``end`` (inclusive) with their stored leaf hashes.

    ``end`` defaults to ``start + 999``; a page holds at most 1000 entries, so a longer
    range is cut, and the range is cut at the ledger's size. An empty range (``end`` below
    ``start``, or ``start`` past the end) is an empty page, never an error.
    """
    size = ledger_size()
    if start < 1:
        raise InvalidInput(_("start is a sequence number, 1 or more."))
    last = start + MAX_PAGE - 1 if end is None else min(end, start + MAX_PAGE - 1)
    last = max(min(last, size), start - 1)
    rows = LedgerEntry.objects.filter(seq__gte=start, seq__lte=last).order_by("seq")
    return {
        "tree_size": size,
        "pending": PendingEntry.objects.count(),
        "start": start,
        "end": last,
        "entries": [{**entry_document(e), "leaf_hash": e.leaf_hash} for e in rows],
    }


def pending_page() -> dict[str, Any]:
    """The pending entries (at most 1000, oldest first) and the sequencer's promise."""
    from commonground.ledger import sequencer

    state = sequencer.pending_state()
    oldest = state["oldest"]
    entries = []
    for row in sequencer.pending_page(MAX_PAGE):
        document = entry_document(LedgerEntry(seq=0, **sequencer.pending_fields(row)))
        del document["seq"]
        entries.append({"pending_id": row.id, **document})
    return {
        **state,
        "tree_size": ledger_size(),
        "oldest": oldest.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ") if oldest else None,
        "entries": entries,
    }


def require_checkpoint() -> Checkpoint:
    checkpoint = latest_checkpoint()
    if checkpoint is None:
        raise NotFound(_("No checkpoint has been published yet."))
    return checkpoint
