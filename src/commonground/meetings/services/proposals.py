"""Proposing, editing and withdrawing sessions, and screening them (docs/sessions.md)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from commonground.access.members import AnyUser, require_member
from commonground.access.rules import (
    is_advisory_member,
    require_phase,
    require_session_proposer,
)
from commonground.analysis.programme import (
    SCREENING_RULES,
    ProposalFacts,
    ScreeningSettings,
    SpeakerFacts,
    score_aggregates,
    screen,
)
from commonground.core.errors import WrongPhase
from commonground.forums.models import Cycle, Forum
from commonground.forums.signals import cycle_advanced
from commonground.ledger.services import append, append_many
from commonground.meetings.events import (
    proposal_fields,
    session_edited,
    session_proposed,
    session_scores,
    session_screened,
    session_withdrawn,
)
from commonground.meetings.models import Score, Session, Speaker
from commonground.meetings.services.common import (
    screening_settings,
    settings_of,
)
from commonground.meetings.services.drafts import (
    ProposalDraft,
    SpeakerDraft,
    draft_of,
    parse_proposal,
)
from commonground.notifications import email
from commonground.notifications.models import Notification
from commonground.participants.models import Membership

LIVE = (Session.Status.SUBMITTED, Session.Status.SCREENED_IN, Session.Status.DECLINED)


@dataclass
class RuleResult:
    code: str
    passed: bool
    text: str


@dataclass
class Screening:
    failures: list[str]
    rules: list[RuleResult]

    @property
    def passed(self) -> bool:
        return not self.failures

    def as_json(self) -> dict[str, Any]:
        return {"passed": self.passed, "failures": list(self.failures)}


# ---------------------------------------------------------------- screening


def missing_fields(draft: ProposalDraft) -> list[str]:
    checks = {
        "title": draft.title,
        "format": draft.format,
        "description": draft.description,
        "issue_ids": draft.issue_ids,
        "policy_questions": draft.policy_questions,
        "moderator": draft.moderator.get("name"),
        "rapporteur": draft.rapporteur_name,
    }
    return [name for name, value in checks.items() if not value]


def sessions_without_report(proposer: Membership, cycle: Cycle, cycles: int) -> int:
    """Sessions the proposer ran in the forum's last ``cycles`` cycles with no report."""
    if cycles <= 0:
        return 0
    past = list(
        Cycle.objects.filter(forum_id=cycle.forum_id, opened_at__lt=cycle.opened_at)
        .order_by("-opened_at")
        .values_list("pk", flat=True)[:cycles]
    )
    return Session.objects.filter(
        cycle_id__in=past,
        proposer__user_id=proposer.user_id,
        decision__in=("approved", "approved_if_merged"),
        starts_at__lte=timezone.now(),
        report__isnull=True,
    ).count()


def position_of(proposer: Membership, cycle: Cycle, session: Session | None) -> int:
    """1 for the proposer's earliest live proposal in the cycle; a new one comes last."""
    live = Session.objects.filter(cycle=cycle, proposer=proposer, status__in=LIVE)
    if session is None or session.pk is None:
        return live.count() + 1
    earlier = live.exclude(pk=session.pk).filter(submitted_at__lte=session.submitted_at)
    earlier = earlier.exclude(submitted_at=session.submitted_at, pk__gt=session.pk)
    return earlier.count() + 1


def rule_text(code: str, settings: ScreeningSettings) -> str:
    """What the rule asks, in words, as the proposer reads it."""
    texts = {
        "required_fields": _(
            "Every required field is filled in: title, format, description, at least one "
            "agenda issue, policy questions, moderator and rapporteur."
        ),
        "min_confirmed_speakers": ngettext(
            "At least %(n)s speaker has confirmed.",
            "At least %(n)s speakers have confirmed.",
            settings.min_confirmed_speakers,
        )
        % {"n": settings.min_confirmed_speakers},
        "speaker_gender_diversity": _("The speakers are not all of one gender."),
        "min_speaker_groups": _("The speakers come from at least %(n)s stakeholder groups.")
        % {"n": settings.min_speaker_groups},
        "advisory_member_proposer": _("The proposer is not a member of the advisory group."),
        "missing_past_report": ngettext(
            "Every session the proposer ran in the last cycle has a report.",
            "Every session the proposer ran in the last %(n)s cycles has a report.",
            settings.past_report_cycles,
        )
        % {"n": settings.past_report_cycles},
        "max_proposals_per_proposer": ngettext(
            "The proposer makes at most %(n)s proposal in this cycle.",
            "The proposer makes at most %(n)s proposals in this cycle.",
            settings.max_proposals_per_proposer,
        )
        % {"n": settings.max_proposals_per_proposer},
    }
    return texts[code]


