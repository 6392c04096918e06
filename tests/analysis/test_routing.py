"""Polis's routing priority: unseen and informative statements come first."""

from __future__ import annotations

import random

from commonground.analysis.routing import (
    StatementTally,
    next_statement,
    priority,
    statement_extremity,
)


def test_priority_formula() -> None:
    # S = 0: importance 1/2 * 1 * 1/2 = 1/4, boost 9 -> (9/4)^2.
    assert priority(0, 0, 0, 0.0) == (0.25 * 9) ** 2
    s, a, p, e = 10, 6, 2, 0.5
    imp = (1 - (p + 1) / (s + 2)) * (e + 1) * (a + 1) / (s + 2)
    assert priority(a, p, s, e) == (imp * (1 + 8 * 2 ** (-s / 5))) ** 2


def test_unseen_statements_come_before_well_seen_ones() -> None:
    seen = StatementTally("seen", agree=20, passes=5, seen=40, extremity=0.2)
    fresh = StatementTally("fresh")
    assert next_statement([seen, fresh], set()) == fresh


def test_informative_statements_rise_and_passed_ones_sink() -> None:
    divisive = StatementTally("divisive", agree=10, passes=1, seen=20, extremity=2.0)
    bland = StatementTally("bland", agree=10, passes=1, seen=20, extremity=0.0)
    passed = StatementTally("passed", agree=2, passes=16, seen=20, extremity=2.0)
    assert next_statement([bland, passed, divisive], set()) == divisive
    assert priority(2, 16, 20, 2.0) < priority(10, 1, 20, 0.0)


def test_voted_statements_are_never_shown_again() -> None:
    tallies = [StatementTally(i, seen=i) for i in range(5)]
    assert next_statement(tallies, {0, 1, 2}).statement == 3
    assert next_statement(tallies, set(range(5))) is None
    rng = random.Random(1)
    for _ in range(50):
        assert next_statement(tallies, {0, 1}, rng).statement in {2, 3, 4}


def test_weighted_draw_favours_high_priority() -> None:
    fresh = StatementTally("fresh", extremity=1.0)
    old = StatementTally("old", agree=1, passes=30, seen=60)
    rng = random.Random(7)
    picks = [next_statement([old, fresh], set(), rng).statement for _ in range(200)]
    assert picks.count("fresh") > 190


def test_extremity_is_the_length_of_a_single_agree_projection() -> None:
    assert statement_extremity(0.0, [0.6, 0.8], 4) == 2.0
    assert statement_extremity(1.0, [0.6, 0.8], 4) == 0.0
