"""Recognition: which issues of concern the forum puts on its agenda (DESIGN.md section 4).

For a cycle, ``n_g`` is the number of participants of stakeholder group ``g`` who supported
at least one issue (the group's *active* members) and ``s_g(i)`` the supports of issue ``i``
from group ``g``. Then

* group rate ``r_g(i) = (s_g(i) + 1) / (n_g + 2)`` (Laplace smoothing; exactly 1/2 for a group
  with no active member, so an absent group shifts no ranking);
* balanced support ``B(i)`` = geometric mean of the six group rates;
* breadth ``K(i)`` = number of groups with ``n_g > 0``, ``s_g(i) >= min_supporters`` and
  ``s_g(i) / n_g >= min_share``;
* ``recognized`` iff ``K(i) >= min_groups``; the agenda lists recognized issues by ``B``
  descending (ties: earliest raised, then issue id), cut at ``slots``.

This module is pure NumPy (no Django) so that anyone can recompute an agenda from the open
data and so that it can be benchmarked alone. Everything over issues or supports is
vectorized; Python loops run only over the six groups, over the few issues that compete for
the last agenda slots, and when a reason is formatted for display.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Any

import numpy as np

# The one list of groups (a pure module, no Django): its order is every array's column order.
from commonground.stakeholders import GROUPS

# Lower-case on purpose: the labels are used inside sentences ("no voice yet from ...").
GROUP_LABELS: dict[str, str] = {
    "government": "government",
    "intergovernmental": "intergovernmental organizations",
    "internet_institution": "Internet institutions",
    "private_sector": "private sector",
    "civil_society": "civil society",
    "academic_technical": "academic & technical community",
}

N_GROUPS = len(GROUPS)

# Threshold used for a group that has no active member: it can never count towards breadth.
_NEVER = np.iinfo(np.int64).max


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _join_labels(labels: list[str]) -> str:
    if len(labels) == 1:
        return labels[0]
    return ", ".join(labels[:-1]) + " and " + labels[-1]


def _closest_text(shown: list[tuple[str, int]]) -> str:
    """Text like "private sector, 1 more supporter; government and civil society, 2 more
    supporters each" for (group, more supporters needed) pairs sorted by the number."""
    clauses: list[str] = []
    start = 0
    while start < len(shown):
        end = start
        while end < len(shown) and shown[end][1] == shown[start][1]:
            end += 1
        labels = [GROUP_LABELS[g] for g, _ in shown[start:end]]
        each = " each" if len(labels) > 1 else ""
        clauses.append(
            f"{_join_labels(labels)}, {_plural(shown[start][1], 'more supporter')}{each}"
        )
        start = end
    return "; ".join(clauses)


def _missing_from(deficits: list[int]) -> list[tuple[str, int]]:
    """(group, more supporters needed) for the groups that could count but do not yet."""
    items = sorted((n, g) for g, n in enumerate(deficits) if 0 < n < _NEVER)
    return [(GROUPS[g], n) for n, g in items]


def _as_int(name: str, value: object) -> int:
    # bool is an Integral in Python, but "min_groups: true" is a mistake, not a number.
    if isinstance(value, bool):
        raise ValueError(f"{name} must be a whole number, not {value!r}")
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real | Decimal) and float(value).is_integer():
        return int(float(value))
    raise ValueError(f"{name} must be a whole number, not {value!r}")


def _as_share(name: str, value: object) -> float:
    # Decimal is not a numbers.Real, but a DecimalField setting is a fine share.
    if isinstance(value, bool) or not isinstance(value, numbers.Real | Decimal):
        raise ValueError(f"{name} must be a number between 0 and 1, not {value!r}")
    share = float(value)
    if not (0.0 <= share <= 1.0):  # also rejects NaN
        raise ValueError(f"{name} must be between 0 and 1, not {value!r}")
    return share


