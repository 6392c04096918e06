"""The rules of who may do what, each stated once.

``can_*`` predicates answer for one member (``None`` for a visitor without a membership)
and never write; the ``require_*`` checks refuse through the same predicates with the
message a person reads (403 ``NotAllowed``, 409 ``WrongPhase``). Services call the
``require_*`` checks inside their transaction; pages, template tags and API serializers
call the ``can_*`` predicates to decide what to offer. docs/permissions.md is the matrix
these rules produce (``tests/contributions/test_permission_matrix.py`` checks every cell).
"""

from __future__ import annotations

from datetime import datetime
from typing import Final, Protocol

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from commonground.access.members import can_steward, can_take_part
from commonground.access.phases import allowed_phases_text, phase_allows, phase_label
from commonground.contributions.models import ContributionSettings
from commonground.core.errors import Conflict, InvalidInput, NotAllowed, WrongPhase
from commonground.dialogue.models import Conversation, Statement
from commonground.forums.models import Cycle, Forum
from commonground.issues.models import Issue
from commonground.meetings.models import AdvisorySeat, Session
from commonground.outcomes.models import Message
from commonground.participants.models import Membership


class Authored(Protocol):
    """Anything a member wrote: a contribution, an issue, a statement."""

    @property
    def author_id(self) -> int | None: ...  # read-only here, so a non-null FK fits too


class Moderated(Authored, Protocol):
    """A contribution that stewards can hide."""

    @property
    def hidden(self) -> bool: ...


# Stakeholder-group roles (docs/process.md): who may signal concern and who may give advice.
SIGNAL_GROUPS: Final[tuple[str, ...]] = ("government", "intergovernmental")
ADVICE_GROUPS: Final[tuple[str, ...]] = ("academic_technical", "internet_institution")
SIGNAL_ROLE: Final[str] = "government and intergovernmental members"
ADVICE_ROLE: Final[str] = "academic & technical community and Internet institution members"
# Decision makers who record uptake of a referred message (docs/process.md).
UPTAKE_GROUPS: Final[tuple[str, ...]] = SIGNAL_GROUPS


# ---------------------------------------------------------------- phases


def can_act_in_phase(cycle: Cycle, action: str) -> bool:
    """The cycle is open and its phase allows the action (``access.phases``)."""
    return cycle.is_open and phase_allows(cycle.phase, action)


def require_phase(cycle: Cycle, action: str) -> None:
    """Refuse an action that the cycle's current phase does not allow."""
    if not cycle.is_open:
        raise WrongPhase(_("The cycle %(cycle)s is closed.") % {"cycle": cycle.name})
    if not phase_allows(cycle.phase, action):
        raise WrongPhase(
            _("%(phase)s is the current phase; this is possible only during %(allowed)s.")
            % {"phase": phase_label(cycle.phase), "allowed": allowed_phases_text(action)}
        )


# ---------------------------------------------------------------- authorship and visibility


def is_author(membership: Membership | None, item: Authored) -> bool:
    """The member wrote the item."""
    return membership is not None and item.author_id == membership.pk


def require_author(membership: Membership, item: Authored, what: str) -> None:
    """Only the author changes what they wrote."""
    if not is_author(membership, item):
        raise NotAllowed(_("Only the author can change this %(what)s.") % {"what": what})


def can_see(item: Moderated, membership: Membership | None) -> bool:
    """Hidden contributions are seen only by their author and the forum's stewards."""
    if not item.hidden:
        return True
    return membership is not None and (membership.is_steward or item.author_id == membership.pk)


# ---------------------------------------------------------------- issues


def can_raise_issue(membership: Membership | None, cycle: Cycle) -> bool:
    """An active member, while the cycle's phase takes issues."""
    return can_take_part(membership) and can_act_in_phase(cycle, "raise_issue")


def can_support_issue(membership: Membership | None, issue: Issue) -> bool:
    """An active member, while the issue's cycle takes supports."""
    return can_take_part(membership) and can_act_in_phase(issue.cycle, "support_issue")


def can_edit_issue(membership: Membership | None, issue: Issue) -> bool:
    """The issue's author, active, while the cycle's phase allows editing."""
    return (
        can_take_part(membership)
        and is_author(membership, issue)
        and can_act_in_phase(issue.cycle, "edit_issue")
    )


