"""Cost of one request of each kind, for the capacity model of docs/scaling.md.

    uv run python bench/request_cost.py [--n 200]

On a scratch PostgreSQL database (as bench/load.py builds it), it makes ``--n`` requests
of each kind one after another through Django's test client (the whole middleware stack,
no network) and reports, per request: the wall time, the CPU time of the application
process, and the CPU time of the PostgreSQL backend serving it (from pg_stat_statements
when installed, else left out). As in bench/load.py's servers, the ledger is sequenced in
batches and tasks go to the database queue (before 2026-12-06 a vote here recomputed the
opinion map in the request, the immediate backend's way). Then the bytes on disk per
support and per vote: the size of the tables and indexes a support or a vote writes
(its row, its follow, its ledger entry) divided by their rows.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def _measure(label: str, n: int, call: Any) -> dict[str, float]:
    start_wall, start_cpu = time.perf_counter(), time.process_time()
    for i in range(n):
        call(i)
    wall = (time.perf_counter() - start_wall) / n * 1000
    cpu = (time.process_time() - start_cpu) / n * 1000
    print(f"{label:<22} wall {wall:7.2f} ms   app CPU {cpu:6.2f} ms", flush=True)
    return {"wall_ms": round(wall, 2), "app_cpu_ms": round(cpu, 2)}


def _ok(response: Any) -> Any:
    assert response.status_code < 400, (response.status_code, response.content[:300])
    return response


def _bytes_per_row(tables: list[str]) -> dict[str, float]:
    from django.db import connection

    sizes = {}
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT pg_total_relation_size(%s), count(*) FROM {table}", [table])
            size, rows = cursor.fetchone()
            sizes[table] = round(size / rows, 1) if rows else 0.0
    return sizes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=200)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from bench.load import setup_database

    plan = setup_database(members=max(args.n, 50), issues=12, statements=20)
    from django.test import Client

    from commonground.ledger.sequencer import integrate_pending

    client = Client()
    tokens = plan["tokens"]
    issues = plan["issues"]
    conversation = plan["conversation"]

    def auth(i: int) -> dict[str, str]:
        return {"HTTP_AUTHORIZATION": f"Bearer {tokens[i % len(tokens)]}"}

    results = {
        "minimal view": _measure("minimal view", args.n, lambda i: client.get("/bench/minimal")),
        "floor write": _measure("floor write", args.n, lambda i: client.post("/bench/floor-write")),
        "support": _measure(
            "support",
            args.n,
            lambda i: client.post(f"/api/v1/issues/{issues[i % 3]}/support", **auth(i)),
        ),
        "vote": _measure(
            "vote",
            args.n,
            lambda i: client.post(
                f"/api/v1/conversations/{conversation}/votes",
                {"statement": random.choice(plan["statements"]), "vote": 1},
                content_type="application/json",
                **auth(i),
            ),
        ),
        # A comment on one of the supported issues: each has about n/3 followers (its
        # supporters), each notified.
        "comment": _measure(
            "comment",
            args.n,
            lambda i: _ok(
                client.post(
                    f"/api/v1/issues/{issues[i % 3]}/comments",
                    {"body": f"A comment of request {i}."},
                    content_type="application/json",
                    **auth(i),
                )
            ),
        ),
        "agenda page": _measure(
            "agenda page", args.n, lambda i: client.get(f"/forums/{plan['forum']}/agenda/")
        ),
        "issue page": _measure(
            "issue page", args.n, lambda i: client.get(f"/issues/{issues[i % len(issues)]}/")
        ),
        "issue list API": _measure(
            "issue list API", args.n, lambda i: client.get(f"/api/v1/forums/{plan['forum']}/issues")
        ),
        # The other reads of bench/load.py's mixed forum day.
        "agenda API": _measure(
            "agenda API", args.n, lambda i: client.get(f"/api/v1/forums/{plan['forum']}/agenda")
        ),
        "issue list page": _measure(
            "issue list page", args.n, lambda i: client.get(f"/forums/{plan['forum']}/issues/")
        ),
        "issue API": _measure(
            "issue API", args.n, lambda i: client.get(f"/api/v1/issues/{issues[i % len(issues)]}")
        ),
    }
    integrate_pending()
    sizes = _bytes_per_row(
        ["issues_support", "notifications_follow", "dialogue_vote", "ledger_ledgerentry"]
    )
    print("bytes per row (table + indexes):", json.dumps(sizes), flush=True)
    print(json.dumps({"requests": results, "bytes_per_row": sizes}))
    return 0


if __name__ == "__main__":
    os.environ.setdefault("COMMONGROUND_BENCH_URLCONF", "bench.load_urls")
    os.environ.setdefault("COMMONGROUND_LEDGER_SEQUENCING", "batched")
    # As bench/load.py's servers: a vote queues the opinion map's recompute on the
    # database queue (once per debounce window) instead of computing it in the request.
    os.environ.setdefault("COMMONGROUND_TASKS", "database")
    raise SystemExit(main())
