"""Load benchmark (issue 19): Locust against `commonground serve` on PostgreSQL.

    uv run python bench/load.py [--users 32] [--seconds 20] [--requests 20000]
                                [--servers 1] [--workers 2] [--target URL]
                                [--cache database|redis]
    uv run python bench/load.py --quick --json
    uv run python bench/load.py --repeat 5 --scenario "support storm"

It builds a scratch database on the PostgreSQL server of ``DATABASE_URL`` (else the local
cluster, ``postgres://postgres@127.0.0.1:5432``): one forum with an open cycle, members
with API tokens, issues (a few of them hot) and a conversation with accepted statements.
It starts ``--servers`` ``commonground serve`` processes on loopback ports (batched ledger
sequencing, the database task queue and its worker beside each), or uses ``--target``
(e.g. the HAProxy of deploy/); ``--cache redis`` starts a Redis on loopback (first port
+ 90) as the servers' shared cache instead of the database cache. It runs Locust headless,
loopback only, each run bounded by ``--requests`` and ``--seconds``, on:

* two baselines served by the same servers through a bench-only URLconf
  (bench/load_urls.py, refused in production): a minimal Django view, and the floor
  write (one indexed read plus one insert in a transaction);
* "support storm" (members supporting and withdrawing on three hot issues),
  "mixed forum day" (reads of the agenda, issue pages and lists, 10 % writes: supports,
  comments, votes) and "vote storm" (one conversation, many voters).

It prints requests/s, p50/p95/p99, errors and the ratios to the baselines, then checks
exactness: the API's support counts = the support rows = the ledger's support entries
(adds minus withdrawals) per issue, votes rows = distinct voters' last votes in the
ledger, ``agenda check`` and ``ledger verify`` clean. ``--quick --json`` prints one JSON
object: supports_per_s, floor_write_per_s, ratio, p99_ms, floor_p99_ms, errors, exact.

``--repeat N`` runs the baselines and the scenarios N times over, one round after the
other on the same servers and database, and reports each round and the medians of the
rounds' ratios (each to the baselines of its own round); with ``--json`` the object holds
those medians (errors: their sum). On a shared 2-core machine one 20 s run moves by a
third from the next; docs/performance.md records which figure came from which.
"""

from __future__ import annotations

import argparse
import atexit
import itertools
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from commonground.core.children import stop_children

# Run as a script (``python bench/load.py``): this folder is on sys.path.
from scratch_site import LOAD_SERVER_SETTINGS

ROOT = Path(__file__).resolve().parent.parent
LOCAL_SERVER = "postgres://postgres@127.0.0.1:5432"
SCENARIOS = {
    "minimal view": "MinimalView",
    "floor write": "FloorWrite",
    "support storm": "SupportStorm",
    "mixed forum day": "MixedDay",
    "vote storm": "VoteStorm",
}


def positive(text: str) -> int:
    """An argparse type: a whole number of at least 1."""
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


_RUNS = itertools.count()


def _server_url() -> tuple[str, str]:
    """(server URL without database, database name for this run)."""
    url = os.environ.get("DATABASE_URL") or ""
    if url.startswith("postgres"):
        base, _, name = url.rpartition("/")
        return base, f"{name.split('?')[0]}_load"
    return LOCAL_SERVER, "cg_bench_load"


def setup_database(members: int, issues: int, statements: int) -> dict[str, Any]:
    """Create and fill the scratch database; returns the plan the Locust users read."""
    server, name = _server_url()
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as c:
        c.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        c.execute(f"CREATE DATABASE {name}")
    os.environ["DATABASE_URL"] = f"{server}/{name}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "commonground.settings"
    os.environ.setdefault("COMMONGROUND_DATA_DIR", tempfile.mkdtemp(prefix="cg-load-"))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction

    call_command("migrate", verbosity=0)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from bench.load_urls import FLOOR_TABLE
    from commonground.dialogue.models import Conversation
    from commonground.dialogue.services.conversations import add_statement, open_conversation
    from commonground.forums.services import create_forum, join_forum, open_cycle
    from commonground.issues.services import raise_issue
    from commonground.participants.models import User
    from commonground.participants.services import create_account, create_api_token
    from commonground.stakeholders import GROUPS

    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE {FLOOR_TABLE} (id bigserial PRIMARY KEY, membership_id bigint, "
            "forum_id bigint, created_at timestamptz)"
        )
    forum = create_forum(None, slug="load-igf", name="Load IGF", level="global")
    open_cycle(None, forum, "2027")
    tokens: list[str] = []
    users: list[User] = []
    with transaction.atomic():
        for n in range(members):
            user = create_account(f"member{n}@load.example.org", None, display_name=f"M{n}")
            join_forum(user, forum, stakeholder_group=GROUPS[n % len(GROUPS)], country="KE")
            tokens.append(create_api_token(user, "load")[1])
            users.append(user)
    issue_ids = []
    for n in range(issues):
        issue = raise_issue(
            users[n % len(users)],
            forum,
            title=f"Issue {n} under load",
            description="Connectivity, affordability and rights.",
            topics=["access"],
        )
        issue_ids.append(issue.pk)
    conversation = open_conversation(
        users[0],
        _issue(issue_ids[0]),
        topic="What should the forum do first?",
        moderation=Conversation.Moderation.OPEN,
    )
    statement_ids = [
        add_statement(users[n % len(users)], conversation, f"Statement {n}: act on it.").pk
        for n in range(statements)
    ]
    return {
        "forum": forum.slug,
        "issues": issue_ids,
        "hot_issues": issue_ids[:3],
        "conversation": conversation.pk,
        "statements": statement_ids,
        "tokens": tokens,
    }


