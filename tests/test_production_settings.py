"""Production settings fail fast without secrets and pass Django's deployment checks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings


def _manage(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("COMMONGROUND_")}
    environment.pop("DATABASE_URL", None)
    # Set by the browser tests in this process; a deployment must not have it.
    environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    environment.update({"COMMONGROUND_DATA_DIR": str(tmp_path), "COMMONGROUND_ENV": "production"})
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-m", "commonground.cli", "manage", *args],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    result = _manage(tmp_path, "check", COMMONGROUND_ALLOWED_HOSTS="forum.example.org")
    assert result.returncode != 0
    assert "COMMONGROUND_SECRET_KEY is required in production" in result.stderr
    assert "Traceback" not in result.stderr


def test_production_refuses_to_start_without_allowed_hosts(tmp_path: Path) -> None:
    result = _manage(tmp_path, "check", COMMONGROUND_SECRET_KEY="k" * 60)
    assert result.returncode != 0
    assert "COMMONGROUND_ALLOWED_HOSTS is required in production" in result.stderr


def test_deployment_checks_pass_with_nothing_silenced(tmp_path: Path) -> None:
    result = _manage(
        tmp_path,
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        COMMONGROUND_SECRET_KEY="a-long-random-secret-" + "x9Q#" * 15,
        COMMONGROUND_ALLOWED_HOSTS="forum.example.org",
        COMMONGROUND_PUBLIC_URL="https://forum.example.org",
    )
    assert result.returncode == 0, result.stderr
    assert "no issues (0 silenced)" in result.stdout


def test_deployment_check_fails_on_a_per_process_cache(tmp_path: Path) -> None:
    # Rate limits counted per gunicorn worker multiply with the workers (issue 11.3).
    secrets = {
        "COMMONGROUND_SECRET_KEY": "a-long-random-secret-" + "x9Q#" * 15,
        "COMMONGROUND_ALLOWED_HOSTS": "forum.example.org",
        "COMMONGROUND_PUBLIC_URL": "https://forum.example.org",
    }
    result = _manage(tmp_path, "check", "--deploy", COMMONGROUND_CACHE_URL="locmem://", **secrets)
    assert result.returncode != 0
    assert "commonground.E001" in result.stderr and "per process" in result.stderr
    # The default needs no setting: the database cache, shared by every process (the
    # test above passes the deployment checks with it).
    assert settings.CACHES["default"]["BACKEND"] == "commonground.core.dbcache.DatabaseCache"
