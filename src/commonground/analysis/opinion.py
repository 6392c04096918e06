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

import json
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import scipy.sparse as sp

from commonground.analysis.opinion_kmeans import (
    add_distal_centres,
    clean_start,
    first_distinct_rows,
    lloyd,
    lloyd_binned,
    silhouette,
)
from commonground.analysis.opinion_pca import RowBlocks, leading_subspace
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


@dataclass(frozen=True, eq=False)
class VoteMatrix:
    """Latest vote per (participant, statement), stored as CSR.

    ``values[k]`` is the vote (+1 agree, -1 disagree, 0 pass) of the participant whose
    row range ``indptr[i]:indptr[i+1]`` holds ``k``, on statement ``indices[k]``; column
    indices are sorted within each row. ``participant_ids`` / ``statement_ids`` name the
    rows and columns (any ids; kept as given).
    """

    participant_ids: np.ndarray
    statement_ids: np.ndarray
    indptr: np.ndarray
    indices: np.ndarray
    values: np.ndarray

    @property
    def n_participants(self) -> int:
        """Number of rows."""
        return int(self.participant_ids.shape[0])

    @property
    def n_statements(self) -> int:
        """Number of columns."""
        return int(self.statement_ids.shape[0])

    @property
    def n_votes(self) -> int:
        """Number of stored votes (passes included)."""
        return int(self.indices.shape[0])

    @classmethod
    def from_votes(
        cls,
        participant: np.ndarray,
        statement: np.ndarray,
        vote: np.ndarray,
        *,
        participant_ids: np.ndarray | None = None,
        statement_ids: np.ndarray | None = None,
    ) -> VoteMatrix:
        """Build from parallel arrays of row index, column index and vote.

        Rows and columns are indices into ``participant_ids`` / ``statement_ids``
        (default: ``0..max``). When a (participant, statement) pair occurs more than
        once, the occurrence latest in the arrays wins, as in Polis. Raises
        ``ValueError`` for votes outside -1/0/1 or indices out of range.
        """
        participant = np.asarray(participant)
        statement = np.asarray(statement)
        vote = np.asarray(vote)
        if not (participant.shape == statement.shape == vote.shape) or participant.ndim != 1:
            raise ValueError("participant, statement and vote must be 1-D arrays of one length")
        n_p = (
            int(participant.max(initial=-1)) + 1
            if participant_ids is None
            else len(participant_ids)
        )
        n_s = int(statement.max(initial=-1)) + 1 if statement_ids is None else len(statement_ids)
        pids = np.arange(n_p) if participant_ids is None else np.asarray(participant_ids)
        sids = np.arange(n_s) if statement_ids is None else np.asarray(statement_ids)
        if vote.size:
            if int(vote.min()) < -1 or int(vote.max()) > 1 or not np.all(vote == np.round(vote)):
                raise ValueError("votes must be -1 (disagree), 0 (pass) or 1 (agree)")
            if int(participant.min()) < 0 or int(participant.max()) >= n_p:
                raise ValueError("participant index out of range")
            if int(statement.min()) < 0 or int(statement.max()) >= n_s:
                raise ValueError("statement index out of range")
        codes = (vote.astype(np.int8) + 2).astype(np.int8)  # 1..3: never an implicit zero
        mat = sp.csr_matrix((codes, (participant, statement)), shape=(n_p, n_s))
        if mat.nnz != vote.size:
            # Duplicates were summed: keep the last occurrence of each pair instead.
            key = participant.astype(np.int64) * max(n_s, 1) + statement
            _, last_rev = np.unique(key[::-1], return_index=True)
            last = np.sort(vote.size - 1 - last_rev)
            mat = sp.csr_matrix(
                (codes[last], (participant[last], statement[last])), shape=(n_p, n_s)
            )
        mat.sort_indices()
        return cls(
            participant_ids=pids,
            statement_ids=sids,
            indptr=mat.indptr.astype(np.int64, copy=False),
            indices=mat.indices.astype(np.int32, copy=False),
            values=(mat.data - 2).astype(np.int8),
        )

    def with_votes(
        self,
        participant: np.ndarray,
        statement: np.ndarray,
        vote: np.ndarray,
        *,
        new_participant_ids: np.ndarray | None = None,
        new_statement_ids: np.ndarray | None = None,
    ) -> VoteMatrix:
        """A new matrix with more votes merged in (new votes replace existing ones).

        Indices address the existing rows/columns followed by ``new_participant_ids`` /
        ``new_statement_ids``. Costs one pass over the stored votes, no sort of them.
        """
        pids = self.participant_ids
        sids = self.statement_ids
        if new_participant_ids is not None and len(new_participant_ids):
            pids = np.concatenate([pids, np.asarray(new_participant_ids)])
        if new_statement_ids is not None and len(new_statement_ids):
            sids = np.concatenate([sids, np.asarray(new_statement_ids)])
        delta = VoteMatrix.from_votes(
            participant, statement, vote, participant_ids=pids, statement_ids=sids
        )
        n_p = len(pids)
        new_rows = np.repeat(np.arange(n_p, dtype=np.int64), np.diff(delta.indptr))
        # Where each new vote goes among the stored ones: a binary search inside its
        # row's (sorted) column indices, run for all new votes at once. This touches
        # O(new votes x log(row length)) entries instead of building a key per stored vote.
        n_old = self.n_participants
        old_row = np.minimum(new_rows, n_old)
        ends = np.append(self.indptr, self.indptr[-1])
        lo, hi = ends[old_row].copy(), ends[old_row + 1].copy()
        cols = delta.indices
        active = np.flatnonzero(lo < hi)
        while active.size:
            mid = (lo[active] + hi[active]) // 2
            right = self.indices[mid] < cols[active]
            lo[active[right]] = mid[right] + 1
            hi[active[~right]] = mid[~right]
            active = active[lo[active] < hi[active]]
        pos = lo
        hit = pos < ends[old_row + 1]
        hit[hit] = self.indices[pos[hit]] == cols[hit]
        values = self.values.copy()
        values[pos[hit]] = delta.values[hit]
        fresh = ~hit
        indices = np.insert(self.indices, pos[fresh], delta.indices[fresh])
        values = np.insert(values, pos[fresh], delta.values[fresh])
        counts = np.zeros(n_p, dtype=np.int64)
        counts[: self.n_participants] = np.diff(self.indptr)
        counts += np.bincount(new_rows[fresh], minlength=n_p)
        indptr = np.zeros(n_p + 1, dtype=np.int64)
        np.cumsum(counts, out=indptr[1:])
        return VoteMatrix(pids, sids, indptr, indices.astype(np.int32, copy=False), values)

    def row_counts(self) -> np.ndarray:
        """Number of votes (passes included) per participant."""
        return np.diff(self.indptr)


