"""The suggested consensus designation (docs/consensus.md): hand-computed cases and properties.

Pure Python, no database. The hand-computed cases sit on each threshold and one step past
it; Hypothesis draws position tables (some groups without a position) and checks the
properties the design names: groups weigh the same, no objection is full consensus, and
an objection never raises the level.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from commonground.analysis.consensus import (
    LEVEL_RANK,
    POSITIONS,
    ConsensusSettings,
    counts_of,
    suggest,
)
from commonground.stakeholders import GROUPS


def table(**groups: tuple[int, int, int]) -> dict[str, dict[str, int]]:
    """Counts from ``group=(support, can_live_with, object)``."""
    return {g: dict(zip(POSITIONS, values, strict=True)) for g, values in groups.items()}


# ---------------------------------------------------------------- hand-computed cases


def test_no_position_at_all_is_full_consensus_without_figures() -> None:
    result = suggest({})
    assert result.level == "full_consensus"
    assert result.mean_o is None and result.mean_a is None
    assert result.groups_left_out == GROUPS
    assert result.minority_groups == ()


def test_no_objection_is_full_consensus_whatever_the_mix() -> None:
    result = suggest(table(government=(1, 0, 0), civil_society=(0, 7, 0)))
    assert result.level == "full_consensus"
    assert (result.mean_o, result.mean_a) == (0, 1)
    assert result.counted_groups == ("government", "civil_society")
    assert set(result.groups_left_out) == set(GROUPS) - {"government", "civil_society"}


def test_consensus_at_mean_objection_exactly_ten_percent() -> None:
    # o = 1/10, 1/5, 0: O = (1/10 + 1/5 + 0) / 3 = 1/10 exactly. In binary floating point
    # (0.1 + 0.2) / 3 is 0.10000000000000002, which would wrongly miss consensus.
    result = suggest(table(government=(9, 0, 1), civil_society=(3, 1, 1), private_sector=(4, 0, 0)))
    assert result.mean_o == Fraction(1, 10)
    assert result.mean_a == Fraction(9, 10)
    assert result.level == "consensus"
    assert result.minority_groups == ()


def test_one_past_the_mean_is_strong_support() -> None:
    # o = 1/10, 1/4, 0: O = 7/60 > 1/10; A = 53/60 >= 0.60.
    result = suggest(table(government=(9, 0, 1), civil_society=(3, 0, 1), private_sector=(4, 0, 0)))
    assert result.mean_o == Fraction(7, 60)
    assert result.level == "strong_support_significant_opposition"


def test_consensus_with_one_group_objecting_exactly_a_quarter() -> None:
    # Six groups, government o = 1/4, the others 0: O = 1/24, max o_g = 1/4.
    counts = {g: {"support": 3} for g in GROUPS}
    counts["government"] = {"support": 3, "object": 1}
    result = suggest(counts)
    assert result.mean_o == Fraction(1, 24)
    assert result.groups["government"].o == Fraction(1, 4)
    assert result.level == "consensus"


def test_one_group_past_a_quarter_is_no_consensus_even_with_a_low_mean() -> None:
    # Government o = 2/7 > 1/4 although O = 1/21 is well under 1/10.
    counts = {g: {"support": 3} for g in GROUPS}
    counts["government"] = {"support": 5, "object": 2}
    result = suggest(counts)
    assert result.mean_o == Fraction(1, 21)
    assert result.level == "strong_support_significant_opposition"
    assert result.minority_groups == ()


def test_strong_support_at_exactly_sixty_percent_with_a_minority_view() -> None:
    # o = 1, 1/5, 0: O = 2/5, A = 3/5; the whole government objects (o_g >= 1/2).
    result = suggest(
        table(government=(0, 0, 2), civil_society=(2, 2, 1), academic_technical=(1, 0, 0))
    )
    assert result.mean_a == Fraction(3, 5)
    assert result.level == "strong_support_significant_opposition"
    assert result.minority_groups == ("government",)


def test_one_past_sixty_percent_is_divergence() -> None:
    # o = 1, 1/4, 0: A = (0 + 3/4 + 1) / 3 = 7/12 < 3/5.
    result = suggest(
        table(government=(0, 0, 2), civil_society=(2, 1, 1), academic_technical=(1, 0, 0))
    )
    assert result.mean_a == Fraction(7, 12)
    assert result.level == "divergence"
    assert result.minority_groups == ("government",)


def test_a_minority_group_at_exactly_half_and_none_just_below() -> None:
    counts = {g: {"support": 1} for g in GROUPS}
    counts["private_sector"] = {"support": 1, "object": 1}  # o = 1/2
    assert suggest(counts).minority_groups == ("private_sector",)
    counts["private_sector"] = {"support": 5, "object": 4}  # o = 4/9
    result = suggest(counts)
    assert result.level == "strong_support_significant_opposition"
    assert result.minority_groups == ()


def test_groups_weigh_the_same_however_many_positions() -> None:
    # A hundred government supports do not outweigh one civil-society objection.
    result = suggest(table(government=(100, 0, 0), civil_society=(0, 0, 1)))
    assert (result.mean_o, result.mean_a) == (Fraction(1, 2), Fraction(1, 2))
    assert result.level == "divergence"
    assert result.minority_groups == ("civil_society",)


def test_forum_thresholds_change_the_level() -> None:
    counts = table(government=(9, 0, 1), civil_society=(3, 0, 1), private_sector=(4, 0, 0))
    lenient = ConsensusSettings(consensus_max_mean=0.12, consensus_max_group=0.25)
    assert suggest(counts, lenient).level == "consensus"
    strict = ConsensusSettings(strong_support_min=0.9)
    assert suggest(counts, strict).level == "divergence"
    assert suggest(counts, ConsensusSettings(minority_group_min=0.25)).minority_groups == (
        "civil_society",
    )


def test_float_thresholds_are_read_as_the_decimals_written() -> None:
    # 0.6 as a binary float is just below 3/5; read as written, A = 3/5 still reaches it.
    counts = table(government=(0, 0, 2), civil_society=(2, 2, 1), academic_technical=(1, 0, 0))
    assert suggest(counts, ConsensusSettings(strong_support_min=0.6)).level == (
        "strong_support_significant_opposition"
    )


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown stakeholder groups"):
        suggest({"media": {"support": 1}})
    with pytest.raises(ValueError, match="unknown positions"):
        suggest({"government": {"abstain": 1}})
    with pytest.raises(ValueError, match="not negative"):
        suggest({"government": {"support": -1}})
    with pytest.raises(ValueError, match="between 0 and 1"):
        ConsensusSettings(consensus_max_mean=1.5)


def test_counts_of_member_positions() -> None:
    counts = counts_of([("government", "object"), ("government", "support")])
    assert counts["government"] == {"support": 1, "can_live_with": 0, "object": 1}
    assert counts["civil_society"] == {"support": 0, "can_live_with": 0, "object": 0}


def test_json_names_the_figures() -> None:
    result = suggest(table(government=(0, 0, 2), civil_society=(2, 2, 1)))
    out = result.as_json()
    assert out["level"] == "divergence"
    assert out["O"] == pytest.approx(0.6) and out["A"] == pytest.approx(0.4)
    assert out["minority_groups"] == ["government"]
    assert out["groups"]["government"] == {
        "support": 0, "can_live_with": 0, "object": 2, "o": 1.0, "a": 0.0,
    }  # fmt: skip
    assert out["groups"]["private_sector"]["o"] is None
    assert "private_sector" in out["groups_left_out"]


# ---------------------------------------------------------------- properties

counts_row = st.fixed_dictionaries({p: st.integers(0, 30) for p in POSITIONS})
tables = st.dictionaries(st.sampled_from(GROUPS), counts_row, max_size=len(GROUPS))


@given(tables, st.sampled_from(GROUPS), st.integers(1, 1000))
def test_scaling_one_group_by_any_factor_changes_no_share(
    counts: dict[str, dict[str, int]], group: str, factor: int
) -> None:
    before = suggest(counts)
    scaled = dict(counts)
    scaled[group] = {p: n * factor for p, n in counts.get(group, {}).items()}
    after = suggest(scaled)
    for g in GROUPS:
        assert (after.groups[g].o, after.groups[g].a) == (before.groups[g].o, before.groups[g].a)
    assert (after.mean_o, after.mean_a, after.level) == (before.mean_o, before.mean_a, before.level)
    assert after.minority_groups == before.minority_groups


@given(st.dictionaries(st.sampled_from(GROUPS), st.tuples(st.integers(0, 30), st.integers(0, 30))))
def test_with_no_objection_the_level_is_full_consensus(
    rows: dict[str, tuple[int, int]],
) -> None:
    result = suggest({g: {"support": s, "can_live_with": c} for g, (s, c) in rows.items()})
    assert result.level == "full_consensus"
    assert result.minority_groups == ()


@given(tables, st.sampled_from(GROUPS))
def test_adding_an_objection_never_raises_the_level(
    counts: dict[str, dict[str, int]], group: str
) -> None:
    before = suggest(counts)
    more = {g: dict(row) for g, row in counts.items()}
    more.setdefault(group, dict.fromkeys(POSITIONS, 0))["object"] += 1
    after = suggest(more)
    assert LEVEL_RANK[after.level] <= LEVEL_RANK[before.level]
    assert after.level != "full_consensus"


@given(tables, st.permutations(GROUPS))
def test_groups_are_interchangeable(counts: dict[str, dict[str, int]], order: list[str]) -> None:
    """Relabelling the groups changes neither the means nor the level."""
    relabel = dict(zip(GROUPS, order, strict=True))
    before = suggest(counts)
    after = suggest({relabel[g]: row for g, row in counts.items()})
    assert (after.mean_o, after.mean_a, after.level) == (before.mean_o, before.mean_a, before.level)
    assert {relabel[g] for g in before.minority_groups} == set(after.minority_groups)


@given(tables)
def test_figures_follow_the_definitions(counts: dict[str, dict[str, int]]) -> None:
    result = suggest(counts)
    counted = [f for f in result.groups.values() if f.total]
    assert set(result.groups_left_out) == {g for g, f in result.groups.items() if not f.total}
    if not counted:
        assert result.mean_o is None and result.mean_a is None
        return
    assert result.mean_o == sum((Fraction(f.object, f.total) for f in counted), Fraction(0)) / len(
        counted
    )
    assert result.mean_o + result.mean_a == 1
    if result.level == "full_consensus":
        assert result.minority_groups == ()
    else:
        assert set(result.minority_groups) == {
            f.group for f in counted if Fraction(f.object, f.total) >= Fraction(1, 2)
        }
