"""Rebuild Polis's history of map updates from an export's timestamped votes.

Polis's published map is the end of a history: its math worker recomputed after every
batch of votes its poller picked up, carrying state from update to update (participants
once in the conversation stay in; base and group clusters warm-start from their previous
members; the group count changes only after a new k wins 4 consecutive updates).
``replay_history`` replays that history, at a cost bounded by a fixed multiple of one
run on all the votes (see ``update_schedule``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from commonground.analysis.opinion import (
    OpinionMap,
    OpinionParams,
    VoteMatrix,
    compute_opinion_map,
)
from commonground.opendata.polis_export import PolisExport

__all__ = [
    "ReplayParams",
    "polis_row_rank",
    "poller_batches",
    "replay_history",
    "update_schedule",
]

# Called after each update with (work done, total work), work counted in votes read.
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ReplayParams:
    """How the history is replayed.

    ``batch_seconds``: a poller batch closes at the first vote more than this after the
    batch's first vote (Polis polled for new votes continually; 60 s groups what it
    picked up together). ``growth``: an update runs only once the votes have grown by
    this fraction since the previous update (0: after every batch, as Polis did), so
    the updates' total size is at most ``1 + 1 / growth`` times all the votes.
    ``tail``: the last this-many batches always get their own update.
    ``group_restarts``, ``group_restart_margin``: see ``OpinionParams``.
    ``joined_order``: an export without timestamps is replayed with its participants
    arriving in id order (Polis numbers participants as they join), one batch each,
    updates spaced by ``joined_growth``; False runs it once, cold.

    The defaults are the rule set that leave-one-out over the public conversations
    scores best on all six, for each mode (docs/opinion-map.md,
    ``bench/opinion_fidelity.py``).
    """

    batch_seconds: float = 60.0
    growth: float = 7.0
    tail: int = 0
    group_restarts: int = 10
    group_restart_margin: float = 0.005
    joined_order: bool = True
    joined_growth: float = 7.0


def poller_batches(times: np.ndarray, gap_ms: float) -> np.ndarray:
    """End index of each batch of time-ordered votes: a batch closes at the first vote
    more than ``gap_ms`` after its first vote."""
    cuts: list[int] = []
    i = 0
    # The bound in the array's own type: searching a float in integer timestamps would
    # convert the whole array at every step.
    gap = times.dtype.type(gap_ms)
    # Jump from batch start to batch start with a search, not a loop over every vote.
    while i < times.size:
        end = max(int(np.searchsorted(times, times[i] + gap, side="right")), i + 1)
        cuts.append(end)
        i = end
    return np.asarray(cuts, dtype=np.int64)


def update_schedule(cuts: np.ndarray, growth: float, tail: int) -> np.ndarray:
    """The batch ends after which an update runs: the first batch, every batch end at
    which the votes have grown by ``growth`` since the last update, the last ``tail``
    batches and the last one. Sizes grow geometrically, so the total work of the
    updates is at most ``(1 + 1 / growth)`` times the last one's, plus ``tail`` of them."""
    if growth <= 0 or cuts.size == 0:
        return cuts
    keep = np.zeros(cuts.size, dtype=bool)
    keep[max(0, cuts.size - max(tail, 1)) :] = True
    last = 0
    for i, cut in enumerate(cuts.tolist()):
        if keep[i] or cut >= last * (1.0 + growth):
            keep[i] = True
            last = cut
    return cuts[keep]


def polis_row_rank(rows: np.ndarray, cols: np.ndarray, cuts: np.ndarray, n_rows: int) -> np.ndarray:
    """Each participant's row in Polis's matrix (-1 for one without votes).

    Polis's named matrix adds a participant as a row when it first sees one of their
    votes, and each poll reads votes ordered by (statement, participant): so rows follow
    the batch of the participant's first vote, then the lowest statement they voted on
    in that batch, then the participant id (the row index here, ids being sorted)."""
    n = rows.size
    never = np.iinfo(np.int64).max
    first = np.full(n_rows, never, dtype=np.int64)
    np.minimum.at(first, rows, np.arange(n, dtype=np.int64))
    seen = np.flatnonzero(first < never)
    first_batch = np.searchsorted(cuts, first[seen], side="right")
    batch_end = np.zeros(n_rows, dtype=np.int64)
    batch_end[seen] = cuts[first_batch]
    # Votes in their participant's first batch (all at or after the first vote).
    in_first = np.flatnonzero(np.arange(n, dtype=np.int64) < batch_end[rows])
    low_col = np.full(n_rows, never, dtype=np.int64)
    np.minimum.at(low_col, rows[in_first], cols[in_first].astype(np.int64))
    del in_first
    order = seen[np.lexsort((seen, low_col[seen], first_batch))]
    rank = np.full(n_rows, -1, dtype=np.int32 if n_rows < 2**31 else np.int64)
    rank[order] = np.arange(order.size)
    return rank


