"""How far the signed checkpoints reach: entries left unsigned for too long are a failure.

Deleting checkpoints (or never publishing one) would let an operator rewrite recent
history and sign it afresh. ``ledger verify`` therefore fails when an entry older than
``COMMONGROUND_LEDGER_CHECKPOINT_MAX_AGE`` seconds is not covered by any checkpoint.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from commonground.ledger.models import Checkpoint, LedgerEntry


def max_age() -> int:
    """Seconds an entry may wait for a checkpoint (0: no limit)."""
    return int(getattr(settings, "COMMONGROUND_LEDGER_CHECKPOINT_MAX_AGE", 0) or 0)


def uncovered_problem() -> tuple[int, str] | None:
    """(seq, reason) of the first entry older than the limit that no checkpoint covers."""
    limit = max_age()
    if limit <= 0:
        return None
    signed = Checkpoint.objects.order_by("-tree_size").values_list("tree_size", flat=True)
    covered = signed.first() or 0
    first = (
        LedgerEntry.objects.filter(seq__gt=covered)
        .order_by("seq")
        .values_list("seq", "time")
        .first()
    )
    if first is None:
        return None
    seq, time = first
    if time >= timezone.now() - timedelta(seconds=limit):
        return None
    return seq, _(
        "no checkpoint covers entry %(seq)s, written %(time)s, older than "
        "COMMONGROUND_LEDGER_CHECKPOINT_MAX_AGE (%(limit)s s): checkpoints were deleted "
        "or are not being published"
    ) % {"seq": seq, "time": time.strftime("%Y-%m-%dT%H:%M:%SZ"), "limit": limit}
