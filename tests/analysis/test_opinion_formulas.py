"""Polis formulas of the opinion map, checked against hand-computed small cases."""

from __future__ import annotations

import math

import numpy as np
import pytest

from commonground.analysis.opinion import (
    OpinionState,
    VoteMatrix,
    opinion_cross_table,
    stakeholder_consensus_scores,
)
from commonground.analysis.opinion_stats import (
    Z_90,
    GroupCounts,
    RepnessTable,
    consensus_statements,
    cross_table,
    group_informed_consensus,
    prop_test,
    repness_table,
    select_representative,
    two_prop_test,
)


def test_prop_test_is_polis_one_proportion_z() -> None:
    # 3 agrees of 4 seen: 2 * sqrt(5) * (4/5 - 1/2)
    assert prop_test(3, 4) == pytest.approx(2 * math.sqrt(5) * 0.3)
    # nothing seen: (0+1)/(0+1) = 1, so 2 * 1 * (1 - 1/2)
    assert prop_test(0, 0) == pytest.approx(1.0)


def test_two_prop_test_adds_one_to_every_count_and_is_zero_when_pooled_share_is_one() -> None:
    # in: 8 of 10, out: 2 of 10 -> pooled (9+3)/(11+11); (9/11 - 3/11) / sqrt(ph(1-ph) 2/11)
    pooled = 12 / 22
    expected = (9 / 11 - 3 / 11) / math.sqrt(pooled * (1 - pooled) * (2 / 11))
    assert two_prop_test(8, 2, 10, 10) == pytest.approx(expected)
    # every vote a success on both sides: pooled share 1, defined as 0
    assert two_prop_test(5, 7, 5, 7) == 0.0


def _counts(
    agree: list[list[int]], disagree: list[list[int]], seen: list[list[int]]
) -> GroupCounts:
    return GroupCounts(np.array(agree), np.array(disagree), np.array(seen))


def test_repness_compares_each_group_with_all_other_groups_together() -> None:
    counts = _counts([[8, 1], [2, 0], [1, 3]], [[1, 5], [7, 4], [0, 0]], [[10, 6], [10, 5], [3, 4]])
    t = repness_table(counts)
    # group 0, statement 0: pa = 9/12; out-group agrees 2+1 of 10+3 seen -> (3+1)/(13+2)
    assert t.pa[0, 0] == pytest.approx(9 / 12)
    assert t.ra[0, 0] == pytest.approx((9 / 12) / (4 / 15))
    assert t.rat[0, 0] == pytest.approx(two_prop_test(8, 3, 10, 13))
    assert t.pdt[1, 0] == pytest.approx(prop_test(7, 10))
    assert t.rd[1, 0] == pytest.approx((8 / 12) / ((1 + 1) / (13 + 2)))


def test_group_informed_consensus_is_product_of_laplace_rates_over_groups() -> None:
    agree = np.array([[3, 0], [1, 2]])
    seen = np.array([[4, 1], [2, 2]])
    gic = group_informed_consensus(agree, seen)
    assert gic[0] == pytest.approx((4 / 6) * (2 / 4))
    assert gic[1] == pytest.approx((1 / 3) * (3 / 4))


def test_consensus_needs_majority_and_significance_and_ranks_by_p_times_z() -> None:
    agree = np.array([9, 30, 2, 30, 40])
    disagree = np.array([0, 0, 9, 0, 0])
    seen = np.array([10, 31, 11, 31, 41])
    excluded = np.array([False, False, False, True, False])  # 3 is moderated out
    out = consensus_statements(agree, disagree, seen, excluded)
    assert [c.statement for c in out["agree"]] == [4, 1, 0]
    assert [c.statement for c in out["disagree"]] == [2]
    first = out["agree"][0]
    assert first.p_success == pytest.approx(41 / 43)
    assert first.p_test == pytest.approx(prop_test(40, 41))


def _reference_selection(t: RepnessTable, excluded: np.ndarray, limit: int = 5) -> list[list]:
    """Polis ``select-rep-comments`` written as its sequential loop, for comparison."""

    def finalize(g: int, j: int) -> tuple[int, str]:
        return (j, "agree") if t.rat[g, j] > t.rdt[g, j] else (j, "disagree")

    def metric(g: int, j: int) -> float:
        if t.rat[g, j] > t.rdt[g, j]:
            return t.ra[g, j] * t.rat[g, j] * t.pa[g, j] * t.pat[g, j]
        return t.rd[g, j] * t.rdt[g, j] * t.pd[g, j] * t.pdt[g, j]

    out = []
    for g in range(t.na.shape[0]):
        sufficient: list[int] = []
        best: int | None = None
        best_agree: int | None = None
        for j in np.flatnonzero(~excluded).tolist():
            if (t.rat[g, j] > Z_90 and t.pat[g, j] > Z_90) or (
                t.rdt[g, j] > Z_90 and t.pdt[g, j] > Z_90
            ):
                sufficient.append(j)
            zj = max(t.rat[g, j], t.rdt[g, j])
            if not sufficient and (best is None or zj > max(t.rat[g, best], t.rdt[g, best])):
                best = j
            if t.na[g, j] == 0 and t.nd[g, j] == 0:
                beats = False
            elif best_agree is not None and t.ra[g, best_agree] > 1.0:
                b = best_agree
                beats = (
                    t.ra[g, j] * t.rat[g, j] * t.pa[g, j] * t.pat[g, j]
                    > t.ra[g, b] * t.rat[g, b] * t.pa[g, b] * t.pat[g, b]
                )
            elif best_agree is not None:
                b = best_agree
                beats = t.pa[g, j] * t.pat[g, j] > t.pa[g, b] * t.pat[g, b]
            else:
                beats = t.pat[g, j] > Z_90 or (t.ra[g, j] > 1.0 and t.pa[g, j] > 0.5)
            if beats:
                best_agree = j
        if not sufficient:
            pick = best_agree if best_agree is not None else best
            out.append([finalize(g, pick)] if pick is not None else [])
            continue
        rest = sorted((j for j in sufficient if j != best_agree), key=lambda j: -metric(g, j))
        chosen = ([best_agree] if best_agree is not None else []) + rest
        chosen_f = [finalize(g, j) for j in chosen[:limit]]
        out.append(
            [c for c in chosen_f if c[1] == "agree"] + [c for c in chosen_f if c[1] != "agree"]
        )
    return out


