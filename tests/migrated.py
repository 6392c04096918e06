"""A migrated database for an instance a test starts as a subprocess.

Migrating from nothing replays every migration of the project and of Django (about 13 s of
CPU each time, most of it Django building the model states between migrations), and the
federation and operations tests start a dozen such instances. On SQLite the first one of a
test run migrates a template database; every later one gets a copy of its file. On
PostgreSQL (``DATABASE_URL`` in the environment) each instance still migrates its own
database. The copy holds exactly what migrating gives: the schema, the triggers of the
ledger's migrations and the rows written by migrations and ``post_migrate`` (content types,
permissions); nothing of an instance's own (its secret key and ledger key live beside the
database and are made on first use).
"""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

_FILE = "commonground.sqlite3"
_template: Path | None = None


def _run_migrate(env: dict[str, str]) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "commonground.cli", "manage", "migrate", "--verbosity", "0"],
        env=env, cwd=REPO, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"commonground manage migrate failed:\n{done.stdout}{done.stderr}")


def _template_file() -> Path:
    """The test run's migrated SQLite file, made on first use."""
    global _template
    if _template is None:
        where = Path(tempfile.mkdtemp(prefix="cg-migrated-"))
        atexit.register(shutil.rmtree, where, ignore_errors=True)
        env = {k: v for k, v in os.environ.items() if not k.startswith("COMMONGROUND_")}
        env.pop("DATABASE_URL", None)
        env.update({"COMMONGROUND_DATA_DIR": str(where), "COMMONGROUND_ENV": "development"})
        _run_migrate(env)
        # The migrate process closed its connection, so SQLite's WAL is folded into the file.
        _template = where / _FILE
    return _template


def migrate(env: dict[str, str]) -> None:
    """Give the instance that ``env`` describes a migrated database."""
    if env.get("DATABASE_URL"):
        _run_migrate(env)
        return
    target = Path(env.get("COMMONGROUND_SQLITE_PATH") or Path(env["COMMONGROUND_DATA_DIR"]) / _FILE)
    if target.exists():  # an existing database is migrated in place, as the CLI would
        _run_migrate(env)
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(_template_file(), target)
