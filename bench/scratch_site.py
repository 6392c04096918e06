"""A throwaway Common Ground site for benchmarks that go through Django.

Each run gets a fresh data directory (SQLite) or a freshly created PostgreSQL database,
migrated, so a benchmark never touches a real site's data.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

POSTGRES_SERVER = "postgres://postgres@127.0.0.1:5432"


def setup_scratch_site(database: str, name: str) -> None:
    """Configure and migrate a new, empty site; ``name`` names its data dir and database."""
    data_dir = Path(tempfile.mkdtemp(prefix=f"cg-bench-{name}-"))
    os.environ["COMMONGROUND_DATA_DIR"] = str(data_dir)
    db_name = f"cg_bench_{name.replace('-', '_')}"
    if database == "postgres":
        os.environ["DATABASE_URL"] = f"{POSTGRES_SERVER}/{db_name}"
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "commonground.settings"
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    if database == "postgres":
        import psycopg

        with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as c:
            c.execute(f"DROP DATABASE IF EXISTS {db_name}")
            c.execute(f"CREATE DATABASE {db_name}")
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