@pytest.mark.parametrize("seed", range(12))
def test_representative_selection_matches_polis_sequential_rules(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n_groups, n_statements = int(rng.integers(2, 6)), int(rng.integers(1, 60))
    seen = rng.integers(0, 40, (n_groups, n_statements))
    agree = rng.binomial(seen, rng.uniform(0, 1, (n_groups, n_statements)))
    disagree = rng.binomial(seen - agree, 0.7)
    table = repness_table(_counts(agree.tolist(), disagree.tolist(), seen.tolist()))
    excluded = rng.random(n_statements) < 0.2
    got = select_representative(table, excluded)
    want = _reference_selection(table, excluded)
    assert [[(r.statement, r.direction) for r in group] for group in got] == want


def test_best_agree_statement_leads_and_agrees_come_before_disagrees() -> None:
    # Group 0 strongly agrees with 0 and strongly disagrees with 1 (the other group the reverse).
    counts = _counts([[30, 0], [0, 30]], [[0, 30], [30, 0]], [[30, 30], [30, 30]])
    reps = select_representative(repness_table(counts), np.zeros(2, dtype=bool))
    assert [(r.statement, r.direction, r.best_agree) for r in reps[0]] == [
        (0, "agree", True),
        (1, "disagree", False),
    ]
    assert reps[0][0].repness_test == pytest.approx(two_prop_test(30, 0, 30, 30))


def test_moderated_out_statement_is_never_representative() -> None:
    counts = _counts([[30, 10], [0, 10]], [[0, 10], [30, 10]], [[30, 20], [30, 20]])
    reps = select_representative(repness_table(counts), np.array([True, False]))
    assert all(r.statement != 0 for group in reps for r in group)


def _matrix() -> VoteMatrix:
    # participants 0..3, statements 0..1
    return VoteMatrix.from_votes(
        np.array([0, 0, 1, 1, 2, 3]), np.array([0, 1, 0, 1, 0, 0]), np.array([1, -1, 1, 0, -1, 1])
    )


def test_stakeholder_consensus_is_product_over_stakeholder_groups() -> None:
    labels = ["civil_society", "civil_society", "government", None]
    scores, groups = stakeholder_consensus_scores(_matrix(), labels)
    assert groups == ["civil_society", "government"]
    # statement 0: civil society 2 agrees of 2 seen, government 0 of 1 (participant 3 unlabelled)
    assert scores[0] == pytest.approx((3 / 4) * (1 / 3))
    # statement 1: civil society 0 agrees of 2 seen (a disagree and a pass), government unseen
    assert scores[1] == pytest.approx((1 / 4) * (1 / 2))


def test_stakeholder_group_without_members_contributes_the_prior_one_half() -> None:
    labels = ["civil_society", "civil_society", "government", None]
    with_empty, _ = stakeholder_consensus_scores(
        _matrix(), labels, groups=["civil_society", "government", "academic_technical"]
    )
    without, _ = stakeholder_consensus_scores(_matrix(), labels)
    assert with_empty == pytest.approx(without * 0.5)


def test_cross_table_counts_and_shares_both_ways() -> None:
    opinion = np.array([0, 0, 1, 1, -1])
    stakeholders = ["government", "civil_society", "civil_society", None, "government"]
    table = cross_table(opinion, stakeholders)
    assert table.stakeholder_groups == ["civil_society", "government"]
    assert table.counts.tolist() == [[1, 1], [1, 0]]
    assert table.share_of_opinion_group.tolist() == [[0.5, 0.5], [1.0, 0.0]]
    assert table.share_of_stakeholder_group.tolist() == [[0.5, 1.0], [0.5, 0.0]]


def test_opinion_cross_table_uses_the_map_group_labels() -> None:
    class _Map:
        group_labels = np.array([1, 0, -1])

    table = opinion_cross_table(_Map(), ["government", "government", "government"])  # type: ignore[arg-type]
    assert table.counts.tolist() == [[1], [1]]


def test_state_round_trips_through_json_exactly() -> None:
    state = OpinionState(
        statement_ids=[3, 5],
        basis=np.array([[0.1, 1 / 3], [2 / 7, -0.5]]),
        base_centres=np.array([[1e-17, 2.5]]),
        group_centres={2: np.array([[0.0, 1.0], [1.0 / 3, 2.0]])},
        last_k=3,
        last_k_count=2,
        smoothed_k=2,
        sticky_participants=[7],
    )
    back = OpinionState.from_json(state.to_json())
    assert back.statement_ids == [3, 5]
    assert np.array_equal(back.basis, state.basis)
    assert np.array_equal(back.base_centres, state.base_centres)
    assert np.array_equal(back.group_centres[2], state.group_centres[2])
    assert (back.last_k, back.last_k_count, back.smoothed_k) == (3, 2, 2)
    assert back.sticky_participants == [7]
