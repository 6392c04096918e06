"""Schemathesis conformance run over the whole OpenAPI document (issue 6, "Conformant API").

The ``st`` command line runs against a real server: ``commonground serve`` (gunicorn, as in
production) in a subprocess on the test database (SQLite or PostgreSQL, whichever the
suite runs on), seeded with a small forum in which every kind of record exists: issues, a support, a
signal, a solution, technical advice, comments and a signed checkpoint. It runs every
phase (examples, coverage, fuzzing and the stateful phase, which chains operations along
the links of the document) with every check (``--checks all``), once authenticated as a
member with a bearer token and once as an anonymous caller, with a fixed seed and a
bounded number of examples. Any server error, undocumented status code, response that
breaks its schema, ignored authentication, accepted invalid input or refused valid input
fails the test, with Schemathesis's report (and a curl line per failure) as the message.

The one deliberate setting is in ``CONFIG``; docs/api.md ("Conformance") explains it.
This test never skips: Schemathesis is a development dependency, and a missing ``st``
command is a failure, so CI cannot pass without the run having happened.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit
from urllib.request import urlopen

import pytest
from django.db import connection

from commonground.contributions import services as contributions
from commonground.dialogue import services as dialogue
from commonground.dialogue.models import Conversation
from commonground.issues.models import Issue
from commonground.issues.services import raise_issue, support_issue
from commonground.ledger.models import LedgerEntry
from commonground.ledger.services import publish_checkpoint
from commonground.participants.services import create_api_token
from tests.conftest import World

pytestmark = [pytest.mark.conformance, pytest.mark.django_db(transaction=True)]

SEED = 6
MAX_EXAMPLES = 40
PHASES = "examples,coverage,fuzzing,stateful"

# positive_data_acceptance: a request that fits the schema must not be refused as invalid
# input. Schemathesis counts any 400 as such a refusal, but here 400 means "well-formed but
# not acceptable": a rule the schema cannot state (a government signals for a country
# code, an IGO for its acronym; a reply names an existing comment; a title is not blank).
# 422 is the answer for input that does not fit the schema, so it stays a failure.
# The stateful phase gets more scenarios than the per-operation phases: each scenario is
# a chain of calls along the links, and the chains are where writes meet reads.
CONFIG = """\
[checks.positive_data_acceptance]
expected-statuses = ["2xx", "3xx", 400, 401, 403, 404, 409, 429]

