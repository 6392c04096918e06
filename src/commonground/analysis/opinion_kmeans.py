"""Polis's k-means (Lloyd's algorithm) on 2-D points, and the silhouette on base clusters.

Semantics follow Polis ``clusters.clj``: each step assigns every point to its nearest
centre and moves every centre to the (weighted) mean of its members; clusters left
without members are dropped; iteration stops when no centre moved by 0.01 or more, or
after ``max_iter`` steps. A cold start takes the first ``k`` distinct points as centres;
a warm start takes the previous centres and, like Polis's ``clean-start-clusters``, adds
the most distant point as a new centre until there are ``k`` (or as many as there are
distinct points).

For large inputs the assignment step uses Hamerly's bounds (an upper bound on each
point's distance to its centre, a lower bound on the distance to the second-nearest), so
only the points whose bounds overlap are re-examined. This gives exactly Lloyd's
assignments while touching few points once the centres settle, which is what makes
100 base clusters over a million participants affordable. The grid-binned variant for
very large inputs is in ``opinion_kmeans_binned``.
"""

from __future__ import annotations

import numpy as np
from scipy.spatial import cKDTree

__all__ = [
    "add_distal_centres",
    "clean_start",
    "first_distinct_rows",
    "kmeans",
    "lloyd",
    "silhouette",
]

# Chunk size for the all-centres distance computation, to bound temporary memory
# (chunk x centres doubles).
_CHUNK = 32_768
# Below this many point-centre pairs the plain dense Lloyd step is used.
_DENSE_PAIRS = 200_000
# Threads for k-d tree queries (the engine runs on two cores).
_WORKERS = 2


def first_distinct_rows(points: np.ndarray, k: int) -> np.ndarray:
    """The first ``k`` distinct rows of ``points``, in order (Polis ``init-clusters``)."""
    found: list[np.ndarray] = []
    seen: set[bytes] = set()
    start = 0
    n = points.shape[0]
    chunk = max(4 * k, 256)
    while len(found) < k and start < n:
        block = np.ascontiguousarray(points[start : start + chunk])
        for row in block:
            key = row.tobytes()
            if key not in seen:
                seen.add(key)
                found.append(row)
                if len(found) == k:
                    break
        start += chunk
    if not found:
        return np.zeros((0, points.shape[1]))
    return np.array(found, dtype=np.float64)


def _nearest_two(points: np.ndarray, centres: np.ndarray) -> tuple[np.ndarray, ...]:
    """Index of the nearest centre, its distance, and the second-nearest distance."""
    n = points.shape[0]
    label = np.empty(n, dtype=np.int64)
    d1 = np.empty(n)
    d2 = np.empty(n)
    cx, cy = centres[:, 0], centres[:, 1]
    for lo in range(0, n, _CHUNK):
        hi = min(n, lo + _CHUNK)
        dx = points[lo:hi, 0:1] - cx
        dy = points[lo:hi, 1:2] - cy
        dist = dx * dx
        dist += dy * dy
        rows = np.arange(hi - lo)
        best = np.argmin(dist, axis=1)
        label[lo:hi] = best
        d1[lo:hi] = dist[rows, best]
        if centres.shape[0] > 1:
            dist[rows, best] = np.inf
            d2[lo:hi] = dist.min(axis=1)
        else:
            d2[lo:hi] = np.inf
    np.sqrt(d1, out=d1)
    np.sqrt(d2, out=d2)
    return label, d1, d2


def _tree_two(points: np.ndarray, centres: np.ndarray) -> tuple[np.ndarray, ...]:
    """``_nearest_two`` through a k-d tree of the centres (for many points): the nearest
    centre, its distance and the second-nearest distance."""
    if centres.shape[0] < 2:
        return _nearest_two(points, centres)
    d, idx = cKDTree(centres).query(points, k=2, workers=_WORKERS)
    return np.asarray(idx[:, 0], dtype=np.int64), d[:, 0].copy(), d[:, 1].copy()


def add_distal_centres(points: np.ndarray, centres: np.ndarray, k: int) -> np.ndarray:
    """Polis's warm-start repair: drop duplicate centres, then split off the point
    farthest from every centre until there are ``k`` centres or no point lies off them."""
    if centres.shape[0] == 0:
        return first_distinct_rows(points, k)
    _, keep = np.unique(centres, axis=0, return_index=True)
    centres = centres[np.sort(keep)]
    if centres.shape[0] >= k:
        return centres[:k]
    _, nearest, _ = _nearest_two(points, centres)
    added = [centres]
    while sum(c.shape[0] for c in added) < k:
        far = int(np.argmax(nearest))
        if nearest[far] <= 0.0:
            break
        new = points[far : far + 1].astype(np.float64)
        added.append(new)
        np.minimum(
            nearest, np.hypot(points[:, 0] - new[0, 0], points[:, 1] - new[0, 1]), out=nearest
        )
    return np.concatenate(added, axis=0)


