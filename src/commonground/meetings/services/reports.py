"""Session reports: key takeaways, calls to action and attendance, due after the session."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commonground.access.members import AnyUser, require_member
from commonground.access.rules import require_reporter
from commonground.core.errors import InvalidInput, WrongPhase
from commonground.ledger.merkle import format_timestamp
from commonground.ledger.services import append
from commonground.meetings.events import session_reported
from commonground.meetings.models import Report, Session
from commonground.meetings.services.common import settings_of, text_list

MAX_CALLS = 10
MAX_ATTENDANCE = 1_000_000


def due_at(session: Session) -> datetime | None:
    """When the report is due: the forum's days (14) after the session ends, or after it
    starts when its length is not known (a slot restored from open data without one)."""
    end = session.ends_at or session.starts_at
    if end is None:
        return None
    return end + timedelta(days=settings_of(session.forum).report_due_days)


def is_overdue(session: Session, now: datetime | None = None) -> bool:
    """The session ended, its report is due and none was filed."""
    due = due_at(session)
    if due is None or (hasattr(session, "report") and _has_report(session)):
        return False
    return (now or timezone.now()) > due


def _has_report(session: Session) -> bool:
    try:
        return session.report is not None
    except Report.DoesNotExist:
        return False


def _count(value: object, what: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_ATTENDANCE:
        raise InvalidInput(_("%(what)s is a whole number from 0 to 1,000,000.") % {"what": what})
    return value


def _share(value: object) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise InvalidInput(_("women_share is a fraction from 0 to 1 (0.45 for 45 %)."))
    return float(value)


def file_report(user: AnyUser, session: Session, data: Mapping[str, Any]) -> tuple[Report, bool]:
    """The rapporteur (or, if none is a member, the proposer) files or amends the report,
    once the session has started. Returns the report and whether it is new."""
    settings = settings_of(session.forum)
    takeaways = text_list(
        data.get("key_takeaways"), _("key takeaways"), 1000, settings.max_key_takeaways
    )
    if not takeaways:
        raise InvalidInput(_("Give at least one key takeaway."))
    calls = text_list(data.get("calls_to_action"), _("calls to action"), 1000, MAX_CALLS)
    attendance = data.get("attendance") or {}
    if not isinstance(attendance, Mapping):
        raise InvalidInput(_("attendance is an object: onsite, online, women_share."))
    onsite = _count(attendance.get("onsite", 0), "onsite")
    online = _count(attendance.get("online", 0), "online")
    women = _share(attendance.get("women_share"))
    with transaction.atomic():
        member = require_member(user, session.forum)
        session = (
            Session.objects.select_for_update().select_related("forum", "cycle").get(pk=session.pk)
        )
        require_reporter(member, session)
        if session.starts_at is None or session.starts_at > timezone.now():
            raise WrongPhase(_("A report is accepted once the session has started."))
        now = timezone.now()  # the report's times and its entry's: one moment
        values = {
            "key_takeaways": takeaways,
            "calls_to_action": calls,
            "onsite": onsite,
            "online": online,
            "women_share": women,
            "updated_at": now,
        }
        report = Report.objects.filter(session=session).first()
        created = report is None
        if report is None:
            # due_at is known here: the session has started.
            due = due_at(session) or now
            report = Report.objects.create(
                session=session, author=member, due_at=due, filed_at=now, **values
            )
        else:
            for name, value in values.items():
                setattr(report, name, value)
            report.author = member
            report.save()
        append(
            session_reported(
                session.pk,
                actor=member.user.public_id,
                forum=session.forum.slug,
                new=created,
                key_takeaways=takeaways,
                calls_to_action=calls,
                onsite=onsite,
                online=online,
                # The ledger refuses floats: decimals as strings.
                women_share=repr(women) if women is not None else None,
                late=report.late,
                due_at=format_timestamp(report.due_at),
                time=report.updated_at,
            )
        )
    return report, created
