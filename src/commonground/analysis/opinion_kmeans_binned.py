"""Polis's k-means for very many points: Lloyd steps on a grid of cells, then one exact
step (used above ``OpinionParams.exact_kmeans_max`` in-conversation participants)."""

from __future__ import annotations

import numpy as np
from scipy.spatial import cKDTree

from commonground.analysis.opinion_kmeans import (
    _update,
    add_distal_centres,
    first_distinct_rows,
    lloyd,
)

__all__ = ["kmeans_binned", "lloyd_binned", "nearest_centre"]


def nearest_centre(points: np.ndarray, centres: np.ndarray, workers: int = 2) -> np.ndarray:
    """Index of each point's nearest centre (k-d tree; exact)."""
    if centres.shape[0] == 1:
        return np.zeros(points.shape[0], dtype=np.int64)
    _, idx = cKDTree(centres).query(points, k=1, workers=workers)
    return np.asarray(idx, dtype=np.int64)


def kmeans_binned(
    points: np.ndarray,
    k: int,
    *,
    init: np.ndarray | None = None,
    max_iter: int = 100,
    tol: float = 0.01,
    bins: int = 1024,
    workers: int = 2,
) -> tuple[np.ndarray, np.ndarray]:
    """Polis k-means for very many points: Lloyd steps on grid cells, one exact step last.

    The starting centres are the same as ``kmeans`` would use; see ``lloyd_binned``.
    """
    points = np.asarray(points, dtype=np.float64)
    n = points.shape[0]
    if n == 0 or k <= 0:
        return np.zeros((0, 2)), np.zeros(n, dtype=np.int64)
    if init is None:
        start = first_distinct_rows(points, k)
    else:
        start = add_distal_centres(points, np.asarray(init, dtype=np.float64), k)
    centres, label, _ = lloyd_binned(
        points, start, max_iter=max_iter, tol=tol, bins=bins, workers=workers
    )
    return centres, label


def _assign_by_cells(
    points: np.ndarray,
    cell_pts: np.ndarray,
    cell_of: np.ndarray,
    centres: np.ndarray,
    side: float,
    workers: int,
) -> np.ndarray:
    """Each point's nearest centre, exactly, deciding whole grid cells at once.

    Every member of a cell lies within the cell's diagonal ``r`` of the cell's member
    mean ``q`` (both are inside the square cell). If the nearest centre of ``q`` beats
    the second nearest by more than ``2 r``, the triangle inequality makes it the
    nearest centre of every member, so only the points of cells near a boundary
    between two clusters are looked up one by one.
    """
    if centres.shape[0] == 1:
        return np.zeros(points.shape[0], dtype=np.int64)
    tree = cKDTree(centres)
    d, idx = tree.query(cell_pts, k=2, workers=workers)
    radius = side * np.sqrt(2.0)
    # A relative margin absorbs rounding in the distances themselves.
    sure = (d[:, 1] - d[:, 0]) > 2.0 * radius * (1.0 + 1e-9) + 1e-12 * (1.0 + d[:, 1])
    label = np.asarray(idx[:, 0], dtype=np.int64)[cell_of]
    unsure = np.flatnonzero(~sure[cell_of])
    if unsure.size:
        _, near = tree.query(points[unsure], k=1, workers=workers)
        label[unsure] = near
    return label


def lloyd_binned(
    points: np.ndarray,
    centres: np.ndarray,
    *,
    max_iter: int = 100,
    tol: float = 0.01,
    bins: int = 1024,
    workers: int = 2,
    cell_tol: float = 0.0,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Lloyd steps on grid cells from the given centres, then one exact step.

    Points are binned on a ``bins`` x ``bins`` grid over their bounding square; the
    Lloyd iterations run on the occupied cells, each a point at its members' mean
    weighted by its member count (so a cell's members always move together). A final
    exact step assigns every point to its nearest centre and recomputes the centres as
    member means, so the result is a proper Lloyd fixed point up to the cell size
    (1/``bins`` of the spread). The steps stop when no centre moves by ``tol`` or by
    ``cell_tol`` cell sides, whichever is larger: the cells are the resolution this
    approximation works at. Returns ``(centres, labels, kept)`` as ``lloyd`` does.
    """
    points = np.asarray(points, dtype=np.float64)
    n = points.shape[0]
    if n == 0 or centres.shape[0] == 0:
        return np.zeros((0, 2)), np.zeros(n, dtype=np.int64), np.zeros(0, dtype=np.int64)
    lo = points.min(axis=0)
    span = float((points.max(axis=0) - lo).max()) or 1.0
    scale = bins / span
    # Cell index per point, counted with one bincount (no sort of the points).
    cx = np.minimum(((points[:, 0] - lo[0]) * scale).astype(np.int64), bins - 1)
    key = np.minimum(((points[:, 1] - lo[1]) * scale).astype(np.int64), bins - 1)
    key += cx * bins
    del cx
    weight = np.bincount(key, minlength=bins * bins)
    occupied = weight > 0
    cell_of = (np.cumsum(occupied) - 1)[key]
    del key
    weight = weight[occupied].astype(np.float64)
    sums_x = np.bincount(cell_of, weights=points[:, 0], minlength=weight.size)
    sums_y = np.bincount(cell_of, weights=points[:, 1], minlength=weight.size)
    cell_pts = np.column_stack([sums_x / weight, sums_y / weight])
    step_tol = max(tol, cell_tol * span / bins)
    centres, _, kept = lloyd(cell_pts, centres, weights=weight, max_iter=max_iter, tol=step_tol)
    label = _assign_by_cells(points, cell_pts, cell_of, centres, span / bins, workers)
    new, members = _update(points, label, centres.shape[0], None)
    alive = members > 0
    if not alive.all():
        label = (np.cumsum(alive) - 1)[label]
        new = new[alive]
        kept = kept[alive]
    return new, label, kept