@dataclass(frozen=True)
class RecognitionSettings:
    """A forum's recognition constants (the defaults are DESIGN.md's default rule).

    Construction validates and normalizes the values (e.g. a ``Decimal`` share becomes a
    ``float``); a bad value raises ``ValueError`` with a message fit to show a steward.
    """

    min_groups: int = 3
    min_supporters: int = 2
    min_share: float = 0.05
    slots: int = 20

    def __post_init__(self) -> None:
        # object.__setattr__ because the dataclass is frozen; this only normalizes types.
        min_groups = _as_int("min_groups", self.min_groups)
        if not 1 <= min_groups <= N_GROUPS:
            raise ValueError(f"min_groups must be between 1 and {N_GROUPS}, not {min_groups}")
        min_supporters = _as_int("min_supporters", self.min_supporters)
        if min_supporters < 1:
            raise ValueError(f"min_supporters must be at least 1, not {min_supporters}")
        slots = _as_int("slots", self.slots)
        if slots < 1:
            raise ValueError(f"slots must be at least 1, not {slots}")
        object.__setattr__(self, "min_groups", min_groups)
        object.__setattr__(self, "min_supporters", min_supporters)
        object.__setattr__(self, "min_share", _as_share("min_share", self.min_share))
        object.__setattr__(self, "slots", slots)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any] | None) -> RecognitionSettings:
        """Settings from a mapping such as a forum's JSON; missing keys take the defaults.

        Unknown keys are rejected rather than ignored, so that a misspelt setting
        ("min_group") cannot silently leave the default in force.
        """
        if data is None:
            return cls()
        if not isinstance(data, Mapping):
            raise ValueError(f"recognition settings must be a mapping, not {type(data).__name__}")
        known = {"min_groups", "min_supporters", "min_share", "slots"}
        unknown = sorted(str(k) for k in data if k not in known)
        if unknown:
            raise ValueError(
                f"unknown recognition setting(s): {', '.join(unknown)} "
                f"(known: {', '.join(sorted(known))})"
            )
        return cls(**{k: data[k] for k in known if k in data})

    def to_dict(self) -> dict[str, int | float]:
        """The settings as a JSON-ready dict."""
        return {
            "min_groups": self.min_groups,
            "min_supporters": self.min_supporters,
            "min_share": self.min_share,
            "slots": self.slots,
        }


def _as_index_array(name: str, values: np.ndarray) -> np.ndarray:
    arr = np.asarray(values)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {arr.shape}")
    if arr.size == 0:
        return arr.astype(np.int64)  # np.array([]) is float; an empty list is still valid
    if not np.issubdtype(arr.dtype, np.integer):
        raise ValueError(f"{name} must hold integers, got dtype {arr.dtype}")
    return arr


def _check_range(name: str, arr: np.ndarray, upper: int) -> None:
    if arr.size and (int(arr.min()) < 0 or int(arr.max()) >= upper):
        raise ValueError(f"{name} has values outside 0..{upper - 1}")