def screen_draft(
    draft: ProposalDraft, proposer: Membership, cycle: Cycle, session: Session | None = None
) -> Screening:
    """Which screening rules the proposal passes and fails (the live result and the final)."""
    settings = screening_settings(settings_of(cycle.forum))
    facts = ProposalFacts(
        missing_fields=tuple(missing_fields(draft)),
        speakers=tuple(
            SpeakerFacts(s.stakeholder_group, s.gender, s.confirmed) for s in draft.speakers
        ),
        proposer_is_advisory_member=is_advisory_member(proposer),
        sessions_without_report=sessions_without_report(
            proposer, cycle, settings.past_report_cycles
        ),
        position_among_proposers_proposals=position_of(proposer, cycle, session),
    )
    failures = screen(facts, settings)
    rules = [
        RuleResult(code, code not in failures, rule_text(code, settings))
        for code in SCREENING_RULES
    ]
    return Screening(failures, rules)


def screening_of(session: Session) -> Screening:
    return screen_draft(draft_of(session), session.proposer, session.cycle, session)


# ---------------------------------------------------------------- writing


def _store(session: Session, draft: ProposalDraft, now: datetime) -> None:
    session.title = draft.title
    session.format = draft.format
    session.description = draft.description
    session.policy_questions = draft.policy_questions
    session.moderator = draft.moderator
    session.rapporteur_name = draft.rapporteur_name
    session.rapporteur = draft.rapporteur
    session.updated_at = now
    session.save()
    session.issues.set(draft.issue_ids)
    session.speakers.all().delete()
    Speaker.objects.bulk_create(
        Speaker(
            session=session,
            position=i,
            name=s.name,
            stakeholder_group=s.stakeholder_group,
            gender=s.gender,
            country=s.country,
            confirmed=s.confirmed,
            onsite=s.onsite,
            participant=s.participant,
        )
        for i, s in enumerate(draft.speakers)
    )


def _public_id(member: Membership | None) -> str | None:
    return member.user.public_id if member is not None else None


def speaker_fields(speaker: Speaker | SpeakerDraft) -> dict[str, Any]:
    """A speaker's public fields, as the ledger and the API give them."""
    return {
        "name": speaker.name,
        "stakeholder_group": speaker.stakeholder_group,
        "gender": speaker.gender,
        "country": speaker.country,
        "confirmed": speaker.confirmed,
        "onsite": speaker.onsite,
    }


def _public_fields(session: Session, draft: ProposalDraft, screening: Screening) -> dict[str, Any]:
    return proposal_fields(
        cycle=session.cycle_id,
        title=draft.title,
        format=draft.format,
        description=draft.description,
        policy_questions=draft.policy_questions,
        moderator=draft.moderator,
        rapporteur_name=draft.rapporteur_name,
        rapporteur=_public_id(draft.rapporteur),
        issues=draft.issue_ids,
        speakers=[
            {**speaker_fields(s), "participant": _public_id(s.participant)} for s in draft.speakers
        ],
        screening=screening.failures,
    )


def propose_session(
    user: AnyUser, forum: Forum, data: Mapping[str, Any]
) -> tuple[Session, Screening]:
    """A member proposes a session on agenda issues during the call for sessions."""
    with transaction.atomic():
        proposer = require_member(user, forum, lock=True)
        cycle = Cycle.objects.select_for_update().filter(forum=forum, is_open=True).first()
        if cycle is None:
            raise WrongPhase(_("%(forum)s has no open cycle.") % {"forum": forum.name})
        require_phase(cycle, "propose_session")
        draft = parse_proposal(data, cycle, settings_of(forum), ProposalDraft())
        now = timezone.now()  # the row's times and its entry's: one moment
        session = Session(forum=forum, cycle=cycle, proposer=proposer, submitted_at=now)
        _store(session, draft, now)
        screening = screening_of(session)
        append(
            session_proposed(
                session.pk,
                actor=proposer.user.public_id,
                forum=forum.slug,
                time=now,
                **_public_fields(session, draft, screening),
            )
        )
    return session, screening


def edit_session(user: AnyUser, session: Session, data: Mapping[str, Any]) -> Screening:
    """The proposer changes the proposal while the call is open; returns the new screen."""
    with transaction.atomic():
        proposer = require_member(user, session.forum, lock=True)
        session = (
            Session.objects.select_for_update().select_related("cycle", "forum").get(pk=session.pk)
        )
        require_session_proposer(proposer, session)
        require_phase(session.cycle, "edit_session")
        if session.status != Session.Status.SUBMITTED:
            raise WrongPhase(_("This proposal was withdrawn."))
        draft = parse_proposal(data, session.cycle, settings_of(session.forum), draft_of(session))
        _store(session, draft, timezone.now())
        screening = screening_of(session)
        append(
            session_edited(
                session.pk,
                actor=proposer.user.public_id,
                forum=session.forum.slug,
                time=session.updated_at,
                **_public_fields(session, draft, screening),
            )
        )
    return screening


