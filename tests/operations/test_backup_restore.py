"""Backup and restore give back exactly the same forum: open data and ledger root alike.

Every command runs in a subprocess, as an operator would run it, against a data
directory (SQLite) or databases (PostgreSQL) of the test's own. The PostgreSQL round
trip runs when ``pg_dump`` is installed and a server answers at ``DATABASE_URL`` (if it
points at PostgreSQL) or at 127.0.0.1:5432 as user postgres.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.migrated import migrate
from tests.operations.helpers import (
    REPO,
    base_env,
    cg,
    create_database,
    create_world,
    drop_database,
    export_files,
    ledger_state,
    postgres_unavailable,
    seed,
)

FORUM = "kenya-igf"


def _snapshot(env: dict[str, str], where: Path) -> tuple[dict[str, object], bytes, int, str]:
    files = export_files(env, FORUM, where / "export")
    entries, size, root = ledger_state(env, where / "entries.jsonl")
    return files, entries, size, root


def _assert_same_as(before: tuple, env: dict[str, str], where: Path) -> None:
    files, entries, size, root = before
    after_files, after_entries, after_size, after_root = _snapshot(env, where)
    assert after_files.keys() == files.keys()
    for name, content in files.items():
        assert after_files[name] == content, f"{name} differs after restore"
    assert (after_size, after_root) == (size, root)
    assert after_entries == entries
    assert cg(env, "ledger", "verify").returncode == 0
    checkpoint = cg(env, "ledger", "checkpoint", "--output", str(where / "checkpoint.json"))
    assert "unchanged" in checkpoint.stdout
    signed = json.loads((where / "checkpoint.json").read_text())
    assert (signed["tree_size"], signed["root_hash"]) == (size, root)


def _round_trip(env: dict[str, str], tmp_path: Path, restore_env: dict[str, str]) -> tuple:
    """Seed, back up, change, restore; returns the snapshot taken at backup time."""
    create_world(env, FORUM)
    cg(env, "ledger", "checkpoint")
    before = _snapshot(env, tmp_path / "before")
    assert before[2] > 40  # forum, cycle, members, issues and supports are all in the ledger
    backup = tmp_path / "forum.backup"
    out = cg(env, "backup", str(backup))
    assert out.stdout.startswith("backed up") and backup.stat().st_size > 0

    if restore_env is not env:  # an empty database takes the backup as is
        cg(restore_env, "restore", str(backup))
        _assert_same_as(before, restore_env, tmp_path / "after")
    # A changed database: restore refuses it without --force, then puts the backup back.
    seed(restore_env, FORUM, "later", "3", "0", "2")
    refused = cg(restore_env, "restore", str(backup), check=False)
    assert refused.returncode == 2
    assert refused.stderr.startswith("error: ") and "--force" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1
    cg(restore_env, "restore", "--force", str(backup))
    _assert_same_as(before, restore_env, tmp_path / "after-force")
    return before


ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
# Each round trip runs once per CI run: the SQLite ones in the SQLite leg, the
# PostgreSQL one in the PostgreSQL leg (they start many subprocesses each).
sqlite_leg = pytest.mark.skipif(ON_POSTGRES, reason="SQLite round trips run in the SQLite leg")
postgres_leg = pytest.mark.skipif(
    not ON_POSTGRES, reason="the PostgreSQL round trip runs with DATABASE_URL set to PostgreSQL"
)


@sqlite_leg
def test_sqlite_backup_and_restore_round_trip(tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = base_env(data)
    before = _round_trip(env, tmp_path / "first", env)

    # The database deleted outright (with its -wal and -shm): restore brings it back.
    for suffix in ("", "-wal", "-shm"):
        Path(f"{data / 'commonground.sqlite3'}{suffix}").unlink(missing_ok=True)
    cg(env, "restore", str(tmp_path / "first" / "forum.backup"))
    _assert_same_as(before, env, tmp_path / "gone-after")


@sqlite_leg
def test_sqlite_backup_while_the_site_writes_is_consistent(tmp_path: Path) -> None:
    """A backup taken while another process keeps supporting issues passes every audit."""
    env = base_env(tmp_path / "data")
    create_world(env, FORUM)
    code = "from tests.operations.helpers import seed_main; seed_main()"
    writer = subprocess.Popen(
        [sys.executable, "-c", code, FORUM, "busy", "40", "0", "3"],
        env=env,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        time.sleep(1.0)
        backups = []
        for n in range(2):
            backup = tmp_path / f"busy-{n}.sqlite3"
            cg(env, "backup", str(backup))
            backups.append(backup)
    finally:
        _, err = writer.communicate(timeout=120)
    assert writer.returncode == 0, err
    for backup in backups:
        copy_env = base_env(tmp_path / f"copy-{backup.stem}")
        cg(copy_env, "restore", str(backup))
        assert cg(copy_env, "ledger", "verify").returncode == 0
        assert cg(copy_env, "agenda", "check", FORUM).returncode == 0


def test_backup_and_restore_fail_with_one_line(tmp_path: Path) -> None:
    env = base_env(tmp_path / "data")
    migrate(env)
    not_a_db = tmp_path / "notes.txt"
    not_a_db.write_text("not a database\n")
    cases = [
        (("restore", str(tmp_path / "missing.sqlite3")), "does not exist"),
        (("restore", str(not_a_db)), "not an SQLite database"),
        (("backup", str(tmp_path / "no-such-dir" / "b.sqlite3")), "does not exist"),
        (("backup", str(tmp_path)), "is a directory"),
    ]
    for args, why in cases:
        done = cg(env, *args, check=False)
        assert done.returncode == 2, args
        assert done.stderr.startswith("error: ") and why in done.stderr, done.stderr
        assert len(done.stderr.strip().splitlines()) == 1, done.stderr


def test_postgres_backup_without_pg_dump_fails_with_one_line(tmp_path: Path) -> None:
    empty_bin = tmp_path / "bin"
    empty_bin.mkdir()
    env = base_env(tmp_path / "data", "postgres://postgres@127.0.0.1:5432/cg_nowhere")
    env["PATH"] = str(empty_bin)
    done = cg(env, "backup", str(tmp_path / "b.dump"), check=False)
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "error: pg_dump not found on PATH; install the PostgreSQL client tools "
        "(the same major version as the server or newer)"
    )


@pytest.mark.postgres
@postgres_leg
def test_postgres_backup_and_restore_round_trip(tmp_path: Path) -> None:
    reason = postgres_unavailable()
    if reason:
        pytest.skip(f"PostgreSQL round trip skipped: {reason}")
    source, target = f"cg_backup_src_{os.getpid()}", f"cg_backup_dst_{os.getpid()}"
    try:
        env = base_env(tmp_path / "data", create_database(source))
        restore_env = base_env(tmp_path / "data", create_database(target))
        _round_trip(env, tmp_path, restore_env)
    finally:
        drop_database(source)
        drop_database(target)
