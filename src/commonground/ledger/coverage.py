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


def witnessed_problem(entries: int) -> tuple[int | None, str] | None:
    """(seq, reason) when a checkpoint a witness co-signed is gone, differs or is past the end.

    The co-signatures are what others saw: deleting or rewriting the checkpoint they
    cover, or the entries under it, contradicts them.
    """
    from commonground.ledger.models import Cosignature

    for size, root in (
        Cosignature.objects.order_by("-tree_size").values_list("tree_size", "root_hash").distinct()
    ):
        if size > entries:
            return entries + 1, _(
                "the entries end at seq %(end)s but a witness co-signed a checkpoint at %(size)s"
            ) % {"end": entries, "size": size}
        if not Checkpoint.objects.filter(tree_size=size, root_hash=root).exists():
            return None, _(
                "the checkpoint at %(size)s a witness co-signed is missing or was changed"
            ) % {"size": size}
    return None
