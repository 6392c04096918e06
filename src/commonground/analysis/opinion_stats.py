"""Vote counts, representativeness, consensus and group-informed consensus (Polis formulas).

Counts come from one ``bincount`` over the stored votes, keyed by (group, statement,
vote), so they cost one pass over the votes whatever the number of groups. Formulas are
those of Polis ``repness.clj`` and ``stats.clj``:

- ``pa = (na + 1) / (ns + 2)``, ``pd = (nd + 1) / (ns + 2)`` with ``ns`` counting passes;
- ``prop_test(s, n) = 2 sqrt(n + 1) ((s + 1) / (n + 1) - 1/2)``;
- ``two_prop_test`` adds 1 to all four counts and is 0 when the pooled share is 1;
- ``ra = pa / ((na_out + 1) / (ns_out + 2))`` (and ``rd``), with ``rat``/``rdt`` the
  two-proportion z of the group against all other groups together;
- significance is ``z > 1.2816`` (one-sided 90 %).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = [
    "Z_90",
    "ConsensusStatement",
    "CrossTable",
    "GroupCounts",
    "RepStatement",
    "consensus_statements",
    "count_by_group",
    "cross_table",
    "group_informed_consensus",
    "prop_test",
    "repness_table",
    "select_representative",
    "stakeholder_consensus",
    "two_prop_test",
    "vote_keys",
]

Z_90 = 1.2816  # Polis z-sig-90?: one-sided 90 % critical value, as Polis rounds it


@dataclass(frozen=True)
class GroupCounts:
    """Per-group, per-statement vote counts: arrays of shape (n_groups, n_statements)."""

    agree: np.ndarray
    disagree: np.ndarray
    seen: np.ndarray

    @property
    def passes(self) -> np.ndarray:
        """Seen but neither agreed nor disagreed."""
        return self.seen - self.agree - self.disagree


def vote_keys(indices: np.ndarray, values: np.ndarray) -> np.ndarray:
    """``statement * 3 + vote + 1`` per stored vote: the (statement, vote) cell a vote
    counts in. Computed once per run and shared by every count below."""
    key = indices.astype(np.int32, copy=True)
    key *= np.int32(3)
    key += values
    key += np.int32(1)
    return key


def count_by_group(
    indptr: np.ndarray,
    indices: np.ndarray,
    values: np.ndarray,
    row_group: np.ndarray,
    n_groups: int,
    n_statements: int,
    keys: np.ndarray | None = None,
) -> GroupCounts:
    """Count agree / disagree / seen per (group, statement) over CSR-stored votes.

    ``row_group`` gives each participant's group in ``0..n_groups-1``; participants
    with a negative group are not counted. ``keys`` may pass ``vote_keys(indices,
    values)`` when the caller already has it.
    """
    row_group = np.asarray(row_group)
    if keys is None:
        keys = vote_keys(indices, values)
    stride = 3 * n_statements
    # Participants without a group count in one extra slot that is dropped afterwards:
    # cheaper than filtering three 20M-long arrays.
    size = (n_groups + 1) * stride
    dtype = np.int32 if size < 2**31 - 1 else np.int64
    slot = np.where(row_group >= 0, row_group, n_groups).astype(dtype)
    np.multiply(slot, dtype(stride), out=slot)
    key = np.repeat(slot, np.diff(indptr))
    key += keys
    counts = np.bincount(key, minlength=size)[: n_groups * stride]
    counts = counts.reshape(n_groups, n_statements, 3)
    disagree = counts[:, :, 0]
    agree = counts[:, :, 2]
    seen = counts.sum(axis=2)
    return GroupCounts(agree=agree, disagree=disagree, seen=seen)


def prop_test(success: np.ndarray, n: np.ndarray) -> np.ndarray:
    """Polis one-proportion z: ``2 sqrt(n+1) ((s+1)/(n+1) - 0.5)``."""
    s1 = np.asarray(success, dtype=np.float64) + 1.0
    n1 = np.asarray(n, dtype=np.float64) + 1.0
    return 2.0 * np.sqrt(n1) * (s1 / n1 - 0.5)


def two_prop_test(
    succ_in: np.ndarray, succ_out: np.ndarray, n_in: np.ndarray, n_out: np.ndarray
) -> np.ndarray:
    """Polis two-proportion z with +1 on every count; 0 where the pooled share is 1."""
    s1 = np.asarray(succ_in, dtype=np.float64) + 1.0
    s2 = np.asarray(succ_out, dtype=np.float64) + 1.0
    n1 = np.asarray(n_in, dtype=np.float64) + 1.0
    n2 = np.asarray(n_out, dtype=np.float64) + 1.0
    pooled = (s1 + s2) / (n1 + n2)
    with np.errstate(invalid="ignore", divide="ignore"):
        z = (s1 / n1 - s2 / n2) / np.sqrt(pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2))
    return np.where(pooled == 1.0, 0.0, z)


@dataclass(frozen=True)
class RepnessTable:
    """Every repness quantity for every (group, statement), shape (n_groups, n_statements)."""

    na: np.ndarray
    nd: np.ndarray
    ns: np.ndarray
    pa: np.ndarray
    pd: np.ndarray
    pat: np.ndarray
    pdt: np.ndarray
    ra: np.ndarray
    rd: np.ndarray
    rat: np.ndarray
    rdt: np.ndarray


def repness_table(counts: GroupCounts) -> RepnessTable:
    """Compute Polis's comment statistics and each group's comparison with the rest."""
    na, nd, ns = counts.agree, counts.disagree, counts.seen
    na_out = na.sum(axis=0) - na
    nd_out = nd.sum(axis=0) - nd
    ns_out = ns.sum(axis=0) - ns
    pa = (na + 1.0) / (ns + 2.0)
    pd = (nd + 1.0) / (ns + 2.0)
    return RepnessTable(
        na=na,
        nd=nd,
        ns=ns,
        pa=pa,
        pd=pd,
        pat=prop_test(na, ns),
        pdt=prop_test(nd, ns),
        ra=pa / ((na_out + 1.0) / (ns_out + 2.0)),
        rd=pd / ((nd_out + 1.0) / (ns_out + 2.0)),
        rat=two_prop_test(na, na_out, ns, ns_out),
        rdt=two_prop_test(nd, nd_out, ns, ns_out),
    )


@dataclass(frozen=True)
class RepStatement:
    """A representative statement of one group (Polis ``finalize-cmt-stats``).

    ``statement`` is the column index; ``direction`` is ``"agree"`` when ``rat > rdt``.
    """

    statement: int
    direction: str
    repness: float
    repness_test: float
    p_success: float
    p_test: float
    n_success: int
    n_trials: int
    best_agree: bool = False

    @property
    def metric(self) -> float:
        """Polis's ranking metric ``repness * repness_test * p_success * p_test``."""
        return self.repness * self.repness_test * self.p_success * self.p_test