def withdraw_session(user: AnyUser, session: Session) -> Session:
    """The proposer withdraws the proposal until the call closes."""
    with transaction.atomic():
        proposer = require_member(user, session.forum, lock=True)
        session = (
            Session.objects.select_for_update().select_related("cycle", "forum").get(pk=session.pk)
        )
        require_session_proposer(proposer, session)
        require_phase(session.cycle, "withdraw_session")
        if session.status == Session.Status.WITHDRAWN:
            raise WrongPhase(_("This proposal was withdrawn already."))
        session.status = Session.Status.WITHDRAWN
        session.updated_at = timezone.now()
        session.save(update_fields=["status", "updated_at"])
        append(
            session_withdrawn(
                session.pk,
                actor=proposer.user.public_id,
                forum=session.forum.slug,
                cycle=session.cycle_id,
                time=session.updated_at,
            )
        )
    return session


def _notice(session: Session, failures: list[str], settings: ScreeningSettings) -> str:
    if not failures:
        return _("Your session proposal “%(title)s” was screened in.") % {"title": session.title}
    reasons = " ".join(rule_text(code, settings) for code in failures)
    return _(
        "Your session proposal “%(title)s” was declined at screening. Not met: %(reasons)s"
    ) % {
        "title": session.title or session.pk,
        "reasons": reasons,
    }


def screen_cycle(cycle: Cycle, actor: str | None) -> list[Session]:
    """Apply screening to every submitted proposal of the cycle, in the caller's transaction.

    Run when the cycle moves into evaluation: each proposal becomes ``screened_in`` or
    ``declined`` with its failing rule codes, its proposer is notified with the reasons.
    """
    settings = screening_settings(settings_of(cycle.forum))
    sessions = list(
        # Lock the sessions only: PostgreSQL refuses FOR UPDATE on the nullable side of the
        # outer join that the optional rapporteur brings.
        Session.objects.select_for_update(of=("self",))
        .filter(cycle=cycle, status=Session.Status.SUBMITTED)
        .select_related("proposer__user", "cycle__forum", "rapporteur__user")
        .order_by("submitted_at", "id")
    )
    events, notes = [], []
    for session in sessions:
        failures = screening_of(session).failures
        session.status = Session.Status.DECLINED if failures else Session.Status.SCREENED_IN
        session.screening_failures = failures
        session.save(update_fields=["status", "screening_failures"])
        events.append(
            session_screened(
                session.pk,
                actor=actor,
                forum=cycle.forum.slug,
                status=session.status,
                failures=failures,
            )
        )
        issue_id = session.issues.values_list("pk", flat=True).first()
        if issue_id is not None:
            notes.append(
                Notification(
                    recipient=session.proposer,
                    issue_id=issue_id,
                    kind="session",
                    object_id=session.pk,
                    text=_notice(session, failures, settings)[:300],
                )
            )
    if events:
        append_many(events)
    email.queue_immediate(Notification.objects.bulk_create(notes))
    return sessions


def publish_score_aggregates(cycle: Cycle) -> None:
    """When evaluation ends, the ledger takes each scored proposal's aggregates as
    session_scores.csv publishes them (a member's score never enters it: scoring is blind,
    and until now the aggregates were not public either). In the caller's transaction."""
    scores: dict[int, list[tuple[int, ...]]] = {}
    rows = Score.objects.filter(session__cycle=cycle).order_by("session_id", "pk")
    for score in rows:
        scores.setdefault(score.session_id, []).append(score.values)
    if scores:
        append_many(
            session_scores(
                session_id,
                forum=cycle.forum.slug,
                aggregates=score_aggregates(values),
            )
            for session_id, values in sorted(scores.items())
        )


def _on_cycle_advanced(
    sender: object,
    *,
    cycle: Cycle,
    before: str | None,
    after: str | None,
    actor: str | None,
    **kw: Any,
) -> None:
    if after == "evaluation":
        screen_cycle(cycle, actor)
    elif before == "evaluation":
        publish_score_aggregates(cycle)


def connect_screening() -> None:
    cycle_advanced.connect(_on_cycle_advanced, dispatch_uid="meetings-screening")


def preview_screening(
    user: AnyUser, forum: Forum, data: Mapping[str, Any], session: Session | None = None
) -> Screening:
    """The screening result of a proposal as being typed, saving nothing (the live form)."""
    proposer = require_member(user, forum)
    cycle = (
        session.cycle
        if session is not None
        else Cycle.objects.filter(forum=forum, is_open=True).first()
    )
    if cycle is None:
        raise WrongPhase(_("%(forum)s has no open cycle.") % {"forum": forum.name})
    base = draft_of(session) if session is not None else ProposalDraft()
    draft = parse_proposal(data, cycle, settings_of(forum), base)
    who = session.proposer if session is not None else proposer
    return screen_draft(draft, who, cycle, session)
