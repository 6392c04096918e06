"""Pure core of the tamper-evident ledger: canonical encoding, Merkle tree, checkpoints.

This module has no Django dependency, so an auditor can run it alone against an
export of the ledger. It follows the Merkle tree definitions of Certificate
Transparency version 2 (RFC 9162, section 2.1) with SHA-256:

* every ledger entry is encoded with :func:`canonical_json`;
* its leaf hash is ``SHA-256(0x00 || entry)`` (:func:`leaf_hash`);
* interior nodes are ``SHA-256(0x01 || left || right)`` (:func:`node_hash`);
* the root of ``n`` leaves is the Merkle Tree Hash (:func:`root_hash`), kept
  incrementally by :class:`CompactRange`;
* inclusion and consistency proofs (:func:`inclusion_proof`,
  :func:`consistency_proof`) and their verifiers follow RFC 9162 §2.1.3 and §2.1.4;
* a :class:`Checkpoint` (tree size, root, time, origin) is signed with Ed25519.

Throughout, "leaves" means the sequence of *leaf hashes* (32 bytes each), not
the entries themselves. ``docs/ledger.md`` describes the format for auditors.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import hmac
import itertools
import json
import math
import os
import re
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

__all__ = [
    "CHECKPOINT_FORMAT",
    "EMPTY_ROOT",
    "HASH_SIZE",
    "MAX_SAFE_INTEGER",
    "Checkpoint",
    "CompactRange",
    "SignedCheckpoint",
    "VerifyResult",
    "canonical_json",
    "consistency_proof",
    "entry_leaf_hash",
    "format_timestamp",
    "inclusion_proof",
    "leaf_hash",
    "load_or_create_private_key",
    "node_hash",
    "private_key_from_pem",
    "private_key_to_pem",
    "public_key_bytes",
    "public_key_from_bytes",
    "root_hash",
    "sign_checkpoint",
    "verify_checkpoint",
    "verify_consistency",
    "verify_entries",
    "verify_inclusion",
]

#: Size in bytes of every hash in the tree (SHA-256).
HASH_SIZE = 32

#: Root hash of the empty tree: SHA-256 of the empty string (RFC 9162 §2.1.1).
EMPTY_ROOT = hashlib.sha256(b"").digest()

#: Largest integer allowed in an entry (2**53 - 1): every JSON parser reads it exactly.
MAX_SAFE_INTEGER = 2**53 - 1

#: First line of a checkpoint's signed body; names the format and its version.
CHECKPOINT_FORMAT = "commonground-checkpoint/v1"

_LEAF_PREFIX = b"\x00"
_NODE_PREFIX = b"\x01"
_sha256 = hashlib.sha256


# --------------------------------------------------------------------------------------
# Canonical encoding and hashing
# --------------------------------------------------------------------------------------


def _normalise(value: Any, path: str) -> Any:
    """Return ``value`` as plain JSON data, rejecting anything ambiguous across languages."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        if abs(value) > MAX_SAFE_INTEGER:
            raise ValueError(
                f"{path}: integer {value} is outside ±(2**53 - 1); pass it as a string"
            )
        return int(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            raise ValueError(f"{path}: NaN and Infinity are not allowed in ledger entries")
        raise ValueError(
            f"{path}: floats are not allowed in ledger entries; "
            'pass decimal numbers as strings (e.g. "0.25")'
        )
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise ValueError(f"{path}: object keys must be strings, got {type(key).__name__}")
            out[key] = _normalise(item, f"{path}.{key}")
        return out
    if isinstance(value, (list, tuple)):
        return [_normalise(item, f"{path}[{i}]") for i, item in enumerate(value)]
    raise ValueError(f"{path}: unsupported type {type(value).__name__} in a ledger entry")


def canonical_json(entry: Mapping[str, Any]) -> bytes:
    """Encode a ledger entry as canonical JSON bytes.

    The encoding is UTF-8 JSON with object keys sorted by Unicode code point, no
    insignificant whitespace (``","`` and ``":"`` separators) and non-ASCII
    characters written literally rather than as ``\\u`` escapes. Allowed values
    are strings, integers within ±(2**53 - 1), booleans, null, lists (tuples
    encode as lists) and objects with string keys.

    Floats, NaN and Infinity raise :class:`ValueError`: decimal quantities must be
    passed as strings, so that every language re-encodes an entry to the same bytes.
    Strings that cannot be encoded in UTF-8 (lone surrogates) also raise ValueError.
    """
    if not isinstance(entry, Mapping):
        raise ValueError("a ledger entry must be a JSON object (mapping)")
    data = _normalise(entry, "$")
    text = json.dumps(
        data,
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        allow_nan=False,
    )
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError(f"ledger entry contains text that is not valid Unicode: {exc}") from exc


def leaf_hash(entry_bytes: bytes) -> bytes:
    """Return the Merkle leaf hash ``SHA-256(0x00 || entry_bytes)`` (RFC 9162 §2.1.1)."""
    return _sha256(_LEAF_PREFIX + entry_bytes).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """Return the interior node hash ``SHA-256(0x01 || left || right)`` (RFC 9162 §2.1.1)."""
    return _sha256(_NODE_PREFIX + left + right).digest()


def entry_leaf_hash(entry: Mapping[str, Any]) -> bytes:
    """Return ``leaf_hash(canonical_json(entry))``, the leaf hash of a ledger entry."""
    return leaf_hash(canonical_json(entry))


def _check_hash(value: bytes, what: str) -> None:
    if not isinstance(value, (bytes, bytearray)) or len(value) != HASH_SIZE:
        raise ValueError(f"{what} must be {HASH_SIZE} bytes")


# --------------------------------------------------------------------------------------
# Merkle Tree Hash and the incremental accumulator
# --------------------------------------------------------------------------------------


def _largest_power_of_two_below(n: int) -> int:
    """Return the largest power of two strictly smaller than ``n`` (``n >= 2``)."""
    return 1 << ((n - 1).bit_length() - 1)


def _mth(level: list[bytes]) -> bytes:
    """Merkle Tree Hash of a list of leaf hashes, level by level (no recursion).

    Pairing neighbours from the left and promoting an unpaired last node unchanged
    gives exactly RFC 9162's split at the largest power of two below ``n``.
    """
    if not level:
        return EMPTY_ROOT
    sha = _sha256
    prefix = _NODE_PREFIX
    while len(level) > 1:
        odd = len(level) & 1
        nxt = [sha(prefix + level[i] + level[i + 1]).digest() for i in range(0, len(level) - 1, 2)]
        if odd:
            nxt.append(level[-1])
        level = nxt
    return bytes(level[0])


def root_hash(leaves: Sequence[bytes]) -> bytes:
    """Return the Merkle Tree Hash (RFC 9162 §2.1.1) of a sequence of leaf hashes.

    ``leaves`` are leaf hashes (see :func:`leaf_hash`), 32 bytes each. The empty
    tree's root is ``SHA-256(b"")``. Iterative, O(n) hashes: a million leaves take
    about a second.
    """
    level = list(leaves)
    for i, h in enumerate(level):
        _check_hash(h, f"leaf hash {i}")
    return _mth(level)


class CompactRange:
    """Incremental Merkle accumulator: append leaf hashes one by one, read the root any time.

    The state is the roots of the perfect subtrees that make up the tree, one per
    set bit of ``size``, largest (leftmost) first: O(log n) hashes. It serialises
    with :meth:`to_dict` (``{"size": int, "hashes": [hex, ...]}``) and comes back
    with :meth:`from_dict`, so a database can keep it between appends.
    """

    __slots__ = ("_hashes", "_size")

    def __init__(self, size: int = 0, hashes: Iterable[bytes] = ()) -> None:
        """Create an accumulator; with no arguments it holds the empty tree."""
        if isinstance(size, bool) or not isinstance(size, int) or size < 0:
            raise ValueError("size must be a non-negative integer")
        hash_list = [bytes(h) for h in hashes]
        if len(hash_list) != size.bit_count():
            raise ValueError(
                f"a compact range of size {size} holds {size.bit_count()} hashes, "
                f"got {len(hash_list)}"
            )
        for i, h in enumerate(hash_list):
            _check_hash(h, f"compact range hash {i}")
        self._size = size
        self._hashes = hash_list

    @property
    def size(self) -> int:
        """Number of leaves appended so far."""
        return self._size

    @property
    def hashes(self) -> list[bytes]:
        """Roots of the perfect subtrees covering the leaves, leftmost first (a copy)."""
        return list(self._hashes)

    def append(self, leaf: bytes) -> None:
        """Append one leaf hash (32 bytes)."""
        _check_hash(leaf, "leaf hash")
        h = bytes(leaf)
        n = self._size
        hashes = self._hashes
        while n & 1:
            h = node_hash(hashes.pop(), h)
            n >>= 1
        hashes.append(h)
        self._size += 1

    def extend(self, leaves: Iterable[bytes]) -> None:
        """Append several leaf hashes in order."""
        for leaf in leaves:
            self.append(leaf)

    def root(self) -> bytes:
        """Return the Merkle Tree Hash of the leaves appended so far."""
        if not self._hashes:
            return EMPTY_ROOT
        it = reversed(self._hashes)
        r = next(it)
        for h in it:
            r = node_hash(h, r)
        return r

    def copy(self) -> CompactRange:
        """Return an independent copy."""
        return CompactRange(self._size, self._hashes)

    def to_dict(self) -> dict[str, Any]:
        """Serialise as ``{"size": int, "hashes": [lowercase hex, ...]}``."""
        return {"size": self._size, "hashes": [h.hex() for h in self._hashes]}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CompactRange:
        """Rebuild an accumulator from :meth:`to_dict` output; ValueError if malformed."""
        try:
            size = data["size"]
            hashes = data["hashes"]
        except (KeyError, TypeError) as exc:
            raise ValueError("compact range needs 'size' and 'hashes'") from exc
        if not isinstance(hashes, list) or not all(isinstance(h, str) for h in hashes):
            raise ValueError("compact range 'hashes' must be a list of hex strings")
        try:
            raw = [bytes.fromhex(h) for h in hashes]
        except ValueError as exc:
            raise ValueError("compact range 'hashes' must be hex strings") from exc
        return cls(size, raw)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, CompactRange):
            return NotImplemented
        return self._size == other._size and self._hashes == other._hashes

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"CompactRange(size={self._size}, root={self.root().hex()})"


