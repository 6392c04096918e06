"""Named rate limits on members' writes, all in one place.

Each limit caps how many writes of one kind a member makes in one forum within a
window; the window is part of the name. The counts can be changed with the
``COMMONGROUND_RATE_LIMITS`` setting, e.g. ``{"comments_per_hour": 60}``; a count of
0 switches that limit off. docs/permissions.md lists them.

Writes are counted in :class:`RateEvent` rows rather than in the contributions
themselves, so withdrawing or deleting does not give the quota back, and edits
(which leave no new row) can be counted too. The caller holds the member's row lock
(``require_member(..., lock=True)``), so two concurrent requests cannot both take the
last place; the row is written in the caller's transaction, so a write that fails
afterwards uses up nothing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from commonground.core.errors import RateLimited
from commonground.notifications.models import RateEvent
from commonground.participants.models import Membership

HOUR = timedelta(hours=1)


@dataclass(frozen=True)
class Limit:
    """At most ``count`` writes per ``window``; ``what`` names them in the refusal."""

    name: str
    count: int
    window: timedelta
    what: str
    verb: str


DEFAULTS: dict[str, Limit] = {
    limit.name: limit
    for limit in (
        Limit("issues_per_hour", 10, HOUR, "issues", "raised"),
        Limit("signals_per_hour", 10, HOUR, "signals of concern", "sent"),
        Limit("solutions_per_hour", 10, HOUR, "solutions", "proposed"),
        Limit("advice_per_hour", 20, HOUR, "pieces of technical advice", "given"),
        Limit("comments_per_hour", 40, HOUR, "comments", "posted"),
        Limit("reports_per_hour", 20, HOUR, "reports", "sent"),
        Limit(
            "edits_per_hour", 30, HOUR, "edits of signals, solutions, advice and comments", "made"
        ),
    )
}


def limit(name: str) -> Limit:
    """The limit called ``name``, with its count from settings when configured there."""
    base = DEFAULTS[name]
    configured = getattr(settings, "COMMONGROUND_RATE_LIMITS", None) or {}
    count = int(configured.get(name, base.count))
    return Limit(base.name, count, base.window, base.what, base.verb)


def _window_text(window: timedelta) -> str:
    minutes = int(window.total_seconds() // 60)
    if minutes % 60 == 0:
        hours = minutes // 60
        if hours == 1:
            return _("hour")
        return ngettext("%(hours)s hour", "%(hours)s hours", hours) % {"hours": hours}
    return ngettext("%(minutes)s minute", "%(minutes)s minutes", minutes) % {"minutes": minutes}


def consume(membership: Membership, name: str) -> None:
    """Count one write against the named limit, or refuse it with 429 (RateLimited).

    Call it after the input is validated and before anything is written, inside the
    write's transaction, with the membership row locked.
    """
    rule = limit(name)
    if rule.count <= 0:
        return
    now = timezone.now()
    since = now - rule.window
    mine = RateEvent.objects.filter(membership=membership, name=name)
    # Rows older than the window never count again: drop them so the table stays small.
    mine.filter(at__lt=since).delete()
    recent = list(mine.filter(at__gte=since).order_by("at").values_list("at", flat=True))
    if len(recent) >= rule.count:
        oldest = recent[len(recent) - rule.count]
        wait = max(1, math.ceil((oldest + rule.window - now).total_seconds() / 60))
        # The limit's name and its "verb what" stay as declared (they name the setting).
        refusal = _(
            "Rate limit %(name)s: you have %(verb)s %(count)s %(what)s in %(forum)s"
            " in the last %(window)s, the most allowed."
        ) % {
            "name": name,
            "verb": rule.verb,
            "count": len(recent),
            "what": rule.what,
            "forum": membership.forum.name,
            "window": _window_text(rule.window),
        }
        retry = ngettext(
            "Please try again in %(wait)s minute.", "Please try again in %(wait)s minutes.", wait
        ) % {"wait": wait}
        raise RateLimited(f"{refusal} {retry}")
    RateEvent.objects.create(membership=membership, name=name, at=now)


__all__ = ["DEFAULTS", "Limit", "consume", "limit"]