def require_issue_author(membership: Membership, issue: Issue) -> None:
    if not is_author(membership, issue):
        raise NotAllowed(_("Only the author can edit this issue."))


def can_publish_agenda(membership: Membership | None, cycle: Cycle) -> bool:
    """An active steward, while the phase allows publishing the agenda."""
    return can_steward(membership) and can_act_in_phase(cycle, "publish_agenda")


# ---------------------------------------------------------------- across levels (docs/network.md)


def is_ancestor(forum: Forum, target: Forum) -> bool:
    """The target is above the forum in the tree (its regional or the global forum)."""
    return any(node.pk == target.pk for node in forum.ancestors())


def can_forward_issue(membership: Membership | None) -> bool:
    """An active steward of the issue's forum forwards issues of its published agenda."""
    return can_steward(membership)


def require_ancestor(forum: Forum, target: Forum) -> None:
    """Forwarding goes up the tree only: to the forum's regional or global forum."""
    if not is_ancestor(forum, target):
        raise InvalidInput(
            _("%(target)s is not above %(forum)s in the forum tree; issues go up to its "
              "regional or the global forum.")
            % {"target": target.name, "forum": forum.name}
        )  # fmt: skip


def can_merge_issues(membership: Membership | None, issue: Issue) -> bool:
    """An active steward of the issue's forum, while supports still count in its cycle."""
    return (
        can_steward(membership)
        and issue.merged_into_id is None
        and can_act_in_phase(issue.cycle, "merge_issues")
    )


def require_not_merged(issue: Issue) -> None:
    """A merged issue lives on in the one it was merged into; it takes no new acts."""
    if issue.merged_into_id is not None:
        raise Conflict(
            _("Issue %(id)s was merged into issue %(into)s; act on that one.")
            % {"id": issue.pk, "into": issue.merged_into_id}
        )


# ---------------------------------------------------------------- contributions


def can_contribute(membership: Membership | None, cycle: Cycle) -> bool:
    """Signals, solutions, advice and comments: any active member while the cycle is open.

    docs/process.md, step 2, puts no phase limit on them.
    """
    return can_take_part(membership) and cycle.is_open


def require_open_for_contributions(cycle: Cycle) -> None:
    if not cycle.is_open:
        raise WrongPhase(
            _("The cycle %(cycle)s is closed; it takes no contributions.") % {"cycle": cycle.name}
        )


def _has_role(
    membership: Membership, groups: tuple[str, ...], settings: ContributionSettings
) -> bool:
    return membership.stakeholder_group in groups and (
        membership.verified or not settings.verified_required_for_signals_and_advice
    )


def can_signal(membership: Membership | None, cycle: Cycle, settings: ContributionSettings) -> bool:
    """Government and intergovernmental members (verified ones, when the forum asks)."""
    return (
        can_contribute(membership, cycle)
        and membership is not None
        and _has_role(membership, SIGNAL_GROUPS, settings)
    )


def can_advise(membership: Membership | None, cycle: Cycle, settings: ContributionSettings) -> bool:
    """Academic & technical and Internet-institution members (verified, when asked)."""
    return (
        can_contribute(membership, cycle)
        and membership is not None
        and _has_role(membership, ADVICE_GROUPS, settings)
    )


def _require_role(
    membership: Membership,
    forum: Forum,
    groups: tuple[str, ...],
    role: str,
    verb: str,
    settings: ContributionSettings,
) -> None:
    if membership.stakeholder_group not in groups:
        raise NotAllowed(_("Only %(role)s can %(verb)s.") % {"role": role, "verb": verb})
    if not _has_role(membership, groups, settings):
        raise NotAllowed(
            _("Only %(role)s whose stakeholder group is verified can %(verb)s in %(forum)s.")
            % {"role": role, "verb": verb, "forum": forum.name}
        )


def require_signal_role(
    membership: Membership, forum: Forum, settings: ContributionSettings
) -> None:
    """Refuse a signal of concern from outside the signalling groups."""
    _require_role(membership, forum, SIGNAL_GROUPS, SIGNAL_ROLE, _("signal concern"), settings)


def require_advice_role(
    membership: Membership, forum: Forum, settings: ContributionSettings
) -> None:
    """Refuse technical advice from outside the advising groups."""
    _require_role(
        membership, forum, ADVICE_GROUPS, ADVICE_ROLE, _("give technical advice"), settings
    )


