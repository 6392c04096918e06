"""The demo and the operator commands share one database (issue 11.7).

``commonground demo`` seeds the data directory's database, the one every other command
opens, so the README's commands act on the demo's forums right after it; and it never
wipes a database that holds anything the demo did not make.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from commonground.demo.guard import database_state
from commonground.forums.services import create_forum
from commonground.participants.services import create_account


def run(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COMMONGROUND_")}
    env.pop("DATABASE_URL", None)
    env["COMMONGROUND_DATA_DIR"] = str(data_dir)
    return subprocess.run(
        [sys.executable, "-m", "commonground.cli", *args],
        env=env,
        cwd=data_dir.parent,
        capture_output=True,
        text=True,
        timeout=1200,
        check=False,
    )


def test_readme_commands_act_on_the_demo_and_demo_keeps_other_data(tmp_path: Path) -> None:
    data = tmp_path / "var"
    seeded = run(data, "demo", "--no-serve")
    assert seeded.returncode == 0, seeded.stderr
    assert f"Database: {data / 'commonground.sqlite3'}" in seeded.stdout
    assert f"each message is written to a file in {data / 'mail'}" in seeded.stdout

    created = run(data, "participant", "create", "ana@example.org", "--forum", "kenya-igf",
                  "--group", "civil_society", "--country", "KE", "--steward",
                  "--token")  # fmt: skip
    assert created.returncode == 0, created.stderr
    assert created.stdout.splitlines()[-1].startswith("cg_")
    agenda = run(data, "agenda", "kenya-igf")
    assert agenda.returncode == 0, agenda.stderr
    assert "Recognized" in agenda.stdout or "recognized" in agenda.stdout
    check = run(data, "agenda", "check", "kenya-igf")
    assert check.returncode == 0 and "all tallies of kenya-igf match" in check.stdout
    exported = run(data, "export", "kenya-igf", str(tmp_path / "out"))
    assert exported.returncode == 0, exported.stderr
    assert (tmp_path / "out" / "datapackage.json").exists()
    verified = run(data, "ledger", "verify")
    assert verified.returncode == 0, verified.stderr

    # Now the database holds an account the demo did not make: the demo leaves it alone.
    before = (data / "commonground.sqlite3").stat().st_size
    again = run(data, "demo", "--no-serve")
    assert again.returncode == 2
    lines = again.stderr.strip().splitlines()
    assert len(lines) == 1 and "COMMONGROUND_DATA_DIR=" in lines[0], again.stderr
    assert (data / "commonground.sqlite3").stat().st_size == before
    still = run(data, "agenda", "kenya-igf")
    assert still.returncode == 0


@pytest.mark.django_db
def test_database_state_tells_empty_demo_and_other() -> None:
    assert database_state() == "empty"
    create_forum(None, slug="kenya-igf", name="Kenya IGF", level="national", country="KE")
    create_account("civil@demo.example.org", None)
    assert database_state() == "demo"
    create_account("ana@example.org", None)
    assert database_state() == "other"


@pytest.mark.django_db
def test_a_forum_of_ones_own_is_other_data() -> None:
    create_forum(None, slug="my-forum", name="My forum", level="national", country="KE")
    assert database_state() == "other"
