"""The database cache (commonground.core.dbcache): Django's cache semantics, with a set
and an add of one statement each and housekeeping at most every CULL_EVERY seconds."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commonground.core import dbcache

pytestmark = pytest.mark.django_db


@pytest.fixture
def housekept(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The cache's clock in the test's hands, housekeeping done at its start."""
    now = [1_000.0]
    monkeypatch.setattr(dbcache.time, "monotonic", lambda: now[0])
    cache.clear()
    cache._next_cull = 0.0  # type: ignore[attr-defined]
    cache.set("warm", 1)
    return now


def _rows() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM commonground_cache")
        return int(cursor.fetchone()[0])


def test_a_set_replaces_the_value_and_an_add_writes_only_a_missing_key(
    housekept: list[float],
) -> None:
    cache.set("k", {"page": 1})
    cache.set("k", {"page": 2})
    assert cache.get("k") == {"page": 2}
    assert cache.add("k", "other") is False
    assert cache.get("k") == {"page": 2}
    assert cache.add("fresh", "x") is True
    assert cache.get("fresh") == "x"


def test_an_add_replaces_an_expired_row(housekept: list[float]) -> None:
    cache.set("lock", 1, timeout=-1)  # already expired, row still there
    assert cache.add("lock", 2, timeout=60) is True
    assert cache.get("lock") == 2


def test_a_set_is_one_statement_between_housekeeping_passes(housekept: list[float]) -> None:
    with CaptureQueriesContext(connection) as queries:
        cache.set("a", 1)
        cache.add("b", 2)
    assert len(queries) == 2
    assert not any("COUNT" in q["sql"] for q in queries)


def test_housekeeping_drops_expired_rows_at_most_once_every_cull_every_seconds(
    housekept: list[float],
) -> None:
    cache.set("gone", 1, timeout=-1)
    cache.set("kept", 1, timeout=600)
    assert _rows() == 3  # warm, gone, kept
    housekept[0] += dbcache.CULL_EVERY - 0.1
    cache.set("another", 1)
    assert _rows() == 4  # not yet
    housekept[0] += 0.2
    cache.set("after", 1)
    assert _rows() == 4  # the expired row went, "after" came
    assert cache.get("kept") == 1 and cache.get("gone") is None


def test_past_max_entries_housekeeping_culls_as_django_does(
    housekept: list[float], settings: Any
) -> None:
    cache._max_entries = 10  # type: ignore[attr-defined]
    try:
        for n in range(30):
            cache.set(f"key{n}", n, timeout=600)
        assert _rows() == 31
        housekept[0] += dbcache.CULL_EVERY + 1
        cache.set("last", 1)
        assert _rows() < 31
    finally:
        cache._max_entries = 100_000  # type: ignore[attr-defined]
