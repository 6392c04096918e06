"""The Merkle Tree Hash, its incremental accumulator, and inclusion and consistency proofs
(RFC 9162 §2.1.3 and §2.1.4)."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from commonground.ledger.merkle.encoding import (
    EMPTY_ROOT,
    HASH_SIZE,
    NODE_PREFIX,
    check_hash,
    node_hash,
)

_sha256 = hashlib.sha256


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
    prefix = NODE_PREFIX
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
        check_hash(h, f"leaf hash {i}")
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
            check_hash(h, f"compact range hash {i}")
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
        check_hash(leaf, "leaf hash")
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
        check_hash(leaves[i], f"leaf hash {i}")


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