def _finalize(t: RepnessTable, g: int, j: int, best_agree: bool = False) -> RepStatement:
    if t.rat[g, j] > t.rdt[g, j]:
        return RepStatement(
            j, "agree", float(t.ra[g, j]), float(t.rat[g, j]), float(t.pa[g, j]),
            float(t.pat[g, j]), int(t.na[g, j]), int(t.ns[g, j]), best_agree,
        )  # fmt: skip
    return RepStatement(
        j, "disagree", float(t.rd[g, j]), float(t.rdt[g, j]), float(t.pd[g, j]),
        float(t.pdt[g, j]), int(t.nd[g, j]), int(t.ns[g, j]), best_agree,
    )  # fmt: skip


def _best_agree(t: RepnessTable, g: int, candidates: np.ndarray) -> int | None:
    """Polis's running "best agree" statement of group ``g`` (``beats-best-agr?``).

    Polis scans statements in order and replaces the current best when a statement
    beats it: by ``ra * rat * pa * pat`` while the best has ``ra > 1``, else by
    ``pa * pat``; the first entry needs ``pat > 1.2816`` or ``ra > 1 and pa > 0.5``, and a
    statement nobody agreed or disagreed with never enters. The scan jumps from record
    to record with vectorised searches, so it costs a few passes, not a Python loop
    over every statement.
    """
    voted = (t.na[g, candidates] + t.nd[g, candidates]) > 0
    ra, rat, pa, pat = (arr[g, candidates] for arr in (t.ra, t.rat, t.pa, t.pat))
    by_repness = ra * rat * pa * pat
    by_prob = pa * pat
    entry = voted & ((pat > Z_90) | ((ra > 1.0) & (pa > 0.5)))
    hits = np.flatnonzero(entry)
    if hits.size == 0:
        return None
    best = int(hits[0])
    while True:
        metric = by_repness if ra[best] > 1.0 else by_prob
        later = np.flatnonzero(voted[best + 1 :] & (metric[best + 1 :] > metric[best]))
        if later.size == 0:
            return int(candidates[best])
        best = best + 1 + int(later[0])


