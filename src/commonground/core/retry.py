"""Running a whole transaction again when PostgreSQL broke a deadlock by aborting it."""

from __future__ import annotations

import functools
import random
import time
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from django.db import OperationalError, transaction

P = ParamSpec("P")
R = TypeVar("R")

DEADLOCK = "40P01"  # SQLSTATE deadlock_detected


def _is_deadlock(error: OperationalError) -> bool:
    return getattr(error.__cause__, "sqlstate", None) == DEADLOCK


def retry_on_deadlock(attempts: int = 3) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Run the decorated service again (up to ``attempts`` times) when its transaction was
    the victim of a deadlock. The aborted transaction changed nothing, so running it again
    is safe; only an outermost call retries (inside a caller's transaction, the caller's
    work is aborted too and the error goes up to it)."""

    def decorate(func: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(func)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            outermost = not transaction.get_connection().in_atomic_block
            for attempt in range(1, attempts + 1):
                try:
                    return func(*args, **kwargs)
                except OperationalError as error:
                    if not (outermost and attempt < attempts and _is_deadlock(error)):
                        raise
                # A short random pause, so the two parties do not meet again at once.
                time.sleep(random.uniform(0.005, 0.03) * attempt)
            raise AssertionError("unreachable")

        return wrapper

    return decorate
