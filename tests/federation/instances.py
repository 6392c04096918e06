"""A second Common Ground instance for the federation tests: its own data directory, SQLite
database and ledger key, served by ``commonground serve`` on a loopback port and driven
through its command line. Its public URL is where it listens."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.request import urlopen

import pytest

from commonground.federation.identity import public_url
from commonground.federation.lookup import normalize_url
from commonground.ledger.services import signing_key
from tests.migrated import migrate
from tests.servers import free_port, script, server_env, serving


@dataclass
class Instance:
    """Another instance: ``env`` runs its commands, ``url`` is set while it is served."""

    data: Path
    env: dict[str, str]
    url: str = ""
    port: int = 0
    served: list[Any] = field(default_factory=list)

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """Run ``commonground ARGS`` as this instance."""
        done = subprocess.run(
            [script("commonground"), *args],
            env=self.env, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        if check and done.returncode != 0:
            pytest.fail(f"commonground {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
        return done

    @property
    def key_file(self) -> Path:
        return Path(self.env["COMMONGROUND_LEDGER_KEY_FILE"])

    def document(self) -> dict[str, Any]:
        with urlopen(f"{self.url}/.well-known/commonground", timeout=30) as answer:
            data: dict[str, Any] = json.load(answer)
            return data


def new_instance(data: Path, name: str) -> Instance:
    """A migrated instance in ``data`` (not served yet), named ``name``; its URL is fixed."""
    data.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "COMMONGROUND_DATA_DIR": str(data)}
    for var in ("DATABASE_URL", "COMMONGROUND_SQLITE_PATH", "COMMONGROUND_LEDGER_KEY"):
        env.pop(var, None)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env.update({
        "COMMONGROUND_LEDGER_KEY_FILE": str(data / "ledger_ed25519.pem"),
        "COMMONGROUND_PUBLIC_URL": url,
        "COMMONGROUND_SITE_URL": url,
        "COMMONGROUND_SITE_NAME": name,
        "COMMONGROUND_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "COMMONGROUND_TASKS": "immediate",
        # As every served test instance (tests/servers.py server_env): a test reads right
        # after a change, here another instance's delivery, so no staleness window; with
        # the 2 s default a read within 2 s of the previous one got the page from before.
        "COMMONGROUND_READ_STALE_SECONDS": "0",
    })  # fmt: skip
    instance = Instance(data=data, env=env, url=url, port=port)
    migrate(env)
    return instance


@contextmanager
def served(instance: Instance, log: Path) -> Iterator[str]:
    """Serve ``instance`` on its own port until the block ends."""
    with serving(instance.env, log, port=instance.port) as url:
        assert url == instance.url
        yield url


@dataclass
class TwoInstances:
    """This test's database as the national instance, to be served on ``port`` with
    ``env``, and the global instance ``igf`` with its forum at ``target``."""

    port: int
    env: dict[str, str]
    igf: Instance
    target: str


def national_and_global(
    settings: Any, tmp_path: Path, site_name: str = "Global IGF", **extra: str
) -> TwoInstances:
    """The two instances of a live federation test (neither served yet): the national one
    is this database at a free port's public URL, its key file created now and shared by
    the served process and this one (``extra``: more of its environment); the global one
    has its own data directory, database and key, the forum ``igf`` and its cycle 2027."""
    port = free_port()
    settings.COMMONGROUND_PUBLIC_URL = f"http://127.0.0.1:{port}"
    signing_key()
    env = server_env(
        tmp_path / "national", COMMONGROUND_PUBLIC_URL=public_url(),
        COMMONGROUND_LEDGER_KEY_FILE=str(settings.COMMONGROUND_LEDGER_KEY_FILE), **extra,
    )  # fmt: skip
    env.pop("COMMONGROUND_LEDGER_KEY", None)
    (tmp_path / "national").mkdir()
    igf = new_instance(tmp_path / "global", site_name)
    igf.run("forum", "create", "igf", "--name", "Global IGF", "--level", "global")
    igf.run("cycle", "open", "igf", "2027")
    return TwoInstances(port, env, igf, normalize_url(f"{igf.url}/forums/igf/"))
