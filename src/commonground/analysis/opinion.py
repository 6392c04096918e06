"""Opinion map engine: Polis's opinion groups, representative statements and consensus.

Pure NumPy/SciPy (no Django). The pipeline follows Polis's Clojure math
(``conversation.clj``, ``pca.clj``, ``clusters.clj``, ``repness.clj``):

1. Votes form a sparse participants x statements matrix (agree +1, disagree -1, pass 0,
   unseen not stored). Moderated-out statements count as a pass from every participant
   (Polis ``zero-out-columns``) in the matrix used for PCA and projection.
2. In-conversation participants: at least ``min(7, n_statements)`` votes, topped up with
   the most active voters to 15; once in, a participant stays in (kept in the state).
3. PCA with two components of the mean-imputed matrix over all participants; the
   imputed matrix is never built (see ``opinion_pca``).
4. Sparsity-aware projection ``sqrt(n_statements / n_seen_i) * sum_j (v_ij - mean_j) pc_j``.
5. 100 base clusters by k-means on the in-conversation projections; group clusterings for
   k = 2 .. min(5, 2 + n_base // 12) by weighted k-means on the base centres, scored by
   silhouette on the base centres; a new best k must win 4 consecutive updates. Warm
   starts carry each cluster's members, re-centred where they are now (Polis
   ``clean-start-clusters``).
6. Per group and statement: counts, repness and its z-tests, representative statements;
   whole-population consensus; group-informed consensus.

The same input, state and seed give bit-identical output. ``OpinionState`` carries what a
next run warm-starts from: the PCA subspace, base and group centres, the k-smoother and
the participants Polis keeps in the conversation once admitted.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp
from threadpoolctl import ThreadpoolController

from commonground.analysis.opinion_clusters import (
    base_clusters,
    choose_k,
    group_clustering,
    previous_base_members,
)
from commonground.analysis.opinion_kmeans import silhouette
from commonground.analysis.opinion_matrix import VoteMatrix
from commonground.analysis.opinion_pca import RowBlocks, leading_subspace
from commonground.analysis.opinion_state import OpinionParams, OpinionState, plain
from commonground.analysis.opinion_stats import (
    ConsensusStatement,
    CrossTable,
    GroupCounts,
    RepStatement,
    consensus_statements,
    count_by_group,
    cross_table,
    group_informed_consensus,
    repness_table,
    select_representative,
    stakeholder_consensus,
    vote_keys,
)

_BLAS = ThreadpoolController()

__all__ = [
    "ConsensusStatement",
    "CrossTable",
    "OpinionMap",
    "OpinionParams",
    "OpinionState",
    "RepStatement",
    "VoteMatrix",
    "compute_opinion_map",
    "opinion_cross_table",
    "stakeholder_consensus_scores",
]


@dataclass(frozen=True)
class OpinionMap:
    """Result of one run. Per-participant arrays follow the matrix's row order; groups
    are numbered 0..k-1; statements are column indices (``statement_ids`` names them)."""

    participant_ids: np.ndarray
    statement_ids: np.ndarray
    n_votes: int
    in_conversation: np.ndarray  # bool per participant
    projections: np.ndarray  # n_participants x 2
    components: np.ndarray  # 2 x n_statements
    center: np.ndarray  # statement means used by the PCA
    base_centres: np.ndarray
    base_labels: np.ndarray  # base cluster per participant, -1 when not in conversation
    group_labels: np.ndarray  # opinion group per participant, -1 when not in conversation
    k: int
    silhouettes: dict[int, float]
    group_counts: GroupCounts  # per opinion group, in-conversation members, raw votes
    totals: GroupCounts  # one row: every participant, raw votes
    representative: list[list[RepStatement]]
    consensus: dict[str, list[ConsensusStatement]]
    group_informed_consensus: np.ndarray
    moderated_out: np.ndarray  # bool per statement
    state: OpinionState
    timings: dict[str, float]


def _column_totals(keys: np.ndarray, n_statements: int) -> GroupCounts:
    """Agree / disagree / seen per statement over every participant (one bincount)."""
    counts = np.bincount(keys, minlength=3 * n_statements).reshape(1, -1, 3)
    return GroupCounts(agree=counts[:, :, 2], disagree=counts[:, :, 0], seen=counts.sum(axis=2))


def _in_conversation(
    matrix: VoteMatrix, counts: np.ndarray, params: OpinionParams, sticky: Iterable[Any]
) -> tuple[np.ndarray, list[Any]]:
    threshold = min(params.min_votes, matrix.n_statements)
    inside = counts >= threshold
    sticky_list = list(sticky)
    if sticky_list:
        # Ids of previously admitted participants, looked up by value (they are few).
        position = {pid: i for i, pid in enumerate(matrix.participant_ids[~inside].tolist())}
        rows = np.flatnonzero(~inside)
        for pid in sticky_list:
            if pid in position:
                inside[rows[position[pid]]] = True
    n_in = int(inside.sum())
    if n_in < params.greedy_n:
        # Top up with the most active remaining participants (ties: earlier row first).
        rest = np.flatnonzero(~inside & (counts > 0))
        order = rest[np.argsort(-counts[rest], kind="stable")]
        inside[order[: params.greedy_n - n_in]] = True
    # Admitted with fewer votes than the full threshold (by the top-up, or while there
    # were fewer statements than it): Polis keeps them in, which only the state remembers.
    new_sticky = matrix.participant_ids[inside & (counts < params.min_votes)].tolist()
    return inside, [plain(x) for x in new_sticky]


def _row_sums(flags: np.ndarray, indptr: np.ndarray) -> np.ndarray:
    """Per CSR row, how many of its stored entries are flagged (one running count, no
    per-entry row index)."""
    running = np.zeros(flags.size + 1, dtype=np.int32 if flags.size < 2**31 else np.int64)
    np.cumsum(flags, out=running[1:])
    return (running[indptr[1:]] - running[indptr[:-1]]).astype(np.int64)


def _aligned_basis(state: OpinionState | None, statement_ids: np.ndarray) -> np.ndarray | None:
    if state is None or state.basis.size == 0:
        return None
    index = {sid: i for i, sid in enumerate(state.statement_ids)}
    rows = np.fromiter(
        (index.get(s, -1) for s in statement_ids.tolist()), dtype=np.int64, count=len(statement_ids)
    )
    basis = np.zeros((len(statement_ids), state.basis.shape[1]))
    known = rows >= 0
    basis[known] = state.basis[rows[known]]
    return basis


def _orient(components: np.ndarray, previous: np.ndarray | None) -> np.ndarray:
    """Fix each component's sign: as the previous run's when there is one (so the map
    does not flip between updates), else so its largest-magnitude loading is positive."""
    out = components.copy()
    for c in range(out.shape[1]):
        col = out[:, c]
        if previous is not None and c < previous.shape[1] and np.any(previous[:, c]):
            flip = float(previous[:, c] @ col) < 0.0
        else:
            big = int(np.argmax(np.abs(col))) if col.size else 0
            flip = col.size > 0 and col[big] < 0.0
        if flip:
            out[:, c] = -col
    return out


def compute_opinion_map(
    matrix: VoteMatrix,
    *,
    moderated_out: Iterable[Any] = (),
    state: OpinionState | None = None,
    seed: int = 0,
    params: OpinionParams | None = None,
    statistics: bool = True,
) -> OpinionMap:
    """Run the whole opinion-map pipeline on ``matrix``.

    ``moderated_out`` lists statement ids hidden by moderation (counted as passes in the
    PCA and projection, never representative nor consensus). ``state`` is the previous
    run's ``OpinionMap.state`` (warm start); ``seed`` seeds the PCA start block of a cold
    start. Returns the map, whose ``state`` feeds the next run. ``statistics=False``
    skips what only a shown map needs (group vote counts, representative statements,
    consensus): the state is the same, and a replayed history needs only the state.
    """
    # The dense linear algebra here is on small matrices (statements x 12 at most);
    # BLAS threads only add contention for them, badly so on a busy machine (a
    # 1,000 x 12 SVD took 47 ms with two threads under load, 0.7 ms with one).
    with _BLAS.limit(limits=1, user_api="blas"):
        return _compute(matrix, moderated_out, state, seed, params or OpinionParams(), statistics)


def _compute(
    matrix: VoteMatrix,
    moderated_out: Iterable[Any],
    state: OpinionState | None,
    seed: int,
    params: OpinionParams,
    statistics: bool,
) -> OpinionMap:
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    n_p, n_s = matrix.n_participants, matrix.n_statements
    mod_set = set(moderated_out)
    mod = np.fromiter((s in mod_set for s in matrix.statement_ids.tolist()), dtype=bool, count=n_s)

    # Raw counts over every participant (stats, consensus, and the per-column means).
    keys = vote_keys(matrix.indices, matrix.values)
    totals = _column_totals(keys, n_s)
    seen_total = totals.seen[0]
    with np.errstate(invalid="ignore", divide="ignore"):
        center = (totals.agree[0] - totals.disagree[0]) / seen_total
    center = np.where(seen_total > 0, center, 0.0)
    center[mod] = 0.0  # a moderated-out column is all passes: mean 0
    row_counts = matrix.row_counts()
    timings["counts"] = time.perf_counter() - t0

    # Centred sparse matrix: only voted cells, moderated-out columns zeroed.
    t = time.perf_counter()
    data = matrix.values.astype(np.float64)
    data -= center[matrix.indices]
    if mod.any():
        data[mod[matrix.indices]] = 0.0
    x = sp.csr_matrix((data, matrix.indices, matrix.indptr), shape=(n_p, n_s))
    blocks = RowBlocks(x, params.threads)
    timings["centre"] = time.perf_counter() - t

    t = time.perf_counter()
    start = _aligned_basis(state, matrix.statement_ids)
    try:
        sub = leading_subspace(
            blocks,
            params.n_components,
            start=start,
            seed=seed,
            block=params.pca_block,
            depth=params.pca_depth,
            tol=params.pca_tol,
            max_restarts=params.pca_max_restarts,
        )
    finally:
        blocks.close()
    del x, data
    n_comp = sub.projections.shape[1]
    oriented = _orient(sub.basis[:, :n_comp], None if start is None else start[:, :n_comp])
    flips = np.where(np.sum(oriented * sub.basis[:, :n_comp], axis=0) < 0, -1.0, 1.0)
    basis = sub.basis.copy()
    basis[:, :n_comp] = oriented
    raw_proj = sub.projections * flips
    components = np.zeros((2, n_s))
    components[:n_comp] = oriented.T
    # Sparsity-aware scaling. A moderated-out column holds a 0 for everyone in Polis's
    # matrix, so it counts as seen by every participant.
    n_mod = int(mod.sum())
    seen_unmod = row_counts - (_row_sums(mod[matrix.indices], matrix.indptr) if n_mod else 0)
    seen_rating = seen_unmod + n_mod
    scale = np.sqrt(n_s / np.maximum(seen_rating, 1))
    projections = np.zeros((n_p, 2))
    projections[:, :n_comp] = raw_proj * scale[:, None]
    timings["pca"] = time.perf_counter() - t

    t = time.perf_counter()
    sticky = state.sticky_participants if state is not None else []
    inside, new_sticky = _in_conversation(matrix, row_counts, params, sticky)
    in_rows = np.flatnonzero(inside)
    pts = projections[in_rows]
    previous = previous_base_members(state, matrix.participant_ids, in_rows)
    base_centres, base_of_in, base_ids = base_clusters(pts, previous, state, params)
    n_base = base_centres.shape[0]
    base_sizes = np.bincount(base_of_in, minlength=n_base).astype(np.float64)
    timings["base_clusters"] = time.perf_counter() - t

    t = time.perf_counter()
    max_k = min(params.max_k, 2 + n_base // 12)
    clusterings: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    clustering_ids: dict[int, np.ndarray] = {}
    silhouettes: dict[int, float] = {}
    for k in range(2, max_k + 1):
        centres, labels, gids = group_clustering(
            k, base_centres, base_sizes, base_ids, state, params
        )
        clusterings[k] = (centres, labels)
        clustering_ids[k] = gids
        silhouettes[k] = silhouette(base_centres, labels)
    if clusterings:
        k_sel, this_k, k_count = choose_k(silhouettes, state, params.group_k_buffer)
        group_centres, group_of_base = clusterings[k_sel]
    else:  # nobody to cluster
        k_sel, this_k, k_count = 0, 0, 0
        group_centres, group_of_base = np.zeros((0, 2)), np.zeros(0, dtype=np.int64)
    k_actual = int(group_centres.shape[0])
    base_labels = np.full(n_p, -1, dtype=np.int64)
    base_labels[in_rows] = base_of_in
    group_labels = np.full(n_p, -1, dtype=np.int64)
    group_labels[in_rows] = group_of_base[base_of_in] if n_base else -1
    timings["groups"] = time.perf_counter() - t

    t = time.perf_counter()
    if statistics:
        counts = count_by_group(
            matrix.indptr, matrix.indices, matrix.values, group_labels, k_actual, n_s, keys
        )
        representative = select_representative(repness_table(counts), mod, params.rep_limit)
        consensus = consensus_statements(
            totals.agree[0], totals.disagree[0], totals.seen[0], mod, params.consensus_limit
        )
        gic = group_informed_consensus(counts.agree, counts.seen)
    else:
        empty = np.zeros((k_actual, n_s), dtype=np.int64)
        counts = GroupCounts(agree=empty, disagree=empty, seen=empty)
        representative = [[] for _ in range(k_actual)]
        consensus = {"agree": [], "disagree": []}
        gic = np.zeros(n_s)
    timings["stats"] = time.perf_counter() - t

    new_state = OpinionState(
        statement_ids=[plain(s) for s in matrix.statement_ids.tolist()],
        basis=basis,
        base_centres=base_centres,
        group_centres={k: c for k, (c, _) in clusterings.items()},
        last_k=this_k or None,
        last_k_count=k_count,
        smoothed_k=k_sel or None,
        sticky_participants=new_sticky,
        base_ids=base_ids,
        member_ids=matrix.participant_ids[in_rows],
        member_base=base_ids[base_of_in] if n_base else np.zeros(0, dtype=np.int64),
        member_rows=in_rows.astype(np.int64),
        group_ids=clustering_ids,
        group_of_base={k: clustering_ids[k][lab] for k, (_, lab) in clusterings.items()},
    )
    timings["total"] = time.perf_counter() - t0
    return OpinionMap(
        participant_ids=matrix.participant_ids,
        statement_ids=matrix.statement_ids,
        n_votes=matrix.n_votes,
        in_conversation=inside,
        projections=projections,
        components=components,
        center=center,
        base_centres=base_centres,
        base_labels=base_labels,
        group_labels=group_labels,
        k=k_actual,
        silhouettes=silhouettes,
        group_counts=counts,
        totals=totals,
        representative=representative,
        consensus=consensus,
        group_informed_consensus=gic,
        moderated_out=mod,
        state=new_state,
        timings=timings,
    )


def stakeholder_consensus_scores(
    matrix: VoteMatrix, labels: Iterable[Any], groups: Iterable[Any] | None = None
) -> tuple[np.ndarray, list[Any]]:
    """Stakeholder-informed consensus per statement (column order of ``matrix``).

    ``labels`` gives each participant's stakeholder group (``None`` = unknown). The
    score is the product over stakeholder groups of ``(agree + 1) / (seen + 2)``.
    Returns the scores and the group order.
    """
    labels_arr = np.asarray(list(labels), dtype=object)
    if labels_arr.shape[0] != matrix.n_participants:
        raise ValueError("one stakeholder label per participant is required")
    return stakeholder_consensus(
        matrix.indptr,
        matrix.indices,
        matrix.values,
        matrix.n_statements,
        labels_arr,
        None if groups is None else list(groups),
    )


def opinion_cross_table(
    result: OpinionMap, labels: Iterable[Any], groups: Iterable[Any] | None = None
) -> CrossTable:
    """Opinion groups x stakeholder groups: member counts and shares (see ``CrossTable``)."""
    labels_arr = np.asarray(list(labels), dtype=object)
    return cross_table(result.group_labels, labels_arr, None if groups is None else list(groups))
