"""``commonground demo --federated`` (docs/federation.md, "Demo"): two instances on two ports
with two data directories, a global one and a national one, peered both ways; the national
forum's parent is the global forum on the other instance, and a few issues are forwarded
across through the real delivery path (signed requests, the inbox's checks)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import IO, Any
from urllib.request import urlopen

from django.utils.translation import gettext as _

from commonground.core.children import stop_children
from commonground.core.errors import CliError

#: The national forum's members: one per stakeholder group (e-mail, group, country).
MEMBERS = [
    ("wanjiru@kenya.example.org", "civil_society", "KE"),
    ("otieno@kenya.example.org", "government", "KE"),
    ("achieng@kenya.example.org", "private_sector", "KE"),
    ("kamau@kenya.example.org", "academic_technical", "KE"),
]
STEWARD = "steward@kenya.example.org"
#: The issues raised in Kenya; the first three get three groups' support and are forwarded.
ISSUES = [
    ("Affordable rural connectivity", "Villages pay more for less bandwidth."),
    ("Local-language content online", "Most services are in English only."),
    ("Data protection for mobile money", "Transaction data is shared without consent."),
    ("Spectrum for community networks", "Licences cost more than small operators earn."),
]


class Stopped(Exception):
    """SIGTERM or SIGHUP reached the demo: it stops its servers and ends, as on Ctrl-C."""


def _tie_to_parent() -> Callable[[], None] | None:
    """On Linux, a ``preexec_fn`` that has the kernel send the child SIGTERM when this
    process ends, however it ends (even SIGKILL, which no handler sees).

    The demo's servers are children in its process group, but a signal sent to the demo's
    pid alone reaches none of them: without this they outlived a demo that was killed.
    """
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    parent = os.getpid()
    pr_set_pdeathsig = 1

    def tie() -> None:  # in the child, between fork and exec
        libc.prctl(pr_set_pdeathsig, signal.SIGTERM, 0, 0, 0)
        if os.getppid() != parent:  # the demo ended before the tie was made
            os.kill(os.getpid(), signal.SIGTERM)

    return tie


def spawn(command: list[str], env: dict[str, str], out: IO[Any] | int) -> subprocess.Popen[Any]:
    """Start a child that does not outlive this process (``_tie_to_parent``)."""
    return subprocess.Popen(
        command, env=env, stdout=out, stderr=subprocess.STDOUT, preexec_fn=_tie_to_parent()
    )


@contextmanager
def stopped_with_this_process() -> Iterator[list[subprocess.Popen[Any]]]:
    """Yield a list for the children started in the block; stop them all when it ends.

    Python ends on SIGTERM and SIGHUP without unwinding, so no ``finally`` ran and the
    servers stayed up: here those signals raise ``Stopped`` in the main thread instead, and
    the children are stopped (terminated, then killed after 30 s) on every way out.
    """
    children: list[subprocess.Popen[Any]] = []

    def stop(signum: int, frame: FrameType | None) -> None:
        raise Stopped(signal.Signals(signum).name)

    handled = [signal.SIGTERM, signal.SIGHUP]
    previous = {signum: signal.signal(signum, stop) for signum in handled}
    try:
        yield children
    finally:
        stop_children(children)
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _command(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "commonground.cli", *args],
        env=env, capture_output=True, text=True, timeout=600, preexec_fn=_tie_to_parent(),
    )  # fmt: skip
    if done.returncode != 0:
        raise CliError(f"commonground {' '.join(args)}: {(done.stderr or done.stdout).strip()}")
    return done.stdout


def _env(data: Path, port: int, name: str) -> dict[str, str]:
    env = {**os.environ, "COMMONGROUND_DATA_DIR": str(data)}
    for var in ("DATABASE_URL", "COMMONGROUND_SQLITE_PATH", "COMMONGROUND_LEDGER_KEY"):
        env.pop(var, None)
    url = f"http://127.0.0.1:{port}"
    env.update({
        "COMMONGROUND_PUBLIC_URL": url, "COMMONGROUND_SITE_URL": url,
        "COMMONGROUND_SITE_NAME": name, "COMMONGROUND_TASKS": "database",
        "COMMONGROUND_LEDGER_KEY_FILE": str(data / "ledger_ed25519.pem"),
        "COMMONGROUND_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
    })  # fmt: skip
    data.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):  # a fresh demo each time
        Path(f"{data / 'commonground.sqlite3'}{suffix}").unlink(missing_ok=True)
    return env


def _wait(url: str, server: subprocess.Popen[Any]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise CliError(_("the server for %(url)s stopped at start") % {"url": url})
        try:
            with urlopen(f"{url}/.well-known/commonground", timeout=5):
                return
        except OSError:
            time.sleep(0.5)
    raise CliError(_("the server for %(url)s did not start") % {"url": url})


def seed_national(parent_url: str, password: str) -> list[str]:
    """In the national instance: its forum under ``parent_url``, members, issues, a published
    agenda, and its first three issues forwarded up (delivered now, signed)."""
    from commonground.federation.remote import create_forum_under_remote_parent
    from commonground.federation.sending import forward_remote
    from commonground.forums.services import advance_cycle, join_forum, open_cycle
    from commonground.issues.services import raise_issue, support_issue
    from commonground.participants.services import create_account, grant_steward
    from commonground.recognition.services import publish_agenda

    forum = create_forum_under_remote_parent(
        None, slug="kenya-igf", name="Kenya IGF", level="national", parent_url=parent_url,
        country="KE",
    )  # fmt: skip
    forum.min_supporters = 1
    forum.save(update_fields=["min_supporters"])
    open_cycle(None, forum, "2027")
    members = []
    for email, group, country in MEMBERS:
        user = create_account(email, password, email.split("@")[0].title())
        join_forum(user, forum, stakeholder_group=group, country=country)
        members.append(user)
    steward = create_account(STEWARD, password, "Kenya steward")
    grant_steward(None, join_forum(steward, forum, stakeholder_group="civil_society", country="KE"))
    issues = [
        raise_issue(members[i % len(members)], forum, title=title, description=text)
        for i, (title, text) in enumerate(ISSUES)
    ]
    for issue in issues[:3]:
        for user in members[:3]:
            support_issue(user, issue)
    advance_cycle(None, forum)  # agenda setting: the agenda can be published
    publish_agenda(steward, forum)
    states = []
    for issue in issues[:3]:
        delivery = forward_remote(steward, issue, parent_url)
        delivery.refresh_from_db()
        states.append(f"{issue.title}: {delivery.state}")
    return states


def run(port: int, global_port: int, password: str) -> int:
    """Set up both instances, serve them until interrupted, and print where they are."""
    base = Path(os.environ.get("COMMONGROUND_DATA_DIR") or "var").resolve() / "federated"
    national_port = port
    world = _env(base / "global", global_port, "Global IGF")
    kenya = _env(base / "national", national_port, "Kenya IGF")
    world_url, kenya_url = world["COMMONGROUND_PUBLIC_URL"], kenya["COMMONGROUND_PUBLIC_URL"]
    for env in (world, kenya):
        _command(env, "manage", "migrate", "--verbosity", "0")
    _command(world, "forum", "create", "igf", "--name", "Global IGF", "--level", "global")
    _command(world, "cycle", "open", "igf", "2027")
    try:
        with stopped_with_this_process() as servers:
            for env, p in ((world, global_port), (kenya, national_port)):
                command = [sys.executable, "-m", "commonground.cli", "serve", "--no-migrate"]
                with open(Path(env["COMMONGROUND_DATA_DIR"]) / "server.log", "w") as log:
                    servers.append(spawn([*command, "--port", str(p), "--workers", "1"], env, log))
            _wait(world_url, servers[0])
            _wait(kenya_url, servers[1])
            _command(world, "peer", "add", kenya_url)
            _command(kenya, "peer", "add", world_url)
            seeded = _command(
                {**kenya, "COMMONGROUND_TASKS": "immediate"},
                "demo", "--federated-seed", f"{world_url}/forums/igf/",
            )  # fmt: skip
            print(seeded, end="")
            print(_("Global instance:   %(url)s/forums/igf/") % {"url": world_url})
            print(_("National instance: %(url)s/forums/kenya-igf/") % {"url": kenya_url})
            print(_("Logins on the national instance (password: %(p)s):") % {"p": password})
            for email, group, _country in MEMBERS:
                print(f"  {email:<34} {group}")
            print(f"  {STEWARD:<34} steward")
            print(_("Data: %(dir)s; Ctrl-C stops both.") % {"dir": base}, flush=True)
            while all(s.poll() is None for s in servers):
                time.sleep(1)
            return 1
    except (KeyboardInterrupt, Stopped):
        return 0