def select_representative(
    table: RepnessTable, excluded: np.ndarray, limit: int = 5
) -> list[list[RepStatement]]:
    """Polis ``select-rep-comments`` for every group.

    A statement qualifies for a group if ``rat`` and ``pat`` are significant, or ``rdt``
    and ``pdt`` are. The group's "best agree" statement goes first, the other qualifying
    statements follow by descending metric, at most ``limit`` in all, agrees before
    disagrees. With none qualifying, the best agree alone is kept, or else the statement
    with the highest ``max(rat, rdt)``. ``excluded`` (boolean per statement) marks
    moderated-out statements, which are never selected.
    """
    n_groups = table.na.shape[0]
    candidates = np.flatnonzero(~np.asarray(excluded, dtype=bool))
    passes = ((table.rat > Z_90) & (table.pat > Z_90)) | ((table.rdt > Z_90) & (table.pdt > Z_90))
    result: list[list[RepStatement]] = []
    for g in range(n_groups):
        if candidates.size == 0:
            result.append([])
            continue
        best_agree = _best_agree(table, g, candidates)
        head = _finalize(table, g, best_agree, best_agree=True) if best_agree is not None else None
        qualifying = candidates[passes[g, candidates]]
        if qualifying.size == 0:
            if head is not None:
                result.append([head])
            else:
                # Polis keeps the first statement with the highest max(rat, rdt).
                z = np.maximum(table.rat[g, candidates], table.rdt[g, candidates])
                result.append([_finalize(table, g, int(candidates[int(np.argmax(z))]))])
            continue
        if best_agree is not None:
            qualifying = qualifying[qualifying != best_agree]
        # Polis's ranking metric of each qualifying statement, in its own direction;
        # a stable sort on it keeps statement order among equals, as Polis's does.
        agree_dir = table.rat[g, qualifying] > table.rdt[g, qualifying]
        metric = np.where(
            agree_dir,
            table.ra[g, qualifying] * table.rat[g, qualifying] * table.pa[g, qualifying]
            * table.pat[g, qualifying],
            table.rd[g, qualifying] * table.rdt[g, qualifying] * table.pd[g, qualifying]
            * table.pdt[g, qualifying],
        )  # fmt: skip
        room = limit - (1 if head is not None else 0)
        top = qualifying[np.argsort(-metric, kind="stable")[: max(room, 0)]]
        chosen = ([head] if head is not None else []) + [_finalize(table, g, int(j)) for j in top]
        chosen = chosen[:limit]
        result.append(
            [s for s in chosen if s.direction == "agree"]
            + [s for s in chosen if s.direction == "disagree"]
        )
    return result


@dataclass(frozen=True)
class ConsensusStatement:
    """A whole-population consensus statement (Polis ``select-consensus-comments``)."""

    statement: int
    direction: str
    p_success: float
    p_test: float
    n_success: int
    n_trials: int


def consensus_statements(
    agree: np.ndarray,
    disagree: np.ndarray,
    seen: np.ndarray,
    excluded: np.ndarray,
    limit: int = 5,
) -> dict[str, list[ConsensusStatement]]:
    """Top statements agreed (or disagreed) by the whole population.

    A candidate needs ``p > 0.5`` and ``prop_test > 1.2816``; candidates are ranked by
    ``p * prop_test`` (stable, so ties keep statement order) and the top ``limit`` kept.
    """
    excluded = np.asarray(excluded, dtype=bool)
    out: dict[str, list[ConsensusStatement]] = {}
    for direction, success in (("agree", agree), ("disagree", disagree)):
        p = (success + 1.0) / (seen + 2.0)
        z = prop_test(success, seen)
        ok = np.flatnonzero((p > 0.5) & (z > Z_90) & ~excluded)
        metric = p[ok] * z[ok]
        order = ok[np.argsort(-metric, kind="stable")][:limit]
        out[direction] = [
            ConsensusStatement(
                int(j), direction, float(p[j]), float(z[j]), int(success[j]), int(seen[j])
            )
            for j in order
        ]
    return out


