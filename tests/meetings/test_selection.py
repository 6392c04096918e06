"""Ranking (ties, spread, suggested merges), decisions and the published selection."""

from __future__ import annotations

from typing import Any

import pytest

from commonground.analysis.programme import ScoredProposal, rank_proposals
from commonground.core.errors import InvalidInput, NotAllowed, WrongPhase
from commonground.meetings.services import advisory, selection
from tests.meetings.conftest import Programme

pytestmark = pytest.mark.django_db


def _score(programme: Programme, who: int, session: Any, value: int) -> None:
    data = {c: value for c in ("relevance", "content", "interaction", "diversity")}
    if value <= 3:
        data |= {"reason_code": "other", "comment": "Needs work."}
    advisory.score_session(programme.advisors[who], session, data)


def test_ranking_by_mean_then_more_scores_then_earlier_submission(programme: Programme) -> None:
    world = programme.world
    users = [world.member["civil_society"], world.member["internet_institution"], world.steward]
    a, b, c, d = (
        programme.propose(users[i % 3], title=f"Topic {x}", description=f"Words {x}")
        for i, x in enumerate("ABCD")
    )
    programme.advance()
    _score(programme, 0, a, 4)  # mean 4 from one score
    _score(programme, 0, b, 4)  # mean 4 from two scores: before a
    _score(programme, 1, b, 4)
    _score(programme, 0, c, 4)  # mean 4 from one score, submitted after a
    _score(programme, 0, d, 5)  # highest mean
    ranked = selection.ranking(programme.world.cycle)
    assert [r.id for r in ranked] == [d.pk, b.pk, a.pk, c.pk]
    assert [r.scores for r in ranked] == [1, 2, 1, 1]
    assert ranked[0].mean_score == 5.0


def test_spread_is_the_gap_between_the_highest_and_lowest_score() -> None:
    item = ScoredProposal(1, 0, frozenset({1}), "x", scores=[(5, 5, 5, 5), (2, 2, 2, 2)])
    (ranked,) = rank_proposals([item], merge_similarity=0.5)
    assert ranked.spread == 3.0 and ranked.mean_score == 3.5


def test_similar_proposals_on_the_same_issue_are_suggested_for_merging() -> None:
    text = "community networks rural connectivity licensing spectrum"
    same = ScoredProposal(1, 0, frozenset({7}), text)
    twin = ScoredProposal(2, 1, frozenset({7}), text + " villages")
    elsewhere = ScoredProposal(3, 2, frozenset({8}), text)
    unlike = ScoredProposal(4, 3, frozenset({7}), "children online safety education")
    ranked = {
        r.id: r for r in rank_proposals([same, twin, elsewhere, unlike], merge_similarity=0.5)
    }
    assert ranked[1].suggested_merge_with == [2]
    assert ranked[2].suggested_merge_with == [1]
    assert ranked[3].suggested_merge_with == [] and ranked[4].suggested_merge_with == []


def test_decisions_need_a_reason_and_a_merge_partner(programme: Programme) -> None:
    a, b = programme.propose(), programme.propose(title="Other")
    programme.advance()
    steward = programme.steward
    with pytest.raises(InvalidInput, match="reason"):
        selection.decide_session(steward, a, {"decision": "approved", "reason": ""})
    with pytest.raises(InvalidInput, match="merge_with"):
        selection.decide_session(steward, a, {"decision": "approved_if_merged", "reason": "x"})
    with pytest.raises(InvalidInput):
        selection.decide_session(
            steward, a, {"decision": "approved_if_merged", "reason": "x", "merge_with": a.pk}
        )
    decided = selection.decide_session(
        steward, a, {"decision": "approved_if_merged", "reason": "Overlap.", "merge_with": b.pk}
    )
    assert decided.merge_with == b and decided.is_selected


def test_only_stewards_decide_and_only_during_evaluation(programme: Programme) -> None:
    session = programme.propose()
    with pytest.raises(WrongPhase):
        selection.decide_session(
            programme.steward, session, {"decision": "approved", "reason": "x"}
        )
    programme.advance()
    with pytest.raises(NotAllowed):
        selection.decide_session(
            programme.advisors[0], session, {"decision": "approved", "reason": "x"}
        )


def test_publishing_numbers_snapshots_and_diffs_them(programme: Programme) -> None:
    a, b = programme.propose(), programme.propose(title="Other")
    programme.advance()
    with pytest.raises(InvalidInput):
        selection.publish_selection(programme.steward, programme.forum)
    selection.decide_session(programme.steward, a, {"decision": "approved", "reason": "Good."})
    first = selection.publish_selection(programme.steward, programme.forum)
    assert first.number == 1 and [e["id"] for e in first.entries] == [a.pk]
    selection.decide_session(programme.steward, a, {"decision": "declined", "reason": "Merged."})
    selection.decide_session(programme.steward, b, {"decision": "approved", "reason": "Good."})
    second = selection.publish_selection(programme.steward, programme.forum)
    assert second.number == 2
    assert selection.selection_diff(second) == {"added": [b.pk], "removed": [], "changed": [a.pk]}
    first.refresh_from_db()
    assert first.entries[0]["decision"] == "approved"  # frozen
