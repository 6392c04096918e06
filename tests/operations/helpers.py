"""Run the ``commonground`` command in subprocesses against a database of the test's own.

Each helper takes the environment (``COMMONGROUND_DATA_DIR`` and, for PostgreSQL,
``DATABASE_URL``) so the same round trip runs on both databases. ``seed_main`` is run
with ``python -c`` in a subprocess: it sets up Django there and creates data through
the services, exactly as the web UI and the API do.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import urllib.parse
from pathlib import Path
from typing import Any

from commonground.ledger.merkle import root_hash
from tests.migrated import migrate

REPO = Path(__file__).resolve().parents[2]
#: Longest any one command may take.
TIMEOUT = 120
GROUPS_AND_COUNTRIES = [
    ("government", "KE"),
    ("civil_society", "SN"),
    ("private_sector", "BR"),
    ("academic_technical", "IN"),
    ("intergovernmental", "CH"),
    ("internet_institution", "UA"),
]


def base_env(data_dir: Path, database_url: str | None = None) -> dict[str, str]:
    env = {**os.environ, "COMMONGROUND_DATA_DIR": str(data_dir)}
    for name in (
        "DATABASE_URL",
        "COMMONGROUND_SQLITE_PATH",
        "COMMONGROUND_LEDGER_KEY",
        "COMMONGROUND_LEDGER_KEY_FILE",
        "DJANGO_SETTINGS_MODULE",
    ):
        env.pop(name, None)
    env["COMMONGROUND_ENV"] = "development"
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def cg(env: dict[str, str], *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run ``commonground ARGS``; with ``check``, fail the test on a non-zero exit."""
    done = subprocess.run(
        [sys.executable, "-m", "commonground.cli", *args],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    if check:
        assert done.returncode == 0, f"commonground {' '.join(args)}: {done.stderr}{done.stdout}"
    return done


def seed(env: dict[str, str], *args: str) -> Any:
    """Run :func:`seed_main` in a subprocess; returns the JSON it prints."""
    code = "from tests.operations.helpers import seed_main; seed_main()"
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert done.returncode == 0, f"seed {' '.join(args)}: {done.stderr}"
    return json.loads(done.stdout.strip().splitlines()[-1])


def seed_main() -> None:
    """``seed FORUM PREFIX PARTICIPANTS ISSUES SUPPORTS_EACH [--tokens]`` (in a subprocess).

    Creates PARTICIPANTS members of FORUM (e-mails ``PREFIX-N@example.org``, groups in
    turn), ISSUES issues raised by the first of them, and lets every new member support
    SUPPORTS_EACH of the forum's issues. Prints JSON: issue ids and, with ``--tokens``,
    one API token per new member.
    """
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonground.settings")
    import django

    django.setup()
    from django.db import transaction

    from commonground.access.lookup import get_forum
    from commonground.forums.services import join_forum
    from commonground.issues.models import Issue
    from commonground.issues.services import raise_issue, support_issue
    from commonground.participants.services import create_account, create_api_token

    slug, prefix, people, issues, supports_each = sys.argv[1:6]
    want_tokens = "--tokens" in sys.argv[6:]
    forum = get_forum(slug)
    users, tokens = [], []
    with transaction.atomic():
        for n in range(int(people)):
            group, country = GROUPS_AND_COUNTRIES[n % len(GROUPS_AND_COUNTRIES)]
            user = create_account(f"{prefix}-{n}@example.org", None, display_name=f"{prefix} {n}")
            join_forum(user, forum, stakeholder_group=group, country=country)
            users.append(user)
            if want_tokens:
                tokens.append(create_api_token(user, "seed")[1])
    for n in range(int(issues)):
        raise_issue(
            users[n % len(users)],
            forum,
            title=f"{prefix} issue {n}: access to the network",
            description=f"Issue number {n} raised by the seed script ({prefix}).",
            topics=["access"] if n % 2 else [],
        )
    issue_list = list(Issue.objects.filter(forum=forum).order_by("pk"))
    for n, user in enumerate(users):
        for k in range(int(supports_each)):
            if issue_list:
                support_issue(user, issue_list[(n + k) % len(issue_list)])
    print(json.dumps({"issues": [i.pk for i in issue_list], "tokens": tokens}))


def create_world(env: dict[str, str], forum: str = "kenya-igf") -> None:
    """A forum with an open cycle, two participants by the CLI, more people, issues, supports."""
    migrate(env)
    cg(env, "forum", "create", forum, "--name", "Kenya IGF", "--level", "national")
    cg(env, "cycle", "open", forum, "2027")
    for email, group in (("ana@example.org", "civil_society"), ("ben@example.org", "government")):
        cg(env, "participant", "create", email, "--forum", forum, "--group", group, "--country=KE")
    seed(env, forum, "seed", "12", "5", "3")


def export_files(env: dict[str, str], forum: str, directory: Path) -> dict[str, Any]:
    """Export the forum's open data; returns each file's content (``created`` left out)."""
    cg(env, "export", forum, str(directory))
    files: dict[str, Any] = {}
    for path in sorted(directory.iterdir()):
        if path.name == "datapackage.json":
            package = json.loads(path.read_text(encoding="utf-8"))
            package.pop("created", None)
            files[path.name] = package
        else:
            files[path.name] = path.read_bytes()
    return files


def ledger_state(env: dict[str, str], path: Path) -> tuple[bytes, int, str]:
    """The exported entries (bytes), their count and the Merkle root recomputed from them."""
    cg(env, "ledger", "export-entries", str(path))
    data = path.read_bytes()
    leaves = [bytes.fromhex(json.loads(line)["leaf_hash"]) for line in data.splitlines() if line]
    return data, len(leaves), root_hash(leaves).hex()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# -- PostgreSQL -------------------------------------------------------------------------------


def postgres_base_url() -> str:
    """DATABASE_URL when it points at PostgreSQL, else the local server as user postgres."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        return url
    return "postgres://postgres@127.0.0.1:5432/postgres"


def with_database(url: str, name: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))


def _connect(url: str) -> Any:
    import psycopg

    return psycopg.connect(with_database(url, "postgres"), autocommit=True, connect_timeout=5)


def postgres_unavailable() -> str | None:
    """Why the PostgreSQL tests cannot run here, or None when they can."""
    import shutil

    for tool in ("pg_dump", "pg_restore"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed"
    try:
        with _connect(postgres_base_url()) as conn:
            conn.execute("SELECT 1")
    except Exception as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return f"no PostgreSQL server answers at {postgres_base_url()}: {first}"
    return None


def create_database(name: str) -> str:
    """Create (or re-create) an empty database; returns its URL."""
    with _connect(postgres_base_url()) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return with_database(postgres_base_url(), name)


def drop_database(name: str) -> None:
    with contextlib.suppress(Exception), _connect(postgres_base_url()) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
