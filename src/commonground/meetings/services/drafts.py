"""A proposal's fields as typed: read from the API or the form, checked for shape only
(screening judges what is missing), and read back from a stored session."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from commonground.core.errors import Conflict, InvalidInput
from commonground.forums.models import Cycle, Forum
from commonground.meetings.models import Format, Gender, Session, SessionSettings
from commonground.meetings.services.common import agenda_issue_ids, text, text_list
from commonground.participants.models import Membership
from commonground.stakeholders import GROUPS, region_of

MAX_SPEAKERS = 30


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
        # A well-formed id that names no member of this forum: the request is valid, the
        # forum's membership is what it conflicts with (409, like the API's other lookups
        # inside a body).
        raise Conflict(
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
            # Which issues are on the agenda is state, not shape: 409, as for members.
            raise Conflict(
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
            draft.rapporteur_name = draft.rapporteur.user.recorded_name
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
