"""bench/load.py --quick --json on PostgreSQL: the load run is exact and error-free.

Only the correctness of the run is asserted (never its speed: the machine is shared).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.scenario
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the load bench needs PostgreSQL")
def test_a_quick_load_run_on_postgresql_is_exact_with_no_errors(tmp_path: Path) -> None:
    db = connection.settings_dict
    server = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    ports = os.environ.get("COMMONGROUND_TEST_PORTS", "8690-8699").split("-")[0]
    env = {
        **os.environ,
        "DATABASE_URL": f"{server}/{db['NAME']}",
        "COMMONGROUND_DATA_DIR": str(tmp_path),
    }
    command = [sys.executable, str(ROOT / "bench" / "load.py"), "--quick", "--json"]
    command += ["--users", "4", "--requests", "120", "--members", "24", "--port", ports]
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
