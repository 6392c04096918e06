"""A job the worker runs every few seconds in a daemon thread (the ledger's upkeep, due
federation deliveries): one loop, so each job only says what it does and how often."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from django.db import close_old_connections

logger = logging.getLogger(__name__)


def start_periodic(
    stop: threading.Event, name: str, job: Callable[[], object], every: float
) -> threading.Thread:
    """Run ``job`` every ``every`` seconds in a daemon thread named ``name`` until ``stop``
    is set. A failing run is logged and the loop goes on: the worker must keep running its
    tasks. Each run gets fresh database connections (the thread outlives any request)."""

    def loop() -> None:
        while not stop.is_set():
            close_old_connections()
            try:
                job()
            except Exception:
                logger.exception("%s failed", name)
            finally:
                close_old_connections()
            stop.wait(every)

    thread = threading.Thread(target=loop, name=name, daemon=True)
    thread.start()
    return thread