# ---------------------------------------------------------------- conversations


def can_open_conversation(membership: Membership | None, issue: Issue) -> bool:
    """An active steward of the issue's forum, or the issue's author."""
    return can_take_part(membership) and (can_steward(membership) or is_author(membership, issue))


def require_conversation_opener(membership: Membership, issue: Issue) -> None:
    if not can_open_conversation(membership, issue):
        raise NotAllowed(_("Only a steward or the issue's author can open a conversation on it."))


def require_open_conversation(conversation: Conversation) -> None:
    if not conversation.is_open:
        raise WrongPhase(_("This conversation is closed."))


def statement_waits_for_review(membership: Membership, conversation: Conversation) -> bool:
    """Under strict moderation a member's statement waits for a steward; a steward's not."""
    return conversation.moderation == Conversation.Moderation.STRICT and not can_steward(membership)


def can_review_statements(membership: Membership | None) -> bool:
    """Stewards see the statements waiting for review, and accept or reject them."""
    return can_steward(membership)


def can_see_statement_author(membership: Membership | None, statement: Statement) -> bool:
    """Statements are shown without their author, except to stewards and the author."""
    return can_steward(membership) or is_author(membership, statement)


# ---------------------------------------------------------------- messages (docs/consensus.md)


def can_draft_message(membership: Membership | None, cycle: Cycle) -> bool:
    """An active steward, during the messages phase."""
    return can_steward(membership) and can_act_in_phase(cycle, "draft_message")


def can_revise_message(membership: Membership | None, message: Message) -> bool:
    """A steward, in the messages phase, until the message is published (then it is frozen)."""
    return can_draft_message(membership, message.cycle) and not message.is_published


def require_not_published(message: Message) -> None:
    if message.is_published:
        raise WrongPhase(_("This message is published and frozen; new text means a new message."))