def _member_centres(
    points: np.ndarray, member: np.ndarray, n_clusters: int, weights: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray]:
    """(Weighted) mean of each cluster's members and the member count of each cluster;
    points with a negative ``member`` belong to no cluster."""
    inside = member >= 0
    lab = member[inside]
    w = None if weights is None else weights[inside]
    mass = np.bincount(lab, weights=w, minlength=n_clusters).astype(np.float64)
    px, py = points[inside, 0], points[inside, 1]
    sx = np.bincount(lab, weights=px if w is None else px * w, minlength=n_clusters)
    sy = np.bincount(lab, weights=py if w is None else py * w, minlength=n_clusters)
    count = np.bincount(lab, minlength=n_clusters)
    with np.errstate(invalid="ignore", divide="ignore"):
        centres = np.column_stack([sx / mass, sy / mass])
    return centres, count


def clean_start(
    points: np.ndarray,
    member: np.ndarray,
    n_previous: int,
    k: int,
    *,
    weights: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Polis's warm start (``clean-start-clusters``) from the previous clustering's members.

    ``member`` gives, per point, the index (``0..n_previous-1``) of the cluster it was in
    at the previous update, or -1 for a point new to the clustering. As in Polis, each
    previous cluster is re-centred on its members' *current* positions (clusters that
    lost every member are dropped), clusters whose centres coincide are merged, and
    while there are fewer than ``min(k, distinct points)`` clusters the point farthest
    from every centre is split off as a new cluster (and removed from its old one).
    Carrying the members, not the old centres, is what keeps a group the same group
    when the projection moves under it between updates.

    Returns ``(centres, member, origin)``: the starting centres, each point's starting
    cluster (-1 for none), and for each centre the previous cluster index it continues,
    or -1 for one split off here.
    """
    points = np.asarray(points, dtype=np.float64)
    member = np.asarray(member, dtype=np.int64).copy()
    if weights is not None:
        weights = np.asarray(weights, dtype=np.float64)
    n = points.shape[0]
    if n == 0:
        return np.zeros((0, 2)), member, np.zeros(0, dtype=np.int64)
    centres, count = _member_centres(points, member, n_previous, weights)
    alive = count > 0
    if not alive.any():
        # Polis: nothing left of the old clusters, so one cluster of everything.
        member[:] = 0
        centres, _ = _member_centres(points, member, 1, weights)
        return centres, member, np.array([-1], dtype=np.int64)
    origin = np.flatnonzero(alive)
    remap = np.cumsum(alive) - 1
    inside = member >= 0
    member[inside] = np.where(alive[member[inside]], remap[member[inside]], -1)
    centres = centres[alive]
    count = count[alive]
    # Merge clusters whose centres coincide exactly (Polis uniqify-clusters): the merged
    # cluster keeps the earlier position and the id of the one with more members.
    _, first, inverse = np.unique(centres, axis=0, return_index=True, return_inverse=True)
    inverse = inverse.reshape(-1)
    if first.size < centres.shape[0]:
        target = first[inverse]  # earliest cluster with the same centre
        keep = np.zeros(centres.shape[0], dtype=bool)
        keep[target] = True
        for c in np.flatnonzero(~keep):
            t = target[c]
            if count[c] >= count[t]:
                origin[t] = origin[c]
            count[t] += count[c]
        remap = np.cumsum(keep) - 1
        member[member >= 0] = remap[target[member[member >= 0]]]
        origin, count = origin[keep], count[keep]
        centres, _ = _member_centres(points, member, int(keep.sum()), weights)
    if centres.shape[0] < k:
        centres, origin = _split_distal(points, member, centres, origin, k, weights)
    return centres, member, origin


def _split_distal(
    points: np.ndarray,
    member: np.ndarray,
    centres: np.ndarray,
    origin: np.ndarray,
    k: int,
    weights: np.ndarray | None,
) -> tuple[np.ndarray, np.ndarray]:
    """The splitting step of ``clean_start`` (``member`` is updated in place): while
    there are fewer than ``min(k, distinct points)`` clusters, the point farthest from
    every centre leaves its cluster as a new one. Each split moves two centres only
    (the new one and the one it left), so the distances to the nearest centre are
    updated for those two, and recomputed in full only for the points whose nearest
    centre was the one that moved; every centre is its members' mean as
    ``_member_centres`` computes it, so the result is the same as recomputing
    everything after every split."""
    n = points.shape[0]
    n_clusters = centres.shape[0]
    # min(k, number of distinct points), without sorting every point (+ 0.0: -0.0 is 0.0)
    possible = first_distinct_rows(points + 0.0, k).shape[0]
    origin_list = origin.tolist()
    label, nearest, _ = _nearest_two(points, centres)
    while n_clusters < possible:
        # max-key keeps the last of equal maxima
        far = n - 1 - int(np.argmax(nearest[::-1]))
        if nearest[far] <= 0.0:
            break
        old = int(member[far])
        member[far] = n_clusters
        origin_list.append(-1)
        n_clusters += 1
        moved = [n_clusters - 1]
        centres = np.concatenate([centres, _one_centre(points, member, n_clusters - 1, weights)])
        stale = np.zeros(0, dtype=np.int64)
        if old >= 0:
            stale = np.flatnonzero(label == old)
            if (member == old).any():
                centres[old] = _one_centre(points, member, old, weights)[0]
                moved.append(old)
            else:  # the split emptied a singleton: drop it
                keep = np.arange(n_clusters) != old
                remap = np.cumsum(keep) - 1
                member[member >= 0] = remap[member[member >= 0]]
                origin_list.pop(old)
                centres = centres[keep]
                n_clusters -= 1
                label = remap[label]
                moved = [n_clusters - 1]
        for c in moved:
            dx = points[:, 0] - centres[c, 0]
            dy = points[:, 1] - centres[c, 1]
            dist = dx * dx
            dist += dy * dy
            np.sqrt(dist, out=dist)
            closer = dist < nearest
            nearest[closer] = dist[closer]
            label[closer] = c
        if stale.size:
            label[stale], nearest[stale], _ = _nearest_two(points[stale], centres)
    return centres, np.asarray(origin_list, dtype=np.int64)


def _one_centre(
    points: np.ndarray, member: np.ndarray, cluster: int, weights: np.ndarray | None
) -> np.ndarray:
    """Cluster ``cluster``'s centre, to the bit as ``_member_centres`` computes it (the
    same sums in the same order)."""
    rows = np.flatnonzero(member == cluster)
    lab = np.zeros(rows.size, dtype=np.int64)
    centre, _ = _member_centres(points[rows], lab, 1, None if weights is None else weights[rows])
    return centre


def _update(
    points: np.ndarray, label: np.ndarray, n_centres: int, weights: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray]:
    """New centres as (weighted) member means; also the member weight of each centre."""
    w = weights if weights is not None else None
    mass = np.bincount(label, weights=w, minlength=n_centres)
    wx = points[:, 0] * w if w is not None else points[:, 0]
    wy = points[:, 1] * w if w is not None else points[:, 1]
    sx = np.bincount(label, weights=wx, minlength=n_centres)
    sy = np.bincount(label, weights=wy, minlength=n_centres)
    members = np.bincount(label, minlength=n_centres)
    with np.errstate(invalid="ignore", divide="ignore"):
        centres = np.column_stack([sx / mass, sy / mass])
    return centres, members


def kmeans(
    points: np.ndarray,
    k: int,
    *,
    init: np.ndarray | None = None,
    weights: np.ndarray | None = None,
    max_iter: int = 100,
    tol: float = 0.01,
) -> tuple[np.ndarray, np.ndarray]:
    """Polis k-means of ``points`` (n x 2). Returns ``(centres, labels)``.

    ``init`` gives warm-start centres (else the first ``k`` distinct points are used);
    ``weights`` weights each point in the centre means (group clustering weights base
    clusters by their member counts). Labels index the returned centres, which keep the
    order of the starting centres with emptied clusters removed.
    """
    points = np.asarray(points, dtype=np.float64)
    n = points.shape[0]
    if n == 0 or k <= 0:
        return np.zeros((0, 2)), np.zeros(n, dtype=np.int64)
    if init is None:
        centres = first_distinct_rows(points, k)
    else:
        centres = add_distal_centres(points, np.asarray(init, dtype=np.float64), k)
    centres, label, _ = lloyd(points, centres, weights=weights, max_iter=max_iter, tol=tol)
    return centres, label


def lloyd(
    points: np.ndarray,
    centres: np.ndarray,
    *,
    weights: np.ndarray | None = None,
    max_iter: int = 100,
    tol: float = 0.01,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Lloyd steps from the given starting centres (Polis ``kmeans`` after its start).

    Returns ``(centres, labels, kept)``: ``kept`` gives, for each returned centre, the
    index of the starting centre it grew from (clusters left empty are dropped, the
    others keep their order), so callers can carry cluster ids across the iterations.
    """
    points = np.asarray(points, dtype=np.float64)
    centres = np.asarray(centres, dtype=np.float64)
    n = points.shape[0]
    kept = np.arange(centres.shape[0])
    if n == 0 or centres.shape[0] == 0:
        return np.zeros((0, 2)), np.zeros(n, dtype=np.int64), kept[:0]
    if weights is not None:
        weights = np.asarray(weights, dtype=np.float64)
    dense = n * centres.shape[0] <= _DENSE_PAIRS
    label, upper, lower = _nearest_two(points, centres) if dense else _tree_two(points, centres)
    for step in range(max_iter):
        if step > 0:
            if dense:
                label, upper, lower = _nearest_two(points, centres)
            else:
                _hamerly_assign(points, centres, label, upper, lower)
        new, members = _update(points, label, centres.shape[0], weights)
        alive = members > 0
        dropped = not bool(alive.all())
        if dropped:
            # Polis drops clusters that lost every member. Removing centres can only
            # raise a point's second-nearest distance, so the lower bounds stay valid.
            remap = np.cumsum(alive) - 1
            label = remap[label]
            new = new[alive]
            centres = centres[alive]
            kept = kept[alive]
        shift = np.hypot(new[:, 0] - centres[:, 0], new[:, 1] - centres[:, 1])
        centres = new
        if not dropped and float(shift.max(initial=0.0)) < tol:
            break
        if not dense:
            upper += shift[label]
            # Hamerly's refinement: the nearest other centre moved at most the largest
            # shift among the other centres, which for members of the centre that moved
            # most is the second-largest shift.
            if shift.size > 1:
                top2 = np.partition(shift, shift.size - 2)[-2:]
                lower -= np.where(label == int(np.argmax(shift)), top2[0], top2[1])
            else:
                lower -= float(shift.max(initial=0.0))
    return centres, label, kept


