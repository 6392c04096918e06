"""``commonground backup FILE`` and ``commonground restore FILE``: nothing lost.

SQLite: the backup is written with SQLite's online backup API, so it is a consistent
copy even while the site runs and writes; restore copies the backup back into the
database with the same API (a single write transaction, so the WAL stays consistent
and open connections see either the old or the new database, never a mixture).

PostgreSQL: ``pg_dump --format=custom`` and ``pg_restore --clean --if-exists
--no-owner --single-transaction`` with the connection parameters of ``DATABASE_URL``;
the password goes through the ``PGPASSWORD`` environment variable, never the command
line.

Restore refuses a target database that already holds data (forums, accounts or ledger
entries) unless ``--force`` is given. Every failure ends in one line on standard error
and exit code 2.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

from commonground.core.errors import CliError

#: Tables whose rows mean "this database holds a forum's data".
DATA_TABLES = ("forums_forum", "participants_user", "ledger_ledgerentry")
#: Longest a pg_dump or pg_restore may run.
PG_TIMEOUT = 6 * 3600


class OperationError(CliError):
    """A one-line reason to stop with exit code 2."""


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonground.settings")
    import django

    django.setup()


def _database() -> dict[str, Any]:
    _django()
    from django.conf import settings

    return dict(settings.DATABASES["default"])


def _is_sqlite(db: dict[str, Any]) -> bool:
    return str(db.get("ENGINE", "")).endswith("sqlite3")


def _is_postgres(db: dict[str, Any]) -> bool:
    return "postgresql" in str(db.get("ENGINE", ""))


def _first_line(text: str, default: str) -> str:
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    return lines[0] if lines else default


def _temporary(target: Path) -> Path:
    return target.with_name(f".{target.name}.partial")


def _fsync_dir(directory: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _output_path(file: str) -> Path:
    target = Path(file)
    if target.is_dir():
        raise OperationError(f"{target} is a directory; give a file name")
    if not target.parent.is_dir():
        raise OperationError(f"{target.parent} does not exist")
    return target


def _input_path(file: str) -> Path:
    source = Path(file)
    if not source.exists():
        raise OperationError(f"{source} does not exist")
    if not source.is_file():
        raise OperationError(f"{source} is not a file")
    return source


# -- is the target empty? ---------------------------------------------------------------------


def _holds_data() -> bool:
    """Whether the configured database has any forum, account or ledger entry."""
    from django.db import connection

    existing = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for table in DATA_TABLES:
            if table in existing:
                cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")
                if cursor.fetchone() is not None:
                    return True
    return False


def _close_django_connections() -> None:
    from django.db import connections

    connections.close_all()


# -- SQLite -----------------------------------------------------------------------------------


def _sqlite_path(db: dict[str, Any]) -> Path:
    return Path(str(db["NAME"]))


def _read_only_uri(path: Path) -> str:
    return f"{path.resolve().as_uri()}?mode=ro"


def _check_sqlite_file(path: Path) -> None:
    """Refuse a file that is not an intact SQLite database of Common Ground."""
    try:
        con = sqlite3.connect(_read_only_uri(path), uri=True, timeout=30)
    except sqlite3.Error as exc:
        raise OperationError(f"{path} is not a readable SQLite database: {exc}") from None
    try:
        result = con.execute("PRAGMA quick_check").fetchone()
        tables = {
            row[0] for row in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
    except sqlite3.DatabaseError as exc:
        raise OperationError(f"{path} is not an SQLite database: {exc}") from None
    finally:
        con.close()
    if not result or result[0] != "ok":
        raise OperationError(f"{path} is damaged: {result[0] if result else 'no result'}")
    if "django_migrations" not in tables or "ledger_ledgerentry" not in tables:
        raise OperationError(f"{path} is not a Common Ground database")


def _sqlite_backup(db: dict[str, Any], target: Path) -> str:
    source_path = _sqlite_path(db)
    if not source_path.is_file():
        raise OperationError(f"no database at {source_path}")
    tmp = _temporary(target)
    tmp.unlink(missing_ok=True)
    source = sqlite3.connect(_read_only_uri(source_path), uri=True, timeout=30)
    try:
        copy = sqlite3.connect(tmp)
        try:
            # One consistent snapshot: pages=-1 copies everything in one step, inside one
            # read transaction, so writers that commit meanwhile are not half included.
            source.backup(copy, pages=-1)
            # A self-contained file: no -wal beside it.
            copy.execute("PRAGMA journal_mode=DELETE")
            check = copy.execute("PRAGMA quick_check").fetchone()
            if not check or check[0] != "ok":
                raise OperationError(f"the copy failed its integrity check: {check}")
            copy.commit()
        finally:
            copy.close()
        with tmp.open("rb+") as handle:
            os.fsync(handle.fileno())
        tmp.replace(target)
        _fsync_dir(target.parent)
    except sqlite3.Error as exc:
        raise OperationError(f"backup of {source_path} failed: {exc}") from None
    finally:
        source.close()
        tmp.unlink(missing_ok=True)
    return f"backed up {source_path} to {target} ({target.stat().st_size} bytes)"


def _sqlite_restore(db: dict[str, Any], source_path: Path, force: bool) -> str:
    _check_sqlite_file(source_path)
    target = _sqlite_path(db)
    if target.exists() and _holds_data() and not force:
        raise OperationError(
            f"the database at {target} is not empty; restore with --force to replace it"
        )
    _close_django_connections()  # ours: no open transaction of this process in the way
    target.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(_read_only_uri(source_path), uri=True, timeout=30)
    try:
        dest = sqlite3.connect(target, timeout=60)
        try:
            # The backup API writes the destination in one transaction through its own
            # journal (the WAL, when the database is in WAL mode), so processes that have
            # the database open switch from the old content to the new all at once.
            dest.execute("PRAGMA journal_mode=WAL")
            source.backup(dest, pages=-1)
            dest.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            check = dest.execute("PRAGMA quick_check").fetchone()
            if not check or check[0] != "ok":
                raise OperationError(f"the restored database failed its integrity check: {check}")
        finally:
            dest.close()
    except sqlite3.Error as exc:
        raise OperationError(f"restore into {target} failed: {exc}") from None
    finally:
        source.close()
    return f"restored {target} from {source_path}"


# -- PostgreSQL -------------------------------------------------------------------------------


def _pg_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise OperationError(
            f"{name} not found on PATH; install the PostgreSQL client tools "
            "(the same major version as the server or newer)"
        )
    return path


def _pg_connection(db: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    """Connection options for pg_dump/pg_restore and the environment carrying the password."""
    args = ["--no-password"]
    if db.get("HOST"):
        args.append(f"--host={db['HOST']}")
    if db.get("PORT"):
        args.append(f"--port={db['PORT']}")
    if db.get("USER"):
        args.append(f"--username={db['USER']}")
    env = dict(os.environ)
    env.pop("PGPASSWORD", None)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    sslmode = (db.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = str(sslmode)
    return args, env


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    try:
        done = subprocess.run(
            command, env=env, capture_output=True, text=True, timeout=PG_TIMEOUT, check=False
        )
    except subprocess.TimeoutExpired:
        raise OperationError(f"{what} did not finish within {PG_TIMEOUT} seconds") from None
    except OSError as exc:
        raise OperationError(f"cannot run {command[0]}: {exc.strerror}") from None
    if done.returncode != 0:
        reason = _first_line(done.stderr, f"exit code {done.returncode}")
        raise OperationError(f"{what} failed: {reason}")


def _pg_backup(db: dict[str, Any], target: Path) -> str:
    pg_dump = _pg_tool("pg_dump")
    options, env = _pg_connection(db)
    tmp = _temporary(target)
    tmp.unlink(missing_ok=True)
    try:
        _run(
            [pg_dump, "--format=custom", f"--file={tmp}", *options, f"--dbname={db['NAME']}"],
            env,
            "pg_dump",
        )
        with tmp.open("rb+") as handle:
            os.fsync(handle.fileno())
        tmp.replace(target)
        _fsync_dir(target.parent)
    finally:
        tmp.unlink(missing_ok=True)
    return f"backed up database {db['NAME']} to {target} ({target.stat().st_size} bytes)"


def _pg_restore(db: dict[str, Any], source: Path, force: bool) -> str:
    pg_restore = _pg_tool("pg_restore")
    with source.open("rb") as handle:
        if handle.read(5) != b"PGDMP":
            raise OperationError(f"{source} is not a pg_dump custom-format archive")
    if _holds_data() and not force:
        raise OperationError(
            f"the database {db['NAME']} is not empty; restore with --force to replace it"
        )
    _close_django_connections()
    options, env = _pg_connection(db)
    _run(
        [
            pg_restore,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            *options,
            f"--dbname={db['NAME']}",
            str(source),
        ],
        env,
        "pg_restore",
    )
    return f"restored database {db['NAME']} from {source}"


# -- handlers ---------------------------------------------------------------------------------


def cmd_backup(args: argparse.Namespace) -> int:
    target = _output_path(args.file)
    db = _database()
    if _is_sqlite(db):
        print(_sqlite_backup(db, target))
    elif _is_postgres(db):
        print(_pg_backup(db, target))
    else:
        raise OperationError(f"backup does not support the database engine {db.get('ENGINE')}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    source = _input_path(args.file)
    db = _database()
    if _is_sqlite(db):
        print(_sqlite_restore(db, source, args.force))
    elif _is_postgres(db):
        print(_pg_restore(db, source, args.force))
    else:
        raise OperationError(f"restore does not support the database engine {db.get('ENGINE')}")
    return 0
