"""The package's ledger: ``ledger.jsonl`` read line by line, each entry checked to be in
the canonical form this instance stores, and the whole audited against the signed
checkpoints of ``checkpoints.csv`` before an import writes anything."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from commonground.ledger.cli import audit
from commonground.ledger.merkle import SignedCheckpoint, canonical_json
from commonground.ledger.models import LedgerEntry
from commonground.ledger.services import entry_document
from commonground.opendata import resources as r
from commonground.opendata.fold import Fold
from commonground.opendata.import_checks import ImportRefused, Row


def ledger_lines(folder: Path) -> Iterator[tuple[int, dict[str, Any], str]]:
    """(line number, entry document, stored leaf hash) for every line of ledger.jsonl."""
    name = r.LEDGER_FILE
    try:
        with (folder / name).open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    doc = json.loads(line)
                except ValueError:
                    raise ImportRefused(name, number, "not valid JSON") from None
                if not isinstance(doc, dict) or not isinstance(doc.get("leaf_hash"), str):
                    raise ImportRefused(name, number, "not an entry with its leaf_hash")
                stored = doc.pop("leaf_hash")
                yield number, doc, stored
    except FileNotFoundError:
        raise ImportRefused(name, None, "file not found") from None
    except UnicodeDecodeError:
        raise ImportRefused(name, None, "not valid UTF-8 text") from None
    except OSError as exc:
        raise ImportRefused(name, None, f"cannot be read: {exc.strerror}") from None


def ledger_entry(number: int, doc: dict[str, Any], stored: str) -> LedgerEntry:
    """The database row of one entry; refused unless it gives back exactly this document."""
    name = r.LEDGER_FILE
    obj = doc.get("object")
    try:
        if set(doc) != {"seq", "time", "actor", "action", "object", "forum", "fields"}:
            raise ValueError("keys must be seq, time, actor, action, object, forum, fields")
        if not isinstance(obj, dict) or set(obj) != {"type", "id"}:
            raise ValueError("object must hold type and id")
        if not isinstance(doc["seq"], int) or isinstance(doc["seq"], bool) or doc["seq"] < 1:
            raise ValueError("seq must be a positive integer")
        if not isinstance(doc["time"], str):
            raise ValueError("time must be a string")
        entry = LedgerEntry(
            seq=doc["seq"],
            time=r.READERS["datetime"](doc["time"], "time"),
            actor=doc["actor"],
            action=doc["action"],
            object_type=obj["type"],
            object_id=obj["id"],
            forum=doc["forum"],
            fields=doc["fields"],
            leaf_hash=stored,
        )
        limits = {"action": 60, "object_type": 40, "object_id": 64, "forum": 60}
        for attr, limit in limits.items():
            value = getattr(entry, attr)
            if not isinstance(value, str) or len(value) > limit:
                raise ValueError(f"{attr} must be a string of at most {limit} characters")
        if entry.actor is not None and (not isinstance(entry.actor, str) or len(entry.actor) > 32):
            raise ValueError("actor must be null or a string of at most 32 characters")
        if not isinstance(entry.fields, dict):
            raise ValueError("fields must be an object")
        if "\x00" in canonical_json(doc).decode("utf-8"):
            raise ValueError("entries may not hold NUL characters")
        if canonical_json(entry_document(entry)) != canonical_json(doc):
            raise ValueError("the entry is not in the canonical form this instance stores")
    except (ValueError, TypeError, r.ValueProblem) as exc:
        raise ImportRefused(name, number, str(exc)) from None
    return entry


def check_ledger(
    folder: Path, tables: dict[str, list[Row]], section: dict[str, Any], fold: Fold | None = None
) -> int:
    """Audit ledger.jsonl against every checkpoint; returns the number of entries.

    One pass: each line is checked to be in the stored form, hashed into the audit and,
    with ``fold``, folded (so the tables can be compared without reading it again).
    """
    checkpoints = _signed_checkpoints(tables["checkpoints"])
    try:
        latest = json.loads((folder / r.CHECKPOINT_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ImportRefused(r.CHECKPOINT_FILE, None, "file not found") from None
    except (OSError, ValueError) as exc:
        raise ImportRefused(r.CHECKPOINT_FILE, None, f"cannot be read: {exc}") from None
    if not checkpoints or latest != checkpoints[-1].to_json_dict():
        raise ImportRefused(
            r.CHECKPOINT_FILE, None, "is not the last checkpoint of checkpoints.csv"
        )
    size = checkpoints[-1].checkpoint.tree_size
    declared = (
        section.get("ledger", {}).get("tree_size")
        if isinstance(section.get("ledger"), dict)
        else None
    )
    if declared != size:
        raise ImportRefused(r.DESCRIPTOR_FILE, None, f"commonground.ledger.tree_size is not {size}")
    result = audit(_checked(folder, fold), checkpoints)
    if not result.ok:
        raise ImportRefused(r.LEDGER_FILE, None, result.line())
    if result.entries != size:
        raise ImportRefused(
            r.LEDGER_FILE, None, f"holds {result.entries} entries; the checkpoint covers {size}"
        )
    return size


def _checked(folder: Path, fold: Fold | None) -> Iterator[tuple[Any, dict[str, Any], str]]:
    for number, doc, stored in ledger_lines(folder):
        ledger_entry(number, doc, stored)  # the stored form must give back this exact entry
        if fold is not None:
            fold.feed(doc)
        yield doc.get("seq"), doc, stored


def _signed_checkpoints(rows: list[Row]) -> list[SignedCheckpoint]:
    out = []
    for number, row in enumerate(rows, start=1):
        doc = {
            "format": "commonground-checkpoint/v1",
            "algorithm": "Ed25519",
            **{k: row[k] for k in ("origin", "tree_size", "root_hash", "timestamp")},
            "public_key": row["public_key"],
            "signature": row["signature"],
        }
        try:
            out.append(SignedCheckpoint.from_json_dict(doc))
        except ValueError as exc:
            raise ImportRefused("checkpoints.csv", number, str(exc)) from None
    return sorted(out, key=lambda c: c.checkpoint.tree_size)