def tally(
    participant_group: np.ndarray,
    support_participant: np.ndarray,
    support_issue: np.ndarray,
    n_issues: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Count supports per (issue, group) and active members per group.

    ``participant_group`` holds the group index (0..5, in ``GROUPS`` order) of each
    participant row; ``support_participant`` and ``support_issue`` hold, per support, the
    participant row and the issue row. Each (participant, issue) pair must occur at most once
    (one support per participant per issue is a database constraint; the package reader
    checks it too).

    Returns ``(supports, active)``: ``supports`` is int64 ``[n_issues, 6]``, ``active`` is
    int64 ``[6]`` with the number of participants of each group who supported at least one
    issue.
    """
    groups = _as_index_array("participant_group", participant_group)
    who = _as_index_array("support_participant", support_participant)
    what = _as_index_array("support_issue", support_issue)
    if who.shape != what.shape:
        raise ValueError("support_participant and support_issue must have the same length")
    n_issues = int(n_issues)
    if n_issues < 0:
        raise ValueError("n_issues must not be negative")
    _check_range("participant_group", groups, N_GROUPS)
    _check_range("support_participant", who, groups.size)
    _check_range("support_issue", what, n_issues)

    # One bincount over the combined index issue*6+group gives the whole [n, 6] table in a
    # single pass over the supports; built in place to keep one 8-byte temporary per support.
    cell = what.astype(np.int64, copy=True)
    cell *= N_GROUPS
    cell += groups[who]
    supports = np.bincount(cell, minlength=n_issues * N_GROUPS).astype(np.int64, copy=False)
    del cell
    supports = supports.reshape(n_issues, N_GROUPS)

    supported = np.zeros(groups.size, dtype=bool)
    supported[who] = True
    active = np.bincount(groups[supported], minlength=N_GROUPS).astype(np.int64, copy=False)
    return supports, active


def _thresholds(active: np.ndarray, settings: RecognitionSettings) -> np.ndarray:
    """Per group, the fewest supports with which the group counts towards breadth.

    The share test is done exactly as the rule reads (``s / n >= min_share`` in floating
    point), so the threshold is searched around ``ceil(min_share * n)``: a product that
    rounds up or down would otherwise make the threshold off by one for shares such as 0.05
    that have no exact binary form. Division is monotone in ``s``, so ``s >= threshold`` is
    then equivalent to the rule.
    """
    out = np.full(N_GROUPS, _NEVER, dtype=np.int64)
    share = settings.min_share
    for g in range(N_GROUPS):
        n = int(active[g])
        if n == 0:
            continue
        c = max(0, math.ceil(share * n))
        while c > 0 and (c - 1) / n >= share:
            c -= 1
        while c / n < share:
            c += 1
        out[g] = max(settings.min_supporters, c)
    return out


def _id_key(value: object, numeric: bool) -> tuple[int, str] | str:
    if numeric:
        # The text is a second key so that "007" and "7" still have a fixed order.
        text = str(value)
        return (int(text), text)
    return str(value)


def _ids_are_numeric(issue_ids: Sequence[Any]) -> bool:
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
    issue_ids: Sequence[Any]
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
                sorted(range(n), key=lambda i: _id_key(ids[i], numeric)), dtype=np.int64
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

        Groups with no active member get ``_NEVER``: no number of supporters from current
        members can make them count.
        """
        need = self.thresholds[np.newaxis, :] - self.supports
        np.maximum(need, 0, out=need)
        need[:, self.active == 0] = _NEVER
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
        return _missing_from(self._deficits[i].tolist())

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
        impossible = (smallest == _NEVER).any(axis=1)
        total = np.where(smallest == _NEVER, 0, smallest).sum(axis=1)
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
    def _no_voice(self) -> str:
        silent = [GROUP_LABELS[GROUPS[g]] for g in range(N_GROUPS) if self.active[g] == 0]
        return f"no voice yet from {', '.join(silent)}" if silent else ""

    @cached_property
    def _reason_inputs(self) -> tuple[list[bool], list[int], list[int]]:
        return self.recognized.tolist(), self.breadth.tolist(), self.rank.tolist()

    def reason(self, i: int) -> str:
        """Why issue ``i`` is (not) recognized, in plain language.

        For example "recognized by 4 of 6 groups; on the agenda at rank 3" or "needs 1 more
        group; closest: private sector, 1 more supporter; no voice yet from government".
        """
        # One row only: a page showing a few issues must not convert the whole table.
        return self._reason(
            bool(self.recognized[i]),
            int(self.breadth[i]),
            int(self.rank[i]),
            self._deficits[i].tolist(),
        )

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
                out.append(self._reason(True, breadth[i], rank[i], deficits))
                continue
            key = (breadth[i], *deficits)
            text = memo.get(key)
            if text is None:
                text = memo[key] = self._reason(False, breadth[i], 0, deficits)
            out.append(text)
        return out

    def _reason(self, recognized: bool, breadth: int, rank: int, deficits: list[int]) -> str:
        parts: list[str] = []
        if recognized:
            parts.append(f"recognized by {breadth} of {N_GROUPS} groups")
            if rank > 0:
                parts.append(f"on the agenda at rank {rank}")
            else:
                slots = self.settings.slots
                slot_word = "agenda slot" if slots == 1 else "agenda slots"
                parts.append(f"recognized but below the {slots} {slot_word}")
        else:
            need = self.settings.min_groups - breadth
            parts.append(f"needs {_plural(need, 'more group')}")
            closest = _missing_from(deficits)
            if closest:
                # The `need` closest groups, plus any tied with the last of them.
                cut = closest[min(need, len(closest)) - 1][1]
                shown = closest[:need] + [(g, n) for g, n in closest[need:] if n == cut]
                parts.append("closest: " + _closest_text(shown))
        if self._no_voice:
            parts.append(self._no_voice)
        return "; ".join(parts)

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


# Ranking candidates whose float key is within this (relative) distance of the last agenda
# slot's key are re-ranked exactly; float error in a sum of six logs is ~1e-15 relative.
_KEY_MARGIN = 1e-9


def _agenda_order(
    supports: np.ndarray,
    log_b: np.ndarray,
    recognized: np.ndarray,
    raised_at: np.ndarray,
    issue_ids: Sequence[Any],
    numeric_ids: bool,
    slots: int,
) -> np.ndarray:
    """Row indices of the agenda, best first, decided exactly.

    All rates share the denominators ``n_g + 2``, so ``B(i) > B(j)`` exactly when
    ``prod_g (s_g(i) + 1) > prod_g (s_g(j) + 1)``. Floating point only pre-selects the
    issues that can reach the agenda; their order, and therefore every tie, is decided on
    these exact integer products, so mathematically equal B values always fall through to
    the raised_at / id tie-break whatever the input order.
    """
    rows = np.flatnonzero(recognized)
    if rows.size == 0:
        return np.zeros(0, dtype=np.int64)
    keys = log_b[rows]
    if rows.size > slots:
        kth = np.partition(keys, rows.size - slots)[rows.size - slots]
        rows = rows[keys >= kth - _KEY_MARGIN * max(1.0, abs(float(kth)))]
    cand_supports = (supports[rows] + 1).tolist()
    cand_raised = raised_at[rows].tolist()

    def key(k: int) -> tuple[int, Any, Any]:
        product = 1
        for factor in cand_supports[k]:
            product *= factor
        return (-product, cand_raised[k], _id_key(issue_ids[int(rows[k])], numeric_ids))

    best = sorted(range(rows.size), key=key)[:slots]
    return rows[best].astype(np.int64)


def compute(
    supports: np.ndarray,
    active: np.ndarray,
    raised_at: np.ndarray,
    issue_ids: Sequence[Any],
    settings: RecognitionSettings | None = None,
) -> RecognitionResult:
    """Recognition of every issue from its per-group supports and the active counts.

    ``supports`` is ``[n_issues, 6]`` (``GROUPS`` order), ``active`` is ``[6]``,
    ``raised_at`` a numeric sort key per issue (earlier first, e.g. epoch microseconds),
    ``issue_ids`` one id per issue. Ids compare numerically when every id is an integer or
    a string of ASCII digits, otherwise as strings.
    """
    settings = RecognitionSettings() if settings is None else settings
    supports = np.asarray(supports)
    if supports.ndim != 2 or supports.shape[1] != N_GROUPS:
        raise ValueError(f"supports must have shape (n_issues, {N_GROUPS}), got {supports.shape}")
    if supports.size and not np.issubdtype(supports.dtype, np.integer):
        raise ValueError(f"supports must hold integers, got dtype {supports.dtype}")
    supports = supports.astype(np.int64, copy=False)
    active = np.asarray(active)
    if active.shape != (N_GROUPS,) or not np.issubdtype(active.dtype, np.integer):
        raise ValueError(f"active must be {N_GROUPS} integers, got {active.shape} {active.dtype}")
    active = active.astype(np.int64, copy=False)
    n = supports.shape[0]
    raised_at = np.asarray(raised_at)
    if raised_at.shape != (n,):
        raise ValueError(f"raised_at must have one value per issue ({n}), got {raised_at.shape}")
    if not np.issubdtype(raised_at.dtype, np.number) or np.issubdtype(
        raised_at.dtype, np.complexfloating
    ):
        raise ValueError(f"raised_at must be numeric, got dtype {raised_at.dtype}")
    if np.issubdtype(raised_at.dtype, np.floating) and np.isnan(raised_at).any():
        raise ValueError("raised_at must not contain NaN")
    if len(issue_ids) != n:
        raise ValueError(f"issue_ids must have one id per issue ({n}), got {len(issue_ids)}")
    if (active < 0).any() or (n and int(supports.min()) < 0):
        raise ValueError("supports and active counts must not be negative")
    if n and (supports > active[np.newaxis, :]).any():
        # s_g(i) counts distinct active members of g, so it can never exceed n_g.
        raise ValueError(
            "an issue has more supports from a group than the group has active members"
        )

    rates = (supports + 1) / (active + 2).astype(np.float64)
    rates[:, active == 0] = 0.5  # the smoothing prior; already exact, stated for clarity

    # Sum the six logs column by column in GROUPS order: each issue's value is then computed
    # by the same operations in the same order wherever its row sits, so B does not depend
    # on input order (a row-wise reduction may regroup additions by memory layout).
    logs = np.log(rates)
    log_b = logs[:, 0].copy()
    for g in range(1, N_GROUPS):
        log_b += logs[:, g]
    log_b /= N_GROUPS
    balanced = np.exp(log_b)

    thresholds = _thresholds(active, settings)
    breadth = (supports >= thresholds[np.newaxis, :]).sum(axis=1).astype(np.int64)
    recognized = breadth >= settings.min_groups

    numeric_ids = _ids_are_numeric(issue_ids)
    agenda = _agenda_order(
        supports, log_b, recognized, raised_at, issue_ids, numeric_ids, settings.slots
    )
    rank = np.zeros(n, dtype=np.int64)
    rank[agenda] = np.arange(1, agenda.size + 1, dtype=np.int64)
    return RecognitionResult(
        supports=supports,
        active=active,
        rates=rates,
        balanced=balanced,
        breadth=breadth,
        recognized=recognized,
        on_agenda=rank > 0,
        rank=rank,
        agenda=agenda,
        raised_at=raised_at,
        issue_ids=issue_ids,
        settings=settings,
        thresholds=thresholds,
        numeric_ids=numeric_ids,
    )