def _geometric_cuts(total: int, updates: int) -> np.ndarray:
    cuts = np.unique(np.geomspace(min(20, total), total, updates).astype(np.int64))
    cuts[-1] = total
    return cuts


def replay_history(
    export: PolisExport,
    seed: int = 0,
    params: ReplayParams | None = None,
    *,
    updates: int | None = None,
    progress: Progress | None = None,
) -> tuple[OpinionMap, int]:
    """Recompute the map as Polis did: updates after batches of votes, in time order.

    With timestamps, the votes are replayed in Polis's poller batches (``params``), each
    batch read as Polis read it (by statement, then participant, which orders the new
    rows of its matrix and so its k-means starting points). ``updates`` instead runs
    that many updates at geometrically spaced vote counts. Without timestamps the
    participants arrive in id order (``ReplayParams.joined_order``), or there is a
    single cold run. Returns the final map and the number of updates run.
    """
    params = params or ReplayParams()
    engine = OpinionParams(
        group_restarts=params.group_restarts, group_restart_margin=params.group_restart_margin
    )
    mod = export.moderated_out
    total = export.n_votes
    single = updates is not None and updates <= 1
    if total == 0 or single or (not export.has_history and not params.joined_order):
        whole = compute_opinion_map(export.matrix, moderated_out=mod, seed=seed, params=engine)
        if progress is not None:
            progress(1, 1)
        return whole, 1
    rows, cols, votes = export.rows, export.cols, export.votes
    if not export.has_history:
        # Participants in the order they joined, each with all their votes at once.
        order = np.argsort(rows, kind="stable")
        rows, cols, votes = rows[order], cols[order], votes[order]
        batches = np.cumsum(np.bincount(rows)[np.unique(rows)]).astype(np.int64)
    elif updates is not None:
        batches = _geometric_cuts(total, updates)
    else:
        assert export.times is not None
        batches = poller_batches(export.times, params.batch_seconds * 1000.0)
    growth = params.growth if export.has_history else params.joined_growth
    schedule = update_schedule(batches, growth, params.tail) if updates is None else batches
    pids, sids = export.participant_ids, export.statement_ids
    rank = polis_row_rank(rows, cols, batches, pids.size)
    by_rank = np.empty(int(rank.max()) + 1, dtype=np.int64)
    by_rank[rank[rank >= 0]] = np.flatnonzero(rank >= 0)
    # Columns in the order statements were first voted on (appended as they appear).
    first_vote = np.full(sids.size, total, dtype=np.int64)
    np.minimum.at(first_vote, cols, np.arange(total, dtype=np.int64))
    col_order = np.argsort(first_vote, kind="stable")
    col_pos = np.empty(sids.size, dtype=np.int32)
    col_pos[col_order] = np.arange(sids.size)
    work_total = int(schedule.sum())
    work = 0
    matrix: VoteMatrix | None = None
    state = None
    result: OpinionMap | None = None
    start = n_rows = n_cols = 0
    last = int(schedule[-1])
    for cut in schedule.tolist():
        r = rank[rows[start:cut]]
        c = col_pos[cols[start:cut]]
        v = votes[start:cut]
        new_rows = int(r.max(initial=-1)) + 1
        new_cols = int(c.max(initial=-1)) + 1
        grow_r, grow_c = max(new_rows, n_rows), max(new_cols, n_cols)
        result = None  # let the previous map's arrays go before the next is built
        if matrix is None or cut - start > start // 4:
            # A large step: building from all votes so far is cheaper than merging.
            matrix = None
            matrix = VoteMatrix.from_votes(
                rank[rows[:cut]],
                col_pos[cols[:cut]],
                votes[:cut],
                participant_ids=pids[by_rank[:grow_r]],
                statement_ids=sids[col_order[:grow_c]],
            )
        else:
            matrix = matrix.with_votes(
                r,
                c,
                v,
                new_participant_ids=pids[by_rank[n_rows:grow_r]],
                new_statement_ids=sids[col_order[n_cols:grow_c]],
            )
        n_rows, n_cols, start = grow_r, grow_c, cut
        result = compute_opinion_map(
            matrix,
            moderated_out=mod,
            state=state,
            seed=seed,
            params=engine,
            statistics=cut == last,
        )
        state = result.state
        work += cut
        if progress is not None:
            progress(work, work_total)
    assert result is not None
    return result, int(schedule.size)