def drop_database() -> None:
    """Drop the scratch database of this run."""
    import psycopg
    from django.db import connections

    connections.close_all()
    server, name = _server_url_of(os.environ["DATABASE_URL"])
    with psycopg.connect(f"{server}/postgres", autocommit=True) as c:
        c.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _server_url_of(url: str) -> tuple[str, str]:
    base, _, name = url.rpartition("/")
    return base, name


def _issue(pk: int) -> Any:
    from commonground.issues.models import Issue

    return Issue.objects.get(pk=pk)


def _wait_ready(url: str, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/bench/minimal", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the server at {url} did not answer in time")


def start_servers(count: int, workers: int, first_port: int, logs: Path) -> list[Any]:
    env = {
        **os.environ,
        **LOAD_SERVER_SETTINGS,
        "PYTHONPATH": f"{ROOT}{os.pathsep}{os.environ.get('PYTHONPATH', '')}",
    }
    servers = []
    for n in range(count):
        port = first_port + n
        log = (logs / f"server-{port}.log").open("w")
        command = [sys.executable, "-m", "commonground.cli", "serve", "--no-migrate"]
        command += ["--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)]
        servers.append(subprocess.Popen(command, env=env, stdout=log, stderr=log, cwd=ROOT))
        # One after the other: each prepares the static files of the shared data directory.
        try:
            _wait_ready(f"http://127.0.0.1:{port}", time.monotonic() + 180)
        except BaseException:
            stop_children(servers)  # none is left running when one fails to start
            raise
    return servers


HAPROXY = """global
    maxconn 4096
defaults
    mode http
    timeout connect 5s
    timeout client 60s
    timeout server 60s
frontend bench
    bind 127.0.0.1:{port}
    default_backend app
backend app
    balance leastconn
{servers}
"""


def start_proxy(first_port: int, count: int, port: int, work: Path) -> Any:
    """HAProxy (deploy/haproxy.cfg's shape) on ``port`` in front of the app servers."""
    binary = shutil.which("haproxy") or "/usr/sbin/haproxy"
    lines = "\n".join(
        f"    server app{n} 127.0.0.1:{first_port + n} maxconn 64" for n in range(count)
    )
    config = work / "haproxy.cfg"
    config.write_text(HAPROXY.format(port=port, servers=lines))
    log = (work / "haproxy.log").open("w")
    proxy = subprocess.Popen([binary, "-db", "-f", str(config)], stdout=log, stderr=log)
    _wait_ready(f"http://127.0.0.1:{port}", time.monotonic() + 30)
    return proxy


def start_redis(port: int, work: Path) -> Any:
    """A throwaway Redis on loopback ``port`` (no persistence) for ``--cache redis``: the
    servers' shared cache (COMMONGROUND_CACHE_URL) instead of the database cache."""
    binary = shutil.which("redis-server") or "/usr/bin/redis-server"
    log = (work / "redis.log").open("w")
    command = [binary, "--bind", "127.0.0.1", "--port", str(port), "--save", ""]
    command += ["--appendonly", "no", "--dir", str(work)]
    redis = subprocess.Popen(command, stdout=log, stderr=log)
    deadline = time.monotonic() + 20
    import socket

    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                if sock.recv(16).startswith(b"+PONG"):
                    return redis
        except OSError:
            time.sleep(0.2)
    redis.kill()
    raise SystemExit(f"redis-server did not answer on port {port}")


def run_locust(
    scenario: str, target: str, plan: Path, users: int, seconds: int, budget: int, out: Path
) -> dict[str, dict[str, float]]:
    """One headless Locust run; returns the figures per request name and "Aggregated"."""
    name = SCENARIOS[scenario]
    env = {**os.environ, "CG_LOAD_PLAN": str(plan), "CG_LOAD_BUDGET": str(budget)}
    # Each run's users act as the next members in turn (bench/load_users.py).
    env["CG_LOAD_FIRST_MEMBER"] = str(next(_RUNS) * users)
    locust = shutil.which("locust", path=str(Path(sys.executable).parent)) or "locust"
    command = [locust, "-f", str(ROOT / "bench" / "load_users.py"), "--headless"]
    command += ["-u", str(users), "-r", str(users), "--run-time", f"{seconds}s", "-H", target]
    command += ["--json-file", str(out / name), "--only-summary", "--loglevel", "ERROR"]
    command += ["--exit-code-on-error", "0", name]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=seconds + 120)
    (out / f"{name}.log").write_text(done.stdout + done.stderr)
    found = [p for p in (out / f"{name}.json", out / name) if p.is_file()]
    if not found:
        raise SystemExit(f"Locust wrote no stats for {scenario}: {done.stderr.strip()[-400:]}")
    stats = json.loads(found[0].read_text(encoding="utf-8"))
    figures = {row["name"]: _figures([row]) for row in stats}
    figures["Aggregated"] = _figures(stats)
    return figures


