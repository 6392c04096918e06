"""Auditing a whole log: every leaf hash and the root recomputed against a checkpoint."""

from __future__ import annotations

import hmac
import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from commonground.ledger.merkle.encoding import canonical_json, leaf_hash
from commonground.ledger.merkle.tree import CompactRange

# --------------------------------------------------------------------------------------
# Auditing a whole log
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class VerifyResult:
    """Outcome of :func:`verify_entries`.

    ``ok`` is True when every entry matched and the root equals the expected one.
    ``checked`` counts the entries read before stopping, ``root_hash`` is the root
    recomputed over them, ``first_bad_seq`` is the sequence number of the first
    entry found wrong (or missing), and ``reason`` says what went wrong in a line.
    """

    ok: bool
    checked: int
    root_hash: bytes
    first_bad_seq: int | None = None
    reason: str = ""


def verify_entries(
    entries: Iterable[tuple[int, bytes | Mapping[str, Any], bytes | str | None]],
    expected_root: bytes,
    tree_size: int,
    *,
    first_seq: int = 1,
) -> VerifyResult:
    """Recompute every leaf hash and the root of a log, and compare with a checkpoint.

    ``entries`` yields ``(seq, entry, stored_leaf_hash)`` triples in log order,
    where ``entry`` is the stored canonical bytes (or a mapping, encoded with
    :func:`canonical_json`) and ``stored_leaf_hash`` is bytes, lowercase hex, or
    None when not stored. Sequence numbers must run ``first_seq, first_seq + 1, ...``
    (the ledger numbers entries from 1, leaf index ``seq - 1``). Only the first
    ``tree_size`` entries are read (the log may have grown since the checkpoint);
    memory use is O(log n). Stops at the first bad entry and reports its seq.
    """
    acc = CompactRange()
    expected_seq = first_seq
    for seq, entry, stored in itertools.islice(entries, max(tree_size, 0)):
        if seq != expected_seq:
            return VerifyResult(
                False,
                acc.size,
                acc.root(),
                expected_seq,
                f"expected seq {expected_seq}, found seq {seq}",
            )
        try:
            data = entry if isinstance(entry, (bytes, bytearray)) else canonical_json(entry)
        except ValueError as exc:
            return VerifyResult(False, acc.size, acc.root(), seq, f"seq {seq}: {exc}")
        computed = leaf_hash(bytes(data))
        if isinstance(stored, str):
            try:
                stored = bytes.fromhex(stored)
            except ValueError:
                stored = b""
        if stored is not None and not hmac.compare_digest(computed, bytes(stored)):
            return VerifyResult(
                False,
                acc.size,
                acc.root(),
                seq,
                f"seq {seq}: stored leaf hash does not match the entry",
            )
        acc.append(computed)
        expected_seq += 1
    root = acc.root()
    if acc.size < tree_size:
        return VerifyResult(
            False,
            acc.size,
            root,
            expected_seq,
            f"log has {acc.size} entries but the checkpoint covers {tree_size}",
        )
    if not hmac.compare_digest(root, bytes(expected_root)):
        return VerifyResult(
            False, acc.size, root, None, "recomputed root does not match the expected root"
        )
    return VerifyResult(True, acc.size, root, None, "")
