"""Giving approved sessions a room and a time, refused on a clash (docs/sessions.md)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from commonground.access.members import AnyUser, require_steward
from commonground.access.rules import require_phase
from commonground.analysis.programme import overlaps
from commonground.core.errors import Conflict, InvalidInput, WrongPhase
from commonground.forums.models import Cycle
from commonground.ledger.services import append
from commonground.meetings.events import session_scheduled
from commonground.meetings.models import Session, Speaker
from commonground.meetings.services.common import settings_of, text

MIN_MINUTES, MAX_MINUTES = 5, 600


def speaker_key(speaker: Speaker) -> str:
    """One person across proposals: the linked member, else the name as written."""
    if speaker.participant_id:
        return f"member:{speaker.participant_id}"
    return "name:" + " ".join(speaker.name.casefold().split())


def _when(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def find_clash(session: Session, room: str, start: datetime, end: datetime) -> str | None:
    """The first clash of this slot with the cycle's other scheduled sessions, in words."""
    others: Iterable[Session] = (
        Session.objects.filter(cycle=session.cycle, starts_at__isnull=False)
        .exclude(pk=session.pk)
        .prefetch_related("speakers")
        .order_by("starts_at", "id")
    )
    mine = {speaker_key(s): s.name for s in session.speakers.all()}
    counts: dict[str, int] = {}
    for other in others:
        slot = (other.starts_at, other.ends_at)
        busy = overlaps((start, end), slot)  # type: ignore[arg-type]
        if busy and other.room.casefold() == room.casefold():
            return _(
                "Room clash: %(room)s holds session %(id)s “%(title)s” from %(start)s to %(end)s."
            ) % {
                "room": other.room,
                "id": other.pk,
                "title": other.title,
                "start": _when(other.starts_at),  # type: ignore[arg-type]
                "end": _when(other.ends_at),  # type: ignore[arg-type]
            }
        for speaker in other.speakers.all():
            key = speaker_key(speaker)
            if key not in mine:
                continue
            if busy:
                return _(
                    "Speaker clash: %(name)s also speaks in session %(id)s “%(title)s”, "
                    "which overlaps this slot."
                ) % {"name": mine[key], "id": other.pk, "title": other.title}
            counts[key] = counts.get(key, 0) + 1
    most = settings_of(session.forum).max_sessions_per_speaker
    for key, count in counts.items():
        if count + 1 > most:
            return _(
                "Speaker limit: %(name)s already speaks in %(count)s scheduled sessions; "
                "the limit is %(most)s."
            ) % {"name": mine[key], "count": count, "most": most}
    return None


def schedule_session(
    user: AnyUser, session: Session, *, room: object, starts_at: datetime, duration_minutes: int
) -> Session:
    """A steward gives an approved session its room, start and duration.

    During the forum phase; a slot that has already ended (a session held before the
    forum used Common Ground) may be recorded in any later phase. A clash is refused
    (409) naming it.
    """
    room_name = text(room, _("The room"), 80)
    if not room_name:
        raise InvalidInput(_("Name the room."))
    if timezone.is_naive(starts_at):
        raise InvalidInput(_("Give the start with its time zone (e.g. 2027-06-10T09:00:00Z)."))
    if not isinstance(duration_minutes, int) or not MIN_MINUTES <= duration_minutes <= MAX_MINUTES:
        raise InvalidInput(
            _("A session lasts %(min)s to %(max)s minutes.")
            % {"min": MIN_MINUTES, "max": MAX_MINUTES}
        )
    end = starts_at + timedelta(minutes=duration_minutes)
    with transaction.atomic():
        steward = require_steward(user, session.forum)
        session = (
            Session.objects.select_for_update().select_related("cycle", "forum").get(pk=session.pk)
        )
        past = end <= timezone.now()
        if not (past and session.cycle.phase in ("forum", "messages", "follow_up")) and not (
            past and not session.cycle.is_open
        ):
            require_phase(session.cycle, "schedule_session")
        if not session.is_selected:
            raise WrongPhase(_("Only approved sessions are scheduled."))
        # Serialise scheduling within the cycle (lock its row), so that two clashing slots
        # cannot both pass the check.
        Cycle.objects.select_for_update().filter(pk=session.cycle_id).first()
        clash = find_clash(session, room_name, starts_at, end)
        if clash:
            raise Conflict(clash)
        session.room = room_name
        session.starts_at = starts_at
        session.duration_minutes = duration_minutes
        session.save(update_fields=["room", "starts_at", "duration_minutes"])
        append(
            session_scheduled(
                session.pk,
                actor=steward.user.public_id,
                forum=session.forum.slug,
                room=room_name,
                starts_at=starts_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                duration_minutes=duration_minutes,
            )
        )
    return session