[phases.stateful]
max-steps = 20
generation.max-examples = 30
"""

# Path parameters that name seeded records: half of the generated values are real ones, so
# the run reaches past 404 into each operation's logic (the other half stay random).
KNOWN = {
    "slug": "forums",
    "issue_id": "issues",
    "solution_id": "solutions",
    "signal_id": "signals",
    "advice_id": "advice",
    "comment_id": "comments",
    "conversation_id": "conversations",
    "statement_id": "statements",
    "public_id": "participants",
}


def _config(known: dict[str, list[Any]]) -> str:
    """CONFIG plus a dictionary of the seeded records for each path parameter."""
    lines = [CONFIG]
    for name, values in known.items():
        lines.append(f"[dictionaries.{name}]\nvalues = {json.dumps(values)}\n")
    lines.append("[parameters]")
    for param, name in KNOWN.items():
        lines.append(f'"path.{param}" = {{ dictionary = "{name}", probability = 0.5 }}')
    return "\n".join(lines) + "\n"


SUMMARY = re.compile(r"^\s*(Selected|Tested|Scenarios|API Links):.*$|^\s*\d+ generated.*$", re.M)


def _script(name: str) -> str:
    """A command of this environment (``st``, ``commonground``); a failure, never a skip."""
    beside_python = Path(sys.executable).with_name(name)
    found = str(beside_python) if beside_python.exists() else shutil.which(name)
    if found is None:
        pytest.fail(
            f"the command '{name}' is missing: run 'uv sync' (Schemathesis is a dev dependency)"
        )
    return found


@pytest.fixture
def seeded(world: World) -> dict[str, Any]:
    """One record of every kind the API serves, written through the services."""
    gov = world.member["government"]
    academic = world.member["academic_technical"]
    civil = world.member["civil_society"]
    issue = raise_issue(
        civil,
        world.forum,
        title="Affordable rural connectivity",
        description="Villages pay **more** for less bandwidth.",
        topics=["SDG 9", "access"],
    )
    second = raise_issue(gov, world.forum, title="Data protection", description="Guidance.")
    support_issue(gov, issue)
    signal = contributions.signal_concern(
        gov, issue, jurisdiction="KE", priority="high", statement="Kenya shares the concern."
    )
    solution = contributions.propose_solution(
        civil, issue, title="Community networks", description="Licence them cheaply."
    )
    advice = contributions.give_advice(
        academic, solution, feasibility="feasible", benefits="Cheap."
    )
    comment = contributions.add_comment(civil, issue=issue, body="Seen in three counties.")
    reply = contributions.add_comment(academic, issue=issue, body="Same here.", parent=comment)
    own = contributions.add_comment(gov, solution=solution, body="Worth a pilot.")
    conversation = dialogue.open_conversation(
        world.steward, issue, topic="Rural prices", moderation=Conversation.Moderation.OPEN
    )
    statement = dialogue.add_statement(civil, conversation, "Prices should be capped.")
    dialogue.cast_vote(academic, statement, 1)
    publish_checkpoint()
    _, token = create_api_token(gov, "conformance run")
    known = {
        "forums": [world.forum.slug, "africa-igf", "igf"],
        "issues": [issue.pk, second.pk],
        "solutions": [solution.pk],
        "signals": [signal.pk],
        "advice": [advice.pk],
        "comments": [comment.pk, reply.pk, own.pk],
        "conversations": [conversation.pk],
        "statements": [statement.pk],
        "participants": [user.public_id for user in (gov, civil, academic)],
    }
    return {"issue": issue, "token": token, "known": known}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _server_env(data_dir: Path) -> dict[str, str]:
    """The environment that points ``commonground serve`` at this test's database."""
    env = {**os.environ, "COMMONGROUND_DATA_DIR": str(data_dir)}
    env["COMMONGROUND_EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    database = connection.settings_dict
    if connection.vendor == "sqlite":
        env.pop("DATABASE_URL", None)
        env["COMMONGROUND_SQLITE_PATH"] = str(database["NAME"])
    else:
        # The same server and credentials as the suite's DATABASE_URL, on the test database.
        url = urlsplit(os.environ["DATABASE_URL"])
        env["DATABASE_URL"] = urlunsplit(url._replace(path="/" + quote(database["NAME"])))
    return env


@pytest.fixture
def server(seeded: dict[str, Any], settings: Any, tmp_path: Path) -> Iterator[str]:
    """``commonground serve`` (gunicorn, one worker) on the test database; yields its URL.

    A subprocess rather than ``live_server``: Django's development server answers a client
    that keeps its connection alive (as Schemathesis does) about six times slower, and the
    production server is the one whose behaviour matters.
    """
    port = _free_port()
    log = (tmp_path / "server.log").open("w")
    process = subprocess.Popen(
        [_script("commonground"), "serve", "--no-migrate", "--host", "127.0.0.1",
         "--port", str(port), "--workers", "1"],
        env=_server_env(Path(settings.DATA_DIR)), stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                pytest.fail(f"the server ended at start:\n{_server_log(tmp_path)}")
            try:
                with urlopen(f"{url}/api/v1/openapi.json", timeout=5) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"the server did not start:\n{_server_log(tmp_path)}")
                time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


ACCESS_LOG = re.compile(r"^\d+\.\d+\.\d+\.\d+ - - \[|^[A-Z][A-Za-z ]+: /")


def _server_log(tmp_path: Path) -> str:
    """What the server logged besides access lines and 4xx notes: tracebacks, mostly."""
    lines = (tmp_path / "server.log").read_text(errors="replace").splitlines()
    return "\n".join(line for line in lines if not ACCESS_LOG.match(line))[-20_000:]


def _run(url: str, tmp_path: Path, name: str, known: dict[str, Any], headers: list[str]) -> str:
    """One ``st run``: "" when it passed, else its report and the server's errors."""
    config = tmp_path / "schemathesis.toml"
    config.write_text(_config(known))
    command = [
        _script("st"), "--config-file", str(config), "run", f"{url}/api/v1/openapi.json",
        "--checks", "all", "--phases", PHASES, "--seed", str(SEED),
        "--max-examples", str(MAX_EXAMPLES), "--workers", "1", "--generation-database", "none",
        "--request-timeout", "30", "--no-color", *headers,
    ]  # fmt: skip
    env = {**os.environ, "NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost"}
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=900, cwd=tmp_path, env=env, check=False
    )
    output = done.stdout + done.stderr
    # The figures of the run, shown with ``pytest -s``.
    print(f"\nSchemathesis as {name}: " + "; ".join(m.strip() for m in _figures(output)))
    if done.returncode != 0 or not re.search(r"Tested:\s+\d+", output):
        return f"Schemathesis as {name} failed:\n{output}\nServer log:\n{_server_log(tmp_path)}"
    return ""


def _figures(output: str) -> list[str]:
    return [match.group(0) for match in SUMMARY.finditer(output)]


def test_schemathesis_finds_no_failure_as_a_member_or_anonymous(
    server: str, seeded: dict[str, Any], tmp_path: Path
) -> None:
    # One server and one seeded database for both runs: starting them is a good part of
    # the cost. The anonymous run comes first, so that it sees the seeded state only.
    issues, ledger = Issue.objects.count(), LedgerEntry.objects.count()
    anonymous = _run(server, tmp_path, "anonymous", seeded["known"], [])
    # An anonymous caller cannot write: whatever was generated, nothing changed.
    unchanged = (Issue.objects.count(), LedgerEntry.objects.count()) == (issues, ledger)
    bearer = ["-H", f"Authorization: Bearer {seeded['token']}"]
    member = _run(server, tmp_path, "member", seeded["known"], bearer)
    assert not anonymous and not member, anonymous + member
    assert unchanged
    # The member's run reached the writes: some succeeded, each with its ledger entry.
    assert LedgerEntry.objects.count() > ledger
