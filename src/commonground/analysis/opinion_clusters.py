"""Polis's base clusters and group clusterings, warm-started from the previous run's
members (``clean-start-clusters``), and the group-count choice with its smoother."""

from __future__ import annotations

import numpy as np

from commonground.analysis.opinion_kmeans import (
    add_distal_centres,
    clean_start,
    first_distinct_rows,
    lloyd,
)
from commonground.analysis.opinion_kmeans_binned import lloyd_binned
from commonground.analysis.opinion_state import OpinionParams, OpinionState

__all__ = ["base_clusters", "choose_k", "group_clustering", "previous_base_members"]


def _rows_of(ids: np.ndarray, wanted: np.ndarray, hint: np.ndarray) -> np.ndarray:
    """Row of each id of ``wanted`` in ``ids`` (-1 when absent). ``hint`` holds the rows
    the ids had last time; when they still hold the same ids (rows are only ever
    appended) the lookup is one vectorised comparison instead of a search."""
    n = ids.shape[0]
    if (
        hint.shape == wanted.shape
        and (hint.size == 0 or (int(hint.min()) >= 0 and int(hint.max()) < n))
        and np.array_equal(ids[hint], wanted)
    ):
        return hint
    if ids.dtype != object and wanted.dtype != object:
        try:
            order = np.argsort(ids, kind="stable")
            pos = np.minimum(np.searchsorted(ids, wanted, sorter=order), max(n - 1, 0))
            rows = order[pos] if n else np.zeros(wanted.shape, dtype=np.int64)
            found = (ids[rows] == wanted) if n else np.zeros(wanted.shape, dtype=bool)
            return np.where(found, rows, -1).astype(np.int64)
        except TypeError:
            pass
    index = {x: i for i, x in enumerate(ids.tolist())}
    return np.fromiter(
        (index.get(x, -1) for x in wanted.tolist()), dtype=np.int64, count=wanted.shape[0]
    )


def previous_base_members(
    state: OpinionState | None, participant_ids: np.ndarray, in_rows: np.ndarray
) -> np.ndarray | None:
    """For each in-conversation row, the index into ``state.base_ids`` of the base cluster
    the participant was in at the previous run (-1 for someone new), or None when the
    state carries no members (a cold start, or a state written before they were kept)."""
    if state is None or state.member_ids.size == 0 or state.base_ids.size == 0:
        return None
    rows = _rows_of(participant_ids, np.asarray(state.member_ids), state.member_rows)
    position = np.searchsorted(state.base_ids, state.member_base)
    position = np.minimum(position, state.base_ids.size - 1)
    valid = (rows >= 0) & (state.base_ids[position] == state.member_base)
    of_row = np.full(participant_ids.shape[0], -1, dtype=np.int64)
    of_row[rows[valid]] = position[valid]
    return of_row[in_rows]


