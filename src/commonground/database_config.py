"""The ``DATABASES`` entries that settings.py builds from the environment.

Kept apart from settings.py so that the rules of each database's connection (how long
it is kept, how its prepared statements are planned, SQLite's locking) are in one place
and settings.py only reads the variables that choose them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dj_database_url


def from_url(url: str, conn_max_age: int, pooled: bool) -> dict[str, Any]:
    """A database of a URL, its connections kept ``conn_max_age`` seconds and checked
    before reuse. On PostgreSQL without a pooler (``pooled``: PgBouncer in transaction
    mode) the session plans its prepared statements generically from their first run:
    they are all lookups by key, where the five custom plans PostgreSQL makes first
    (planning the whole statement each time) choose the same plan (core/prepared.py); no
    other query of the ORM is prepared. Behind a pooler, cursors do not outlive their
    transaction (a server connection serves another client between transactions)."""
    config: dict[str, Any] = dict(
        dj_database_url.parse(url, conn_max_age=conn_max_age, conn_health_checks=True)
    )
    if pooled:
        config["DISABLE_SERVER_SIDE_CURSORS"] = True
    elif config["ENGINE"].endswith("postgresql"):
        options = config.setdefault("OPTIONS", {})
        given = str(options.get("options", ""))
        options["options"] = f"{given} -c plan_cache_mode=force_generic_plan".strip()
    return config


def sqlite(path: str, data_dir: Path) -> dict[str, Any]:
    """The embedded database: one SQLite file, its test database in ``data_dir``."""
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": path,
        "OPTIONS": {
            # IMMEDIATE takes the write lock at BEGIN, so concurrent writers queue
            # on the busy timeout instead of failing with "database is locked".
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            ),
        },
        "TEST": {"NAME": str(data_dir / "test.sqlite3")},
    }