def _hamerly_assign(
    points: np.ndarray,
    centres: np.ndarray,
    label: np.ndarray,
    upper: np.ndarray,
    lower: np.ndarray,
) -> None:
    """One Lloyd assignment step using Hamerly's bounds; updates the arrays in place."""
    diff = centres[:, None, :] - centres[None, :, :]
    between = np.sqrt((diff * diff).sum(axis=2))
    np.fill_diagonal(between, np.inf)
    half_gap = 0.5 * between.min(axis=1) if centres.shape[0] > 1 else np.full(1, np.inf)
    bound = np.maximum(half_gap[label], lower)
    cand = np.flatnonzero(upper > bound)
    if cand.size == 0:
        return
    own = centres[label[cand]]
    upper[cand] = np.hypot(points[cand, 0] - own[:, 0], points[cand, 1] - own[:, 1])
    cand = cand[upper[cand] > bound[cand]]
    if cand.size == 0:
        return
    lab, d1, d2 = _nearest_two(points[cand], centres)
    label[cand] = lab
    upper[cand] = d1
    lower[cand] = d2


def silhouette(centres: np.ndarray, labels: np.ndarray) -> float:
    """Polis's silhouette of a grouping of base clusters, computed on their centres.

    For each base cluster: ``a`` is its mean distance to the other base clusters of its
    group, ``b`` the smallest mean distance to the base clusters of another group, and
    its score ``(b - a) / max(a, b)`` (0 for a group of one). The result is the plain,
    unweighted mean over base clusters, as in Polis. A grouping with fewer than two
    groups has no silhouette; it scores -1 so that any real split is preferred.
    """
    labels = np.asarray(labels)
    groups = np.unique(labels)
    n = centres.shape[0]
    if groups.size < 2 or n == 0:
        return -1.0
    diff = centres[:, None, :] - centres[None, :, :]
    dist = np.sqrt((diff * diff).sum(axis=2))
    onehot = (labels[:, None] == groups[None, :]).astype(np.float64)
    sizes = onehot.sum(axis=0)
    sums = dist @ onehot  # sum of distances from each base cluster to each group
    own = np.searchsorted(groups, labels)
    own_size = sizes[own]
    scores = np.zeros(n)
    rows = np.arange(n)
    with np.errstate(invalid="ignore", divide="ignore"):
        a = sums[rows, own] / (own_size - 1)
        mean_other = sums / sizes
    mean_other[rows, own] = np.inf
    b = mean_other.min(axis=1)
    denom = np.maximum(a, b)
    ok = (own_size > 1) & (denom > 0)
    scores[ok] = (b[ok] - a[ok]) / denom[ok]
    return float(scores.mean())
