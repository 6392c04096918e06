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
        # SIGTERM to the demo's pid alone (`kill PID`), not Ctrl-C to the terminal's whole
        # group: the demo must stop both servers itself (Python's default on SIGTERM is to
        # end at once, which left them running).
        demo.send_signal(signal.SIGTERM)
        try:
            demo.wait(timeout=90)
        except subprocess.TimeoutExpired:
            demo.kill()
            demo.wait()
        left = _left_in_group(demo.pid)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(demo.pid, signal.SIGKILL)
    assert left == [], f"the demo left {left} running"


def _left_in_group(group: int) -> list[str]:
    """The processes of the demo's group still running once their task workers and
    gunicorn workers had time to notice their parent is gone."""
    deadline = time.monotonic() + 30
    while True:
        left = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                name, fields = stat.read_text().rsplit(")", 1)
            except OSError:
                continue
            state, _ppid, pgrp = fields.split()[:3]
            if int(pgrp) == group and state not in {"Z", "X"}:
                left.append(f"{stat.parent.name} {name.split('(', 1)[1]}")
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.5)
