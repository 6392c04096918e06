"""Pure core of the tamper-evident ledger: canonical encoding and Merkle hashing.

This module has no Django dependency. It follows the Merkle tree definitions of
Certificate Transparency version 2 (RFC 9162, section 2.1) with SHA-256.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping
from typing import Any

__all__ = [
    "HASH_SIZE",
    "canonical_json",
    "leaf_hash",
    "node_hash",
]

#: Size in bytes of every hash in the tree (SHA-256).
HASH_SIZE = 32

_LEAF_PREFIX = b"\x00"
_NODE_PREFIX = b"\x01"


def _check_value(value: Any, path: str) -> None:
    """Reject values whose JSON encoding would be ambiguous across languages."""
    if isinstance(value, bool) or value is None or isinstance(value, (int, str)):
        return
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            raise ValueError(f"{path}: NaN and Infinity are not allowed in ledger entries")
        raise ValueError(
            f"{path}: floats are not allowed in ledger entries; "
            'pass decimal numbers as strings (e.g. "0.25")'
        )
    if isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(key, str):
                raise ValueError(f"{path}: object keys must be strings, got {type(key).__name__}")
            _check_value(item, f"{path}.{key}")
        return
    if isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            _check_value(item, f"{path}[{i}]")
        return
    raise ValueError(f"{path}: unsupported type {type(value).__name__} in a ledger entry")


def canonical_json(entry: Mapping[str, Any]) -> bytes:
    """Encode a ledger entry as canonical JSON bytes.

    The encoding is UTF-8 JSON with object keys sorted by code point, no
    insignificant whitespace (``","`` and ``":"`` separators) and non-ASCII
    characters written literally rather than as ``\\u`` escapes. Allowed values
    are strings, integers, booleans, null, lists (tuples encode as lists) and
    objects with string keys. Floats, NaN and Infinity are rejected with
    :class:`ValueError`: decimal quantities must be passed as strings so the
    bytes are identical in every language that re-encodes the entry.
    """
    if not isinstance(entry, Mapping):
        raise ValueError("a ledger entry must be a JSON object (mapping)")
    _check_value(entry, "$")
    text = json.dumps(
        entry,
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        allow_nan=False,
    )
    return text.encode("utf-8")


def leaf_hash(entry_bytes: bytes) -> bytes:
    """Return the Merkle leaf hash ``SHA-256(0x00 || entry_bytes)`` (RFC 9162 §2.1.1)."""
    return hashlib.sha256(_LEAF_PREFIX + entry_bytes).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """Return the interior node hash ``SHA-256(0x01 || left || right)`` (RFC 9162 §2.1.1)."""
    return hashlib.sha256(_NODE_PREFIX + left + right).digest()