def group_informed_consensus(success: np.ndarray, seen: np.ndarray) -> np.ndarray:
    """Product over groups (axis 0) of ``(success + 1) / (seen + 2)``, per statement.

    With agree counts this is Polis's group-informed consensus; with disagree counts it
    is the disagree version.
    """
    success = np.asarray(success, dtype=np.float64)
    seen = np.asarray(seen, dtype=np.float64)
    if success.shape[0] == 0:
        return np.ones(success.shape[1:])
    return np.prod((success + 1.0) / (seen + 2.0), axis=0)


def _label_codes(
    labels: Sequence[object] | np.ndarray, groups: Sequence[object] | None
) -> tuple[np.ndarray, list[object]]:
    """Map labels to codes ``0..G-1`` (``-1`` for a missing label: ``None``)."""
    arr = np.asarray(labels, dtype=object)
    present = [x for x in arr.tolist() if x is not None]
    names: list[object] = list(groups) if groups is not None else sorted(set(present), key=str)
    index = {name: i for i, name in enumerate(names)}
    codes = np.fromiter((index.get(x, -1) for x in arr.tolist()), dtype=np.int64, count=arr.size)
    unknown = {x for x in present if x not in index}
    if unknown:
        raise ValueError(f"labels not among the given groups: {sorted(map(str, unknown))}")
    return codes, names


def stakeholder_consensus(
    indptr: np.ndarray,
    indices: np.ndarray,
    values: np.ndarray,
    n_statements: int,
    labels: Sequence[object] | np.ndarray,
    groups: Sequence[object] | None = None,
) -> tuple[np.ndarray, list[object]]:
    """Consensus across stakeholder groups, per statement.

    ``prod over stakeholder groups g of (agree_g + 1) / (seen_g + 2)``, counting every
    participant with a label (``None`` = unknown, left out). ``groups`` fixes the set of
    groups; a listed group without members contributes the prior 1/2 to every statement.
    Returns the scores and the group order used.
    """
    codes, names = _label_codes(labels, groups)
    counts = count_by_group(indptr, indices, values, codes, len(names), n_statements)
    return group_informed_consensus(counts.agree, counts.seen), names


@dataclass(frozen=True)
class CrossTable:
    """Opinion groups (rows) x stakeholder groups (columns)."""

    opinion_groups: list[int]
    stakeholder_groups: list[object]
    counts: np.ndarray
    share_of_opinion_group: np.ndarray
    share_of_stakeholder_group: np.ndarray


def cross_table(
    opinion_labels: np.ndarray,
    stakeholder_labels: Sequence[object] | np.ndarray,
    groups: Sequence[object] | None = None,
) -> CrossTable:
    """Count participants per (opinion group, stakeholder group), with both shares.

    ``opinion_labels`` is the per-participant opinion group (negative = not clustered);
    participants without either label are left out. ``share_of_opinion_group`` rows sum
    to 1 (who makes up each opinion group); ``share_of_stakeholder_group`` columns sum to
    1 (where each stakeholder group's members fall). Empty rows/columns give shares of 0.
    """
    op = np.asarray(opinion_labels, dtype=np.int64)
    codes, names = _label_codes(stakeholder_labels, groups)
    if op.shape != codes.shape:
        raise ValueError("opinion and stakeholder labels must have one entry per participant")
    n_op = int(op.max(initial=-1)) + 1
    keep = (op >= 0) & (codes >= 0)
    flat = np.bincount(op[keep] * len(names) + codes[keep], minlength=n_op * len(names))
    counts = flat.reshape(n_op, len(names))
    with np.errstate(invalid="ignore", divide="ignore"):
        rows = counts / counts.sum(axis=1, keepdims=True)
        cols = counts / counts.sum(axis=0, keepdims=True)
    return CrossTable(
        opinion_groups=list(range(n_op)),
        stakeholder_groups=names,
        counts=counts,
        share_of_opinion_group=np.nan_to_num(rows),
        share_of_stakeholder_group=np.nan_to_num(cols),
    )