def base_clusters(
    pts: np.ndarray, previous: np.ndarray | None, state: OpinionState | None, params: OpinionParams
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Polis's base clusters: ``(centres, labels, ids)``, centres in id order.

    Warm: Polis's clean start from the previous members, then Lloyd. Cold: the first
    ``base_k`` distinct points, ids ``0..``. A state without members (written by an
    older version) warm-starts from its centres.
    """
    if previous is not None and state is not None:
        start, _, origin = clean_start(pts, previous, state.base_ids.size, params.base_k)
        next_id = int(state.base_ids.max()) + 1
        fresh = origin < 0
        ids = np.empty(origin.size, dtype=np.int64)
        ids[~fresh] = state.base_ids[origin[~fresh]]
        ids[fresh] = next_id + np.arange(int(fresh.sum()))
    else:
        prev = state.base_centres if state is not None and state.base_centres.size else None
        if prev is None:
            start = first_distinct_rows(pts, params.base_k)
        else:
            start = add_distal_centres(pts, prev, params.base_k)
        ids = np.arange(start.shape[0], dtype=np.int64)
    if pts.shape[0] <= params.exact_kmeans_max:
        centres, labels, kept = lloyd(pts, start, max_iter=params.base_iters, tol=params.kmeans_tol)
    else:
        centres, labels, kept = lloyd_binned(
            pts,
            start,
            max_iter=params.base_iters,
            tol=params.kmeans_tol,
            bins=params.kmeans_bins,
            workers=params.threads,
            cell_tol=params.kmeans_cell_tol,
        )
    return centres, labels, ids[kept]


def group_clustering(
    k: int,
    base_centres: np.ndarray,
    base_sizes: np.ndarray,
    base_ids: np.ndarray,
    state: OpinionState | None,
    params: OpinionParams,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Polis's k-clustering of the base clusters: ``(centres, labels, group ids)``.

    Warm-started, as Polis does, from the previous k-clustering's members (base-cluster
    ids), each group re-centred on its base clusters' current centres; cold (no
    previous clustering for this k), from the first k distinct base centres.
    """
    prev_ids = state.group_ids.get(k) if state is not None else None
    prev_of = state.group_of_base.get(k) if state is not None else None
    if (
        prev_ids is not None
        and prev_of is not None
        and prev_ids.size
        and state is not None
        and prev_of.size == state.base_ids.size
    ):
        pos = np.minimum(np.searchsorted(state.base_ids, base_ids), state.base_ids.size - 1)
        known = state.base_ids[pos] == base_ids
        member = np.full(base_ids.size, -1, dtype=np.int64)
        member[known] = np.searchsorted(prev_ids, prev_of[pos[known]])
        start, _, origin = clean_start(base_centres, member, prev_ids.size, k, weights=base_sizes)
        fresh = origin < 0
        ids = np.empty(origin.size, dtype=np.int64)
        ids[~fresh] = prev_ids[origin[~fresh]]
        ids[fresh] = int(prev_ids.max()) + 1 + np.arange(int(fresh.sum()))
    elif state is not None and state.group_centres.get(k) is not None and not state.group_ids:
        start = add_distal_centres(base_centres, state.group_centres[k], k)
        ids = np.arange(start.shape[0], dtype=np.int64)
    else:
        start = first_distinct_rows(base_centres, k)
        ids = np.arange(start.shape[0], dtype=np.int64)
    centres, labels, kept = lloyd(
        base_centres,
        start,
        weights=base_sizes,
        max_iter=params.group_iters,
        tol=params.kmeans_tol,
    )
    ids = ids[kept]
    if params.group_restarts > 0 and centres.shape[0] == k:
        centres, labels, ids = _deepest(k, base_centres, base_sizes, centres, labels, ids, params)
    return centres, labels, ids


def _objective(
    points: np.ndarray, weights: np.ndarray, centres: np.ndarray, labels: np.ndarray
) -> float:
    d = points - centres[labels]
    return float(weights @ np.einsum("ij,ij->i", d, d))


def _deepest(
    k: int,
    points: np.ndarray,
    weights: np.ndarray,
    centres: np.ndarray,
    labels: np.ndarray,
    ids: np.ndarray,
    params: OpinionParams,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Polis's clustering, or the one with the lowest weighted k-means objective among
    ``group_restarts`` more, each from weighted k-means++ starts (seeded by k, so the
    result is deterministic), when that one is lower than Polis's by more than
    ``group_restart_margin`` (a fraction of Polis's; at least strictly lower). A
    replay with few updates can leave Polis's k-means in a clearly shallower optimum
    than a long-lived conversation's many updates would have; between two optima of
    about the same depth, Polis's history decides. See docs/opinion-map.md for when
    this applies."""
    polis = _objective(points, weights, centres, labels)
    best = polis * (1.0 - max(params.group_restart_margin, 1e-9))
    rng = np.random.default_rng(k)
    total = float(weights.sum())
    fresh_id = int(ids.max(initial=-1)) + 1
    for _ in range(params.group_restarts):
        chosen = [int(rng.choice(points.shape[0], p=weights / total))]
        nearest = np.einsum("ij,ij->i", points - points[chosen[0]], points - points[chosen[0]])
        while len(chosen) < k:
            mass = weights * nearest
            if mass.sum() <= 0:
                break
            chosen.append(int(rng.choice(points.shape[0], p=mass / mass.sum())))
            d = points - points[chosen[-1]]
            np.minimum(nearest, np.einsum("ij,ij->i", d, d), out=nearest)
        if len(chosen) < k:
            continue
        c2, l2, _ = lloyd(
            points,
            points[chosen],
            weights=weights,
            max_iter=params.group_iters,
            tol=params.kmeans_tol,
        )
        value = _objective(points, weights, c2, l2)
        if c2.shape[0] == k and value < best:
            best, centres, labels = value, c2, l2
            ids = fresh_id + np.arange(k, dtype=np.int64)
    return centres, labels, ids


def choose_k(
    silhouettes: dict[int, float], state: OpinionState | None, buffer: int
) -> tuple[int, int, int]:
    # Polis uses (apply max-key ...) over k in increasing order: ties go to the larger k.
    this_k = max(silhouettes, key=lambda k: (silhouettes[k], k))
    last_k = state.last_k if state is not None else None
    last_count = state.last_k_count if state is not None else 0
    smoothed = state.smoothed_k if state is not None else None
    count = last_count + 1 if last_k is not None and this_k == last_k else 1
    if count >= buffer or smoothed is None or smoothed not in silhouettes:
        smoothed = this_k
    return smoothed, this_k, count