def _when(moment: datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def require_window_open(message: Message, now: datetime) -> None:
    """Positions and replies are taken only inside the comment window."""
    if message.opens_at is None or message.closes_at is None:
        raise WrongPhase(_("This message has no comment window yet."))
    if now < message.opens_at:
        raise WrongPhase(
            _("The comment window opens at %(when)s.") % {"when": _when(message.opens_at)}
        )
    if now >= message.closes_at:
        raise WrongPhase(
            _("The comment window closed at %(when)s; positions are no longer taken.")
            % {"when": _when(message.closes_at)}
        )


def can_take_position(membership: Membership | None, message: Message, now: datetime) -> bool:
    """An active member, while the message's comment window is open."""
    return (
        can_take_part(membership)
        and message.state == Message.State.PUBLIC_COMMENT
        and can_act_in_phase(message.cycle, "comment_on_message")
        and message.window_is_open(now)
    )


def can_chair_message(membership: Membership | None, message: Message) -> bool:
    """Dispositions, designation and publishing: a steward, in the messages phase."""
    return (
        can_steward(membership)
        and message.state == Message.State.PUBLIC_COMMENT
        and can_act_in_phase(message.cycle, "chair_message")
    )


def can_forward_message(membership: Membership | None, message: Message) -> bool:
    """A steward forwards a published message to a forum above (one exists: here, or on
    another instance, docs/federation.md)."""
    if not (can_steward(membership) and message.is_published):
        return False
    forum = message.forum
    if forum.parent_id is not None:
        return True
    # A parent on another instance (the federation's RemoteParent, by its reverse name).
    return Forum.objects.filter(pk=forum.pk, remote_parent__isnull=False).exists()


def can_refer_message(membership: Membership | None, message: Message) -> bool:
    """A steward refers a published message, in the messages or follow-up phase."""
    return (
        can_steward(membership)
        and message.is_published
        and can_act_in_phase(message.cycle, "refer_message")
    )


def _uptake_phase_ok(message: Message) -> bool:
    # Decision makers act long after a forum: a closed cycle still takes uptake records.
    return not message.cycle.is_open or phase_allows(message.cycle.phase, "record_uptake")


def can_record_uptake(
    membership: Membership | None, message: Message, settings: ContributionSettings
) -> bool:
    """Government and intergovernmental members (verified when the forum asks it), on a
    referred message."""
    return (
        can_take_part(membership)
        and membership is not None
        and message.state == Message.State.REFERRED
        and _uptake_phase_ok(message)
        and _has_role(membership, UPTAKE_GROUPS, settings)
    )


def require_uptake_role(
    membership: Membership, message: Message, settings: ContributionSettings
) -> None:
    """Refuse uptake from outside the decision makers' groups, or before referral."""
    if message.state != Message.State.REFERRED:
        raise WrongPhase(_("Uptake is recorded on a referred message; this one is not referred."))
    if not _uptake_phase_ok(message):
        require_phase(message.cycle, "record_uptake")
    _require_role(
        membership,
        message.forum,
        UPTAKE_GROUPS,
        SIGNAL_ROLE,
        _("record uptake"),
        settings,
    )


# ---------------------------------------------------------------- sessions (docs/sessions.md)


def is_advisory_member(membership: Membership | None) -> bool:
    """The member holds a seat in their forum's advisory group."""
    return (
        membership is not None
        and AdvisorySeat.objects.filter(
            forum_id=membership.forum_id, membership_id=membership.pk
        ).exists()
    )


def can_propose_session(membership: Membership | None, cycle: Cycle) -> bool:
    """Any active member, during the call for sessions (screening judges the rest)."""
    return can_take_part(membership) and can_act_in_phase(cycle, "propose_session")


def can_edit_session(membership: Membership | None, session: Session) -> bool:
    """The proposer, active, while the call is open and the proposal is not withdrawn."""
    return (
        can_take_part(membership)
        and membership is not None
        and session.proposer_id == membership.pk
        and session.status == Session.Status.SUBMITTED
        and can_act_in_phase(session.cycle, "edit_session")
    )


def require_session_proposer(membership: Membership, session: Session) -> None:
    if session.proposer_id != membership.pk:
        raise NotAllowed(_("Only the proposer can change this session proposal."))


def can_score_sessions(membership: Membership | None, cycle: Cycle) -> bool:
    """Advisory group members, active, during evaluation."""
    return (
        can_take_part(membership)
        and is_advisory_member(membership)
        and can_act_in_phase(cycle, "score_session")
    )


def require_advisory_member(membership: Membership) -> None:
    if not is_advisory_member(membership):
        raise NotAllowed(_("Only members of the advisory group can do this."))


def can_appoint_advisory_group(membership: Membership | None) -> bool:
    """The forum's active stewards appoint its advisory group, in any phase."""
    return can_steward(membership)


def can_decide_sessions(membership: Membership | None, cycle: Cycle) -> bool:
    """An active steward, during evaluation: rank, decide."""
    return can_steward(membership) and can_act_in_phase(cycle, "decide_session")


def can_publish_selection(membership: Membership | None, cycle: Cycle) -> bool:
    return can_steward(membership) and can_act_in_phase(cycle, "publish_selection")


def can_schedule_sessions(membership: Membership | None, cycle: Cycle) -> bool:
    """An active steward, during the forum phase (a past slot may be recorded later)."""
    return can_steward(membership) and can_act_in_phase(cycle, "schedule_session")


def can_see_ranking(membership: Membership | None) -> bool:
    """The ranking names scores per proposal before publication: stewards only."""
    return can_steward(membership)


def reporter_of(session: Session) -> int:
    """The membership id that files the session's report: its rapporteur if a member, else
    the proposer."""
    return session.rapporteur_id or session.proposer_id


def can_file_report(membership: Membership | None, session: Session) -> bool:
    """The rapporteur (a member named in the proposal) or, failing that, the proposer."""
    return (
        can_take_part(membership)
        and membership is not None
        and reporter_of(session) == membership.pk
    )


def require_reporter(membership: Membership, session: Session) -> None:
    if not can_file_report(membership, session):
        raise NotAllowed(
            _(
                "Only the session's rapporteur (or, if none is a member, its proposer) "
                "files its report."
            )
        )


# Phases in which scoring is blind: the proposer is named only to themselves and stewards.
BLIND_PHASES: Final[frozenset[str]] = frozenset({"call_for_sessions", "evaluation"})


def can_see_proposer(membership: Membership | None, session: Session) -> bool:
    """Who proposed a session is public once evaluation is over; before, only the proposer
    and the forum's stewards see it, so advisory members score blind."""
    if not session.cycle.is_open or session.cycle.phase not in BLIND_PHASES:
        return True
    return can_steward(membership) or (
        membership is not None and session.proposer_id == membership.pk
    )
