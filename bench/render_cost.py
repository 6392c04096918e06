"""Cost of the mixed forum day's HTML renders, one request at a time.

    uv run python bench/render_cost.py [--n 60] [--comments 30] [--profile FILE]

On a scratch PostgreSQL database (as bench/load.py builds it; 160 members, 12 issues,
``--comments`` comments on each, 40 supports), with the staleness window off so that every
anonymous read checks its versions, it measures through Django's test client (the whole
middleware stack, no network) the application CPU of one anonymous read right after a
write, for each kind:

* issue page after a support of that issue (its page renders, its sections from the cache),
* issue page after a comment on it (the contributions section renders, its other comments
  from the per-process parts),
* issue page after a vote in a conversation of it (no version moves: a version check),
* agenda page and issue list page after a support (both render).

The write itself is not counted. ``--profile FILE`` also writes a cProfile (CPU-time timer)
of the measured reads of each kind to ``FILE.<kind>``. ``--queries`` prints the statements
of one read of each kind.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

# Run as a script (``python bench/render_cost.py``): this folder is on sys.path.
from scratch_site import like_load_servers

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=60)
    parser.add_argument("--comments", type=int, default=30)
    parser.add_argument("--profile", default="")
    parser.add_argument("--queries", action="store_true")
    parser.add_argument("--only", default="", help="comma-separated kinds to measure")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from bench.load import setup_database

    random.seed(19)
    plan = setup_database(members=160, issues=12, statements=20)
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from commonground.ledger.sequencer import integrate_pending

    member = Client()
    tokens = plan["tokens"]
    issues = plan["issues"]
    forum = plan["forum"]

    def auth(i: int) -> dict[str, str]:
        return {"HTTP_AUTHORIZATION": f"Bearer {tokens[i % len(tokens)]}"}

    def ok(response: Any) -> Any:
        assert response.status_code < 400, (response.status_code, response.content[:300])
        return response

    # The forum as a mixed day leaves it: supports spread over the issues, comments on each.
    for i in range(40):
        ok(member.post(f"/api/v1/issues/{issues[i % len(issues)]}/support", **auth(i)))
    for n in range(args.comments * len(issues)):
        ok(
            member.post(
                f"/api/v1/issues/{issues[n % len(issues)]}/comments",
                {"body": f"A comment of the seeding, number {n}: *access* matters."},
                content_type="application/json",
                **auth(40 + n % 100),
            )
        )
    integrate_pending()
    supported: set[tuple[int, int]] = set()
    writer = [0]
    itertools_count = [0]

    def support(issue: int) -> None:
        k = 100 + itertools_count[0] % 60
        itertools_count[0] += 1
        url = f"/api/v1/issues/{issue}/support"
        if (k, issue) in supported:
            ok(member.delete(url, **auth(k)))
            supported.discard((k, issue))
        else:
            ok(member.post(url, **auth(k)))
            supported.add((k, issue))

    def comment(issue: int) -> None:
        writer[0] += 1
        ok(
            member.post(
                f"/api/v1/issues/{issue}/comments",
                {"body": f"A comment under load {random.randint(1, 10**9)}."},
                content_type="application/json",
                **auth(writer[0] % 150),
            )
        )

    def vote(issue: int) -> None:
        writer[0] += 1
        ok(
            member.post(
                f"/api/v1/conversations/{plan['conversation']}/votes",
                {"statement": random.choice(plan["statements"]), "vote": 1},
                content_type="application/json",
                **auth(writer[0] % 150),
            )
        )

    kinds = {
        "issue page after support": (support, lambda issue: f"/issues/{issue}/"),
        "issue page after comment": (comment, lambda issue: f"/issues/{issue}/"),
        "issue page after vote": (vote, lambda issue: f"/issues/{issue}/"),
        "agenda page after support": (support, lambda issue: f"/forums/{forum}/agenda/"),
        "issue list after support": (support, lambda issue: f"/forums/{forum}/issues/"),
    }
    if args.only:
        wanted = args.only.split(",")
        kinds = {k: v for k, v in kinds.items() if any(w in k for w in wanted)}
    # Every page read once (templates loaded, per-process memories warm).
    # One reader client (a new one loads the middleware again, whitenoise's file scan
    # included), its cookies dropped before each read: every read is a new anonymous one.
    reader = Client()
    for issue in issues:
        ok(reader.get(f"/issues/{issue}/"))
    ok(reader.get(f"/forums/{forum}/agenda/"))
    ok(reader.get(f"/forums/{forum}/issues/"))
    results: dict[str, Any] = {}
    for kind, (write, url) in kinds.items():
        profiler = cProfile.Profile() if args.profile else None
        cpu: list[float] = []
        for i in range(args.n):
            issue = issues[i % len(issues)]
            write(issue)
            reader.cookies.clear()
            if profiler is not None:
                profiler.enable()
            start = time.process_time()
            response = reader.get(url(issue))
            cpu.append((time.process_time() - start) * 1000)
            if profiler is not None:
                profiler.disable()
            ok(response)
        if profiler is not None:
            profiler.dump_stats(f"{args.profile}.{kind.replace(' ', '_')}")
        if args.queries:
            issue = issues[0]
            write(issue)
            with CaptureQueriesContext(connection) as queries:
                reader.cookies.clear()
                ok(reader.get(url(issue)))
            print(f"--- {kind}: {len(queries)} statements")
            for q in queries.captured_queries:
                print("   ", q["sql"][:300])
        median = statistics.median(cpu)
        results[kind] = {"median_ms": round(median, 2), "mean_ms": round(statistics.mean(cpu), 2)}
        print(
            f"{kind:<28} app CPU median {median:6.2f} ms  mean {statistics.mean(cpu):6.2f} ms",
            flush=True,
        )
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    like_load_servers(every_read_checks=True)
    raise SystemExit(main())