# --------------------------------------------------------------------------------------
# Inclusion proofs (RFC 9162 §2.1.3)
# --------------------------------------------------------------------------------------


def _subtree(leaves: Sequence[bytes], lo: int, hi: int) -> bytes:
    return _mth(list(leaves[lo:hi]))


def _check_leaves(leaves: Sequence[bytes], tree_size: int) -> None:
    if isinstance(tree_size, bool) or not isinstance(tree_size, int) or tree_size < 0:
        raise ValueError("tree_size must be a non-negative integer")
    if tree_size > len(leaves):
        raise ValueError(f"tree_size {tree_size} exceeds the {len(leaves)} leaves given")
    for i in range(tree_size):
        _check_hash(leaves[i], f"leaf hash {i}")


def inclusion_proof(leaves: Sequence[bytes], index: int, tree_size: int) -> list[bytes]:
    """Return the inclusion proof of leaf ``index`` in the tree of the first ``tree_size`` leaves.

    This is PATH(m, D[n]) of RFC 9162 §2.1.3.1: the sibling hashes from the leaf up
    to the root, nearest the leaf first. ``leaves`` are leaf hashes; only the first
    ``tree_size`` are used. Raises ValueError unless ``0 <= index < tree_size <= len(leaves)``.
    """
    _check_leaves(leaves, tree_size)
    if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < tree_size:
        raise ValueError(f"index {index} is not in a tree of size {tree_size}")
    path: list[bytes] = []
    lo, hi = 0, tree_size
    while hi - lo > 1:
        k = _largest_power_of_two_below(hi - lo)
        if index < lo + k:
            path.append(_subtree(leaves, lo + k, hi))
            hi = lo + k
        else:
            path.append(_subtree(leaves, lo, lo + k))
            lo = lo + k
    path.reverse()
    return path


