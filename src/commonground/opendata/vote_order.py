"""Index arrays for a file of votes: ids as dense indices, and votes in time order.

NumPy only, so that reading an export imports neither Arrow's compute functions nor
the opinion-map engine (``polis_export`` reads, these turn its columns into indices).
"""

from __future__ import annotations

import numpy as np

__all__ = ["dense_ids", "time_order"]


def dense_ids(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sorted distinct values and each value's index among them. Polis ids are small
    non-negative integers, so a lookup table does it in linear time; otherwise sort."""
    if values.size == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    lo, hi = int(values.min()), int(values.max())
    if lo >= 0 and hi < 4 * values.size + 1024:
        present = np.zeros(hi + 1, dtype=bool)
        present[values] = True
        index = np.cumsum(present, dtype=np.int64) - 1
        small = np.int32 if index[-1] < 2**31 else np.int64
        return np.flatnonzero(present).astype(np.int64), index.astype(small)[values]
    ids, inverse = np.unique(values, return_inverse=True)
    small = np.int32 if ids.size < 2**31 else np.int64
    return ids.astype(np.int64), inverse.astype(small)


def time_order(stamps: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``stamps`` sorted, and the stable order that sorts them (ties keep file order).
    ``stamps`` itself may be overwritten.

    When the time span and the row count fit in 63 bits together, each timestamp
    (less the first) is packed above its row number into one integer and the keys are
    sorted in place: NumPy's vectorised sort of plain integers is several times faster
    than a stable argsort (timsort), and the row number makes every key distinct and
    breaks ties by file order, so the result is the stable order exactly."""
    if stamps.dtype.kind == "i":
        base = int(stamps.min())
        span = int(stamps.max()) - base
        shift = max(int(stamps.size - 1).bit_length(), 1)
        if span.bit_length() + shift <= 63:
            stamps -= base  # in place: the file's copy is not needed afterwards
            keys = stamps.view(np.uint64)
            keys <<= np.uint64(shift)
            keys |= np.arange(stamps.size, dtype=np.uint64)
            keys.sort()
            order = (keys & np.uint64((1 << shift) - 1)).view(np.int64)
            keys >>= np.uint64(shift)
            sorted_stamps = keys.view(np.int64)
            sorted_stamps += base
            return sorted_stamps, order
    order = np.argsort(stamps, kind="stable")
    return stamps[order], order
