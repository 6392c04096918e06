"""Proposing, editing and withdrawing sessions, and screening them (DESIGN 6a)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
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
    screen,
)
from commonground.core.errors import InvalidInput, WrongPhase
from commonground.forums.models import Cycle, Forum
from commonground.forums.signals import cycle_advanced
from commonground.ledger.services import Event, append, append_many
from commonground.meetings.models import Format, Gender, Session, SessionSettings, Speaker
from commonground.meetings.services.common import (
    agenda_issue_ids,
    screening_settings,
    settings_of,
    text,
    text_list,
)
from commonground.notifications import email
from commonground.notifications.models import Notification
from commonground.participants.models import Membership
from commonground.stakeholders import GROUPS, region_of

MAX_SPEAKERS = 30
LIVE = (Session.Status.SUBMITTED, Session.Status.SCREENED_IN, Session.Status.DECLINED)


@dataclass
class SpeakerDraft:
    name: str
    stakeholder_group: str
    gender: str
    country: str = ""
    confirmed: bool = False
    onsite: bool = True
    participant: Membership | None = None


@dataclass
class ProposalDraft:
    """A proposal's fields, checked for shape (not for the screening rules)."""

    title: str = ""
    format: str = ""
    description: str = ""
    policy_questions: list[str] = field(default_factory=list)
    issue_ids: list[int] = field(default_factory=list)
    moderator: dict[str, Any] = field(default_factory=dict)
    rapporteur_name: str = ""
    rapporteur: Membership | None = None
    speakers: list[SpeakerDraft] = field(default_factory=list)


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


# ---------------------------------------------------------------- reading input


def _member_of(forum: Forum, public_id: object, what: str) -> Membership | None:
    if public_id in (None, ""):
        return None
    if not isinstance(public_id, str):
        raise InvalidInput(_("%(what)s must be a participant id.") % {"what": what})
    membership = (
        Membership.objects.select_related("user")
        .filter(forum=forum, user__public_id=public_id.strip())
        .first()
    )
    if membership is None:
        raise InvalidInput(
            _("%(what)s: no member '%(id)s' in %(forum)s.")
            % {"what": what, "id": public_id[:40], "forum": forum.name}
        )
    return membership


def _bool(value: object, what: str) -> bool:
    if isinstance(value, bool):
        return value
    raise InvalidInput(_("%(what)s is true or false.") % {"what": what})


def _speaker(forum: Forum, raw: object, number: int) -> SpeakerDraft:
    what = _("Speaker %(n)s") % {"n": number}
    if not isinstance(raw, Mapping):
        raise InvalidInput(_("%(what)s must be an object.") % {"what": what})
    name = text(raw.get("name"), what, 160)
    if not name:
        raise InvalidInput(_("%(what)s needs a name.") % {"what": what})
    group = raw.get("stakeholder_group")
    if group not in GROUPS:
        raise InvalidInput(
            _("%(what)s: choose a stakeholder group among %(groups)s.")
            % {"what": what, "groups": ", ".join(GROUPS)}
        )
    gender = raw.get("gender") or Gender.UNDISCLOSED
    if gender not in Gender.values:
        raise InvalidInput(
            _("%(what)s: gender is one of %(genders)s.")
            % {"what": what, "genders": ", ".join(Gender.values)}
        )
    country = text(raw.get("country"), what, 2).upper()
    if country and region_of(country) is None:
        raise InvalidInput(
            _("%(what)s: unknown country code '%(code)s'.") % {"what": what, "code": country}
        )
    return SpeakerDraft(
        name=name,
        stakeholder_group=str(group),
        gender=str(gender),
        country=country,
        confirmed=_bool(raw.get("confirmed", False), what),
        onsite=_bool(raw.get("onsite", True), what),
        participant=_member_of(forum, raw.get("participant_id"), what),
    )


