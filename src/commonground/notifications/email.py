"""Notifications by e-mail: immediately, as a daily digest, or not at all (the default).

Each participant chooses one :class:`EmailSetting` mode. Immediate e-mails are queued
with ``transaction.on_commit`` by the service that creates the notification, so a
change that is rolled back never sends one. Digests are sent by ``send_digests``
(``commonground manage send_digests``, run from cron).

No e-mail carries a contribution's text, only who did what on which issue and a
link: moderation can hide a text afterwards, but it cannot call back an e-mail.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from commonground.access.members import AnyUser, require_user
from commonground.core.errors import InvalidInput
from commonground.notifications.models import EmailSetting, Notification
from commonground.participants.models import Membership

MIN_INTERVAL = timedelta(hours=20)  # at most about one digest a day
MAX_LINES = 50
MODES: tuple[str, ...] = tuple(EmailSetting.Mode.values)


def _site_url() -> str:
    """The site's address for links in e-mails (``COMMONGROUND_SITE_URL``), no trailing slash."""
    return str(getattr(settings, "COMMONGROUND_SITE_URL", "") or "").rstrip("/")


def set_mode(user: AnyUser, mode: str) -> EmailSetting:
    """Choose how one's notifications arrive by e-mail: ``immediate``, ``daily`` or ``off``.

    A private preference, so it is not written to the public ledger.
    """
    if mode not in MODES:
        raise InvalidInput(
            _("Unknown e-mail setting '%(mode)s'; choose one of %(choices)s.")
            % {"mode": str(mode)[:20], "choices": ", ".join(MODES)}
        )
    member = require_user(user)
    setting, _created = EmailSetting.objects.update_or_create(user=member, defaults={"mode": mode})
    return setting


def mode_of(user: AnyUser) -> str:
    """The participant's e-mail mode; ``off`` for anonymous visitors and when never chosen."""
    if not user.is_authenticated:
        return EmailSetting.Mode.OFF
    found = EmailSetting.objects.filter(user_id=user.pk).values_list("mode", flat=True).first()
    return found or EmailSetting.Mode.OFF


def queue_immediate(notifications: Iterable[Notification]) -> int:
    """After the current transaction commits, e-mail each new notification whose recipient
    chose ``immediate``; returns how many e-mails were queued.

    Called inside the transaction that created the notifications: if it rolls back, the
    callbacks are dropped and nothing is sent. A failing mail server is logged and never
    undoes or fails the committed change (``robust=True``).
    """
    notes = list(notifications)
    if not notes:
        return 0
    recipients = {n.recipient_id for n in notes}
    emails = {
        pk: (address, language)
        for pk, address, language in Membership.objects.filter(
            pk__in=recipients, user__email_setting__mode=EmailSetting.Mode.IMMEDIATE
        ).values_list("pk", "user__email", "user__language")
    }
    return queue_mails(
        (note.text, *emails[note.recipient_id], note.issue.get_absolute_url())
        for note in notes
        if note.recipient_id in emails
    )


def queue_mails(mails: Iterable[tuple[str, str, str, str]]) -> int:
    """After the current transaction commits, send each (notification text, address,
    language, path of the issue) as ``queue_immediate`` does; rows without an address
    are skipped. Returns how many e-mails were queued."""
    queued = 0
    for text, address, language, path in mails:
        if not address:
            continue
        link = f"{_site_url()}{path}"
        subject = f"{settings.COMMONGROUND_SITE_NAME}: {text}"[:200]
        with translation.override(language or settings.LANGUAGE_CODE):
            footer = _("Change your e-mail setting on %(url)s") % {
                "url": f"{_site_url()}/notifications/"
            }
        body = f"{text}\n\n{link}\n\n{footer}\n"
        transaction.on_commit(
            lambda s=subject, b=body, a=address: _send(s, b, a),  # type: ignore[misc]
            robust=True,
        )
        queued += 1
    return queued


def _send(subject: str, body: str, address: str) -> None:
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address])


def send_digests(now: datetime | None = None, base_url: str = "") -> int:
    """Send each daily-digest participant one e-mail with their unread notifications since
    the last one.

    Participants with nothing new, or who had a digest less than ``MIN_INTERVAL`` ago,
    get nothing. Returns the number of e-mails sent.
    """
    now = now or timezone.now()
    base_url = base_url or _site_url()
    sent = 0
    chosen = EmailSetting.objects.filter(mode=EmailSetting.Mode.DAILY).select_related("user")
    for setting in chosen:
        last = setting.last_sent_at
        if last is not None and now - last < MIN_INTERVAL:
            continue
        notes = Notification.objects.filter(
            recipient__user=setting.user, read_at__isnull=True, created_at__lte=now
        ).select_related("issue")
        if last is not None:
            notes = notes.filter(created_at__gt=last)
        rows = list(notes.order_by("-created_at")[: MAX_LINES + 1])
        if not rows:
            continue
        subject, body = _digest(rows, base_url, setting.user.language)
        with transaction.atomic():
            send_mail(
                subject,
                body,
                settings.DEFAULT_FROM_EMAIL,
                [setting.user.email],
            )
            EmailSetting.objects.filter(pk=setting.pk).update(last_sent_at=now)
        sent += 1
    return sent


def _digest(rows: list[Notification], base_url: str, language: str) -> tuple[str, str]:
    """A digest's subject and body, in the recipient's language, every link absolute."""
    lines = [f"- {n.text}\n  {base_url}{n.issue.get_absolute_url()}" for n in rows[:MAX_LINES]]
    count = len(rows) if len(rows) <= MAX_LINES else f"{MAX_LINES}+"
    page = f"{base_url}/notifications/"
    with translation.override(language or settings.LANGUAGE_CODE):
        if len(rows) > MAX_LINES:
            lines.append(_("… and more at %(url)s") % {"url": page})
        body = (
            _("New on the issues you follow (%(count)s):") % {"count": count}
            + "\n\n"
            + "\n".join(lines)
            + "\n\n"
            + _("Change or stop these e-mails on %(url)s") % {"url": page}
            + "\n"
        )
        subject = _("%(site)s: %(count)s new on the issues you follow") % {
            "site": settings.COMMONGROUND_SITE_NAME,
            "count": count,
        }
    return subject, body