def _percentile(times: dict[float, int], total: int, share: float) -> float:
    """The response time (ms) under which ``share`` of the requests fall."""
    seen = 0
    for ms in sorted(times):
        seen += times[ms]
        if seen >= share * total:
            return ms
    return 0.0


def _figures(rows: list[dict[str, Any]]) -> dict[str, float]:
    """Requests, errors, requests/s and percentiles of Locust's stats rows, merged."""
    times: dict[float, int] = {}
    for row in rows:
        for ms, count in row["response_times"].items():
            times[float(ms)] = times.get(float(ms), 0) + count
    total = sum(row["num_requests"] for row in rows)
    start = min((row["start_time"] for row in rows), default=0.0)
    end = max((row["last_request_timestamp"] or 0.0 for row in rows), default=0.0)
    return {
        "requests": total,
        "errors": sum(row["num_failures"] for row in rows),
        "per_s": total / (end - start) if end > start else 0.0,
        "p50_ms": _percentile(times, total, 0.50),
        "p95_ms": _percentile(times, total, 0.95),
        "p99_ms": _percentile(times, total, 0.99),
    }


def _reads(run: dict[str, dict[str, float]]) -> dict[str, float]:
    """Throughput of the read requests of a mixed run (names starting with "read:")."""
    reads = [f for name, f in run.items() if name.startswith("read:")]
    total = run.get("Aggregated", {})
    share = sum(f["requests"] for f in reads) / max(total.get("requests", 0), 1)
    return {"per_s": total.get("per_s", 0) * share}