def _is_hash(value: object) -> bool:
    return isinstance(value, (bytes, bytearray)) and len(value) == HASH_SIZE


def verify_inclusion(
    leaf_hash: bytes, index: int, tree_size: int, proof: Sequence[bytes], root: bytes
) -> bool:
    """Check an inclusion proof (RFC 9162 §2.1.3.2); never raises on bad input.

    True when ``proof`` shows that ``leaf_hash`` is leaf number ``index`` (from 0)
    of the tree of ``tree_size`` leaves whose root is ``root``.
    """
    if not (_is_hash(leaf_hash) and _is_hash(root) and all(_is_hash(p) for p in proof)):
        return False
    if not (isinstance(index, int) and isinstance(tree_size, int)):
        return False
    if index < 0 or index >= tree_size:
        return False
    fn, sn = index, tree_size - 1
    r = bytes(leaf_hash)
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and hmac.compare_digest(r, root)


# --------------------------------------------------------------------------------------
# Consistency proofs (RFC 9162 §2.1.4)
# --------------------------------------------------------------------------------------


def consistency_proof(leaves: Sequence[bytes], old_size: int, new_size: int) -> list[bytes]:
    """Return the proof that the tree of ``old_size`` leaves is a prefix of that of ``new_size``.

    This is PROOF(m, D[n]) of RFC 9162 §2.1.4.1 over the first ``new_size`` leaf
    hashes. It is empty when ``old_size`` is 0 or equals ``new_size``. Raises
    ValueError unless ``0 <= old_size <= new_size <= len(leaves)``.
    """
    _check_leaves(leaves, new_size)
    if isinstance(old_size, bool) or not isinstance(old_size, int) or old_size < 0:
        raise ValueError("old_size must be a non-negative integer")
    if old_size > new_size:
        raise ValueError(f"old_size {old_size} is larger than new_size {new_size}")
    if old_size == 0 or old_size == new_size:
        return []
    path: list[bytes] = []
    lo, hi, m, complete = 0, new_size, old_size, True
    while True:
        if m == hi - lo:
            if not complete:
                path.append(_subtree(leaves, lo, hi))
            break
        k = _largest_power_of_two_below(hi - lo)
        if m <= k:
            path.append(_subtree(leaves, lo + k, hi))
            hi = lo + k
        else:
            path.append(_subtree(leaves, lo, lo + k))
            lo += k
            m -= k
            complete = False
    path.reverse()
    return path


