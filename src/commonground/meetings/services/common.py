"""What every session service reads: the forum's session settings and the agenda."""

from __future__ import annotations

from fractions import Fraction

from django.utils.translation import gettext as _

from commonground.analysis.programme import ScreeningSettings
from commonground.core.errors import InvalidInput
from commonground.forums.models import Cycle, Forum
from commonground.meetings.models import SessionSettings
from commonground.recognition.models import AgendaPublication


def settings_of(forum: Forum) -> SessionSettings:
    """The forum's session settings; a forum without a row has the defaults of docs/sessions.md."""
    found = SessionSettings.objects.filter(forum=forum).first()
    return found if found is not None else SessionSettings(forum=forum)


def screening_settings(settings: SessionSettings) -> ScreeningSettings:
    return ScreeningSettings(
        min_confirmed_speakers=settings.min_confirmed_speakers,
        require_gender_diversity=settings.require_gender_diversity,
        min_speaker_groups=settings.min_speaker_groups,
        bar_advisory_members=settings.bar_advisory_members,
        past_report_cycles=settings.past_report_cycles,
        max_proposals_per_proposer=settings.max_proposals_per_proposer,
    )


def government_max_share(settings: SessionSettings) -> Fraction:
    # From the number's shortest text: 0.4 is exactly 2/5, so 2 of 5 seats is at the limit.
    return Fraction(repr(float(settings.government_max_share)))


def agenda_issue_ids(cycle: Cycle) -> list[int]:
    """The issue ids of the cycle's latest published agenda, in rank order."""
    latest = AgendaPublication.objects.filter(cycle=cycle).order_by("-number").first()
    return [int(i) for i in latest.agenda] if latest else []


def text(value: object, what: str, limit: int) -> str:
    """A stripped string of at most ``limit`` characters, or InvalidInput."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InvalidInput(_("%(what)s must be text.") % {"what": what})
    value = value.strip()
    if "\x00" in value:
        raise InvalidInput(_("%(what)s must not contain NUL characters.") % {"what": what})
    if len(value) > limit:
        raise InvalidInput(
            _("%(what)s is at most %(limit)s characters.") % {"what": what, "limit": limit}
        )
    return value


def text_list(value: object, what: str, limit: int, most: int) -> list[str]:
    """A list of non-empty texts (empty ones dropped), at most ``most`` of them."""
    if value is None:
        return []
    if not isinstance(value, list | tuple):
        raise InvalidInput(_("%(what)s must be a list of texts.") % {"what": what})
    items = [text(v, what, limit) for v in value]
    items = [v for v in items if v]
    if len(items) > most:
        raise InvalidInput(_("At most %(most)s %(what)s, please.") % {"most": most, "what": what})
    return items
