"""The opinion map: computed from a conversation's votes and kept as a snapshot."""

from __future__ import annotations

import time
from typing import Any

import numpy as np
from django.db import transaction
from django.utils import timezone

from commonground.analysis.opinion import (
    OpinionMap,
    OpinionState,
    compute_opinion_map,
    opinion_cross_table,
    stakeholder_consensus_scores,
)
from commonground.analysis.routing import statement_extremity
from commonground.dialogue import events
from commonground.dialogue.models import Conversation, OpinionSnapshot, Vote
from commonground.dialogue.votes import ConversationVotes, load_votes
from commonground.ledger.services import append
from commonground.stakeholders import GROUPS

# Without any snapshot, the map page computes a map in memory (saving nothing) when the
# conversation has at most this many votes: a few hundred milliseconds at most.
PREVIEW_MAX_VOTES = 20_000


# -- the opinion map --------------------------------------------------------------------------


def latest_snapshot(conversation: Conversation) -> OpinionSnapshot | None:
    """The conversation's most recent opinion map, if any."""
    return OpinionSnapshot.objects.filter(conversation=conversation).first()


def _result_document(
    result: OpinionMap, votes: ConversationVotes, seconds: float
) -> dict[str, Any]:
    """The JSON kept in a snapshot: what the opinion map page and routing read."""
    sids = votes.statement_ids
    labels = votes.labels
    present = [g for g in GROUPS if g in set(labels)]
    if present:
        sic, _ = stakeholder_consensus_scores(votes.matrix, labels, present)
        cross = opinion_cross_table(result, labels, present)
        cross_doc: dict[str, Any] = {
            "stakeholder_groups": list(cross.stakeholder_groups),
            "counts": cross.counts.tolist(),
            "share_of_opinion_group": cross.share_of_opinion_group.tolist(),
            "share_of_stakeholder_group": cross.share_of_stakeholder_group.tolist(),
        }
    else:
        sic = None
        cross_doc = {
            "stakeholder_groups": [],
            "counts": [[] for _ in range(result.k)],
            "share_of_opinion_group": [[] for _ in range(result.k)],
            "share_of_stakeholder_group": [[] for _ in range(result.k)],
        }
    totals = result.totals
    n_s = len(sids)
    statements: dict[str, dict[str, Any]] = {}
    for j, sid in enumerate(sids):
        statements[str(sid)] = {
            "agree": int(totals.agree[0, j]),
            "disagree": int(totals.disagree[0, j]),
            "pass": int(totals.passes[0, j]),
            "seen": int(totals.seen[0, j]),
            "gic": float(result.group_informed_consensus[j]),
            "sic": None if sic is None else float(sic[j]),
            "extremity": statement_extremity(
                float(result.center[j]), result.components[:, j].tolist(), n_s
            ),
            "moderated_out": bool(result.moderated_out[j]),
        }
    in_rows = np.flatnonzero(result.in_conversation)
    points = [
        [
            round(float(result.projections[i, 0]), 5),
            round(float(result.projections[i, 1]), 5),
            int(result.group_labels[i]),
        ]
        for i in in_rows
    ]
    counts = result.group_counts
    groups = []
    for g in range(result.k):
        members = result.group_labels == g
        make_up = {
            name: int(sum(1 for i in np.flatnonzero(members) if labels[i] == name))
            for name in present
        }
        groups.append(
            {
                "id": g,
                "size": int(members.sum()),
                "stakeholders": make_up,
                "unknown_stakeholder": int(members.sum()) - sum(make_up.values()),
                "representative": [
                    {
                        "statement": int(sids[r.statement]),
                        "direction": r.direction,
                        "p_success": float(r.p_success),
                        "n_success": int(r.n_success),
                        "n_trials": int(r.n_trials),
                        "repness": float(r.repness),
                        "repness_test": float(r.repness_test),
                        "p_test": float(r.p_test),
                        "agree_share": _share(
                            counts.agree[g, r.statement], counts.seen[g, r.statement]
                        ),
                        "disagree_share": _share(
                            counts.disagree[g, r.statement], counts.seen[g, r.statement]
                        ),
                    }
                    for r in result.representative[g]
                ],
            }
        )
    consensus = {
        direction: [
            {
                "statement": int(sids[c.statement]),
                "p_success": float(c.p_success),
                "n_success": int(c.n_success),
                "n_trials": int(c.n_trials),
            }
            for c in result.consensus.get(direction, [])
        ]
        for direction in ("agree", "disagree")
    }
    return {
        "k": int(result.k),
        "participants": len(result.participant_ids),
        "in_conversation": int(result.in_conversation.sum()),
        "votes": int(result.n_votes),
        "statements": statements,
        "points": points,
        "point_keys": [str(result.participant_ids[i]) for i in in_rows],
        "groups": groups,
        "consensus": consensus,
        "cross": cross_doc,
        "seconds": round(seconds, 4),
    }


def _share(part: Any, whole: Any) -> float:
    whole = int(whole)
    return round(int(part) / whole, 4) if whole else 0.0


def _compute(
    conversation: Conversation, state: OpinionState | None, seed: int
) -> tuple[dict[str, Any], OpinionMap, ConversationVotes, float] | None:
    votes = load_votes(conversation)
    if votes.matrix.n_votes == 0:
        return None
    started = time.perf_counter()
    result = compute_opinion_map(
        votes.matrix, moderated_out=votes.moderated_out, state=state, seed=seed
    )
    seconds = time.perf_counter() - started
    return _result_document(result, votes, seconds), result, votes, seconds


def preview_opinion_map(conversation: Conversation, *, seed: int = 0) -> dict[str, Any] | None:
    """A map computed in memory and saved nowhere, for a conversation without any
    snapshot yet and at most ``PREVIEW_MAX_VOTES`` votes; None otherwise."""
    if OpinionSnapshot.objects.filter(conversation=conversation).exists():
        return None
    n_votes = Vote.objects.filter(conversation=conversation).count()
    if n_votes == 0 or n_votes > PREVIEW_MAX_VOTES:
        return None
    computed = _compute(conversation, None, seed)
    return computed[0] if computed is not None else None


def recompute_opinion_map(
    conversation: Conversation, *, seed: int = 0, start: OpinionState | None = None
) -> OpinionSnapshot | None:
    """Compute the opinion map from the current votes, warm-started from the last
    snapshot's state (or from ``start``, a state carried in from elsewhere such as a
    replayed Polis history), and keep it as a new snapshot. None when nobody has voted.

    The snapshot's time is when its votes were read, so any vote stamped later is
    known to be newer than the map.
    """
    now = timezone.now()
    previous = latest_snapshot(conversation)
    state = start
    if state is None and previous is not None:
        state = OpinionState.from_dict(previous.state)
    computed = _compute(conversation, state, seed)
    if computed is None:
        return None
    doc, result, votes, seconds = computed
    with transaction.atomic():
        snapshot = OpinionSnapshot.objects.create(
            conversation=conversation,
            computed_at=now,
            result=doc,
            state=result.state.to_dict(),
            participants=votes.matrix.n_participants,
            statements=votes.matrix.n_statements,
            votes=votes.matrix.n_votes,
            groups=result.k,
            seconds=seconds,
        )
        append(events.opinion_map_computed(snapshot, doc))
    return snapshot
