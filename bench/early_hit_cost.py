"""Cost of the mixed forum day's early hits, one at a time, as gunicorn calls Django.

    uv run python bench/api_render_cost.py --gzip --comments 80 --kinds early   # builds the db
    uv run python bench/early_hit_cost.py [--n 1500] [--rounds 3] [--profile KIND]

On the scratch database bench/api_render_cost.py leaves (``DATABASE_URL``'s name with
``_cost_load``: 12 issues, the third with ``--comments`` comments), it calls Django's WSGI
handler directly with the environ a Locust reader's request gives gunicorn (gzip accepted,
the CSRF cookie sent back once set), without the test client's own work (its signals,
its request building), so that the microseconds of the early path are not lost in it. The
window is one hour, so every read after the first of each kind is an early hit (the page
stored, pointed at and its headers recorded), but the minimal view, which runs the whole
middleware stack. It reports the application CPU per request (median of the rounds and
each round); ``--profile KIND`` prints a cProfile (CPU-time timer) of that kind instead.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

# Run as a script (``python bench/early_hit_cost.py``): this folder is on sys.path.
from scratch_site import call_handler, like_load_servers, print_profile, wsgi_environ

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1500)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", default="")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cg_bench")
    os.environ["DATABASE_URL"] = url.split("?")[0] + "_cost_load"
    os.environ["DJANGO_SETTINGS_MODULE"] = "commonground.settings"
    os.environ["COMMONGROUND_READ_STALE_SECONDS"] = "3600"
    import django

    django.setup()
    from django.core.handlers.wsgi import WSGIHandler

    from commonground.forums.models import Forum
    from commonground.issues.models import Issue

    handler = WSGIHandler()
    issues = list(Issue.objects.order_by("pk").values_list("pk", flat=True))
    forum = Forum.objects.order_by("pk").values_list("slug", flat=True).first()
    base = wsgi_environ(9500, REQUEST_METHOD="GET")
    csrf: dict[str, str] = {}

    def call(path: str) -> bytes:
        environ: dict[str, Any] = {**base, "PATH_INFO": path, "wsgi.input": io.BytesIO()}
        status, body = call_handler(handler, environ, csrf)
        assert status.startswith("200"), (path, status)
        return body

    kinds = {
        "minimal": "/bench/minimal",
        "issue-api": f"/api/v1/issues/{issues[0]}",
        "issue-page": f"/issues/{issues[1]}/",
        "issue-page-comments": f"/issues/{issues[2]}/",
        "agenda-page": f"/forums/{forum}/agenda/",
        "issue-list": f"/forums/{forum}/issues/",
    }
    for path in kinds.values():
        for _ in range(5):  # rendered, stored, pointed at, its headers recorded
            call(path)
    if args.profile:
        print_profile(lambda: [call(kinds[args.profile]) for _ in range(args.n)], 35, 45)
        return 0
    figures: dict[str, list[float]] = {kind: [] for kind in kinds}
    for _ in range(args.rounds):
        for kind, path in kinds.items():
            start = time.process_time()
            for _ in range(args.n):
                call(path)
            figures[kind].append((time.process_time() - start) / args.n * 1e6)
    for kind, values in figures.items():
        each = ", ".join(f"{v:.0f}" for v in values)
        print(f"{kind:<20} app CPU median {statistics.median(values):7.1f} us  ({each})")
    return 0


if __name__ == "__main__":
    like_load_servers()
    raise SystemExit(main())
