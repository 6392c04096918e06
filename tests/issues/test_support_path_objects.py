"""The support path's objects and statements, built and run the cheap way, as Django's.

The support's hand-written path builds the member's membership, the cycle and the new
support with ``core.rows.unsaved`` (their ``__dict__`` filled directly, not through
``Model.__init__``) and runs its statements on one psycopg cursor kept per server
connection (``core.prepared``). Both must be indistinguishable from Django's own way.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from django.db import DataError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from commonground.core import prepared, rows
from commonground.forums.models import Cycle
from commonground.issues.models import Support
from commonground.participants.models import Membership

AT = datetime(2026, 12, 7, 1, 2, 3, tzinfo=UTC)


def _state_and_fields(item: Any, given: dict[str, Any]) -> tuple[Any, ...]:
    """The instance's class, saved state and fields; a field whose default is a callable
    and that was not given (a clock's time) by the type of its value only."""
    clocked = {
        f.attname
        for f in type(item)._meta.concrete_fields
        if f.has_default() and callable(f.default) and f.attname not in given
    }
    fields = {
        name: type(value) if name in clocked else value
        for name, value in vars(item).items()
        if name != "_state"
    }
    state = item._state
    return type(item), state.adding, state.db, fields, dict(state.fields_cache)


def test_an_unsaved_instance_is_the_one_the_models_init_builds_field_for_field() -> None:
    cases: list[tuple[type[Any], dict[str, Any]]] = [
        (Cycle, {"id": 3, "forum_id": 2, "name": "2027", "is_open": True, "phase": "agenda"}),
        (Support, {"id": 9, "issue_id": 4, "membership_id": 5, "cycle_id": 3, "created_at": AT}),
        (Support, {}),  # nothing given: every field its default
        (Membership, {"id": 7, "forum_id": 2, "status": "active", "stakeholder_group": "x"}),
    ]
    for model, values in cases:
        built = rows.unsaved(model, **values)
        assert _state_and_fields(built, values) == _state_and_fields(model(**values), values)
    # A callable default is called for each instance, as __init__ calls it: a new list
    # each time, the clock's time now.
    before = timezone.now()
    one, other = rows.unsaved(Membership, id=1), rows.unsaved(Membership, id=1)
    assert one.other_hats == [] and one.other_hats is not other.other_hats
    assert before <= one.joined_at <= other.joined_at <= timezone.now()
    assert rows.unsaved(Membership, id=1, joined_at=AT).joined_at == AT


def test_an_unsaved_instance_given_a_related_object_or_an_unknown_name_is_left_to_init() -> None:
    cycle = Cycle(id=3, forum_id=2, name="2027")
    # By the related object's name (not its attribute name): Django's __init__ sets it
    # through the descriptor, cached and with its database, exactly as the model does.
    built = rows.unsaved(Support, id=1, cycle=cycle)
    given = {"id": 1, "cycle": cycle}
    assert _state_and_fields(built, given) == _state_and_fields(Support(**given), given)
    assert built.cycle is cycle and built.cycle_id == 3
    with pytest.raises(TypeError):
        rows.unsaved(Support, id=1, no_such_field=2)


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="psycopg's cursor")
@pytest.mark.django_db(transaction=True)
def test_hot_statements_share_one_cursor_per_connection_and_fail_as_djangos_errors() -> None:
    assert prepared.fetch("SELECT %s + 1", [1]) == (2,)
    kept = getattr(connection, prepared._CURSOR)[1]
    assert prepared.fetch("SELECT %s * 2", [21]) == (42,)
    assert getattr(connection, prepared._CURSOR)[1] is kept
    # A failing statement leaves as Django's error (what callers catch: psycopg's own
    # DataError is not Django's), and the next statement runs on the same cursor.
    with pytest.raises(DataError), transaction.atomic():
        prepared.fetch("SELECT 10 / %s", [0])
    assert prepared.fetch("SELECT %s + 1", [2]) == (3,)
    assert getattr(connection, prepared._CURSOR)[1] is kept
    # Parameters quoted as psycopg quotes them: text that looks like SQL or a placeholder,
    # backslashes and quotes, any script, a timestamp, numbers at the edges of their sizes.
    tricky = "it's 100 %s %% \\' \\x00'); DROP TABLE x; -- «ça» 中文 😀"
    at = datetime(2026, 12, 7, 1, 2, 3, 456789, tzinfo=UTC)
    row = prepared.fetch("SELECT %s, %s, %s, %s, %s", [tricky, at, 2**63 - 1, -(2**31), True])
    assert row == (tricky, at, 2**63 - 1, -(2**31), True)
    # A new server connection gets a cursor of its own.
    connection.close()
    assert prepared.fetch("SELECT %s + 1", [3]) == (4,)
    assert getattr(connection, prepared._CURSOR)[1] is not kept
    # With queries logged (DEBUG, a test counting them), Django's cursor runs and logs it.
    with CaptureQueriesContext(connection) as logged:
        assert prepared.fetch("SELECT %s + 1", [4]) == (5,)
    assert len(logged.captured_queries) == 1
