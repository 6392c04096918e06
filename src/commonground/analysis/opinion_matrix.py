"""The vote matrix of the opinion map: the latest vote per (participant, statement), as CSR."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

__all__ = ["VoteMatrix"]


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
