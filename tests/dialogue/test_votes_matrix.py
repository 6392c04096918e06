"""The engine's input read from the database: rows, columns, labels and values."""

from __future__ import annotations

import numpy as np

from commonground.dialogue import services
from commonground.dialogue.models import Conversation, Statement
from commonground.dialogue.services import member_key
from commonground.dialogue.votes import load_votes
from tests.conftest import World


def test_vote_matrix_rows_follow_first_votes_with_stakeholder_labels_and_rejected_columns(
    world: World, conversation: Conversation, statements: list[Statement]
) -> None:
    first, second, third = statements[:3]
    groups = ("civil_society", "government", "intergovernmental")
    civil, gov, igo = (world.member[g] for g in groups)
    services.cast_vote(civil, second, "agree")
    services.cast_vote(gov, first, "disagree")
    services.cast_vote(civil, first, "pass")
    services.cast_vote(igo, third, "agree")
    services.cast_vote(civil, second, "disagree")  # the last vote counts
    services.moderate_statement(world.steward, third, "rejected")

    votes = load_votes(conversation)

    members = [world.membership[g] for g in groups]
    assert votes.matrix.participant_ids.tolist() == [member_key(m) for m in members]
    assert votes.labels == list(groups)
    assert votes.statement_ids == [s.pk for s in statements]  # rejected ones stay columns
    assert votes.moderated_out == [third.pk]
    dense = np.full((3, len(statements)), 9)
    m = votes.matrix
    for row in range(m.n_participants):
        for k in range(m.indptr[row], m.indptr[row + 1]):
            dense[row, m.indices[k]] = m.values[k]
    assert dense[:, :3].tolist() == [[0, -1, 9], [-1, 9, 9], [9, 9, 1]]
    assert (dense[:, 3:] == 9).all()