def verify_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> bool:
    """Check a consistency proof (RFC 9162 §2.1.4.2); never raises on bad input.

    True when ``proof`` shows that the tree of ``old_size`` leaves with root
    ``old_root`` is a prefix of the tree of ``new_size`` leaves with root
    ``new_root``. Equal sizes need an empty proof and equal roots; the empty
    tree (``old_size == 0``, root :data:`EMPTY_ROOT`) is a prefix of every tree.
    """
    if not (_is_hash(old_root) and _is_hash(new_root) and all(_is_hash(p) for p in proof)):
        return False
    if not (isinstance(old_size, int) and isinstance(new_size, int)):
        return False
    if old_size < 0 or new_size < old_size:
        return False
    if old_size == new_size:
        return len(proof) == 0 and hmac.compare_digest(old_root, new_root)
    if old_size == 0:
        return len(proof) == 0 and hmac.compare_digest(old_root, EMPTY_ROOT)
    path = list(proof)
    if not path:
        return False
    if old_size & (old_size - 1) == 0:  # exact power of two: the old root is a node
        path.insert(0, bytes(old_root))
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = bytes(path[0])
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and hmac.compare_digest(fr, old_root) and hmac.compare_digest(sr, new_root)


# --------------------------------------------------------------------------------------
# Signed checkpoints
# --------------------------------------------------------------------------------------

_TIMESTAMP_RE = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z")


def format_timestamp(moment: datetime | None = None) -> str:
    """Format a moment (default: now) as UTC ISO 8601 with microseconds and ``Z``.

    Example: ``2025-01-31T09:30:00.000000Z``. Naive datetimes are refused.
    """
    if moment is None:
        moment = datetime.now(UTC)
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("timestamps must be timezone-aware")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _check_timestamp(value: str) -> None:
    if not isinstance(value, str) or not _TIMESTAMP_RE.fullmatch(value):
        raise ValueError(f"timestamp must be UTC ISO 8601 ending in Z, got {value!r}")
    try:
        datetime.strptime(value[:19], "%Y-%m-%dT%H:%M:%S")
    except ValueError as exc:
        raise ValueError(f"timestamp is not a valid date and time: {value!r}") from exc


