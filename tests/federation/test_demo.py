"""``commonground demo --federated`` (issue 16, "Demo"): two instances on two ports, peered
both ways, the national forum under the global forum of the other instance, and three
issues forwarded across through the signed delivery path."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
import requests

from tests.servers import free_port, script

pytestmark = pytest.mark.scenario


def test_the_federated_demo_serves_two_peered_instances_with_forwards_delivered(
    tmp_path: Path,
) -> None:
    national, world = free_port(), free_port()
    env = {**os.environ, "COMMONGROUND_DATA_DIR": str(tmp_path)}
    for var in ("DATABASE_URL", "COMMONGROUND_SQLITE_PATH", "COMMONGROUND_PUBLIC_URL"):
        env.pop(var, None)
    command = [script("commonground"), "demo", "--federated", "--port", str(national),
               "--global-port", str(world)]  # fmt: skip
    # Its own process group: whatever it started (two servers, their workers) is stopped
    # with it at the end, even if it could not stop them itself.
    demo = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, text=True, start_new_session=True
    )
    lines: list[str] = []
    try:
        deadline = time.monotonic() + 600
        assert demo.stdout is not None
        while time.monotonic() < deadline:
            line = demo.stdout.readline()
            if not line:
                break
            lines.append(line)
            if "Ctrl-C stops both" in line:
                break
        text = "".join(lines)
        assert "Ctrl-C stops both" in text, text
        assert text.count(": delivered") == 3, text
        kenya, igf = f"http://127.0.0.1:{national}", f"http://127.0.0.1:{world}"
        assert f"{igf}/forums/igf/" in text and f"{kenya}/forums/kenya-igf/" in text

        forums = requests.get(f"{kenya}/api/v1/forums", timeout=30).json()
        assert {f["slug"]: f["parent_url"] for f in forums}["kenya-igf"] == f"{igf}/forums/igf"
        children = requests.get(f"{igf}/api/v1/forums/igf/remote-children", timeout=30).json()
        assert [(c["slug"], c["peer"], c["blocked"]) for c in children] == [
            ("kenya-igf", kenya, False)
        ]
        received = requests.get(
            f"{igf}/api/v1/federation/received", params={"from": kenya}, timeout=30
        ).json()
        assert received["count"] == 3
        audit = subprocess.run(
            [script("commonground"), "federation", "audit", igf],
            env={**env, "COMMONGROUND_DATA_DIR": str(tmp_path / "federated" / "national"),
                 "COMMONGROUND_PUBLIC_URL": kenya},
            capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert audit.returncode == 0 and "6 forwards checked both ways" in audit.stdout, (
            audit.stdout + audit.stderr
        )
    finally:
        demo.send_signal(signal.SIGINT)
        try:
            demo.wait(timeout=90)
        except subprocess.TimeoutExpired:
            demo.kill()
            demo.wait()
        # No such group: the demo stopped both servers, as it should.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(demo.pid, signal.SIGKILL)
