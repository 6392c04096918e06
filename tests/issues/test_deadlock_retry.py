"""A service whose transaction PostgreSQL aborted to break a deadlock runs again.

A merge waiting for the supports in flight can be picked as a deadlock's victim
(docs/scaling.md, section 1): the aborted transaction changed nothing, so it runs again,
but only when it is the outermost one.
"""

from __future__ import annotations

import pytest
from django.db import OperationalError, transaction

from commonground.core.retry import retry_on_deadlock

# Transactional: no test transaction around the calls, as in a request.
pytestmark = pytest.mark.django_db(transaction=True)


class _Deadlock(Exception):
    sqlstate = "40P01"


def _deadlock() -> OperationalError:
    error = OperationalError("deadlock detected")
    error.__cause__ = _Deadlock()
    return error


def test_a_deadlock_victim_runs_again_when_it_is_the_outermost_transaction() -> None:
    calls = []

    @retry_on_deadlock(attempts=3)
    def service() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise _deadlock()
        return "done"

    assert service() == "done" and len(calls) == 3
    calls.clear()

    @retry_on_deadlock(attempts=2)
    def unlucky() -> None:
        calls.append(1)
        raise _deadlock()

    with pytest.raises(OperationalError):
        unlucky()
    assert len(calls) == 2


def test_a_deadlock_inside_a_callers_transaction_goes_up_to_the_caller() -> None:
    calls = []

    @retry_on_deadlock()
    def service() -> None:
        calls.append(1)
        raise _deadlock()

    with pytest.raises(OperationalError), transaction.atomic():
        service()
    assert len(calls) == 1


def test_other_database_errors_are_not_retried() -> None:
    calls = []

    @retry_on_deadlock()
    def service() -> None:
        calls.append(1)
        raise OperationalError("disk full")

    with pytest.raises(OperationalError):
        service()
    assert len(calls) == 1