def parse_proposal(
    data: Mapping[str, Any], cycle: Cycle, settings: SessionSettings, base: ProposalDraft
) -> ProposalDraft:
    """The draft with every field present in ``data`` replaced; bad shapes are InvalidInput.

    Empty fields are allowed here: screening names them (``required_fields``), so a
    proposer can save a draft and complete it before the call closes.
    """
    forum = cycle.forum
    draft = ProposalDraft(**{**base.__dict__})
    if "title" in data:
        draft.title = text(data["title"], _("The title"), 200)
    if "format" in data:
        value = data["format"] or ""
        if value and value not in Format.values:
            raise InvalidInput(
                _("Unknown format '%(format)s'; choose one of %(formats)s.")
                % {"format": str(value)[:40], "formats": ", ".join(Format.values)}
            )
        draft.format = value
    if "description" in data:
        draft.description = text(data["description"], _("The description"), 10_000)
    if "policy_questions" in data:
        draft.policy_questions = text_list(
            data["policy_questions"], _("policy questions"), 500, settings.max_policy_questions
        )
    if "issue_ids" in data:
        raw = data["issue_ids"] or []
        if not isinstance(raw, list) or not all(
            isinstance(i, int) and not isinstance(i, bool) for i in raw
        ):
            raise InvalidInput(_("issue_ids is a list of issue ids."))
        on_agenda = set(agenda_issue_ids(cycle))
        missing = [i for i in raw if i not in on_agenda]
        if missing:
            raise InvalidInput(
                _("Issue %(id)s is not on the cycle's published agenda.") % {"id": missing[0]}
            )
        draft.issue_ids = list(dict.fromkeys(raw))
    if "moderator" in data:
        raw = data["moderator"] or {}
        if not isinstance(raw, Mapping):
            raise InvalidInput(_("The moderator is an object with a name."))
        moderator = {"name": text(raw.get("name"), _("The moderator's name"), 160)}
        if raw.get("stakeholder_group") not in (None, ""):
            if raw["stakeholder_group"] not in GROUPS:
                raise InvalidInput(_("The moderator's stakeholder group is unknown."))
            moderator["stakeholder_group"] = raw["stakeholder_group"]
        draft.moderator = moderator
    if "rapporteur" in data:
        raw = data["rapporteur"] or {}
        if not isinstance(raw, Mapping):
            raise InvalidInput(_("The rapporteur is an object with a name."))
        draft.rapporteur_name = text(raw.get("name"), _("The rapporteur's name"), 160)
        draft.rapporteur = _member_of(forum, raw.get("participant_id"), _("The rapporteur"))
        if draft.rapporteur is not None and not draft.rapporteur_name:
            draft.rapporteur_name = draft.rapporteur.user.public_name
    if "speakers" in data:
        raw = data["speakers"] or []
        if not isinstance(raw, list):
            raise InvalidInput(_("speakers is a list of speakers."))
        if len(raw) > MAX_SPEAKERS:
            raise InvalidInput(_("At most %(n)s speakers, please.") % {"n": MAX_SPEAKERS})
        draft.speakers = [_speaker(forum, s, i + 1) for i, s in enumerate(raw)]
    return draft


def draft_of(session: Session) -> ProposalDraft:
    """The stored proposal as a draft (the base that an edit changes)."""
    return ProposalDraft(
        title=session.title,
        format=session.format,
        description=session.description,
        policy_questions=list(session.policy_questions),
        issue_ids=list(session.issues.values_list("pk", flat=True)),
        moderator=dict(session.moderator),
        rapporteur_name=session.rapporteur_name,
        rapporteur=session.rapporteur,
        speakers=[
            SpeakerDraft(
                name=s.name,
                stakeholder_group=s.stakeholder_group,
                gender=s.gender,
                country=s.country,
                confirmed=s.confirmed,
                onsite=s.onsite,
                participant=s.participant,
            )
            for s in session.speakers.select_related("participant")
        ],
    )


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


def _store(session: Session, draft: ProposalDraft) -> None:
    session.title = draft.title
    session.format = draft.format
    session.description = draft.description
    session.policy_questions = draft.policy_questions
    session.moderator = draft.moderator
    session.rapporteur_name = draft.rapporteur_name
    session.rapporteur = draft.rapporteur
    session.updated_at = timezone.now()
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


def _public_fields(session: Session, draft: ProposalDraft, screening: Screening) -> dict[str, Any]:
    return {
        "cycle": session.cycle_id,
        "title": draft.title,
        "format": draft.format,
        "issues": draft.issue_ids,
        "speakers": len(draft.speakers),
        "screening": screening.failures,
    }


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
        session = Session(forum=forum, cycle=cycle, proposer=proposer)
        _store(session, draft)
        screening = screening_of(session)
        append(
            Event(
                "session.propose",
                "session",
                session.pk,
                actor=proposer.user.public_id,
                forum=forum.slug,
                fields=_public_fields(session, draft, screening),
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
        _store(session, draft)
        screening = screening_of(session)
        append(
            Event(
                "session.edit",
                "session",
                session.pk,
                actor=proposer.user.public_id,
                forum=session.forum.slug,
                fields=_public_fields(session, draft, screening),
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
            Event(
                "session.withdraw",
                "session",
                session.pk,
                actor=proposer.user.public_id,
                forum=session.forum.slug,
                fields={"cycle": session.cycle_id},
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
        Session.objects.select_for_update()
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
            Event(
                "session.screen",
                "session",
                session.pk,
                actor=actor,
                forum=cycle.forum.slug,
                fields={"status": session.status, "failures": failures},
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


def _on_cycle_advanced(
    sender: object, *, cycle: Cycle, after: str | None, actor: str | None, **kw: Any
) -> None:
    if after == "evaluation":
        screen_cycle(cycle, actor)


def connect_screening() -> None:
    cycle_advanced.connect(_on_cycle_advanced, dispatch_uid="meetings-screening")
