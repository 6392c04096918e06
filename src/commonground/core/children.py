"""Stopping the child processes a command started (servers, workers): no Django import, so
the load benchmark (bench/load.py) uses it before Django is set up."""

from __future__ import annotations

import subprocess
from collections.abc import Iterable
from typing import Any


def stop_children(children: Iterable[subprocess.Popen[Any]], grace: float = 30) -> None:
    """SIGTERM to each child still running, all first so they wind down together; then
    wait up to ``grace`` seconds for each, and kill one that has not ended by then."""
    children = list(children)
    for child in children:
        if child.poll() is None:
            child.terminate()
    for child in children:
        try:
            child.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
