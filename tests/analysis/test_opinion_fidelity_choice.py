"""How ``bench/opinion.py fidelity`` picks a rule set on the conversations it tunes on
(leave-one-out): the rule must be the same whatever the held-out conversation."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from bench.opinion_fidelity import MARGINS, choose

from commonground.opendata.polis_replay import ReplayParams


def _results(aris: dict[float, float]) -> dict[str, Any]:
    """One conversation, replayed, one growth, 10 restarts at each margin in ``aris``."""
    rules = [ReplayParams(growth=7.0, group_restarts=10, group_restart_margin=m, tail=0)
             for m in MARGINS]  # fmt: skip
    row = {"polis_k": 2, "rules": [[2, aris[m], 1.0] for m in MARGINS]}
    return {
        "rules": {"replayed": [asdict(r) for r in rules]},
        "conversations": {"only": {"replayed": row}},
    }


def _chosen_margin(aris: dict[float, float]) -> float:
    results = _results(aris)
    index = choose(results, "replayed", ["only"])
    return float(results["rules"]["replayed"][index]["group_restart_margin"])


def test_among_equal_scores_the_middle_of_the_plateau_wins_over_the_grid_edge() -> None:
    # Margins 0, 0.25 % and 0.5 % score the same, 1 % and 2 % lower: margin 0 sits at
    # the grid's edge, 0.25 % has an equal neighbour on each side.
    aris = dict(zip(MARGINS, (0.9, 0.9, 0.9, 0.5, 0.5), strict=True))
    assert _chosen_margin(aris) == 0.0025


def test_a_higher_score_still_beats_a_wider_plateau() -> None:
    # One step past the tie: margin 0 alone scores higher, so it is chosen.
    aris = dict(zip(MARGINS, (0.901, 0.9, 0.9, 0.5, 0.5), strict=True))
    assert _chosen_margin(aris) == 0.0
