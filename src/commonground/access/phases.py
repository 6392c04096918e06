"""The cycle's phases and which actions each phase allows (one table, used everywhere)."""

from __future__ import annotations

from typing import Final

from django.utils.translation import gettext

# Not Django's gettext_noop: this table is read by the open-data readers (``agenda --from``),
# which run without Django settings, and Django's marker reads them.
from commonground.stakeholders import gettext_noop

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
    "call_for_issues": gettext_noop("Call for issues"),
    "agenda_setting": gettext_noop("Agenda setting"),
    "call_for_sessions": gettext_noop("Call for sessions"),
    "evaluation": gettext_noop("Evaluation"),
    "forum": gettext_noop("Forum"),
    "messages": gettext_noop("Messages"),
    "follow_up": gettext_noop("Follow-up"),
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
    "raise_issue": gettext_noop("Raising issues"),
    "edit_issue": gettext_noop("Editing issues"),
    "support_issue": gettext_noop("Supporting issues"),
    "withdraw_support": gettext_noop("Withdrawing support"),
    "publish_agenda": gettext_noop("Publishing the agenda"),
    "receive_forward": gettext_noop("Receiving forwarded issues"),
    "merge_issues": gettext_noop("Merging issues"),
    "draft_message": gettext_noop("Drafting messages"),
    "comment_on_message": gettext_noop("Commenting on messages"),
    "chair_message": gettext_noop("Designating and publishing messages"),
    "refer_message": gettext_noop("Referring messages"),
    "record_uptake": gettext_noop("Recording uptake"),
    "propose_session": gettext_noop("Proposing sessions"),
    "edit_session": gettext_noop("Editing session proposals"),
    "withdraw_session": gettext_noop("Withdrawing session proposals"),
    "score_session": gettext_noop("Scoring session proposals"),
    "declare_conflict": gettext_noop("Declaring a conflict on a proposal"),
    "decide_session": gettext_noop("Deciding on session proposals"),
    "publish_selection": gettext_noop("Publishing the session selection"),
    "schedule_session": gettext_noop("Scheduling sessions"),
}


def next_phase(phase: str) -> str | None:
    """The phase after ``phase``, or None at the end of the cycle."""
    index = PHASES.index(phase)
    return PHASES[index + 1] if index + 1 < len(PHASES) else None


def phase_allows(phase: str, action: str) -> bool:
    allowed = ACTION_PHASES.get(action)
    return allowed is None or phase in allowed


def phase_label(phase: str) -> str:
    """The phase's name in the active language (the code itself when unknown)."""
    return gettext(PHASE_LABELS[phase]) if phase in PHASE_LABELS else phase


def action_label(action: str) -> str:
    """What a phase-bound action is called, in the active language."""
    return gettext(ACTION_LABELS[action]) if action in ACTION_LABELS else action


def allowed_phases_text(action: str) -> str:
    names = [phase_label(p) for p in PHASES if p in ACTION_PHASES[action]]
    # Translators: joins the names of the phases in which an action is allowed.
    return gettext(" or ").join(names)
