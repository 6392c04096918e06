"""The cycle's phases and which actions each phase allows (one table, used everywhere)."""

from __future__ import annotations

from typing import Final

PHASES: Final[tuple[str, ...]] = (
    "call_for_issues",
    "agenda_setting",
    "call_for_sessions",
    "evaluation",
    "forum",
    "messages",
    "follow_up",
)

PHASE_LABELS: Final[dict[str, str]] = {
    "call_for_issues": "Call for issues",
    "agenda_setting": "Agenda setting",
    "call_for_sessions": "Call for sessions",
    "evaluation": "Evaluation",
    "forum": "Forum",
    "messages": "Messages",
    "follow_up": "Follow-up",
}

# Which phases allow each phase-bound action. Actions absent here (joining,
# reading, steward administration) are allowed in every phase.
ACTION_PHASES: Final[dict[str, frozenset[str]]] = {
    "raise_issue": frozenset({"call_for_issues", "agenda_setting"}),
    "edit_issue": frozenset({"call_for_issues", "agenda_setting"}),
    "support_issue": frozenset({"call_for_issues", "agenda_setting"}),
    "withdraw_support": frozenset({"call_for_issues", "agenda_setting"}),
    "publish_agenda": frozenset({"agenda_setting", "call_for_sessions"}),
    # Across levels (docs/network.md): a forwarded issue joins the target's call for issues, and
    # merging moves supports, so both happen while supports still count.
    "receive_forward": frozenset({"call_for_issues", "agenda_setting"}),
    "merge_issues": frozenset({"call_for_issues", "agenda_setting"}),
    # Messages (docs/consensus.md): drafted, commented on, answered, designated and
    # published in the messages phase; referred then or during the follow-up.
    "draft_message": frozenset({"messages"}),
    "comment_on_message": frozenset({"messages"}),
    "chair_message": frozenset({"messages"}),
    "refer_message": frozenset({"messages", "follow_up"}),
    "record_uptake": frozenset({"messages", "follow_up"}),
    # Sessions (docs/sessions.md).
    "propose_session": frozenset({"call_for_sessions"}),
    "edit_session": frozenset({"call_for_sessions"}),
    "withdraw_session": frozenset({"call_for_sessions"}),
    "score_session": frozenset({"evaluation"}),
    "declare_conflict": frozenset({"evaluation"}),
    "decide_session": frozenset({"evaluation"}),
    "publish_selection": frozenset({"evaluation", "forum"}),
    "schedule_session": frozenset({"forum"}),
}

ACTION_LABELS: Final[dict[str, str]] = {
    "raise_issue": "Raising issues",
    "edit_issue": "Editing issues",
    "support_issue": "Supporting issues",
    "withdraw_support": "Withdrawing support",
    "publish_agenda": "Publishing the agenda",
    "receive_forward": "Receiving forwarded issues",
    "merge_issues": "Merging issues",
    "draft_message": "Drafting messages",
    "comment_on_message": "Commenting on messages",
    "chair_message": "Designating and publishing messages",
    "refer_message": "Referring messages",
    "record_uptake": "Recording uptake",
    "propose_session": "Proposing sessions",
    "edit_session": "Editing session proposals",
    "withdraw_session": "Withdrawing session proposals",
    "score_session": "Scoring session proposals",
    "declare_conflict": "Declaring a conflict on a proposal",
    "decide_session": "Deciding on session proposals",
    "publish_selection": "Publishing the session selection",
    "schedule_session": "Scheduling sessions",
}


def next_phase(phase: str) -> str | None:
    """The phase after ``phase``, or None at the end of the cycle."""
    index = PHASES.index(phase)
    return PHASES[index + 1] if index + 1 < len(PHASES) else None


def phase_allows(phase: str, action: str) -> bool:
    allowed = ACTION_PHASES.get(action)
    return allowed is None or phase in allowed


def allowed_phases_text(action: str) -> str:
    return " or ".join(PHASE_LABELS[p] for p in PHASES if p in ACTION_PHASES[action])
