"""Cost of one render of the mixed day's API reads, and of one early hit, one at a time.

    uv run python bench/api_render_cost.py [--n 120] [--kinds issue-api,agenda-api,early,minimal]
                                       [--profile KIND] [--queries]

On a scratch PostgreSQL database (as bench/load.py builds it, from ``DATABASE_URL``; the
scratch database is its name with ``_cost``), through Django's test client (the whole
middleware stack, no network), with batched sequencing and the database task queue as
the bench's servers run:

* ``issue-api``: the anonymous issue record (``GET /api/v1/issues/<id>``) read right
  after a support or withdrawal of that issue, so every read renders (its ``issue:<id>``
  version moved) and stores the page, the window off (``COMMONGROUND_READ_STALE_SECONDS=0``);
* ``agenda-api``: the anonymous agenda API read right after a support of one of its
  issues (the cycle's tally version moved: a render every time);
* ``agenda-page``, ``issue-list``, ``issue-page``: the same for the anonymous HTML reads
  of the mixed day (a support of an issue first; the issue page of an issue without the
  ``--comments``);
* ``early``: an anonymous read of the issue record served by the early path inside the
  window (the page stored and pointed at), ``early-page`` the same of an issue page (HTML,
  with the reader's CSRF token and cookie; ``--comments N`` comments on that issue first,
  as the mixed day's issue pages grow); ``checked``: the same read with the window off,
  so it goes the whole way and reads its versions, and is served the stored page; and
  ``minimal`` the bench's minimal view.

It reports per request the application CPU (this process) and the CPU of the PostgreSQL
backend serving it (``/proc/<pid>/stat`` of ``pg_backend_pid()``: the cluster is local),
only for the measured request, not the write before it. ``--queries`` prints the
statements of one render of each kind; ``--profile KIND`` runs cProfile with a CPU-time
timer over that kind's measured requests and prints the top functions.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path
from typing import Any

# Run as a script (``python bench/api_render_cost.py``): this folder is on sys.path.
from scratch_site import like_load_servers

ROOT = Path(__file__).resolve().parent.parent
TICK = os.sysconf("SC_CLK_TCK")


def _backend_cpu(pid: int) -> float:
    """Seconds of CPU (user + system) of the PostgreSQL backend ``pid``."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def _window(seconds: float) -> None:
    from django.conf import settings

    settings.COMMONGROUND_READ_STALE_SECONDS = seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=120)
    parser.add_argument("--kinds", default="minimal,issue-api,agenda-api,early")
    parser.add_argument("--profile", default="")
    parser.add_argument("--queries", action="store_true")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument(
        "--gzip", action="store_true", help="the reader accepts gzip, as Locust's readers do"
    )
    parser.add_argument(
        "--comments", type=int, default=0, help="comments on the issue of early-page"
    )
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cg_bench")
    os.environ["DATABASE_URL"] = url.split("?")[0] + "_cost"
    from bench.load import setup_database

    plan = setup_database(members=max(args.n, 60), issues=12, statements=5)
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from commonground.core import read_cache_middleware

    _fill(plan)
    writer = Client()
    reader = Client(HTTP_ACCEPT_ENCODING="gzip, deflate") if args.gzip else Client()
    tokens, issues, forum = plan["tokens"], plan["issues"], plan["forum"]
    supported: set[tuple[int, int]] = set()
    for i in range(args.comments):  # as the mixed day adds them (about 45 an issue a round)
        answer = writer.post(
            f"/api/v1/issues/{issues[2]}/comments",
            {"body": f"A comment of the bench, number {i}, of a few words like most."},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {tokens[i % len(tokens)]}",
        )
        assert answer.status_code < 400, answer.content[:200]

    def write(i: int, issue: int) -> None:
        """A support by member i of the issue, or its withdrawal when it stands."""
        headers = {"HTTP_AUTHORIZATION": f"Bearer {tokens[i % len(tokens)]}"}
        path = f"/api/v1/issues/{issue}/support"
        if (i % len(tokens), issue) in supported:
            answer = writer.delete(path, **headers)
            supported.discard((i % len(tokens), issue))
        else:
            answer = writer.post(path, **headers)
            supported.add((i % len(tokens), issue))
        assert answer.status_code < 400, answer.content[:200]

    def issue_api(i: int) -> Any:
        issue = issues[i % len(issues)]
        write(i, issue)
        return lambda: reader.get(f"/api/v1/issues/{issue}")

    def agenda_api(i: int) -> Any:
        write(i, issues[i % len(issues)])
        return lambda: reader.get(f"/api/v1/forums/{forum}/agenda")

    def agenda_page(i: int) -> Any:
        write(i, issues[i % len(issues)])
        return lambda: reader.get(f"/forums/{forum}/agenda/")

    def issue_list(i: int) -> Any:
        write(i, issues[i % len(issues)])
        return lambda: reader.get(f"/forums/{forum}/issues/")

    def issue_page(i: int) -> Any:
        # Not the third issue, whose comments (--comments) are the threads' own cost.
        issue = issues[3 + i % (len(issues) - 3)]
        write(i, issue)
        return lambda: reader.get(f"/issues/{issue}/")

    def early(i: int) -> Any:
        return lambda: reader.get(f"/api/v1/issues/{issues[0]}")

    def early_page(i: int) -> Any:
        return lambda: reader.get(f"/issues/{issues[2]}/")

    def checked(i: int) -> Any:
        return lambda: reader.get(f"/api/v1/issues/{issues[1]}")

    def minimal(i: int) -> Any:
        return lambda: reader.get("/bench/minimal")

    kinds = {
        "issue-api": issue_api,
        "agenda-api": agenda_api,
        "agenda-page": agenda_page,
        "issue-list": issue_list,
        "issue-page": issue_page,
        "early": early,
        "early-page": early_page,
        "checked": checked,
        "minimal": minimal,
    }
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]

    def measure(kind: str, profile: cProfile.Profile | None = None) -> dict[str, float]:
        _window(2.0 if kind in ("early", "early-page", "minimal") else 0.0)
        read_cache_middleware.forget()
        prepare = kinds[kind]
        for i in range(5):  # warm: connection, caches, the early path's records
            answer = prepare(i)()
            assert answer.status_code == 200, answer.content[:200]
        app = pg = wall = 0.0
        for i in range(args.n):
            call = prepare(i + 5)
            pg0, app0, wall0 = _backend_cpu(backend), time.process_time(), time.perf_counter()
            if profile is not None:
                profile.enable()
            answer = call()
            if profile is not None:
                profile.disable()
            wall += time.perf_counter() - wall0
            app += time.process_time() - app0
            pg += _backend_cpu(backend) - pg0
            assert answer.status_code == 200, answer.content[:200]
        n = args.n
        return {
            "app_cpu_ms": app / n * 1000,
            "pg_cpu_ms": pg / n * 1000,
            "wall_ms": wall / n * 1000,
        }

    selected = [k for k in args.kinds.split(",") if k]
    if args.queries:
        for kind in selected:
            _window(2.0 if kind in ("early", "early-page", "minimal") else 0.0)
            call = kinds[kind](1000)
            with CaptureQueriesContext(connection) as captured:
                call()
            print(f"--- {kind}: {len(captured.captured_queries)} statements")
            for q in captured.captured_queries:
                print(f"  {q['sql'][:400]}")
    if args.profile:
        profile = cProfile.Profile(time.process_time)
        figures = measure(args.profile, profile)
        print(args.profile, figures)
        out = io.StringIO()
        stats = pstats.Stats(profile, stream=out).sort_stats("cumulative")
        stats.print_stats(70)
        stats.sort_stats("tottime").print_stats(40)
        print(out.getvalue())
        return 0
    for round_ in range(args.repeat):
        for kind in selected:
            f = measure(kind)
            print(
                f"round {round_ + 1} {kind:<12} app CPU {f['app_cpu_ms']:6.2f} ms   "
                f"PostgreSQL CPU {f['pg_cpu_ms']:5.2f} ms   wall {f['wall_ms']:6.2f} ms",
                flush=True,
            )
    return 0


def _fill(plan: dict[str, Any]) -> None:
    """What the record shows beyond the bench's issues: community translations (one hidden),
    and supports of every issue from several groups."""
    from commonground.issues.models import Issue, IssueTranslation
    from commonground.participants.models import Membership

    members = list(Membership.objects.order_by("pk")[:6])
    for n, issue_id in enumerate(plan["issues"]):
        issue = Issue.objects.get(pk=issue_id)
        for k, language in enumerate(("fr", "es")):
            IssueTranslation.objects.create(
                issue=issue,
                language=language,
                title=f"Traduction {n}",
                description="Connectivité.",
                description_html="<p>Connectivité.</p>",
                author=members[(n + k) % len(members)],
                hidden=(n % 4 == 0 and k == 1),
            )


if __name__ == "__main__":
    like_load_servers()
    raise SystemExit(main())