def check_exactness() -> tuple[bool, list[str]]:
    """API counts = rows = ledger entries; agenda check and ledger verify clean."""
    from django.db.models import Count

    from commonground.dialogue.models import Vote
    from commonground.issues.models import Issue, Support
    from commonground.ledger.models import LedgerEntry
    from commonground.ledger.sequencer import integrate_pending

    problems: list[str] = []
    integrate_pending()
    entries = LedgerEntry.objects.filter(forum="load-igf")
    adds = dict(
        entries.filter(action="support.add")
        .values_list("object_id")
        .annotate(n=Count("seq"))
        .values_list("object_id", "n")
    )
    withdrawals = dict(
        entries.filter(action="support.withdraw")
        .values_list("object_id")
        .annotate(n=Count("seq"))
        .values_list("object_id", "n")
    )
    rows = dict(
        Support.objects.values_list("issue_id").annotate(n=Count("id")).values_list("issue_id", "n")
    )
    from django.test import Client

    client = Client()
    for issue in Issue.objects.filter(forum__slug="load-igf"):
        ledger = adds.get(str(issue.pk), 0) - withdrawals.get(str(issue.pk), 0)
        api = client.get(f"/api/v1/issues/{issue.pk}", HTTP_HOST="127.0.0.1").json()
        counted = api.get("support_count")
        if not (counted == rows.get(issue.pk, 0) == ledger == issue.support_count):
            problems.append(
                f"issue {issue.pk}: API {counted}, rows {rows.get(issue.pk, 0)}, ledger {ledger}"
            )
    votes = Vote.objects.count()
    voted = entries.filter(action="vote.cast").values("actor", "object_id").distinct().count()
    if votes != voted:
        problems.append(f"votes: {votes} rows, {voted} distinct (voter, statement) in the ledger")
    for command in (["agenda", "check", "load-igf"], ["ledger", "verify"]):
        done = subprocess.run(
            [sys.executable, "-m", "commonground.cli", *command],
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        if done.returncode != 0:
            problems.append(f"{' '.join(command)}: {(done.stdout + done.stderr).strip()[-300:]}")
    return not problems, problems


def _report(
    name: str, f: dict[str, float], floor: dict[str, float], minimal: dict[str, float]
) -> str:
    return (
        f"{name:<18} {f['per_s']:8.1f}/s  p50 {f['p50_ms']:6.0f}  p95 {f['p95_ms']:6.0f}  "
        f"p99 {f['p99_ms']:6.0f} ms  errors {int(f['errors']):>4}  "
        f"x floor {f['per_s'] / max(floor['per_s'], 1e-9):5.2f}  "
        f"x minimal {f['per_s'] / max(minimal['per_s'], 1e-9):5.2f}"
    )


Round = dict[str, dict[str, dict[str, float]]]


def _say_round(say: Any, names: list[str], results: Round) -> None:
    """Each scenario's figures and its ratios to the round's own baselines."""
    floor = results["floor write"]["Aggregated"]
    minimal = results["minimal view"]["Aggregated"]
    for name in names:
        say(_report(name, results[name]["Aggregated"], floor, minimal))
        if name == "mixed forum day":
            reads = _reads(results[name])["per_s"]
            say(
                f"  reads of the mixed day: {reads:.1f}/s, "
                f"x minimal {_share(reads, results, 'minimal view'):.2f}"
            )


def _share(per_s: float, results: Round, baseline: str) -> float:
    """``per_s`` as a share of the round's ``baseline`` throughput."""
    return per_s / max(results[baseline]["Aggregated"]["per_s"], 1e-9)


def _say_medians(say: Any, names: list[str], rounds: list[Round]) -> None:
    """Over several rounds: each scenario's ratios to its round's baselines, then their
    median (a 20 s run on a shared machine moves by a third from one run to the next, the
    baselines with it: the round-by-round ratios and their median say more than one run)."""
    say(f"medians over {len(rounds)} rounds (each ratio to its own round's baselines):")
    for name in names:
        per_s = [run[name]["Aggregated"]["per_s"] for run in rounds]
        to_floor = [_share(p, run, "floor write") for p, run in zip(per_s, rounds, strict=True)]
        to_minimal = [_share(p, run, "minimal view") for p, run in zip(per_s, rounds, strict=True)]
        p99 = [run[name]["Aggregated"]["p99_ms"] for run in rounds]
        errors = sum(int(run[name]["Aggregated"]["errors"]) for run in rounds)
        say(
            f"{name:<18} {statistics.median(per_s):8.1f}/s  p99 {statistics.median(p99):6.0f} ms  "
            f"errors {errors:>4}  x floor {statistics.median(to_floor):5.2f} "
            f"({', '.join(f'{r:.2f}' for r in to_floor)})  "
            f"x minimal {statistics.median(to_minimal):5.2f}"
        )
        if name == "mixed forum day":
            reads = [_share(_reads(run[name])["per_s"], run, "minimal view") for run in rounds]
            say(
                f"  reads of the mixed day x minimal: median {statistics.median(reads):.2f} "
                f"({', '.join(f'{r:.2f}' for r in reads)})"
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a short run (small budgets)")
    parser.add_argument("--json", action="store_true", help="print one JSON object only")
    parser.add_argument("--users", type=int, default=32, help="concurrent simulated users")
    parser.add_argument("--seconds", type=int, default=20, help="time bound of each run")
    parser.add_argument("--requests", type=int, default=20_000, help="request bound of each run")
    parser.add_argument("--servers", type=int, default=1, help="commonground serve processes")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per server")
    parser.add_argument("--port", type=int, default=8690, help="first loopback port")
    parser.add_argument("--proxy", action="store_true", help="put HAProxy before the servers")
    parser.add_argument("--target", help="run against this URL (e.g. the proxy of deploy/)")
    parser.add_argument("--members", type=int, default=400)
    parser.add_argument("--warmup", type=int, default=400, help="requests before measuring")
    parser.add_argument("--keep", action="store_true", help="keep the logs and Locust CSV")
    parser.add_argument(
        "--repeat",
        type=positive,
        default=1,
        help="rounds of the baselines and scenarios, one after the other; "
        "reports each round and the medians",
    )
    parser.add_argument("--scenario", action="append", choices=list(SCENARIOS))
    parser.add_argument(
        "--cache",
        choices=("database", "redis"),
        default="database",
        help="the shared cache: the database cache (default) or a Redis started for the run",
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.users, args.seconds = min(args.users, 8), 6
        args.requests = min(args.requests, 300)
        args.members, args.warmup = min(args.members, 60), min(args.warmup, 150)
    names = args.scenario or (
        ["minimal view", "floor write", "support storm"] if args.quick else list(SCENARIOS)
    )
    for needed in ("floor write", "minimal view"):
        if needed not in names:
            names.insert(0, needed)
    say = (lambda *a: None) if args.json else (lambda *a: print(*a, flush=True))
    work = Path(tempfile.mkdtemp(prefix="cg-load-run-"))
    os.environ.setdefault("COMMONGROUND_DATA_DIR", str(work / "data"))
    if args.cache == "redis":
        # Above the app servers' ports (and the proxy's): first port + 90.
        redis = start_redis(args.port + 90, work)
        atexit.register(stop_children, [redis])  # after the exactness check, or on a failure
        os.environ["COMMONGROUND_CACHE_URL"] = f"redis://127.0.0.1:{args.port + 90}/0"
        say(f"shared cache: Redis on port {args.port + 90}")
    say(f"setting up {args.members} members on {_server_url()[0]} ...")
    plan = setup_database(args.members, 12, 20)
    plan_file = work / "plan.json"
    plan_file.write_text(json.dumps(plan))
    servers: list[Any] = []
    try:
        if args.target:
            target = args.target.rstrip("/")
        else:
            servers = start_servers(args.servers, args.workers, args.port, work)
            target = f"http://127.0.0.1:{args.port}"
        if args.proxy:
            proxy_port = args.port + args.servers
            servers.append(start_proxy(args.port, args.servers, proxy_port, work))
            target = f"http://127.0.0.1:{proxy_port}"
            say(f"through HAProxy on port {proxy_port} to {args.servers} servers")
        elif args.target is None and args.servers > 1:
            say("several servers without --proxy: Locust drives the first one only")
        say(
            f"load: {args.users} users, at most {args.requests} requests "
            f"or {args.seconds} s per run"
        )
        say(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} before")
        # Warm-up, not measured: each server process loads its views and the API's
        # schemas on first use, which would weigh on the first run.
        run_locust("mixed forum day", target, plan_file, args.users, 30, args.warmup, work)
        rounds: list[Round] = []
        for number in range(1, args.repeat + 1):
            results: Round = {}
            for name in names:
                results[name] = run_locust(
                    name, target, plan_file, args.users, args.seconds, args.requests, work
                )
            rounds.append(results)
            if args.repeat > 1:
                say(f"round {number} of {args.repeat}, load average {os.getloadavg()[0]:.2f}")
                _say_round(say, names, results)
        say(f"load average after: {os.getloadavg()[0]:.2f}")
    finally:
        stop_children(servers)
    if args.repeat == 1:
        _say_round(say, names, rounds[0])
    else:
        _say_medians(say, names, rounds)
    exact, problems = check_exactness()
    for problem in problems:
        say(f"NOT EXACT: {problem}")
    say(
        "exact: API counts = rows = ledger entries; agenda check and ledger verify clean"
        if exact
        else "exactness FAILED"
    )
    errors = int(sum(r["Aggregated"]["errors"] for run in rounds for r in run.values()))

    def median(figure: Any) -> float:
        return statistics.median(figure(run) for run in rounds)

    def storm(run: Round) -> dict[str, float]:
        return run.get("support storm", {}).get("Aggregated", {})

    def floor(run: Round) -> dict[str, float]:
        return run["floor write"]["Aggregated"]

    # One round: its figures. Several: the median of each (the ratio's median is taken
    # over the rounds' own ratios, each from a baseline measured right before it).
    summary = {
        "supports_per_s": round(median(lambda r: storm(r).get("per_s", 0.0)), 1),
        "floor_write_per_s": round(median(lambda r: floor(r)["per_s"]), 1),
        "ratio": round(median(lambda r: _share(storm(r).get("per_s", 0.0), r, "floor write")), 3),
        "p99_ms": median(lambda r: storm(r).get("p99_ms", 0.0)),
        "floor_p99_ms": median(lambda r: floor(r)["p99_ms"]),
        "errors": errors,
        "exact": exact,
    }
    if args.json:
        print(json.dumps(summary))
    if exact and errors == 0 and not args.keep:
        shutil.rmtree(work, ignore_errors=True)
        drop_database()
    else:
        say(f"logs and Locust CSV kept in {work}")
    return 0 if exact and errors == 0 else 1


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main())