@dataclass(frozen=True)
class Checkpoint:
    """A statement of the ledger's state: its size and root hash at a time, by an origin.

    ``timestamp`` is UTC ISO 8601 ending in ``Z`` (see :func:`format_timestamp`);
    ``origin`` names the ledger (e.g. the site's host name) on one line.
    """

    tree_size: int
    root_hash: bytes
    timestamp: str
    origin: str

    def __post_init__(self) -> None:
        """Validate the fields; ValueError when one is malformed."""
        if isinstance(self.tree_size, bool) or not isinstance(self.tree_size, int):
            raise ValueError("tree_size must be an integer")
        if self.tree_size < 0:
            raise ValueError("tree_size must not be negative")
        _check_hash(self.root_hash, "root_hash")
        object.__setattr__(self, "root_hash", bytes(self.root_hash))
        _check_timestamp(self.timestamp)
        if not isinstance(self.origin, str) or not self.origin:
            raise ValueError("origin must be a non-empty string")
        if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in self.origin):
            raise ValueError("origin must be a single line without control characters")

    def signing_body(self) -> bytes:
        """Return the canonical bytes that are signed: five lines, each ending in ``\\n``.

        ``commonground-checkpoint/v1``, the origin, the tree size in decimal, the
        root hash in lowercase hex, and the timestamp, encoded in UTF-8.
        """
        lines = [
            CHECKPOINT_FORMAT,
            self.origin,
            str(self.tree_size),
            self.root_hash.hex(),
            self.timestamp,
        ]
        return "".join(line + "\n" for line in lines).encode("utf-8")


@dataclass(frozen=True)
class SignedCheckpoint:
    """A checkpoint with its Ed25519 signature and the raw 32-byte public key that made it."""

    checkpoint: Checkpoint
    signature: bytes
    public_key: bytes

    def to_json_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict: hex root hash, base64 signature and raw public key."""
        cp = self.checkpoint
        return {
            "format": CHECKPOINT_FORMAT,
            "origin": cp.origin,
            "tree_size": cp.tree_size,
            "root_hash": cp.root_hash.hex(),
            "timestamp": cp.timestamp,
            "algorithm": "Ed25519",
            "public_key": base64.b64encode(self.public_key).decode("ascii"),
            "signature": base64.b64encode(self.signature).decode("ascii"),
        }

    @classmethod
    def from_json_dict(cls, data: Mapping[str, Any]) -> SignedCheckpoint:
        """Parse :meth:`to_json_dict` output; ValueError if anything is malformed.

        Parsing does not check the signature: call :func:`verify_checkpoint`.
        """
        if not isinstance(data, Mapping):
            raise ValueError("a signed checkpoint must be a JSON object")
        fields = ("origin", "tree_size", "root_hash", "timestamp", "public_key", "signature")
        missing = [name for name in fields if name not in data]
        if missing:
            raise ValueError(f"signed checkpoint is missing {', '.join(missing)}")
        if data.get("format", CHECKPOINT_FORMAT) != CHECKPOINT_FORMAT:
            raise ValueError(f"unknown checkpoint format {data.get('format')!r}")
        if data.get("algorithm", "Ed25519") != "Ed25519":
            raise ValueError(f"unsupported signature algorithm {data.get('algorithm')!r}")
        root = data["root_hash"]
        if not isinstance(root, str) or not re.fullmatch(r"[0-9a-f]{64}", root):
            raise ValueError("root_hash must be 64 lowercase hex digits")
        checkpoint = Checkpoint(
            tree_size=data["tree_size"],
            root_hash=bytes.fromhex(root),
            timestamp=data["timestamp"],
            origin=data["origin"],
        )
        public_key = _b64decode(data["public_key"], "public_key")
        signature = _b64decode(data["signature"], "signature")
        if len(public_key) != 32:
            raise ValueError("public_key must be 32 bytes (raw Ed25519)")
        if len(signature) != 64:
            raise ValueError("signature must be 64 bytes (Ed25519)")
        return cls(checkpoint=checkpoint, signature=signature, public_key=public_key)


def _b64decode(value: object, what: str) -> bytes:
    if not isinstance(value, str):
        raise ValueError(f"{what} must be a base64 string")
    try:
        return base64.b64decode(value.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError) as exc:
        raise ValueError(f"{what} is not valid base64") from exc


def public_key_bytes(key: Ed25519PrivateKey | Ed25519PublicKey) -> bytes:
    """Return the raw 32-byte Ed25519 public key of a private or public key."""
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_key_from_bytes(raw: bytes) -> Ed25519PublicKey:
    """Load an Ed25519 public key from its raw 32 bytes (ValueError if malformed)."""
    if len(raw) != 32:
        raise ValueError("an Ed25519 public key is 32 bytes")
    return Ed25519PublicKey.from_public_bytes(bytes(raw))


def sign_checkpoint(cp: Checkpoint, private_key: Ed25519PrivateKey) -> SignedCheckpoint:
    """Sign a checkpoint's :meth:`Checkpoint.signing_body` with an Ed25519 private key."""
    signature = private_key.sign(cp.signing_body())
    return SignedCheckpoint(
        checkpoint=cp, signature=signature, public_key=public_key_bytes(private_key)
    )


