"""``commonground demo --federated`` stops its two servers however it is stopped: SIGTERM,
SIGHUP and SIGINT stop them before it ends, and on Linux even SIGKILL takes them with it.

The demo's own children are stood in for by sleeping processes started the way it starts
its servers; tests/federation/test_demo.py stops the real demo with SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

# A shell starts a background job with SIGINT ignored, and Python then leaves it ignored;
# the parent stands in for a demo started from a terminal, where Ctrl-C interrupts it.
PARENT = """
import os, signal, subprocess, sys, time
signal.signal(signal.SIGINT, signal.default_int_handler)
from commonground.demo.federated import spawn, stopped_with_this_process
sleeper = [sys.executable, "-c", "import time; time.sleep(600)"]
with stopped_with_this_process() as children:
    for _ in range(2):
        children.append(spawn(sleeper, dict(os.environ), subprocess.DEVNULL))
    print(" ".join(str(child.pid) for child in children), flush=True)
    while True:
        time.sleep(1)
"""


def _alive(pid: int) -> bool:
    """Whether the process runs (a zombie awaiting its reaper has ended)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in {"Z", "X"}


SIGNALS = [signal.SIGTERM, signal.SIGHUP, signal.SIGINT, signal.SIGKILL]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("signum", SIGNALS, ids=[s.name for s in SIGNALS])
def test_the_demos_servers_end_when_the_demo_is_killed(signum: signal.Signals) -> None:
    # Its own session: the signal goes to the demo's pid alone, as `kill PID` sends it,
    # not to a terminal's whole foreground group as Ctrl-C does.
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT], stdout=subprocess.PIPE, text=True,
        start_new_session=True,
    )  # fmt: skip
    children: list[int] = []
    try:
        assert parent.stdout is not None
        children = [int(pid) for pid in parent.stdout.readline().split()]
        assert len(children) == 2 and all(_alive(pid) for pid in children)
        parent.send_signal(signum)
        parent.wait(timeout=60)
        deadline = time.monotonic() + 30
        while any(_alive(pid) for pid in children) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(_alive(pid) for pid in children), f"still running after {signum.name}"
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait()
        for pid in children:  # never leave a sleeper behind, even when the test failed
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
