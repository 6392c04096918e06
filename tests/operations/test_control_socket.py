"""Several ``commonground serve`` processes on one host (docs/deployment.md, "Several app
servers behind a proxy") each keep their own gunicorn control socket: gunicorn's default
is one path per user, where the last server started took the first one's place."""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from gunicorn.ctl.client import ControlClient

from tests.servers import server_env, serving

pytestmark = pytest.mark.django_db(transaction=True)


def _bind(socket: Path) -> str:
    """The address the server answering on this control socket listens on."""
    deadline = time.monotonic() + 60  # gunicorn opens it once its workers are up
    while not socket.exists():
        assert time.monotonic() < deadline, f"no control socket at {socket}"
        time.sleep(0.2)
    with ControlClient(str(socket), timeout=30) as client:
        config = client.send_command("show config")
    return str(config["bind"][0] if isinstance(config["bind"], list) else config["bind"])


def test_two_servers_on_one_host_each_answer_on_their_own_control_socket(
    tmp_path: Path,
) -> None:
    # Short: a Unix socket's path holds at most 107 bytes, pytest's tmp_path can be longer.
    runtime = Path(tempfile.mkdtemp(prefix="cg-run-"))
    env = server_env(tmp_path, XDG_RUNTIME_DIR=str(runtime))
    try:
        with serving(env, tmp_path / "first.log") as first:
            first_address = urlsplit(first).netloc
            first_socket = runtime / f"commonground-{first_address.replace(':', '-')}.ctl"
            with serving(env, tmp_path / "second.log") as second:
                second_address = urlsplit(second).netloc
                second_socket = runtime / f"commonground-{second_address.replace(':', '-')}.ctl"
                assert _bind(first_socket) == first_address
                assert _bind(second_socket) == second_address
            # The second server, stopping, removed its own socket and left the first's.
            assert not second_socket.exists()
            assert _bind(first_socket) == first_address
        assert not first_socket.exists()
    finally:
        shutil.rmtree(runtime, ignore_errors=True)
