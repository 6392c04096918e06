"""The database cache (settings.CACHES' default), with a set that is one statement.

Django's ``DatabaseCache`` counts the whole cache table (``SELECT COUNT(*)``) before every
``set`` and ``add``, then reads the key and updates or inserts it in a transaction: four
or five statements and a scan of the table per write. Under the read cache
(commonground.core.read_cache_middleware) every page rendered is a write, and the table
holds every page's versions until they are culled, so the count grew with the table and
ran on every render.

Here a ``set`` is one upsert and an ``add`` one upsert that replaces only an expired row
(PostgreSQL and SQLite, both ``INSERT ... ON CONFLICT``). Housekeeping runs at most once
every ``CULL_EVERY`` seconds per process: it deletes the expired rows (misses anyway) and,
when the table still holds more than ``MAX_ENTRIES``, Django's own cull. So the table may
exceed its ceiling by what all processes write in ``CULL_EVERY`` seconds; the ceiling is
generous (rate-limit counters must not be pushed out, settings.py), and expired pages no
longer wait for the ceiling to be deleted.
"""

from __future__ import annotations

import base64
import pickle
import threading
import time
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import connections, router
from django.utils.timezone import now as tz_now

# Seconds between two housekeeping passes of one process.
CULL_EVERY = 30.0


class DatabaseCache(DjangoDatabaseCache):
    """Django's database cache; ``set`` and ``add`` are one statement each (module docstring)."""

    def __init__(self, table: str, params: dict[str, Any]) -> None:
        super().__init__(table, params)
        self._table_name = table
        self._next_cull = 0.0  # the first write of a process looks at the table
        self._cull_lock = threading.Lock()

    def set(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> None:
        key = self.make_and_validate_key(key, version=version)
        self._upsert(key, value, timeout, only_expired=False)

    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        key = self.make_and_validate_key(key, version=version)
        return self._upsert(key, value, timeout, only_expired=True)

    def _upsert(self, key: str, value: Any, timeout: Any, only_expired: bool) -> bool:
        """Write ``key``; with ``only_expired``, only where it is absent or expired (an
        ``add``). True when the row was written."""
        timeout = self.get_backend_timeout(timeout)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote = connection.ops.quote_name
        table = quote(self._table_name)
        now = tz_now().replace(microsecond=0)
        zone = UTC if settings.USE_TZ else None
        expires = datetime.max if timeout is None else datetime.fromtimestamp(timeout, tz=zone)
        expires = expires.replace(microsecond=0)
        pickled = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
        key_column, value_column, expires_column = (
            quote("cache_key"),
            quote("value"),
            quote("expires"),
        )
        sql = (
            f"INSERT INTO {table} ({key_column}, {value_column}, {expires_column}) "
            f"VALUES (%s, %s, %s) ON CONFLICT ({key_column}) DO UPDATE SET "
            f"{value_column} = excluded.{value_column}, "
            f"{expires_column} = excluded.{expires_column}"
        )
        params: list[Any] = [
            key,
            pickled,
            connection.ops.adapt_datetimefield_value(expires),
        ]
        if only_expired:
            sql += f" WHERE {table}.{expires_column} < %s"
            params.append(connection.ops.adapt_datetimefield_value(now))
        with connection.cursor() as cursor:
            self._housekeep(db, cursor, now, table)
            cursor.execute(sql, params)
            return bool(cursor.rowcount)

    def _housekeep(self, db: str, cursor: Any, now: datetime, table: str) -> None:
        """At most once every CULL_EVERY seconds per process: drop the expired rows and,
        past MAX_ENTRIES, cull as Django's cache does."""
        moment = time.monotonic()
        if moment < self._next_cull or not self._cull_lock.acquire(blocking=False):
            return
        try:
            self._next_cull = moment + CULL_EVERY
            connection = connections[db]
            expires = connection.ops.quote_name("expires")
            cursor.execute(
                f"DELETE FROM {table} WHERE {expires} < %s",
                [connection.ops.adapt_datetimefield_value(now)],
            )
            cursor.execute(f"SELECT COUNT(*) FROM {table}")
            rows = cursor.fetchone()[0]
            if rows > self._max_entries:
                self._cull(db, cursor, now, rows)  # type: ignore[attr-defined]  # Django's own
        finally:
            self._cull_lock.release()
