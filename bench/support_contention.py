"""Supports under contention on three hot issues, through the service, on PostgreSQL.

    uv run python bench/support_contention.py [--workers 8] [--seconds 10] [--members 64]

On a scratch database built as bench/load.py builds it (``DATABASE_URL``'s name with
``_load``), ``--workers`` processes (one database session each, no HTTP) support and
withdraw as the support storm's members do: member m supports issue m % 3, withdraws,
again, each member in one process only. It reports supports per second and the CPU per
support of the processes and of their database backends (``/proc``, so the database must
be on this machine), and checks that the issues' counts equal the support rows and the
agenda's tallies are clean. What it isolates from bench/load.py: the statements' cost when
transactions wait for one another on the hot rows (the re-checks of an updated row),
without the HTTP server, Locust and the baselines.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import time
from pathlib import Path
from typing import Any

from scratch_site import like_load_servers

ROOT = Path(__file__).resolve().parent.parent


def _cpu_of(pid: int) -> float:
    """A process's user + system CPU so far, seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _work(worker: int, workers: int, plan: dict[str, Any], start: float, seconds: float) -> Any:
    import django

    django.setup()
    from django.db import connection

    from commonground.issues.services import support_issue, withdraw_support
    from commonground.participants.models import User

    users = list(User.objects.filter(email__endswith="@load.example.org").order_by("pk"))
    mine = [(n, user) for n, user in enumerate(users) if n % workers == worker]
    hot: list[int] = plan["issues"][:3]
    connection.ensure_connection()
    backend = connection.connection.info.backend_pid
    while time.time() < start:
        time.sleep(0.001)
    cpu, db_cpu = time.process_time(), _cpu_of(backend)
    done, turn = 0, 0
    while time.time() < start + seconds:
        n, user = mine[(turn // 2) % len(mine)]
        if turn % 2 == 0:
            support_issue(user, hot[n % 3])
        else:
            withdraw_support(user, hot[n % 3])
        turn += 1
        done += 1
    return done, time.process_time() - cpu, _cpu_of(backend) - db_cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--members", type=int, default=64)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from bench.load import setup_database

    plan = setup_database(members=args.members, issues=12, statements=1)
    from django.db import connections

    connections.close_all()
    start = time.time() + 2.0
    fork = multiprocessing.get_context("fork")
    with fork.Pool(args.workers) as pool:
        runs = pool.starmap(
            _work,
            [(w, args.workers, plan, start, args.seconds) for w in range(args.workers)],
        )
    from django.db.models import Count

    from commonground.forums.models import Cycle
    from commonground.issues.models import Issue
    from commonground.ledger.sequencer import integrate_pending
    from commonground.recognition.services import check_tallies

    supports = sum(r[0] for r in runs)
    app_ms = sum(r[1] for r in runs) / supports * 1e3
    db_ms = sum(r[2] for r in runs) / supports * 1e3
    integrate_pending()
    issues = Issue.objects.annotate(rows=Count("supports"))
    exact = all(i.support_count == i.rows for i in issues) and all(
        check_tallies(cycle) == [] for cycle in Cycle.objects.all()
    )
    print(
        f"{args.workers} workers, {args.seconds:.0f} s: {supports / args.seconds:.1f} supports/s, "
        f"app CPU {app_ms:.2f} ms and DB CPU {db_ms:.2f} ms a support, exact: {exact}"
    )
    return 0 if exact else 1


if __name__ == "__main__":
    like_load_servers()
    raise SystemExit(main())
