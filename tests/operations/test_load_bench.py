"""bench/load.py --quick --json on PostgreSQL: the load run is exact and error-free.

Only the correctness of the run is asserted (never its speed: the machine is shared).
The bench needs PostgreSQL whatever the suite runs on: on SQLite it uses the local
cluster, so the test runs in CI's SQLite leg, where scenario tests run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from tests.servers import free_port

ROOT = Path(__file__).resolve().parents[2]
LOCAL_CLUSTER = "postgres://postgres@127.0.0.1:5432"


def _database_url() -> str:
    """The suite's PostgreSQL database, or one named for this test on the local cluster
    (the bench makes its scratch database beside it: the name with ``_load``)."""
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        server = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
        return f"{server}/{db['NAME']}"
    try:
        psycopg.connect(f"{LOCAL_CLUSTER}/postgres", connect_timeout=5).close()
    except psycopg.OperationalError as error:
        if os.environ.get("CI") == "true":
            raise  # CI starts the cluster (.ci/run): its absence is a failure there
        pytest.skip(reason=f"no PostgreSQL on the local cluster for the load bench: {error}")
    return f"{LOCAL_CLUSTER}/cg_test_load_bench"


@pytest.mark.scenario
def test_a_quick_load_run_on_postgresql_is_exact_with_no_errors(tmp_path: Path) -> None:
    port = free_port()  # the bench's one server (no proxy, no Redis)
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "COMMONGROUND_DATA_DIR": str(tmp_path),
    }
    command = [sys.executable, str(ROOT / "bench" / "load.py"), "--quick", "--json"]
    command += ["--users", "4", "--requests", "120", "--members", "24", "--port", str(port)]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    assert done.stdout.strip(), done.stderr[-2000:]
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    assert set(summary) == {
        "supports_per_s",
        "floor_write_per_s",
        "ratio",
        "p99_ms",
        "floor_p99_ms",
        "errors",
        "exact",
    }
    assert summary["exact"] is True
    assert summary["errors"] == 0
    assert summary["supports_per_s"] > 0 and summary["floor_write_per_s"] > 0
