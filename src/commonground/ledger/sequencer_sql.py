"""The sequencer's round on PostgreSQL, written by hand (issue 19).

Under a support storm the background sequencer's rounds (every merge interval) cost about
3.5 ms of application CPU each whatever their size, plus 0.075 ms per entry, most of it
Django building its statements (``bulk_create`` prepared and quoted every field of every
entry, the pending ids went out as a quoted list): 0.2-0.27 ms per support, against 0.01
ms per floor write (docs/performance.md). Here a round is the same reads and writes in
three statements: the head locked, the pending entries read, and one statement that
inserts the ledger entries (each copied from its pending row, with the sequence number
and leaf hash computed here), deletes the pending rows and moves the head. The caller
holds the transaction and the sequencer's advisory lock, as on the ORM path.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from django.db import connection

from commonground.ledger.merkle import canonical_json, leaf_hash
from commonground.ledger.models import LedgerEntry, LedgerHead, PendingEntry
from commonground.ledger.services import document

_COPIED = ("time", "actor", "action", "object_type", "object_id", "forum", "fields")


@cache
def _tables() -> tuple[str, str, str]:
    quote = connection.ops.quote_name
    return (
        quote(PendingEntry._meta.db_table),
        quote(LedgerEntry._meta.db_table),
        quote(LedgerHead._meta.db_table),
    )


@cache
def _move_sql() -> str:
    pending, ledger, head = _tables()
    columns = ", ".join(_COPIED)
    copied = ", ".join(f"p.{c}" for c in _COPIED)
    return (
        "WITH r AS (SELECT * FROM jsonb_to_recordset(%s::jsonb) "
        "AS r(seq bigint, pending_id bigint, leaf_hash text)), "
        f"i AS (INSERT INTO {ledger} (seq, {columns}, leaf_hash, pending_id) "
        f"SELECT r.seq, {copied}, r.leaf_hash, p.id FROM r JOIN {pending} p ON p.id = r.pending_id "
        "RETURNING 1), "
        f"d AS (DELETE FROM {pending} WHERE id IN (SELECT pending_id FROM r) RETURNING 1) "
        f"UPDATE {head} SET size = %s WHERE id = 1 "
        "RETURNING (SELECT count(*) FROM i), (SELECT count(*) FROM d)"
    )


def any_pending() -> bool:
    """Whether a committed pending entry waits: the background sequencer asks every merge
    interval, idle or not, so one plain statement rather than the ORM's query."""
    pending, _, _ = _tables()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {pending})")
        return bool(cursor.fetchone()[0])


def head_size() -> int:
    """The head's size, its row locked for this transaction (made if missing)."""
    _, _, head = _tables()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT size FROM {head} WHERE id = 1 FOR UPDATE")
        row = cursor.fetchone()
    if row is None:  # a new ledger: as the ORM path's get_or_create
        return LedgerHead.objects.select_for_update().get_or_create(id=1)[0].size
    return int(row[0])


def integrate(limit: int) -> int:
    """Integrate up to ``limit`` committed pending entries after the locked head, in ``id``
    order; returns how many. Same entries, hashes, deletions and head as
    ``sequencer.sequence_pending``."""
    pending, _, _ = _tables()
    size = head_size()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, {', '.join(_COPIED)} FROM {pending} ORDER BY id LIMIT %s", [limit]
        )
        rows = cursor.fetchall()
    if not rows:
        return 0
    moved: list[dict[str, Any]] = []
    loads = json.loads
    for seq, (pending_id, time, actor, action, object_type, object_id, forum, fields) in enumerate(
        rows, start=size + 1
    ):
        if isinstance(fields, str):  # Django leaves jsonb undecoded for JSONField
            fields = loads(fields)
        # The document entry_document makes of the LedgerEntry these values would build,
        # without building it (a model instance was a fifth of the round's CPU).
        doc = document(seq, time, actor, action, object_type, object_id, forum, fields)
        moved.append(
            {
                "seq": seq,
                "pending_id": pending_id,
                "leaf_hash": leaf_hash(canonical_json(doc)).hex(),
            }
        )
    with connection.cursor() as cursor:
        cursor.execute(_move_sql(), [json.dumps(moved), size + len(moved)])
        inserted, deleted = cursor.fetchone()
    if inserted != len(moved) or deleted != len(moved):  # the locks make this impossible
        raise RuntimeError("pending entries changed under the sequencer's locks")
    return len(moved)
