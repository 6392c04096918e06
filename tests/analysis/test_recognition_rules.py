"""The recognition rule (docs/recognition.md): properties and a hand-computed example.

Pure NumPy tests, no database. Hypothesis draws small cycles (a few participants per group,
some groups absent) and checks each property the design names, plus agreement with a
deliberately naive reference written straight from the formulas with exact fractions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commonground.analysis.recognition import (
    GROUP_LABELS,
    GROUPS,
    RecognitionResult,
    RecognitionSettings,
    compute,
    tally,
)

G = len(GROUPS)


@dataclass
class Cycle:
    """Raw inputs of one cycle: who is in which group, and who supported what."""

    participant_group: np.ndarray
    support_participant: np.ndarray
    support_issue: np.ndarray
    raised_at: np.ndarray
    issue_ids: list[int]

    @property
    def n_issues(self) -> int:
        return len(self.issue_ids)

    def run(self, rules: RecognitionSettings | None = None) -> RecognitionResult:
        supports, active = tally(
            self.participant_group, self.support_participant, self.support_issue, self.n_issues
        )
        return compute(supports, active, self.raised_at, self.issue_ids, rules)


@st.composite
def cycles(draw: st.DrawFn, max_participants: int = 40, max_issues: int = 8) -> Cycle:
    n_participants = draw(st.integers(0, max_participants))
    # Draw groups from a random subset so that absent groups are common.
    present = draw(st.lists(st.integers(0, G - 1), min_size=1, max_size=G, unique=True))
    groups = draw(
        st.lists(st.sampled_from(present), min_size=n_participants, max_size=n_participants)
    )
    n_issues = draw(st.integers(1, max_issues))
    pairs = draw(
        st.sets(
            st.tuples(st.integers(0, max(n_participants - 1, 0)), st.integers(0, n_issues - 1)),
            max_size=n_participants * n_issues,
        )
        if n_participants
        else st.just(set())
    )
    pairs_list = sorted(pairs)
    raised = draw(st.lists(st.integers(0, 5), min_size=n_issues, max_size=n_issues))
    return Cycle(
        participant_group=np.array(groups, dtype=np.int8),
        support_participant=np.array([p for p, _ in pairs_list], dtype=np.int64),
        support_issue=np.array([i for _, i in pairs_list], dtype=np.int64),
        raised_at=np.array(raised, dtype=np.int64),
        issue_ids=list(range(100, 100 + n_issues)),
    )


rule_settings = st.builds(
    RecognitionSettings,
    min_groups=st.integers(1, G),
    min_supporters=st.integers(1, 4),
    min_share=st.sampled_from([0.0, 0.05, 0.1, 0.15, 0.2, 1 / 3, 0.5, 0.7, 1.0]),
    slots=st.integers(1, 5),
)


# ---- the properties docs/recognition.md names ---------------------------------------------------


@given(cycle=cycles(), data=st.data())
def test_scaling_one_groups_membership_and_supports_leaves_every_other_groups_rate_unchanged(
    cycle: Cycle, data: st.DataObject
) -> None:
    supports, active = tally(
        cycle.participant_group, cycle.support_participant, cycle.support_issue, cycle.n_issues
    )
    group = data.draw(st.integers(0, G - 1))
    factor = data.draw(st.integers(1, 50))
    scaled_supports = supports.copy()
    scaled_supports[:, group] *= factor
    scaled_active = active.copy()
    scaled_active[group] *= factor
    before = compute(supports, active, cycle.raised_at, cycle.issue_ids)
    after = compute(scaled_supports, scaled_active, cycle.raised_at, cycle.issue_ids)
    others = [g for g in range(G) if g != group]
    assert np.array_equal(before.rates[:, others], after.rates[:, others])


@given(cycle=cycles(max_participants=20), data=st.data())
def test_doubling_a_groups_participants_in_the_raw_data_scales_only_that_group(
    cycle: Cycle, data: st.DataObject
) -> None:
    """The same property through tally: copy every member of one group, with their supports."""
    group = data.draw(st.integers(0, G - 1))
    members = np.flatnonzero(cycle.participant_group == group)
    n = cycle.participant_group.size
    new_rows = n + np.arange(members.size)  # the copies get new participant rows
    copy_of = dict(zip(members.tolist(), new_rows.tolist(), strict=True))
    pairs = zip(cycle.support_participant.tolist(), cycle.support_issue.tolist(), strict=True)
    extra = [(copy_of[p], i) for p, i in pairs if p in copy_of]
    doubled = Cycle(
        participant_group=np.concatenate([cycle.participant_group, np.full(members.size, group)]),
        support_participant=np.concatenate(
            [cycle.support_participant, np.array([p for p, _ in extra], dtype=np.int64)]
        ),
        support_issue=np.concatenate(
            [cycle.support_issue, np.array([i for _, i in extra], dtype=np.int64)]
        ),
        raised_at=cycle.raised_at,
        issue_ids=cycle.issue_ids,
    )
    before, after = cycle.run(), doubled.run()
    others = [g for g in range(G) if g != group]
    assert np.array_equal(before.rates[:, others], after.rates[:, others])
    assert np.array_equal(after.supports[:, group], 2 * before.supports[:, group])
    assert after.active[group] == 2 * before.active[group]


@given(
    data=st.data(),
    rules=st.builds(
        RecognitionSettings,
        min_groups=st.just(3),
        min_supporters=st.integers(1, 5),
        min_share=st.sampled_from([0.0, 0.01, 0.05, 0.5]),
    ),
)
def test_with_min_groups_3_an_issue_backed_by_only_one_or_two_groups_is_never_recognized(
    data: st.DataObject, rules: RecognitionSettings
) -> None:
    active = np.array(data.draw(st.lists(st.integers(1, 10**6), min_size=G, max_size=G)))
    n_issues = data.draw(st.integers(1, 6))
    supports = np.zeros((n_issues, G), dtype=np.int64)
    for i in range(n_issues):
        backers = data.draw(st.lists(st.integers(0, G - 1), min_size=1, max_size=2, unique=True))
        for g in backers:
            # However many: up to every active member of the group.
            supports[i, g] = data.draw(st.integers(0, int(active[g])))
    result = compute(supports, active, np.zeros(n_issues), list(range(n_issues)), rules)
    assert not result.recognized.any()
    assert result.agenda.size == 0
    assert (result.breadth <= 2).all()


@given(cycle=cycles(), data=st.data())
def test_adding_a_support_never_lowers_that_issues_balanced_support(
    cycle: Cycle, data: st.DataObject
) -> None:
    n = cycle.participant_group.size
    if n == 0:
        return
    taken = set(zip(cycle.support_participant.tolist(), cycle.support_issue.tolist(), strict=True))
    free = [(p, i) for p in range(n) for i in range(cycle.n_issues) if (p, i) not in taken]
    if not free:
        return
    p, i = data.draw(st.sampled_from(free))
    more = Cycle(
        participant_group=cycle.participant_group,
        support_participant=np.append(cycle.support_participant, p),
        support_issue=np.append(cycle.support_issue, i),
        raised_at=cycle.raised_at,
        issue_ids=cycle.issue_ids,
    )
    assert more.run().balanced[i] >= cycle.run().balanced[i]


@settings(max_examples=200)
@given(cycle=cycles(), rules=rule_settings, seed=st.integers(0, 2**32 - 1))
def test_the_result_does_not_depend_on_input_order(
    cycle: Cycle, rules: RecognitionSettings, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    n_p, n_i = cycle.participant_group.size, cycle.n_issues
    p_perm = rng.permutation(n_p)  # new row k holds old participant p_perm[k]
    i_perm = rng.permutation(n_i)
    p_new = np.empty(n_p, dtype=np.int64)
    p_new[p_perm] = np.arange(n_p)
    i_new = np.empty(n_i, dtype=np.int64)
    i_new[i_perm] = np.arange(n_i)
    s_perm = rng.permutation(cycle.support_issue.size)
    shuffled = Cycle(
        participant_group=cycle.participant_group[p_perm],
        support_participant=p_new[cycle.support_participant[s_perm]],
        support_issue=i_new[cycle.support_issue[s_perm]],
        raised_at=cycle.raised_at[i_perm],
        issue_ids=[cycle.issue_ids[k] for k in i_perm],
    )
    a, b = cycle.run(rules), shuffled.run(rules)
    assert [a.issue_ids[k] for k in a.agenda] == [b.issue_ids[k] for k in b.agenda]
    for old in range(n_i):
        new = int(i_new[old])
        assert a.issue_dict(old) == b.issue_dict(new)  # rates and B compared exactly
    assert [a.issue_ids[k] for k in a.raw_count_order()] == [
        b.issue_ids[k] for k in b.raw_count_order()
    ]


@given(cycle=cycles())
def test_a_group_with_no_active_member_has_rate_one_half_and_the_reason_says_no_voice_yet(
    cycle: Cycle,
) -> None:
    result = cycle.run()
    silent = [g for g in range(G) if result.active[g] == 0]
    if not silent:
        return
    labels = ", ".join(GROUP_LABELS[GROUPS[g]] for g in silent)
    assert (result.rates[:, silent] == 0.5).all()
    for i in range(cycle.n_issues):
        assert result.reason(i).endswith(f"no voice yet from {labels}")


def test_rate_is_exactly_one_half_for_a_group_with_no_active_member_in_a_tiny_cycle() -> None:
    supports = np.array([[1, 0, 1, 1, 0, 0]])
    active = np.array([1, 0, 1, 1, 0, 0])
    result = compute(supports, active, np.array([0]), ["x"])
    assert result.rates[0].tolist() == [2 / 3, 0.5, 2 / 3, 2 / 3, 0.5, 0.5]
    assert result.reason(0).endswith(
        "no voice yet from intergovernmental organizations, civil society, "
        "academic & technical community"
    )


def test_ties_in_balanced_support_break_by_earliest_raised_then_by_issue_id() -> None:
    # Six issues with the same supports, so the same B; raised_at ties between some.
    supports = np.tile(np.array([3, 3, 3, 0, 0, 0]), (6, 1))
    active = np.array([10, 10, 10, 10, 10, 10])
    raised = np.array([50, 20, 20, 10, 50, 20])
    ids = [5, 12, 3, 40, 1, 7]
    result = compute(supports, active, raised, ids, RecognitionSettings(slots=6))
    agenda = [ids[k] for k in result.agenda]
    # raised 10: 40; raised 20: 3, 7, 12 (numeric id order); raised 50: 1, 5.
    assert agenda == [40, 3, 7, 12, 1, 5]
    assert result.rank.tolist() == [6, 4, 2, 1, 5, 3]


def test_ties_compare_ids_as_numbers_when_all_are_digits_and_as_text_otherwise() -> None:
    supports = np.tile(np.array([2, 2, 2, 0, 0, 0]), (3, 1))
    active = np.full(G, 4)
    same_time = np.zeros(3, dtype=np.int64)
    numeric = compute(supports, active, same_time, ["10", "9", "100"])
    assert [numeric.issue_ids[k] for k in numeric.agenda] == ["9", "10", "100"]
    mixed = compute(supports, active, same_time, ["10", "9", "x"])
    assert [mixed.issue_ids[k] for k in mixed.agenda] == ["10", "9", "x"]
    ints = compute(supports, active, same_time, np.array([10, 9, 100]))
    assert [int(ints.issue_ids[k]) for k in ints.agenda] == [9, 10, 100]


def test_mathematically_equal_balanced_support_is_a_tie_even_when_floats_differ() -> None:
    # The same rates in a different group order: log sums may round differently, but the
    # products are equal, so the earlier-raised issue must come first either way.
    active = np.array([7, 7, 7, 7, 7, 7])
    rows = [[1, 2, 3, 4, 5, 6], [6, 5, 4, 3, 2, 1], [3, 1, 6, 2, 5, 4], [4, 6, 1, 5, 3, 2]]
    supports = np.array(rows)
    for raised in ([4, 3, 2, 1], [1, 2, 3, 4], [2, 4, 1, 3]):
        result = compute(supports, active, np.array(raised), ["a", "b", "c", "d"])
        expected = sorted(range(4), key=lambda k: raised[k])
        assert result.agenda.tolist() == expected


# ---- agreement with a naive reference -------------------------------------------------


Reference = tuple[list[list[Fraction]], list[int], list[Fraction], list[bool], list[int]]


def reference(
    supports: np.ndarray,
    active: np.ndarray,
    raised: list[int],
    ids: list[int],
    rules: RecognitionSettings,
) -> Reference:
    """Section 4 read literally, one issue at a time, with exact fractions for B."""
    n = supports.shape[0]
    rates: list[list[Fraction]] = []
    breadth: list[int] = []
    products: list[Fraction] = []
    for i in range(n):
        row_rates: list[Fraction] = []
        k, product = 0, Fraction(1)
        for g in range(G):
            s, a = int(supports[i, g]), int(active[g])
            rate = Fraction(1, 2) if a == 0 else Fraction(s + 1, a + 2)
            row_rates.append(rate)
            product *= rate
            if a > 0 and s >= rules.min_supporters and s / a >= rules.min_share:
                k += 1
        rates.append(row_rates)
        breadth.append(k)
        products.append(product)
    recognized = [k >= rules.min_groups for k in breadth]
    order = sorted(
        (i for i in range(n) if recognized[i]), key=lambda i: (-products[i], raised[i], ids[i])
    )
    return rates, breadth, products, recognized, order[: rules.slots]


@settings(max_examples=300)
@given(cycle=cycles(), rules=rule_settings)
def test_engine_agrees_with_a_literal_reading_of_the_rule(
    cycle: Cycle, rules: RecognitionSettings
) -> None:
    result = cycle.run(rules)
    rates, breadth, products, recognized, agenda = reference(
        result.supports, result.active, cycle.raised_at.tolist(), cycle.issue_ids, rules
    )
    assert result.rates.tolist() == [[float(r) for r in row] for row in rates]
    assert result.breadth.tolist() == breadth
    assert result.recognized.tolist() == recognized
    assert result.agenda.tolist() == agenda
    for i, product in enumerate(products):
        assert result.balanced[i] == pytest.approx(float(product) ** (1 / 6), rel=1e-12)


def test_share_threshold_is_applied_exactly_as_written() -> None:
    # 3/20 == 0.15 but 0.15 * 20 rounds to 3.0000000000000004: the group must still count.
    rules = RecognitionSettings(min_groups=1, min_supporters=1, min_share=0.15)
    supports = np.array([[3, 0, 0, 0, 0, 0], [2, 0, 0, 0, 0, 0]])
    result = compute(supports, np.array([20, 0, 0, 0, 0, 0]), np.zeros(2), [1, 2], rules)
    assert result.recognized.tolist() == [True, False]
    assert result.missing(1) == [("government", 1)]


# ---- a hand-computed example ----------------------------------------------------------


def test_hand_computed_example_rates_balanced_support_breadth_and_reasons() -> None:
    # Active members: government 10, intergovernmental none, Internet institutions 4,
    # private sector 60, civil society 100, academic & technical 8. With the defaults
    # (2 supporters and 5 %), a group counts from 2, -, 2, 3, 5, 2 supports.
    active = np.array([10, 0, 4, 60, 100, 8])
    supports = np.array(
        [
            [2, 0, 0, 3, 5, 0],  # id 1: gov, priv, civil count -> 3 groups
            [2, 0, 2, 2, 4, 2],  # id 2: gov, inet, acad count -> 3 groups
            [1, 0, 1, 2, 4, 0],  # id 3: nothing counts, four groups 1 short
            [1, 0, 0, 3, 5, 0],  # id 4: priv, civil count; government 1 short
            [3, 0, 2, 3, 5, 2],  # id 5: all five present groups count
        ]
    )
    raised = np.array([1, 2, 3, 4, 5])
    result = compute(supports, active, raised, [1, 2, 3, 4, 5], RecognitionSettings(slots=2))

    assert result.rates[0].tolist() == [3 / 12, 0.5, 1 / 6, 4 / 62, 6 / 102, 1 / 10]
    assert result.rates[1].tolist() == [3 / 12, 0.5, 3 / 6, 3 / 62, 5 / 102, 3 / 10]
    # B(1)^6 = 1/4 * 1/2 * 1/6 * 2/31 * 1/17 * 1/10 = 1/126480, and so on.
    expected_b = [126480 ** (-1 / 6), (45 / 1011840) ** (1 / 6), None, None, (1 / 10540) ** (1 / 6)]
    for i, b in enumerate(expected_b):
        if b is not None:
            assert result.balanced[i] == pytest.approx(b, rel=1e-14)
    assert result.breadth.tolist() == [3, 3, 0, 2, 5]
    assert result.recognized.tolist() == [True, True, False, False, True]
    assert [result.issue_ids[k] for k in result.agenda] == [5, 2]
    assert result.rank.tolist() == [0, 2, 0, 0, 1]

    no_voice = "no voice yet from intergovernmental organizations"
    assert result.reason(0) == (
        f"recognized by 3 of 6 groups; recognized but below the 2 agenda slots; {no_voice}"
    )
    assert result.reason(1) == f"recognized by 3 of 6 groups; on the agenda at rank 2; {no_voice}"
    assert result.reason(2) == (
        "needs 3 more groups; closest: government, Internet institutions, private sector "
        f"and civil society, 1 more supporter each; {no_voice}"
    )
    assert result.reason(3) == (
        f"needs 1 more group; closest: government, 1 more supporter; {no_voice}"
    )
    assert result.reason(4) == f"recognized by 5 of 6 groups; on the agenda at rank 1; {no_voice}"
    assert result.reasons() == [result.reason(i) for i in range(5)]

    assert result.missing(3) == [
        ("government", 1),
        ("internet_institution", 2),
        ("academic_technical", 2),
    ]
    assert result.supporters_short().tolist() == [0, 0, 3, 1, 0]
    assert result.close_to_recognition().tolist() == [3, 2]
    # Raw totals: 10, 12, 8, 9, 15 supports.
    assert result.raw_count_order().tolist() == [4, 1, 0, 3, 2]

    entry = result.issue_dict(1)
    assert entry == {
        "issue_id": 2,
        "recognized": True,
        "on_agenda": True,
        "rank": 2,
        "balanced_support": result.balanced[1].item(),
        "breadth": 3,
        "groups": {
            "government": {"supports": 2, "active": 10, "rate": 0.25},
            "intergovernmental": {"supports": 0, "active": 0, "rate": 0.5},
            "internet_institution": {"supports": 2, "active": 4, "rate": 0.5},
            "private_sector": {"supports": 2, "active": 60, "rate": 3 / 62},
            "civil_society": {"supports": 4, "active": 100, "rate": 5 / 102},
            "academic_technical": {"supports": 2, "active": 8, "rate": 0.3},
        },
        "reason": f"recognized by 3 of 6 groups; on the agenda at rank 2; {no_voice}",
    }
    assert result.issue_dict(0)["rank"] is None
    doc = result.to_json_dict()
    assert doc["settings"] == {"min_groups": 3, "min_supporters": 2, "min_share": 0.05, "slots": 2}
    assert doc["agenda"] == [5, 2]
    assert [e["issue_id"] for e in doc["issues"]] == [1, 2, 3, 4, 5]
    assert doc["issues"][1] == entry


def test_tally_counts_supports_per_issue_and_group_and_active_members() -> None:
    groups = np.array([0, 0, 3, 4, 4, 5], dtype=np.int8)  # participant 5 supports nothing
    who = np.array([0, 1, 2, 3, 0, 4])
    what = np.array([0, 0, 0, 1, 2, 2])
    supports, active = tally(groups, who, what, 4)
    assert supports.tolist() == [
        [2, 0, 0, 1, 0, 0],
        [0, 0, 0, 0, 1, 0],
        [1, 0, 0, 0, 1, 0],
        [0, 0, 0, 0, 0, 0],
    ]
    assert active.tolist() == [2, 0, 0, 1, 2, 0]


def test_tally_rejects_indices_out_of_range() -> None:
    groups = np.array([0, 6], dtype=np.int8)
    with pytest.raises(ValueError, match="participant_group"):
        tally(groups, np.array([0]), np.array([0]), 1)
    with pytest.raises(ValueError, match="support_issue"):
        tally(np.array([0]), np.array([0]), np.array([1]), 1)
    with pytest.raises(ValueError, match="support_participant"):
        tally(np.array([0]), np.array([2]), np.array([0]), 1)


def test_compute_rejects_inconsistent_counts() -> None:
    with pytest.raises(ValueError, match="more supports"):
        compute(np.array([[3, 0, 0, 0, 0, 0]]), np.array([2, 0, 0, 0, 0, 0]), [0], [1])
    with pytest.raises(ValueError, match="shape"):
        compute(np.zeros((1, 5), dtype=int), np.zeros(6, dtype=int), [0], [1])


def test_no_issues_gives_an_empty_agenda() -> None:
    supports, active = tally(np.array([0, 1], dtype=np.int8), np.array([]), np.array([]), 0)
    result = compute(supports, active, np.zeros(0), [])
    assert result.agenda.size == 0
    assert result.to_json_dict()["issues"] == []
    assert result.raw_count_order().size == 0


# ---- settings -------------------------------------------------------------------------


def test_settings_from_mapping_take_defaults_for_missing_keys() -> None:
    assert RecognitionSettings.from_mapping({}) == RecognitionSettings()
    assert RecognitionSettings.from_mapping(None) == RecognitionSettings()
    partial = RecognitionSettings.from_mapping({"slots": 7, "min_share": 0.1})
    assert partial.to_dict() == {
        "min_groups": 3,
        "min_supporters": 2,
        "min_share": 0.1,
        "slots": 7,
    }


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        ({"min_groups": 0}, "min_groups must be between 1 and 6"),
        ({"min_groups": 7}, "min_groups must be between 1 and 6"),
        ({"min_groups": 2.5}, "min_groups must be a whole number"),
        ({"min_groups": True}, "min_groups must be a whole number"),
        ({"min_supporters": 0}, "min_supporters must be at least 1"),
        ({"min_share": 1.5}, "min_share must be between 0 and 1"),
        ({"min_share": float("nan")}, "min_share must be between 0 and 1"),
        ({"min_share": "0.05"}, "min_share must be a number"),
        ({"slots": 0}, "slots must be at least 1"),
        ({"min_group": 3}, "unknown recognition setting"),
    ],
)
def test_settings_reject_bad_values_with_a_clear_message(mapping: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        RecognitionSettings.from_mapping(mapping)


def test_settings_accept_whole_floats_and_decimals() -> None:
    from decimal import Decimal

    rules = RecognitionSettings(min_groups=3.0, min_share=Decimal("0.25"))  # type: ignore[arg-type]
    assert rules.min_groups == 3 and isinstance(rules.min_groups, int)
    assert rules.min_share == 0.25 and isinstance(rules.min_share, float)
    assert math.isclose(RecognitionSettings().min_share, 0.05)