@dataclass(frozen=True)
class OpinionParams:
    """Polis's constants (``conversation.clj`` defaults) and the solver's tolerances."""

    n_components: int = 2
    base_k: int = 100
    base_iters: int = 100
    max_k: int = 5
    # Polis passes :group-iters 100 under a key its k-means never reads, so it actually
    # runs 20; we use the intended 100 (in practice the groups converge well before).
    group_iters: int = 100
    group_k_buffer: int = 4
    min_votes: int = 7
    greedy_n: int = 15
    kmeans_tol: float = 0.01
    # Up to this many in-conversation participants the base k-means is exact Lloyd, as in
    # Polis (which never sees more than 100,000 participants). Above it, Lloyd steps run
    # on a kmeans_bins x kmeans_bins grid of participants, then one exact step.
    exact_kmeans_max: int = 100_000
    kmeans_bins: int = 512
    # The binned k-means stops once no centre moves by half a grid cell (or kmeans_tol):
    # finer moves are below the resolution the binning works at.
    kmeans_cell_tol: float = 0.5
    rep_limit: int = 5
    consensus_limit: int = 5
    pca_block: int = 4
    pca_depth: int = 3
    # Residual tolerance relative to the largest eigenvalue: the component's angle error
    # is about tol * lambda_1 / (lambda_2 - lambda_3), far below what moves a k-means
    # assignment, while a warm update still converges after one or two products.
    pca_tol: float = 1e-5
    pca_max_restarts: int = 100
    threads: int = 2


