"""Where the mixed forum day's application CPU goes, one request at a time.

    uv run python bench/mixed_cost.py [--n 6000] [--rate 170] [--rounds 3] [--profile]
                                      [--templates]

On a scratch PostgreSQL database (as bench/load.py builds it, ``DATABASE_URL``'s name with
``_mixed``), it calls Django's WSGI handler directly with the requests of
bench/load_users.py's MixedDay in their weights (five reads of weight 18, supports 4,
comments 3, votes 3), the reads anonymous with gzip accepted and the CSRF cookie sent
back, the writes with a member's bearer token. The read cache's clock is simulated: it
moves on by 1/``--rate`` s per request, as if the requests came at that rate, so that the
window (2 s) expires as often per request as under load and the pages are rendered about
as often. It reports the application CPU per request kind (total share and mean), and
all reads together against the minimal view measured in the same process (the ratio of
their costs, not a throughput). ``--profile`` prints a cProfile of the reads instead;
``--templates`` adds each template's own CPU (what it includes or extends left out; the
blocks of a page that extends another count as the other's).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

# Run as a script (``python bench/mixed_cost.py``): this folder is on sys.path.
from scratch_site import call_handler, like_load_servers, wsgi_environ

ROOT = Path(__file__).resolve().parent.parent
READS = ("agenda page", "agenda API", "issue page", "issue list", "issue API")
WEIGHTS = {**{kind: 18 for kind in READS}, "support": 4, "comment": 3, "vote": 3}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=6000)
    parser.add_argument("--rate", type=float, default=170.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument(
        "--templates",
        action="store_true",
        help="own CPU of each template (what it includes or extends left out)",
    )
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cg_bench")
    os.environ["DATABASE_URL"] = url.split("?")[0] + "_mixed"
    from bench.load import setup_database

    plan = setup_database(members=200, issues=12, statements=20)
    from django.core.handlers.wsgi import WSGIHandler

    from commonground.core import read_cache_middleware

    clock = [time.time()]
    read_cache_middleware._now = lambda: clock[0]  # type: ignore[assignment]
    handler = WSGIHandler()
    forum, issues, tokens = plan["forum"], plan["issues"], plan["tokens"]
    base = wsgi_environ(9500)
    csrf: dict[str, str] = {}
    supported: set[tuple[int, int]] = set()
    rng = random.Random(args.seed)

    def call(method: str, path: str, token: str = "", body: bytes = b"") -> None:
        environ: dict[str, Any] = {
            **base,
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "wsgi.input": io.BytesIO(body),
        }
        if body:
            environ["CONTENT_TYPE"] = "application/json"
            environ["CONTENT_LENGTH"] = str(len(body))
        if token:
            environ["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        status, _body = call_handler(handler, environ, csrf)
        assert status[:1] in "23", (path, status)

    def request(kind: str) -> None:
        issue = rng.choice(issues)
        member = rng.randrange(len(tokens))
        if kind == "agenda page":
            call("GET", f"/forums/{forum}/agenda/")
        elif kind == "agenda API":
            call("GET", f"/api/v1/forums/{forum}/agenda")
        elif kind == "issue page":
            call("GET", f"/issues/{issue}/")
        elif kind == "issue list":
            call("GET", f"/forums/{forum}/issues/")
        elif kind == "issue API":
            call("GET", f"/api/v1/issues/{issue}")
        elif kind == "support":
            method = "DELETE" if (member, issue) in supported else "POST"
            supported.symmetric_difference_update({(member, issue)})
            call(method, f"/api/v1/issues/{issue}/support", tokens[member])
        elif kind == "comment":
            body = json.dumps({"body": f"A comment under load {rng.randint(1, 10**9)}."})
            call("POST", f"/api/v1/issues/{issue}/comments", tokens[member], body.encode())
        else:
            body = json.dumps(
                {"statement": rng.choice(plan["statements"]), "vote": rng.choice((-1, 0, 1))}
            )
            call(
                "POST",
                f"/api/v1/conversations/{plan['conversation']}/votes",
                tokens[member],
                body.encode(),
            )

    by_template: dict[str, list[float]] = {}
    if args.templates:
        from django.template.base import Template

        plain = Template._render

        inner: list[float] = []  # time of the templates rendered inside the current one

        def timed(self: Any, context: Any) -> Any:
            inner.append(0.0)
            start = time.process_time()
            try:
                return plain(self, context)
            finally:
                whole = time.process_time() - start
                own = whole - inner.pop()
                if inner:
                    inner[-1] += whole
                spent = by_template.setdefault(str(self.origin.template_name), [0.0, 0])
                spent[0] += own
                spent[1] += 1

        Template._render = timed  # type: ignore[method-assign]
    kinds = list(WEIGHTS)
    weights = list(WEIGHTS.values())
    for kind in kinds:  # warm: views loaded, pages stored
        request(kind)
    step = 1.0 / args.rate

    def minimal_cost(n: int = 1000) -> float:
        start = time.process_time()
        for _ in range(n):
            call("GET", "/bench/minimal")
        return (time.process_time() - start) / n * 1e6

    if args.profile:
        profile = cProfile.Profile(time.process_time)
        for kind in rng.choices(kinds, weights, k=args.n):
            clock[0] += step
            if kind in READS:
                profile.enable()
                request(kind)
                profile.disable()
            else:
                request(kind)
        out = io.StringIO()
        stats = pstats.Stats(profile, stream=out).sort_stats("tottime")
        stats.print_stats(35)
        stats.sort_stats("cumulative").print_stats(90)
        stats.print_stats("src/commonground", 80)
        print(out.getvalue())
        return 0
    rounds: list[dict[str, float]] = []
    for round_ in range(args.rounds):
        spent = {kind: 0.0 for kind in kinds}
        made = {kind: 0 for kind in kinds}
        for kind in rng.choices(kinds, weights, k=args.n):
            clock[0] += step
            start = time.process_time()
            request(kind)
            spent[kind] += time.process_time() - start
            made[kind] += 1
        minimal = minimal_cost()
        read_us = sum(spent[k] for k in READS) / sum(made[k] for k in READS) * 1e6
        total = sum(spent.values())
        print(
            f"round {round_ + 1}: minimal view {minimal:.0f} us; reads {read_us:.0f} us "
            f"a read ({read_us / minimal:.2f} x the minimal view)",
            flush=True,
        )
        for kind in kinds:
            mean = spent[kind] / made[kind] * 1e6 if made[kind] else 0.0
            print(
                f"  {kind:<12} {made[kind]:5d} requests  mean {mean:8.0f} us  "
                f"share {spent[kind] / total:6.1%}"
            )
        rounds.append({"minimal": minimal, "read": read_us})
    for name, (spent_s, count) in sorted(by_template.items(), key=lambda i: -i[1][0])[:40]:
        print(f"  {name:<60} {count:6d} renders  {spent_s:7.3f} s  {spent_s / count * 1e3:6.2f} ms")
    ratio = statistics.median(r["read"] / r["minimal"] for r in rounds)
    print(f"median read / minimal view: {ratio:.2f}")
    return 0


if __name__ == "__main__":
    like_load_servers()
    raise SystemExit(main())
