"""The recognition figures of a cycle's issues, their ranks and the reason each is or is
not recognized, as the pages, the API and the open data show them."""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from commonground.analysis.recognition.reason import (
    Reason,
    closest_clauses,
    english,
    missing_from,
)
from commonground.analysis.recognition.settings import (
    GROUPS,
    N_GROUPS,
    NEVER,
    RecognitionSettings,
)

# Issue ids as given: any sequence, or an integer array (the live agenda passes one).
IssueIds = Sequence[Any] | np.ndarray


def id_key(value: object, numeric: bool) -> tuple[int, str] | str:
    if numeric:
        # The text is a second key so that "007" and "7" still have a fixed order.
        text = str(value)
        return (int(text), text)
    return str(value)


def ids_are_numeric(issue_ids: IssueIds) -> bool:
    if isinstance(issue_ids, np.ndarray) and np.issubdtype(issue_ids.dtype, np.integer):
        return True
    for value in issue_ids:
        if isinstance(value, bool):
            return False
        if isinstance(value, numbers.Integral):
            continue
        if isinstance(value, str) and value.isascii() and value.isdigit():
            continue
        return False
    return True


def _json_id(value: object) -> object:
    return value.item() if isinstance(value, np.generic) else value


@dataclass(frozen=True, eq=False)
class RecognitionResult:
    """Recognition figures for every issue of a cycle (row ``i`` is the ``i``-th issue given).

    ``rank`` is 1-based for issues on the agenda and 0 for the others; ``agenda`` holds the
    row indices of the agenda in rank order.
    """

    supports: np.ndarray
    active: np.ndarray
    rates: np.ndarray
    balanced: np.ndarray
    breadth: np.ndarray
    recognized: np.ndarray
    on_agenda: np.ndarray
    rank: np.ndarray
    agenda: np.ndarray
    raised_at: np.ndarray
    issue_ids: IssueIds
    settings: RecognitionSettings
    thresholds: np.ndarray = field(repr=False)
    numeric_ids: bool = field(repr=False)

    @property
    def n_issues(self) -> int:
        """Number of issues (rows)."""
        return int(self.supports.shape[0])

    # ---- ordering helpers ------------------------------------------------------------

    @cached_property
    def _id_rank(self) -> np.ndarray:
        """Position of each issue id in id order (used to break ties vectorially)."""
        n = self.n_issues
        if isinstance(self.issue_ids, np.ndarray) and np.issubdtype(
            self.issue_ids.dtype, np.integer
        ):
            order = np.argsort(self.issue_ids, kind="stable")
        else:
            ids = self.issue_ids
            numeric = self.numeric_ids
            order = np.array(
                sorted(range(n), key=lambda i: id_key(ids[i], numeric)), dtype=np.int64
            )
        ranks = np.empty(n, dtype=np.int64)
        ranks[order] = np.arange(n, dtype=np.int64)
        return ranks

    def raw_count_order(self) -> np.ndarray:
        """Row indices by total supports descending (ties: earliest raised, then id).

        This is the naive "most supported" list, kept for the comparison view that shows
        how the balanced rule differs from a raw count.
        """
        totals = self.supports.sum(axis=1)
        return np.lexsort((self._id_rank, self.raised_at, -totals)).astype(np.int64)

    # ---- what is missing -------------------------------------------------------------

    @cached_property
    def _deficits(self) -> np.ndarray:
        """More supporters each group needs to count, per issue; 0 if it counts already.

        Groups with no active member get ``NEVER``: no number of supporters from current
        members can make them count.
        """
        need = self.thresholds[np.newaxis, :] - self.supports
        np.maximum(need, 0, out=need)
        need[:, self.active == 0] = NEVER
        return need

    @cached_property
    def _deficit_rows(self) -> list[list[int]]:
        # Plain lists: formatting reasons for 100,000 issues reads them one by one, and
        # Python ints are much cheaper to read than NumPy scalars.
        return self._deficits.tolist()

    def missing(self, i: int) -> list[tuple[str, int]]:
        """Groups (with active members) not yet counting for issue ``i``, closest first.

        Each entry is ``(group, more supporters needed)`` where the number is what the
        group needs, with its current active membership, to pass both ``min_supporters``
        and ``min_share``. Ties keep ``GROUPS`` order.
        """
        return missing_from(self._deficits[i].tolist())

    def supporters_short(self) -> np.ndarray:
        """Per issue, the fewest more supporters that would make it recognized.

        0 for a recognized issue; -1 when fewer groups have active members than
        ``min_groups`` (no number of supports can recognize it yet).
        """
        n = self.n_issues
        k = self.settings.min_groups
        if n == 0:
            return np.zeros(0, dtype=np.int64)
        smallest = np.sort(self._deficits, axis=1)[:, :k]
        impossible = (smallest == NEVER).any(axis=1)
        total = np.where(smallest == NEVER, 0, smallest).sum(axis=1)
        total[impossible] = -1
        return total.astype(np.int64)

    def close_to_recognition(self, limit: int = 10) -> np.ndarray:
        """Row indices of unrecognized issues that need the fewest more supporters.

        Ordered by supporters short ascending, then balanced support descending, then
        earliest raised, then id; at most ``limit`` rows.
        """
        short = self.supporters_short()
        rows = np.flatnonzero(short > 0)
        order = np.lexsort(
            (self._id_rank[rows], self.raised_at[rows], -self.balanced[rows], short[rows])
        )
        return rows[order[: max(0, int(limit))]].astype(np.int64)

    # ---- display ---------------------------------------------------------------------

    @cached_property
    def _silent(self) -> tuple[str, ...]:
        return tuple(GROUPS[g] for g in range(N_GROUPS) if self.active[g] == 0)

    @cached_property
    def _reason_inputs(self) -> tuple[list[bool], list[int], list[int]]:
        return self.recognized.tolist(), self.breadth.tolist(), self.rank.tolist()

    def reason_parts(self, i: int) -> Reason:
        """What issue ``i``'s reason says, as codes and numbers (pages translate it)."""
        # One row only: a page showing a few issues must not convert the whole table.
        return self._reason_parts(
            bool(self.recognized[i]),
            int(self.breadth[i]),
            int(self.rank[i]),
            self._deficits[i].tolist(),
        )

    def reason(self, i: int) -> str:
        """Why issue ``i`` is (not) recognized, in plain English (the API's and the open
        data's text; pages render ``reason_parts`` in the reader's language).

        For example "recognized by 4 of 6 groups; on the agenda at rank 3" or "needs 1 more
        group; closest: private sector, 1 more supporter; no voice yet from government".
        """
        return english(self.reason_parts(i))

    def reasons(self) -> list[str]:
        """The reason of every issue, in input order (much faster than calling ``reason``).

        Candidates with the same breadth and the same shortfall per group share one text,
        so it is formatted once per distinct pattern.
        """
        recognized, breadth, rank = self._reason_inputs
        memo: dict[tuple[int, ...], str] = {}
        out: list[str] = []
        for i, deficits in enumerate(self._deficit_rows):
            if recognized[i]:
                out.append(english(self._reason_parts(True, breadth[i], rank[i], deficits)))
                continue
            key = (breadth[i], *deficits)
            text = memo.get(key)
            if text is None:
                parts = self._reason_parts(False, breadth[i], 0, deficits)
                text = memo[key] = english(parts)
            out.append(text)
        return out

    def _reason_parts(
        self, recognized: bool, breadth: int, rank: int, deficits: list[int]
    ) -> Reason:
        need = 0 if recognized else self.settings.min_groups - breadth
        return Reason(
            recognized=recognized,
            breadth=breadth,
            n_groups=N_GROUPS,
            rank=rank if recognized else 0,
            slots=self.settings.slots,
            more_groups=need,
            closest=closest_clauses(need, deficits) if not recognized else (),
            silent=self._silent,
        )

    def _issue_dict(
        self,
        i: int,
        supports: list[int],
        rates: list[float],
        active: list[int],
        reason: str,
    ) -> dict[str, Any]:
        rank = int(self.rank[i])
        return {
            "issue_id": _json_id(self.issue_ids[i]),
            "recognized": bool(self.recognized[i]),
            "on_agenda": bool(self.on_agenda[i]),
            "rank": rank if rank > 0 else None,
            "balanced_support": float(self.balanced[i]),
            "breadth": int(self.breadth[i]),
            "groups": {
                g: {"supports": supports[k], "active": active[k], "rate": rates[k]}
                for k, g in enumerate(GROUPS)
            },
            "reason": reason,
        }

    def issue_dict(self, i: int) -> dict[str, Any]:
        """Issue ``i``'s figures and reason as a JSON-ready dict (all six groups as keys)."""
        return self._issue_dict(
            i,
            self.supports[i].tolist(),
            self.rates[i].tolist(),
            self.active.tolist(),
            self.reason(i),
        )

    def to_json_dict(self, settings: RecognitionSettings | None = None) -> dict[str, Any]:
        """Settings, agenda ids in rank order, and every issue's dict in input order."""
        settings = self.settings if settings is None else settings
        # tolist() once for the whole table is far cheaper than per-element conversion.
        supports = self.supports.tolist()
        rates = self.rates.tolist()
        active = self.active.tolist()
        reasons = self.reasons()
        return {
            "settings": settings.to_dict(),
            "agenda": [_json_id(self.issue_ids[int(i)]) for i in self.agenda],
            "issues": [
                self._issue_dict(i, supports[i], rates[i], active, reasons[i])
                for i in range(self.n_issues)
            ],
        }
