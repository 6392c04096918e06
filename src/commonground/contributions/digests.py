"""E-mail digests of notifications, for the participants who asked for them."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from commonground.contributions.models import DigestSubscription, Notification
from commonground.forums.access import AnyUser, require_user

MIN_INTERVAL = timedelta(hours=20)  # at most about one digest a day
MAX_LINES = 50


def subscribe(user: AnyUser, active: bool) -> DigestSubscription:
    """Turn one's daily e-mail digest on or off (a private preference, not in the ledger)."""
    member = require_user(user)
    subscription, _ = DigestSubscription.objects.update_or_create(
        user=member, defaults={"active": active}
    )
    return subscription


def is_subscribed(user: AnyUser) -> bool:
    return bool(
        user.is_authenticated
        and DigestSubscription.objects.filter(user_id=user.pk, active=True).exists()
    )


def send_digests(now: datetime | None = None, base_url: str = "") -> int:
    """Send each subscriber one e-mail with their unread notifications since the last one.

    Subscribers with nothing new, or who had a digest less than ``MIN_INTERVAL``
    ago, get nothing. Returns the number of e-mails sent.
    """
    now = now or timezone.now()
    sent = 0
    subscriptions = DigestSubscription.objects.filter(active=True).select_related("user")
    for subscription in subscriptions:
        last = subscription.last_sent_at
        if last is not None and now - last < MIN_INTERVAL:
            continue
        notes = Notification.objects.filter(
            recipient__user=subscription.user, read_at__isnull=True, created_at__lte=now
        ).select_related("issue")
        if last is not None:
            notes = notes.filter(created_at__gt=last)
        rows = list(notes.order_by("-created_at")[: MAX_LINES + 1])
        if not rows:
            continue
        lines = [f"- {n.text}\n  {base_url}{n.issue.get_absolute_url()}" for n in rows[:MAX_LINES]]
        if len(rows) > MAX_LINES:
            lines.append(f"… and more at {base_url}/notifications/")
        count = len(rows) if len(rows) <= MAX_LINES else f"{MAX_LINES}+"
        body = (
            f"New on the issues you follow ({count}):\n\n"
            + "\n".join(lines)
            + f"\n\nStop these e-mails on {base_url}/notifications/\n"
        )
        with transaction.atomic():
            send_mail(
                f"Common Ground: {count} new on the issues you follow",
                body,
                settings.DEFAULT_FROM_EMAIL,
                [subscription.user.email],
            )
            DigestSubscription.objects.filter(pk=subscription.pk).update(last_sent_at=now)
        sent += 1
    return sent
