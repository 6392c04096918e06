"""A bearer-token support's application CPU, one request at a time, as gunicorn calls Django.

    uv run python bench/support_cost.py [--n 60] [--rounds 40] [--profile] [--spin SECONDS]

On a scratch PostgreSQL database built as bench/load.py builds it (``DATABASE_URL``'s
name with ``_load``; 64 members, 12 issues), it calls Django's WSGI handler directly with
the environ a Locust member's support gives gunicorn: supports and withdrawals of the 64
members on 3 hot issues, alternating as the support storm's users do, and the floor write
beside them. No test client, no network: what is measured is the handler's CPU (the
middleware, the route, the service and the answer). It reports the application CPU per
request of each kind (median and quartiles over ``--rounds`` slots of ``--n`` requests,
the kinds alternating slot by slot) and the median of each slot pair's ratio.
With the database on this machine it also reports its backend's CPU per request
(``/proc``, in clock ticks, so slots of a few hundred requests are needed).
``--profile`` prints a cProfile (CPU-time timer) of the supports; ``--spin SECONDS`` only
makes supports for that long, for a sampling profiler attached from outside (py-spy).
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

# Run as a script (``python bench/support_cost.py``): this folder is on sys.path.
from scratch_site import like_load_servers, print_profile, wsgi_environ

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--members", type=int, default=64)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--spin", type=float, default=0.0)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from bench.load import setup_database

    plan = setup_database(members=args.members, issues=12, statements=5)
    from django.core.handlers.wsgi import WSGIHandler

    from commonground.ledger.sequencer import integrate_pending

    handler = WSGIHandler()
    tokens: list[str] = plan["tokens"]
    hot: list[int] = plan["issues"][:3]
    base = wsgi_environ(
        9600,
        HTTP_USER_AGENT="python-requests/2.32.3",
        HTTP_CONNECTION="keep-alive",
        REMOTE_ADDR="127.0.0.1",
        **{"wsgi.multithread": False, "wsgi.multiprocess": True, "wsgi.run_once": False},
    )

    def call(method: str, path: str, token: str | None, expect: str) -> bytes:
        environ: dict[str, Any] = {
            **base,
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "CONTENT_LENGTH": "0",
            "wsgi.input": io.BytesIO(),
        }
        if token is not None:
            environ["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        answered: list[str] = []

        def start_response(status: str, headers: list[tuple[str, str]], *exc: Any) -> None:
            answered.append(status)

        chunks: Iterable[bytes] = handler(environ, start_response)
        body = b"".join(chunks)
        assert answered[0][:3] in expect, (method, path, answered[0], body[:200])
        return body

    # Member m supports issue m % 3 on even turns and withdraws on odd ones.
    turn = [0]

    def support(_: int) -> None:
        i = turn[0]
        turn[0] += 1
        member = (i // 2) % len(tokens)
        path = f"/api/v1/issues/{hot[member % 3]}/support"
        if i % 2 == 0:
            call("POST", path, tokens[member], "201")
        else:
            call("DELETE", path, tokens[member], "204")

    def floor(_: int) -> None:
        call("POST", "/bench/floor-write", None, "201")

    kinds: dict[str, Callable[[int], None]] = {"support": support, "floor write": floor}
    for fn in kinds.values():
        for i in range(40):  # warm: statements prepared, caches filled
            fn(i)
    if args.spin:
        end = time.monotonic() + args.spin
        while time.monotonic() < end:
            for i in range(200):
                support(i)
            integrate_pending()
        return 0
    if args.profile:
        print_profile(lambda: [support(i) for i in range(args.n)], 40, 60)
        return 0
    figures: dict[str, list[float]] = {kind: [] for kind in kinds}
    backend: dict[str, list[float]] = {kind: [] for kind in kinds}
    from django.db import connection

    stat = Path(f"/proc/{connection.connection.info.backend_pid}/stat")
    tick = 1e6 / os.sysconf("SC_CLK_TCK")

    def backend_cpu() -> float:
        """The database backend's user + system CPU so far, µs (0 if not on this machine)."""
        if not stat.exists():
            return 0.0
        fields = stat.read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) * tick

    for _ in range(args.rounds):
        for kind, fn in kinds.items():
            start, start_db = time.process_time(), backend_cpu()
            for i in range(args.n):
                fn(i)
            figures[kind].append((time.process_time() - start) / args.n * 1e6)
            backend[kind].append((backend_cpu() - start_db) / args.n)
        if len(figures["support"]) % 10 == 0:
            integrate_pending()
    for kind, values in figures.items():
        quartiles = statistics.quantiles(values, n=4)
        print(
            f"{kind:<12} app CPU median {statistics.median(values):7.1f} us  "
            f"(quartiles {quartiles[0]:.0f}-{quartiles[2]:.0f}, {len(values)} slots of {args.n})"
        )
        if any(backend[kind]):
            quartiles = statistics.quantiles(backend[kind], n=4)
            print(
                f"{kind:<12} DB CPU  median {statistics.median(backend[kind]):7.1f} us  "
                f"(quartiles {quartiles[0]:.0f}-{quartiles[2]:.0f})"
            )
    pairs = [s / f for s, f in zip(figures["support"], figures["floor write"], strict=True)]
    print(f"support / floor write, median of the slots' ratios: {statistics.median(pairs):.3f}")
    return 0


if __name__ == "__main__":
    like_load_servers()
    raise SystemExit(main())