@dataclass
class OpinionState:
    """What one run hands to the next (JSON-serialisable through ``to_json``).

    - ``statement_ids`` / ``basis``: the PCA subspace (statements x b), first two columns
      the components, aligned to ``statement_ids``;
    - ``base_centres``: base-cluster centres (in cluster-id order);
    - ``group_centres``: for each k, the group centres of the last k-clustering;
    - ``last_k`` / ``last_k_count`` / ``smoothed_k``: Polis's group-k smoother;
    - ``sticky_participants``: ids admitted to the conversation by the top-up to 15 or
      while there were fewer than 7 statements, whom Polis keeps in afterwards;
    - ``base_ids`` / ``member_ids`` / ``member_base`` / ``member_rows``: Polis's base
      clusters as it keeps them: an id per base cluster (aligned with ``base_centres``),
      and each in-conversation participant's id, base-cluster id and matrix row (the
      row only speeds up finding the participant again);
    - ``group_ids`` / ``group_of_base``: for each k, the group ids of the k-clustering
      and the group id of each base cluster (aligned with ``base_ids``).

    The members, not only the centres, are what Polis warm-starts from: each cluster is
    re-centred on where its members are now (``clean-start-clusters``).
    """

    statement_ids: list[Any] = field(default_factory=list)
    basis: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    base_centres: np.ndarray = field(default_factory=lambda: np.zeros((0, 2)))
    group_centres: dict[int, np.ndarray] = field(default_factory=dict)
    last_k: int | None = None
    last_k_count: int = 0
    smoothed_k: int | None = None
    sticky_participants: list[Any] = field(default_factory=list)
    base_ids: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    member_ids: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    member_base: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    member_rows: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    group_ids: dict[int, np.ndarray] = field(default_factory=dict)
    group_of_base: dict[int, np.ndarray] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form (floats round-trip exactly through ``json``)."""
        return {
            "statement_ids": [_plain(x) for x in self.statement_ids],
            "basis": self.basis.tolist(),
            "base_centres": self.base_centres.tolist(),
            "group_centres": {str(k): v.tolist() for k, v in self.group_centres.items()},
            "last_k": self.last_k,
            "last_k_count": self.last_k_count,
            "smoothed_k": self.smoothed_k,
            "sticky_participants": [_plain(x) for x in self.sticky_participants],
            "base_ids": self.base_ids.tolist(),
            "member_ids": [_plain(x) for x in np.asarray(self.member_ids).tolist()],
            "member_base": self.member_base.tolist(),
            "member_rows": self.member_rows.tolist(),
            "group_ids": {str(k): v.tolist() for k, v in self.group_ids.items()},
            "group_of_base": {str(k): v.tolist() for k, v in self.group_of_base.items()},
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> OpinionState:
        """Inverse of ``to_dict``."""
        basis = np.asarray(data.get("basis", []), dtype=np.float64)
        if basis.ndim != 2:
            basis = np.zeros((len(data.get("statement_ids", [])), 0))
        return cls(
            statement_ids=list(data.get("statement_ids", [])),
            basis=basis,
            base_centres=np.asarray(data.get("base_centres", []), dtype=np.float64).reshape(-1, 2),
            group_centres={
                int(k): np.asarray(v, dtype=np.float64).reshape(-1, 2)
                for k, v in data.get("group_centres", {}).items()
            },
            last_k=data.get("last_k"),
            last_k_count=int(data.get("last_k_count", 0)),
            smoothed_k=data.get("smoothed_k"),
            sticky_participants=list(data.get("sticky_participants", [])),
            base_ids=_int_array(data.get("base_ids", [])),
            member_ids=np.asarray(data.get("member_ids", [])),
            member_base=_int_array(data.get("member_base", [])),
            member_rows=_int_array(data.get("member_rows", [])),
            group_ids={int(k): _int_array(v) for k, v in data.get("group_ids", {}).items()},
            group_of_base={int(k): _int_array(v) for k, v in data.get("group_of_base", {}).items()},
        )

    def relabelled(
        self, participants: Mapping[Any, Any], statements: Mapping[Any, Any]
    ) -> OpinionState:
        """The same state under other ids (e.g. an imported conversation's own), mapping
        each participant and statement id through the given tables. Ids missing from a
        table are dropped with what belongs to them."""
        keep_s = [i for i, sid in enumerate(self.statement_ids) if sid in statements]
        members = [_plain(x) for x in np.asarray(self.member_ids).tolist()]
        keep_m = np.asarray([m in participants for m in members], dtype=bool)
        return replace(
            self,
            statement_ids=[statements[self.statement_ids[i]] for i in keep_s],
            basis=self.basis[keep_s] if self.basis.size else self.basis,
            sticky_participants=[
                participants[p] for p in self.sticky_participants if p in participants
            ],
            member_ids=np.asarray(
                [participants[m] for m, keep in zip(members, keep_m, strict=True) if keep],
                dtype=object,
            ),
            member_base=self.member_base[keep_m],
            # Rows are only a lookup hint; the new matrix has its own order.
            member_rows=np.full(int(keep_m.sum()), -1, dtype=np.int64),
        )

    def to_json(self) -> str:
        """Serialise to a JSON string."""
        return json.dumps(self.to_dict())

    @classmethod
    def from_json(cls, text: str) -> OpinionState:
        """Parse what ``to_json`` wrote."""
        return cls.from_dict(json.loads(text))


def _plain(x: Any) -> Any:
    return x.item() if isinstance(x, np.generic) else x


def _int_array(values: Any) -> np.ndarray:
    return np.asarray(values, dtype=np.int64).reshape(-1)


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
    return inside, [_plain(x) for x in new_sticky]


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


def _previous_base_members(
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


def _base_clusters(
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


def _group_clustering(
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
    return centres, labels, ids[kept]


def _choose_k(
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


def compute_opinion_map(
    matrix: VoteMatrix,
    *,
    moderated_out: Iterable[Any] = (),
    state: OpinionState | None = None,
    seed: int = 0,
    params: OpinionParams | None = None,
) -> OpinionMap:
    """Run the whole opinion-map pipeline on ``matrix``.

    ``moderated_out`` lists statement ids hidden by moderation (counted as passes in the
    PCA and projection, never representative nor consensus). ``state`` is the previous
    run's ``OpinionMap.state`` (warm start); ``seed`` seeds the PCA start block of a cold
    start. Returns the map, whose ``state`` feeds the next run.
    """
    params = params or OpinionParams()
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
    seen_unmod = row_counts - (np.bincount(
        np.repeat(np.arange(n_p), row_counts)[mod[matrix.indices]], minlength=n_p
    ) if n_mod else 0)  # fmt: skip
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
    previous = _previous_base_members(state, matrix.participant_ids, in_rows)
    base_centres, base_of_in, base_ids = _base_clusters(pts, previous, state, params)
    n_base = base_centres.shape[0]
    base_sizes = np.bincount(base_of_in, minlength=n_base).astype(np.float64)
    timings["base_clusters"] = time.perf_counter() - t

    t = time.perf_counter()
    max_k = min(params.max_k, 2 + n_base // 12)
    clusterings: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    clustering_ids: dict[int, np.ndarray] = {}
    silhouettes: dict[int, float] = {}
    for k in range(2, max_k + 1):
        centres, labels, gids = _group_clustering(
            k, base_centres, base_sizes, base_ids, state, params
        )
        clusterings[k] = (centres, labels)
        clustering_ids[k] = gids
        silhouettes[k] = silhouette(base_centres, labels)
    if clusterings:
        k_sel, this_k, k_count = _choose_k(silhouettes, state, params.group_k_buffer)
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
    counts = count_by_group(
        matrix.indptr, matrix.indices, matrix.values, group_labels, k_actual, n_s, keys
    )
    table = repness_table(counts)
    representative = select_representative(table, mod, params.rep_limit)
    consensus = consensus_statements(
        totals.agree[0], totals.disagree[0], totals.seen[0], mod, params.consensus_limit
    )
    gic = group_informed_consensus(counts.agree, counts.seen)
    timings["stats"] = time.perf_counter() - t

    new_state = OpinionState(
        statement_ids=[_plain(s) for s in matrix.statement_ids.tolist()],
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
