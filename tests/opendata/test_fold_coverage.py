"""Every ledger action of the vocabulary is folded into the public state or named as left out
(issue 18): a new domain's actions cannot slip past ``ledger audit`` unnoticed."""

from __future__ import annotations

from commonground.ledger.vocabulary import discover, registry
from commonground.opendata.fold import NOT_FOLDED, folded_actions


def test_every_registered_action_is_folded_or_named_as_left_out() -> None:
    discover()
    actions = set(registry())
    forgotten = sorted(actions - folded_actions() - set(NOT_FOLDED))
    assert forgotten == [], (
        f"fold these in opendata/fold.py or list them in NOT_FOLDED: {forgotten}"
    )


def test_nothing_is_both_folded_and_left_out() -> None:
    assert sorted(folded_actions() & set(NOT_FOLDED)) == []
