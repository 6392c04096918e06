"""The computation: tallies from supports, then breadth, balanced support and the agenda."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from commonground.analysis.recognition.result import (
    IssueIds,
    RecognitionResult,
    id_key,
    ids_are_numeric,
)
from commonground.analysis.recognition.settings import N_GROUPS, NEVER, RecognitionSettings


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
    out = np.full(N_GROUPS, NEVER, dtype=np.int64)
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


# Ranking candidates whose float key is within this (relative) distance of the last agenda
# slot's key are re-ranked exactly; float error in a sum of six logs is ~1e-15 relative.
_KEY_MARGIN = 1e-9


def _agenda_order(
    supports: np.ndarray,
    log_b: np.ndarray,
    recognized: np.ndarray,
    raised_at: np.ndarray,
    issue_ids: IssueIds,
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
        return (-product, cand_raised[k], id_key(issue_ids[int(rows[k])], numeric_ids))

    best = sorted(range(rows.size), key=key)[:slots]
    return rows[best].astype(np.int64)


def compute(
    supports: np.ndarray,
    active: np.ndarray,
    raised_at: np.ndarray,
    issue_ids: IssueIds,
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

    numeric_ids = ids_are_numeric(issue_ids)
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
