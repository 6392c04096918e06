"""A PostgreSQL connection is kept between requests for COMMONGROUND_DB_CONN_MAX_AGE seconds
(10 minutes unless set), checked before reuse, and plans its prepared statements
generically unless a pooler shares the sessions."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SHOW = (
    "import json; from django.conf import settings; d = settings.DATABASES['default']; "
    "print(json.dumps([d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'], d['OPTIONS']]))"
)


def _database_settings(tmp_path: Path, **env: str) -> list[object]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("COMMONGROUND_")}
    environment.update(
        {"COMMONGROUND_DATA_DIR": str(tmp_path), "DATABASE_URL": "postgres://u@db.example/cg"}
    )
    environment.update(env)
    result = subprocess.run(
        [sys.executable, "-m", "commonground.cli", "manage", "shell", "-c", SHOW],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    loaded: list[object] = json.loads(result.stdout.strip().splitlines()[-1])
    return loaded


def test_a_connection_is_kept_ten_minutes_checked_and_planned_generically_by_default(
    tmp_path: Path,
) -> None:
    assert _database_settings(tmp_path) == [
        600,
        True,
        {"options": "-c plan_cache_mode=force_generic_plan"},
    ]


def test_the_connections_age_is_set_by_the_environment(tmp_path: Path) -> None:
    assert _database_settings(tmp_path, COMMONGROUND_DB_CONN_MAX_AGE="0")[0] == 0
    assert _database_settings(tmp_path, COMMONGROUND_DB_CONN_MAX_AGE="61")[0] == 61


def test_behind_a_pooler_the_session_is_left_to_its_defaults(tmp_path: Path) -> None:
    assert _database_settings(tmp_path, COMMONGROUND_PGBOUNCER="true")[2] == {}


def test_options_of_the_url_are_kept_beside_the_plan_mode(tmp_path: Path) -> None:
    url = "postgres://u@db.example/cg?options=-c%20statement_timeout%3D5000"
    assert _database_settings(tmp_path, DATABASE_URL=url)[2] == {
        "options": "-c statement_timeout=5000 -c plan_cache_mode=force_generic_plan"
    }
