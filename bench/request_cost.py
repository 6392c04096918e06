"""Cost of one request of each kind, for the capacity model of docs/scaling.md.

    uv run python bench/request_cost.py [--n 200]

On a scratch PostgreSQL database (as bench/load.py builds it), it makes ``--n`` requests
of each kind one after another through Django's test client (the whole middleware stack,
no network) and reports, per request: the wall time, the CPU time of the application
process, and the CPU time of the PostgreSQL backend serving it (user + system time of
that backend process from ``/proc/<pid>/stat``, the server being on this machine; left
out when it is not readable). ``--only KIND`` (repeatable) measures only those kinds.
As in bench/load.py's servers, the ledger is sequenced in batches and tasks go to the
database queue (before 2026-12-06 a vote here recomputed the opinion map in the request,
the immediate backend's way). Then the bytes on disk per
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

# Run as a script (``python bench/request_cost.py``): this folder is on sys.path.
from scratch_site import like_load_servers

ROOT = Path(__file__).resolve().parent.parent


def _backend_cpu() -> float | None:
    """CPU seconds (user + system) used so far by the PostgreSQL backend of this process's
    connection, or None when its /proc entry is not readable (a server elsewhere)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _measure(label: str, n: int, call: Any) -> dict[str, float]:
    start_pg = _backend_cpu()
    start_wall, start_cpu = time.perf_counter(), time.process_time()
    for i in range(n):
        call(i)
    wall = (time.perf_counter() - start_wall) / n * 1000
    cpu = (time.process_time() - start_cpu) / n * 1000
    end_pg = _backend_cpu()
    result = {"wall_ms": round(wall, 2), "app_cpu_ms": round(cpu, 2)}
    line = f"{label:<22} wall {wall:7.2f} ms   app CPU {cpu:6.2f} ms"
    if start_pg is not None and end_pg is not None:
        result["pg_cpu_ms"] = round((end_pg - start_pg) / n * 1000, 2)
        line += f"   PG CPU {result['pg_cpu_ms']:6.2f} ms"
    print(line, flush=True)
    return result


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
    parser.add_argument("--only", action="append", default=[], help="measure only this kind")
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

    def comment(i: int) -> Any:
        # A comment on one of the supported issues: each has about n/3 followers (its
        # supporters), each notified.
        return _ok(
            client.post(
                f"/api/v1/issues/{issues[i % 3]}/comments",
                {"body": f"A comment of request {i}."},
                content_type="application/json",
                **auth(i),
            )
        )

    forum = plan["forum"]
    kinds = {
        "minimal view": lambda i: client.get("/bench/minimal"),
        "floor write": lambda i: client.post("/bench/floor-write"),
        "support": lambda i: client.post(f"/api/v1/issues/{issues[i % 3]}/support", **auth(i)),
        "vote": lambda i: client.post(
            f"/api/v1/conversations/{conversation}/votes",
            {"statement": random.choice(plan["statements"]), "vote": 1},
            content_type="application/json",
            **auth(i),
        ),
        "comment": comment,
        "agenda page": lambda i: client.get(f"/forums/{forum}/agenda/"),
        "issue page": lambda i: client.get(f"/issues/{issues[i % len(issues)]}/"),
        "issue list API": lambda i: client.get(f"/api/v1/forums/{forum}/issues"),
        # The other reads of bench/load.py's mixed forum day.
        "agenda API": lambda i: client.get(f"/api/v1/forums/{forum}/agenda"),
        "issue list page": lambda i: client.get(f"/forums/{forum}/issues/"),
        "issue API": lambda i: client.get(f"/api/v1/issues/{issues[i % len(issues)]}"),
    }
    unknown = set(args.only) - set(kinds)
    if unknown:
        parser.error(f"unknown kind(s): {', '.join(sorted(unknown))}")
    results = {
        label: _measure(label, args.n, call)
        for label, call in kinds.items()
        if not args.only or label in args.only
    }
    integrate_pending()
    sizes = _bytes_per_row(
        ["issues_support", "notifications_follow", "dialogue_vote", "ledger_ledgerentry"]
    )
    print("bytes per row (table + indexes):", json.dumps(sizes), flush=True)
    print(json.dumps({"requests": results, "bytes_per_row": sizes}))
    return 0


if __name__ == "__main__":
    like_load_servers()
    raise SystemExit(main())