def verify_checkpoint(
    signed: SignedCheckpoint, public_key: Ed25519PublicKey | Ed25519PrivateKey | bytes
) -> bool:
    """Return True when ``signed`` carries a valid signature by ``public_key``.

    ``public_key`` is the key the verifier trusts (a key object or its raw 32
    bytes), obtained independently of the checkpoint; the key embedded in the
    checkpoint must equal it. Never raises on a bad signature or key.
    """
    trusted: Ed25519PublicKey
    try:
        if isinstance(public_key, (bytes, bytearray)):
            trusted = public_key_from_bytes(bytes(public_key))
        elif isinstance(public_key, Ed25519PrivateKey):
            trusted = public_key.public_key()
        else:
            trusted = public_key
        raw = public_key_bytes(trusted)
    except (ValueError, TypeError, AttributeError):
        return False
    if not hmac.compare_digest(raw, bytes(signed.public_key)):
        return False
    try:
        trusted.verify(bytes(signed.signature), signed.checkpoint.signing_body())
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True


def private_key_from_pem(pem: bytes) -> Ed25519PrivateKey:
    """Load an unencrypted PEM (PKCS#8) Ed25519 private key; ValueError if it is not one."""
    key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("the PEM key is not an Ed25519 private key")
    return key


def private_key_to_pem(key: Ed25519PrivateKey) -> bytes:
    """Serialise an Ed25519 private key as unencrypted PEM (PKCS#8)."""
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def load_or_create_private_key(path: Path) -> Ed25519PrivateKey:
    """Load the Ed25519 signing key from a PEM file, creating it (mode 0600) on first use.

    The key is written to a private temporary file in the same directory and
    hard-linked into place, so a concurrent caller never reads a half-written
    file and two first callers end up sharing one key.
    """
    path = Path(path)
    if path.exists():
        return private_key_from_pem(path.read_bytes())
    path.parent.mkdir(parents=True, exist_ok=True)
    key = Ed25519PrivateKey.generate()
    pem = private_key_to_pem(key)
    fd, tmp_name = tempfile.mkstemp(prefix=".key-", dir=path.parent)  # created 0600
    try:
        with os.fdopen(fd, "wb") as tmp:
            tmp.write(pem)
            tmp.flush()
            os.fsync(tmp.fileno())
        try:
            os.link(tmp_name, path)
        except FileExistsError:
            return private_key_from_pem(path.read_bytes())
        except OSError:
            # Filesystems without hard links: exclusive create instead.
            try:
                out = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                return private_key_from_pem(path.read_bytes())
            with os.fdopen(out, "wb") as handle:
                handle.write(pem)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
    os.chmod(path, 0o600)
    return key


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
