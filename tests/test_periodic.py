"""The worker's periodic jobs (ledger upkeep, federation deliveries) share one loop."""

from __future__ import annotations

import threading
import time

import pytest

from commonground.core.periodic import start_periodic


@pytest.mark.django_db
def test_a_failing_periodic_run_is_logged_and_the_loop_goes_on_until_stopped(
    caplog: pytest.LogCaptureFixture,
) -> None:
    runs: list[int] = []
    stop = threading.Event()

    def job() -> None:
        runs.append(1)
        if len(runs) == 1:
            raise RuntimeError("first run fails")

    thread = start_periodic(stop, "test-job", job, 0.01)
    deadline = time.monotonic() + 30
    while len(runs) < 3 and time.monotonic() < deadline:
        time.sleep(0.01)
    stop.set()
    thread.join(5)
    assert len(runs) >= 3 and not thread.is_alive()
    assert "test-job failed" in caplog.text
