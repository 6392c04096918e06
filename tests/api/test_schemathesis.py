"""Schemathesis conformance run over the whole OpenAPI document (issue 6, "Conformant API").

The ``st`` command line runs against a real server: ``commonground serve`` (gunicorn, as in
production) in a subprocess on the test database (SQLite or PostgreSQL, whichever the
suite runs on), seeded with a small forum in which every kind of record exists: issues, a support, a
signal, a solution, technical advice, comments and a signed checkpoint; the regional and
global forums add sessions, a report and a message under public comment
(tests/api/programme_seed.py). It runs every
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
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from commonground.contributions import services as contributions
from commonground.dialogue import services as dialogue
from commonground.dialogue.models import Conversation
from commonground.issues.models import Issue
from commonground.issues.services import raise_issue, support_issue
from commonground.ledger.models import LedgerEntry
from commonground.ledger.services import publish_checkpoint
from commonground.participants.services import create_api_token
from tests.api.programme_seed import seed_programme
from tests.conftest import World
from tests.servers import script, server_env, server_log, serving

pytestmark = [pytest.mark.conformance, pytest.mark.django_db(transaction=True)]

SEED = 6
# Fuzzing examples per operation and identity; the coverage and stateful phases come on
# top (at 40, fuzzing was two thirds of a nine-minute run, run in both CI legs then).
MAX_EXAMPLES = 20
PHASES = "examples,coverage,fuzzing,stateful"

# positive_data_acceptance: a request that fits the schema must not be refused as invalid
# input. Schemathesis counts any 400 as such a refusal, but here 400 means "well-formed but
# not acceptable": a rule the schema cannot state (a government signals for a country
# code, an IGO for its acronym; a reply names an existing comment; a title is not blank).
# 422 is the answer for input that does not fit the schema, so it stays a failure.
# The stateful phase gets more scenarios than the per-operation phases: each scenario is
# a chain of calls along the links, and the chains are where writes meet reads.
CONFIG = """\
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
    "session_id": "sessions",
    "message_id": "messages",
    "objection_id": "objections",
    "cycle_id": "cycles",
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
        **seed_programme(world),
    }
    return {"issue": issue, "token": token, "known": known}


@pytest.fixture
def server(seeded: dict[str, Any], settings: Any, tmp_path: Path) -> Iterator[str]:
    """``commonground serve`` (gunicorn, one worker, with its task worker) on the test
    database (tests/servers.py); yields its URL."""
    env = server_env(Path(settings.DATA_DIR))
    with serving(env, tmp_path / "server.log", task_worker=True) as url:
        yield url


def _run(url: str, tmp_path: Path, name: str, known: dict[str, Any], headers: list[str]) -> str:
    """One ``st run``: "" when it passed, else its report and the server's errors."""
    config = tmp_path / "schemathesis.toml"
    config.write_text(_config(known))
    command = [
        script("st"), "--config-file", str(config), "run", f"{url}/api/v1/openapi.json",
        "--checks", "all", "--phases", PHASES, "--seed", str(SEED),
        "--max-examples", str(MAX_EXAMPLES), "--workers", "1", "--generation-database", "none",
        "--request-timeout", "30", "--no-color", *headers,
        # Hypothesis's too_slow check times the data generation itself: on a machine shared
        # with other test runs it fired on a route whose every generated request passed.
        # It says nothing about the API, so it does not fail the run.
        "--suppress-health-check", "too_slow",
    ]  # fmt: skip
    env = {**os.environ, "NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost"}
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=1800, cwd=tmp_path, env=env, check=False
    )
    output = done.stdout + done.stderr
    # The figures of the run, shown with ``pytest -s``.
    print(f"\nSchemathesis as {name}: " + "; ".join(m.strip() for m in _figures(output)))
    if done.returncode != 0 or not re.search(r"Tested:\s+\d+", output):
        log = server_log(tmp_path / "server.log")
        return f"Schemathesis as {name} failed:\n{output}\nServer log:\n{log}"
    return ""


def _figures(output: str) -> list[str]:
    return [match.group(0) for match in SUMMARY.finditer(output)]


@pytest.mark.parametrize("identity", ["anonymous", "member"])
def test_schemathesis_finds_no_failure_as(
    identity: str, server: str, seeded: dict[str, Any], tmp_path: Path
) -> None:
    """Each identity has its own server and seeded database (CI runs the two in different
    legs, tests/conftest.py)."""
    issues, ledger = Issue.objects.count(), LedgerEntry.objects.count()
    if identity == "anonymous":
        failure = _run(server, tmp_path, "anonymous", seeded["known"], [])
        assert not failure, failure
        # An anonymous caller cannot write: whatever was generated, nothing changed.
        assert (Issue.objects.count(), LedgerEntry.objects.count()) == (issues, ledger)
    else:
        bearer = ["-H", f"Authorization: Bearer {seeded['token']}"]
        failure = _run(server, tmp_path, "member", seeded["known"], bearer)
        assert not failure, failure
