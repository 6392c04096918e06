"""The operator command line: each command does its one thing; bad arguments exit non-zero."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from commonground.cli import main as cli
from commonground.forums.models import Cycle, Forum
from commonground.participants.models import ApiToken, Membership, User

pytestmark = pytest.mark.django_db


def test_forum_create_builds_the_tree(capsys) -> None:
    assert cli(["forum", "create", "igf", "--name", "Global IGF", "--level", "global"]) == 0
    assert (
        cli(
            [
                "forum",
                "create",
                "weog-igf",
                "--name",
                "WEOG",
                "--level",
                "regional",
                "--parent",
                "igf",
                "--region",
                "weog",
            ]
        )
        == 0
    )
    assert Forum.objects.get(slug="weog-igf").parent.slug == "igf"
    assert "created forum weog-igf" in capsys.readouterr().out


def test_forum_create_with_unknown_parent_fails_with_one_line(capsys) -> None:
    code = cli(
        ["forum", "create", "x-igf", "--name", "X", "--level", "national", "--parent", "nope"]
    )
    err = capsys.readouterr().err
    assert code == 2 and err.strip() == "error: No parent forum 'nope'."
    assert not Forum.objects.filter(slug="x-igf").exists()


def test_forum_create_with_bad_level_exits_non_zero() -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli(["forum", "create", "x-igf", "--name", "X", "--level", "galactic"])
    assert exit_info.value.code == 2


def test_cycle_open_and_advance(capsys) -> None:
    cli(["forum", "create", "igf", "--name", "Global IGF", "--level", "global"])
    assert cli(["cycle", "open", "igf", "2027"]) == 0
    assert cli(["cycle", "advance", "igf"]) == 0
    assert Cycle.objects.get(forum__slug="igf").phase == "agenda_setting"
    assert cli(["cycle", "open", "igf", "2028"]) == 2
    assert "already has an open cycle" in capsys.readouterr().err


def test_participant_create_prints_a_working_token_last(capsys) -> None:
    cli(["forum", "create", "igf", "--name", "Global IGF", "--level", "global"])
    capsys.readouterr()
    code = cli(
        [
            "participant",
            "create",
            "ana@example.org",
            "--forum",
            "igf",
            "--group",
            "civil_society",
            "--country",
            "ke",
            "--steward",
            "--token",
        ]
    )
    assert code == 0
    key = capsys.readouterr().out.strip().splitlines()[-1]
    token = ApiToken.objects.get(key_hash=ApiToken.hash_key(key))
    membership = Membership.objects.get(user=token.user)
    assert membership.is_steward and membership.country == "KE" and membership.region == "african"


def test_participant_create_with_bad_country_creates_nothing(capsys) -> None:
    cli(["forum", "create", "igf", "--name", "Global IGF", "--level", "global"])
    code = cli(
        [
            "participant",
            "create",
            "bo@example.org",
            "--forum",
            "igf",
            "--group",
            "government",
            "--country",
            "ZZ",
        ]
    )
    assert code == 2 and "Unknown country code 'ZZ'" in capsys.readouterr().err
    assert not User.objects.filter(email="bo@example.org").exists()


def test_participant_create_in_unknown_forum_fails(capsys) -> None:
    code = cli(
        [
            "participant",
            "create",
            "bo@example.org",
            "--forum",
            "nope",
            "--group",
            "government",
            "--country",
            "KE",
        ]
    )
    assert code == 2 and "No forum 'nope'" in capsys.readouterr().err


def test_agenda_from_missing_directory_fails_with_one_line(tmp_path: Path, capsys) -> None:
    assert cli(["agenda", "--from", str(tmp_path / "missing")]) != 0
    err = capsys.readouterr().err.strip()
    assert err.startswith("error:") and "\n" not in err


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.django_db(transaction=False)
def test_serve_runs_a_production_server(tmp_path: Path) -> None:
    """`commonground serve` starts gunicorn (not runserver), migrates and answers HTTP."""
    port = _free_port()
    env = {**os.environ, "COMMONGROUND_DATA_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "commonground.cli", "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        body = ""
        # Migrating a fresh database comes first: on a busy machine that takes a while.
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                    body = response.read().decode()
                    break
            except OSError:
                time.sleep(0.25)
        assert "Common Ground" in body
        # The static files were collected at start-up: hashed names, served compressed
        # with a far-future, immutable lifetime.
        stylesheet = re.search(r'href="(/static/commonground/site\.[0-9a-f]{12}\.css)"', body)
        assert stylesheet, "the stylesheet's name carries no hash"
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}{stylesheet.group(1)}", headers={"Accept-Encoding": "br"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.headers["Content-Encoding"] == "br"
            assert "immutable" in response.headers["Cache-Control"]
            assert "max-age=315360000" in response.headers["Cache-Control"]
    finally:
        server.terminate()
        output = server.communicate(timeout=20)[0]
    assert "gunicorn" in output.lower() or "Booting worker" in output


def test_export_to_an_unwritable_path_is_one_line_not_a_traceback(tmp_path: Path, capsys) -> None:
    # Issue 11.18: a path the command cannot write is the operator's to fix, said in a line.
    cli(["forum", "create", "igf", "--name", "Global IGF", "--level", "global"])
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        # Root writes anywhere but /proc.
        writable = os.access(locked, os.W_OK)
        target = "/proc/commonground-export" if writable else str(locked / "out")
        code = cli(["export", "igf", target])
    finally:
        locked.chmod(0o700)
    err = capsys.readouterr().err
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and err.startswith("error: "), err
    assert "Traceback" not in err
