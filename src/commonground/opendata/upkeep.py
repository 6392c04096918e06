"""The ledger's scheduled upkeep, run by ``commonground worker``.

Every ``COMMONGROUND_LEDGER_AUDIT_EVERY`` seconds (default 3600; 0 turns it off) the
worker signs a checkpoint when the ledger grew and runs ``ledger audit``; the outcome is
kept (:class:`~commonground.opendata.models.AuditRun`) and a failure is shown to stewards
(forum settings page) and on the ledger page. Several workers may run: a run is due when
the latest kept run is older than the interval, so at worst two runs overlap once.
"""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from commonground.core.periodic import start_periodic
from commonground.ledger.services import LedgerDamaged, publish_checkpoint
from commonground.opendata.ledger_audit import AuditReport, record_audit
from commonground.opendata.models import AuditRun

logger = logging.getLogger(__name__)

#: How often the worker's scheduler thread wakes to see whether the upkeep is due.
TICK = 30.0


def interval() -> int:
    return int(getattr(settings, "COMMONGROUND_LEDGER_AUDIT_EVERY", 3600) or 0)


def upkeep_due() -> bool:
    """True when the upkeep is on and the latest audit is older than the interval."""
    every = interval()
    if every <= 0:
        return False
    latest = AuditRun.objects.order_by("-ran_at").values_list("ran_at", flat=True).first()
    return latest is None or latest <= timezone.now() - timedelta(seconds=every)


def run_upkeep() -> AuditReport:
    """Sign a checkpoint if the ledger grew (a damaged ledger is not signed), witness the
    logs this instance witnesses, then audit."""
    try:
        publish_checkpoint()
    except LedgerDamaged as exc:
        logger.error("ledger upkeep: the ledger is damaged, no checkpoint signed: %s", exc)
    from commonground.ledger.witness import witness_round

    for url, outcome in witness_round():  # co-sign (or refuse) the logs this one witnesses
        logger.info("witness %s: %s", url, outcome)
    report = record_audit()
    if not report.ok:
        logger.error("ledger audit FAILED: %s", "; ".join(d.line() for d in report.differences[:5]))
    return report


def run_if_due() -> AuditReport | None:
    if not upkeep_due():
        return None
    return run_upkeep()


def start_scheduler(stop: threading.Event) -> threading.Thread:
    """A daemon thread that runs the upkeep whenever it is due, until ``stop`` is set."""
    return start_periodic(stop, "ledger-upkeep", run_if_due, TICK)
