"""Benchmark: the recognition engine against plain SQL GROUP BY baselines.

Run ``uv run python bench/recognition.py [--scale small|medium|full]``.

It generates a heavy-tailed cycle with a fixed seed (Zipf-like issue popularity and
participant activity, six stakeholder groups of uneven sizes, some issues favoured by one
group), then measures in the same run:

* the engine: ``tally`` + ``compute`` from in-memory arrays (wall time, tracemalloc peak of
  the NumPy allocations it makes, and the peak RSS of a fresh process doing only that);
* the same counts (supports per issue x group, active members per group) as SQL
  ``GROUP BY`` queries over a raw supports table joined to participants, in SQLite (file
  database) and PostgreSQL (database ``test`` on 127.0.0.1, user postgres), indexes built
  before timing and only the queries (execute + fetch) timed; their results are checked
  against the engine's;
* ``agenda --from``: the data written as a data package, read and recomputed by
  ``main_agenda_from`` in a fresh interpreter, timed from process start to exit.

Ratios are SQL time / engine time (how many times slower the baseline is).
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from commonground.analysis.recognition import (
    GROUPS,
    RecognitionResult,
    RecognitionSettings,
    compute,
    tally,
)

SCALES: dict[str, tuple[int, int, int]] = {
    "small": (10_000, 1_000, 100_000),
    "medium": (100_000, 10_000, 1_000_000),
    "full": (1_000_000, 100_000, 10_000_000),
}

# Uneven group sizes, roughly as in IGF participation: civil society and the technical
# community are large, intergovernmental organizations and Internet institutions small.
GROUP_SHARES = np.array([0.07, 0.015, 0.025, 0.24, 0.40, 0.25])
SEED = 20270301
START_US = 1_801_526_400_000_000  # 2027-02-01T00:00:00Z in microseconds


@dataclass
class Cycle:
    """One generated cycle: participants, issues and supports as engine-ready arrays."""

    participant_group: np.ndarray  # int8
    raised_at: np.ndarray  # int64 microseconds
    support_participant: np.ndarray  # int32
    support_issue: np.ndarray  # int32
    support_created: np.ndarray  # int64 microseconds

    @property
    def n_participants(self) -> int:
        return int(self.participant_group.size)

    @property
    def n_issues(self) -> int:
        return int(self.raised_at.size)

    @property
    def n_supports(self) -> int:
        return int(self.support_issue.size)


def _zipf_weights(n: int, exponent: float, offset: float) -> np.ndarray:
    weights = 1.0 / (np.arange(n, dtype=np.float64) + offset) ** exponent
    return weights / weights.sum()


def generate(n_participants: int, n_issues: int, n_supports: int, seed: int = SEED) -> Cycle:
    """A reproducible heavy-tailed cycle with exactly ``n_supports`` distinct supports."""
    rng = np.random.default_rng(seed)
    group = rng.choice(len(GROUPS), size=n_participants, p=GROUP_SHARES).astype(np.int8)
    # Activity rank -> participant, and popularity rank -> issue: random permutations so
    # that neither is correlated with row order or with the group.
    participant_by_rank = rng.permutation(n_participants).astype(np.int32)
    issue_by_rank = rng.permutation(n_issues).astype(np.int32)
    # Each group also has its own favourites: 30 % of a group's supports follow a
    # group-specific popularity order, so issues differ in how broad their support is.
    favourites = np.stack([rng.permutation(n_issues) for _ in GROUPS]).astype(np.int32)
    activity_cdf = np.cumsum(_zipf_weights(n_participants, 0.9, 10.0))
    popularity_cdf = np.cumsum(_zipf_weights(n_issues, 1.1, 5.0))

    keys = np.zeros(0, dtype=np.int64)
    while keys.size < n_supports:
        draw = int((n_supports - keys.size) * 1.3) + 1000
        who = participant_by_rank[
            np.minimum(np.searchsorted(activity_cdf, rng.random(draw)), n_participants - 1)
        ]
        rank = np.minimum(np.searchsorted(popularity_cdf, rng.random(draw)), n_issues - 1)
        own = rng.random(draw) < 0.3
        what = np.where(own, favourites[group[who], rank], issue_by_rank[rank])
        # One support per participant per issue: dedupe on the packed pair.
        keys = np.union1d(keys, who.astype(np.int64) * n_issues + what)
    keys = rng.permutation(keys)[:n_supports]  # exact count, in random (arrival) order
    raised_at = START_US + np.sort(rng.integers(0, 60 * 86_400, n_issues)) * 1_000_000
    support_issue = (keys % n_issues).astype(np.int32)
    # A support comes after its issue was raised.
    created = raised_at[support_issue] + rng.integers(0, 30 * 86_400, keys.size) * 1_000_000
    return Cycle(
        participant_group=group,
        raised_at=raised_at.astype(np.int64),
        support_participant=(keys // n_issues).astype(np.int32),
        support_issue=support_issue,
        support_created=created.astype(np.int64),
    )


# ---- measuring helpers ----------------------------------------------------------------


def timed(fn: Callable[[], Any], repeat: int) -> tuple[list[float], Any]:
    """Wall times of ``repeat`` calls and the last result."""
    times: list[float] = []
    result: Any = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return times, result


def run_engine(cycle: Cycle, settings: RecognitionSettings) -> RecognitionResult:
    supports, active = tally(
        cycle.participant_group, cycle.support_participant, cycle.support_issue, cycle.n_issues
    )
    return compute(supports, active, cycle.raised_at, np.arange(1, cycle.n_issues + 1), settings)


CHILD_ENGINE = """
import json, resource, sys, time
from pathlib import Path
import numpy as np
from commonground.analysis.recognition import RecognitionSettings, compute, tally
def rss():
    # VmHWM: the peak RSS of this process's own address space. ru_maxrss would do on a
    # machine where the parent is small, but Linux carries the parent's peak across
    # fork + exec into ru_maxrss, and the parent here holds the whole generated cycle.
    try:
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
folder = Path(sys.argv[1])
started = rss()
arrays = {k: np.load(folder / f"{k}.npy") for k in ("group", "who", "what", "raised")}
loaded = rss()
start = time.perf_counter()
supports, active = tally(arrays["group"], arrays["who"], arrays["what"], arrays["raised"].size)
result = compute(supports, active, arrays["raised"], np.arange(1, arrays["raised"].size + 1),
                 RecognitionSettings())
seconds = time.perf_counter() - start
print(json.dumps({"started_kib": started, "loaded_kib": loaded, "after_kib": rss(),
                  "seconds": seconds, "agenda": len(result.agenda)}))
"""


def engine_child_rss(cycle: Cycle, folder: Path) -> dict[str, Any]:
    """Peak RSS of a fresh process that loads the arrays and runs tally + compute once.

    Separate .npy files (not .npz) so that loading allocates just the arrays and the
    peak after the run is the engine's, not the loader's.
    """
    arrays = {
        "group": cycle.participant_group,
        "who": cycle.support_participant,
        "what": cycle.support_issue,
        "raised": cycle.raised_at,
    }
    for name, values in arrays.items():
        np.save(folder / f"{name}.npy", values)
    out = subprocess.run(
        [sys.executable, "-c", CHILD_ENGINE, str(folder)],
        check=True,
        capture_output=True,
        text=True,
    )
    for name in arrays:
        (folder / f"{name}.npy").unlink()
    return json.loads(out.stdout)


def check_counts(
    name: str, rows: list[tuple[int, int, int]], active_rows: list[tuple[int, int]], result: Any
) -> None:
    """Fail loudly if a baseline's counts differ from the engine's."""
    supports = np.zeros_like(result.supports)
    for issue, group, count in rows:
        supports[issue, group] = count
    active = np.zeros_like(result.active)
    for group, count in active_rows:
        active[group] = count
    if not (np.array_equal(supports, result.supports) and np.array_equal(active, result.active)):
        raise SystemExit(f"{name}: counts differ from the engine's")


def _chunks(cycle: Cycle, size: int = 500_000) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    for start in range(0, cycle.n_supports, size):
        yield (
            cycle.support_participant[start : start + size],
            cycle.support_issue[start : start + size],
        )


SQL_COUNTS = (
    "SELECT s.issue_id, p.grp, COUNT(*) FROM {s}supports s "
    "JOIN {s}participants p ON p.id = s.participant_id GROUP BY s.issue_id, p.grp"
)
SQL_ACTIVE = (
    "SELECT p.grp, COUNT(*) FROM {s}participants p WHERE EXISTS "
    "(SELECT 1 FROM {s}supports s WHERE s.participant_id = p.id) GROUP BY p.grp"
)


def bench_sqlite(cycle: Cycle, folder: Path, repeat: int, result: Any) -> dict[str, Any]:
    """Load a file database, build the indexes, then time only the two GROUP BY queries."""
    path = folder / "bench.sqlite3"
    db = sqlite3.connect(path)
    try:
        db.executescript(
            "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
            "CREATE TABLE participants (id INTEGER PRIMARY KEY, grp INTEGER NOT NULL);"
            "CREATE TABLE supports (participant_id INTEGER NOT NULL, issue_id INTEGER NOT NULL);"
        )
        load_start = time.perf_counter()
        db.executemany(
            "INSERT INTO participants VALUES (?, ?)",
            zip(range(cycle.n_participants), cycle.participant_group.tolist(), strict=True),
        )
        for who, what in _chunks(cycle):
            db.executemany(
                "INSERT INTO supports VALUES (?, ?)", zip(who.tolist(), what.tolist(), strict=True)
            )
        # The one-support-per-participant-per-issue constraint, and an index per issue.
        db.executescript(
            "CREATE UNIQUE INDEX supports_pair ON supports (participant_id, issue_id);"
            "CREATE INDEX supports_issue ON supports (issue_id);"
            "ANALYZE;"
        )
        db.commit()
        load = time.perf_counter() - load_start

        def query() -> tuple[list[Any], list[Any]]:
            rows = db.execute(SQL_COUNTS.format(s="")).fetchall()
            active = db.execute(SQL_ACTIVE.format(s="")).fetchall()
            return rows, active

        times, (rows, active) = timed(query, repeat)
        check_counts("SQLite", rows, active, result)
        return {"times": times, "load": load, "version": sqlite3.sqlite_version}
    finally:
        db.close()
        path.unlink(missing_ok=True)


def _pg_binary_copy(who: np.ndarray, what: np.ndarray) -> bytes:
    """Rows (int4, int4) in PostgreSQL's binary COPY format, built by NumPy in one go."""
    rows = np.empty(
        who.size,
        dtype=[("n", ">i2"), ("l1", ">i4"), ("v1", ">i4"), ("l2", ">i4"), ("v2", ">i4")],
    )
    rows["n"] = 2
    rows["l1"] = 4
    rows["v1"] = who
    rows["l2"] = 4
    rows["v2"] = what
    return rows.tobytes()


PG_HEADER = b"PGCOPY\n\xff\r\n\x00" + (0).to_bytes(4, "big") + (0).to_bytes(4, "big")
PG_TRAILER = (-1).to_bytes(2, "big", signed=True)


def bench_postgres(cycle: Cycle, repeat: int, result: Any) -> dict[str, Any] | str:
    """The same queries in PostgreSQL; returns a note instead when it is unreachable."""
    try:
        import psycopg
    except ImportError:
        return "psycopg is not installed"
    try:
        conn = psycopg.connect(
            "host=127.0.0.1 port=5432 user=postgres dbname=test", connect_timeout=5, autocommit=True
        )
    except psycopg.Error as exc:
        return f"PostgreSQL unreachable ({str(exc).strip().splitlines()[0]})"
    schema = f"bench_recognition_{os.getpid()}"
    s = f"{schema}."
    try:
        with conn.cursor() as cur:
            version = cur.execute("SHOW server_version").fetchone()
            cur.execute(f"CREATE SCHEMA {schema}")
            cur.execute(
                f"CREATE TABLE {s}participants (id integer PRIMARY KEY, grp integer NOT NULL)"
            )
            cur.execute(
                f"CREATE TABLE {s}supports (participant_id integer NOT NULL, "
                "issue_id integer NOT NULL)"
            )
            load_start = time.perf_counter()
            ids = np.arange(cycle.n_participants, dtype=np.int32)
            with cur.copy(f"COPY {s}participants FROM STDIN (FORMAT BINARY)") as copy:
                copy.write(PG_HEADER)
                copy.write(_pg_binary_copy(ids, cycle.participant_group.astype(np.int32)))
                copy.write(PG_TRAILER)
            with cur.copy(f"COPY {s}supports FROM STDIN (FORMAT BINARY)") as copy:
                copy.write(PG_HEADER)
                for who, what in _chunks(cycle, 2_000_000):
                    copy.write(_pg_binary_copy(who, what))
                copy.write(PG_TRAILER)
            cur.execute(
                f"CREATE UNIQUE INDEX supports_pair ON {s}supports (participant_id, issue_id)"
            )
            cur.execute(f"CREATE INDEX supports_issue ON {s}supports (issue_id)")
            cur.execute(f"ANALYZE {s}participants")
            cur.execute(f"ANALYZE {s}supports")
            load = time.perf_counter() - load_start

            def query() -> tuple[list[Any], list[Any]]:
                rows = cur.execute(SQL_COUNTS.format(s=s)).fetchall()
                active = cur.execute(SQL_ACTIVE.format(s=s)).fetchall()
                return rows, active

            times, (rows, active) = timed(query, repeat)
            check_counts("PostgreSQL", rows, active, result)
            return {"times": times, "load": load, "version": version[0] if version else "?"}
    finally:
        with conn.cursor() as cur:
            cur.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        conn.close()


def write_package(cycle: Cycle, folder: Path, settings: RecognitionSettings) -> int:
    """Write the cycle as a data package (datapackage.json + three CSVs); returns bytes."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv

    def iso(values: np.ndarray) -> pa.Array:
        stamps = pa.array(values, type=pa.timestamp("us", tz="UTC"))
        return pc.strftime(stamps, format="%Y-%m-%dT%H:%M:%SZ")

    def ids(values: np.ndarray) -> pa.Array:
        return pc.cast(pa.array(values.astype(np.int64) + 1), pa.string())

    folder.mkdir(parents=True, exist_ok=True)
    descriptor = {
        "name": "bench-recognition",
        "resources": [
            {"name": n, "path": f"{n}.csv"} for n in ("participants", "issues", "supports")
        ],
        "commonground": {"recognition": settings.to_dict()},
    }
    (folder / "datapackage.json").write_text(json.dumps(descriptor, indent=2))
    names = pa.array(np.array(GROUPS, dtype=object)[cycle.participant_group])
    countries = pa.array(np.array(["KE", "BR", "DE", "IN", "UA"], dtype=object)[
        np.arange(cycle.n_participants) % 5
    ])  # fmt: skip
    pacsv.write_csv(
        pa.table(
            {
                "id": ids(np.arange(cycle.n_participants)),
                "stakeholder_group": names,
                "country": countries,
            }
        ),
        folder / "participants.csv",
    )
    rank = np.arange(cycle.n_issues)
    pacsv.write_csv(
        pa.table(
            {
                "id": ids(rank),
                "title": pa.array([f"Issue {k + 1}, raised for the benchmark" for k in rank]),
                "raised_by": ids(rank % cycle.n_participants),
                "raised_at": iso(cycle.raised_at),
            }
        ),
        folder / "issues.csv",
    )
    pacsv.write_csv(
        pa.table(
            {
                "participant_id": ids(cycle.support_participant),
                "issue_id": ids(cycle.support_issue),
                "created_at": iso(cycle.support_created),
            }
        ),
        folder / "supports.csv",
    )
    return sum(f.stat().st_size for f in folder.iterdir())


CHILD_AGENDA = (
    "import sys\n"
    "from commonground.opendata.agenda_output import main_agenda_from\n"
    "with open(sys.argv[3], 'w', encoding='utf-8') as out:\n"
    # The bench's package holds the three tables the engine reads and no ledger, so there
    # is nothing to check them against (docs/performance.md, "Checking packages").
    "    code = main_agenda_from(sys.argv[1], sys.argv[2], out, trust_tables=True)\n"
    "peak = [l for l in open('/proc/self/status') if l.startswith('VmHWM:')]\n"
    "open(sys.argv[4], 'w').write(peak[0].split()[1] if peak else '0')\n"
    "sys.exit(code)\n"
)

CHILD_PHASES = """
import json, sys, time
t0 = time.perf_counter()
from commonground.analysis.recognition import compute, tally
from commonground.opendata.package_reader import agenda_json, format_table, load_package
t1 = time.perf_counter()
package = load_package(sys.argv[1])
t2 = time.perf_counter()
supports, active = tally(package.participant_group, package.support_participant,
                         package.support_issue, package.n_issues)
result = compute(supports, active, package.raised_at, package.issue_ids, package.settings)
t3 = time.perf_counter()
text = agenda_json(result)
t4 = time.perf_counter()
table = format_table(result.to_json_dict())
t5 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "read + validate": t2 - t1, "tally + compute": t3 - t2,
                  "JSON text": t4 - t3, "table text": t5 - t4}))
"""


def run_agenda(folder: Path, fmt: str, out: Path) -> tuple[float, int, int]:
    """Run ``main_agenda_from`` in a fresh interpreter: (seconds, exit code, peak RSS KiB).

    The peak is the child's VmHWM (its own address space), read just before it exits.
    """
    peak_file = out.with_suffix(".peak")
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", CHILD_AGENDA, str(folder), fmt, str(out), str(peak_file)],
        check=False,
    )
    seconds = time.perf_counter() - start
    peak = int(peak_file.read_text() or 0) if peak_file.exists() else 0
    peak_file.unlink(missing_ok=True)
    return seconds, proc.returncode, peak


# ---- report ---------------------------------------------------------------------------


def fmt_s(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def fmt_mib(kib: float) -> str:
    return f"{kib / 1024:.0f} MiB"


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the figures; returns the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="small")
    parser.add_argument("--repeat", type=int, default=0, help="timed runs (default: by scale)")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--no-package", action="store_true", help="skip agenda --from")
    args = parser.parse_args(argv)
    n_p, n_i, n_s = SCALES[args.scale]
    repeat = args.repeat or (5 if args.scale == "full" else 7)
    sql_repeat = max(1, min(repeat, 3))
    settings = RecognitionSettings()

    print(f"Recognition benchmark, scale {args.scale}: {n_p:,} participants, {n_i:,} issues, "
          f"{n_s:,} supports (seed {args.seed})")  # fmt: skip
    print(f"Python {sys.version.split()[0]}, NumPy {np.__version__}, {os.cpu_count()} CPUs, "
          f"load average at start {os.getloadavg()[0]:.1f}")  # fmt: skip
    start = time.perf_counter()
    cycle = generate(n_p, n_i, n_s, args.seed)
    print(f"generated in {fmt_s(time.perf_counter() - start)}; group sizes "
          + ", ".join(f"{g} {int(c):,}" for g, c in zip(GROUPS, np.bincount(
              cycle.participant_group, minlength=len(GROUPS)), strict=True)))  # fmt: skip

    # Engine: one untimed warm-up, then timed runs.
    run_engine(cycle, settings)
    times, result = timed(lambda: run_engine(cycle, settings), repeat)
    tally_times, _ = timed(
        lambda: tally(cycle.participant_group, cycle.support_participant, cycle.support_issue, n_i),
        repeat,
    )
    tracemalloc.start()
    run_engine(cycle, settings)
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    engine_median = statistics.median(times)
    print(f"engine: {int(result.recognized.sum()):,} recognized, agenda of {result.agenda.size}")

    rows: list[tuple[str, str, str, str, str]] = [
        (
            "engine tally+compute",
            fmt_s(engine_median),
            fmt_s(min(times)),
            "1.0x",
            f"tally alone {fmt_s(statistics.median(tally_times))}",
        )
    ]
    memory: list[tuple[str, str]] = [
        ("inputs (group int8, 2 x int32 per support, raised_at)",
         fmt_mib((cycle.participant_group.nbytes + cycle.support_participant.nbytes
                  + cycle.support_issue.nbytes + cycle.raised_at.nbytes) / 1024)),
        ("engine, tracemalloc peak of its own allocations", fmt_mib(traced_peak / 1024)),
    ]  # fmt: skip

    with tempfile.TemporaryDirectory(prefix="bench-recognition-") as tmp:
        folder = Path(tmp)
        child = engine_child_rss(cycle, folder)
        memory.append(
            (
                "fresh process peak RSS (VmHWM): after imports / after loading inputs / "
                "after engine",
                f"{fmt_mib(child['started_kib'])} / {fmt_mib(child['loaded_kib'])} / "
                f"{fmt_mib(child['after_kib'])} (engine run there: {fmt_s(child['seconds'])})",
            )
        )

        notes: list[str] = []
        baselines: list[tuple[str, dict[str, Any] | str]] = []
        if not args.no_sqlite:
            baselines.append(("SQLite", bench_sqlite(cycle, folder, sql_repeat, result)))
        if not args.no_postgres:
            baselines.append(("PostgreSQL", bench_postgres(cycle, sql_repeat, result)))
        for name, outcome in baselines:
            if isinstance(outcome, str):
                notes.append(f"{name} skipped: {outcome}")
                continue
            median = statistics.median(outcome["times"])
            rows.append(
                (
                    f"{name} {outcome['version']} GROUP BY",
                    fmt_s(median),
                    fmt_s(min(outcome["times"])),
                    f"{median / engine_median:.1f}x",
                    f"load + index {fmt_s(outcome['load'])} (untimed)",
                )
            )

        agenda_rows: list[tuple[str, str, str]] = []
        phases: dict[str, float] = {}
        if not args.no_package:
            package = folder / "package"
            start = time.perf_counter()
            size = write_package(cycle, package, settings)
            notes.append(
                f"package written in {fmt_s(time.perf_counter() - start)}, "
                f"{size / 2**20:.0f} MiB on disk"
            )
            for fmt in ("json", "table"):
                out = folder / f"agenda.{fmt}"
                seconds, code, rss = run_agenda(package, fmt, out)
                if code != 0:
                    raise SystemExit(f"agenda --from ({fmt}) exited with {code}")
                agenda_rows.append((f"agenda --from --format {fmt}", fmt_s(seconds), fmt_mib(rss)))
                if fmt == "json":
                    written = json.loads(out.read_text(encoding="utf-8"))
                    expected = [str(result.issue_ids[i]) for i in result.agenda]
                    if written["agenda"] != expected:
                        raise SystemExit("agenda --from gave a different agenda than the engine")
                out.unlink()
            proc = subprocess.run(
                [sys.executable, "-c", CHILD_PHASES, str(package)],
                check=True,
                capture_output=True,
                text=True,
            )
            phases = json.loads(proc.stdout)

    print()
    print(f"Time (median and best of {repeat} engine runs, {sql_repeat} SQL runs; "
          "SQL timed as execute + fetchall of both queries)")  # fmt: skip
    head = ("what", "median", "best", "vs engine", "note")
    widths = [max(len(r[c]) for r in [head, *rows]) for c in range(len(head))]
    for r in [head, *rows]:
        print("  ".join(cell.ljust(widths[c]) for c, cell in enumerate(r)).rstrip())
    if agenda_rows:
        print()
        print("agenda --from, fresh interpreter, wall time from start to exit:")
        for what, seconds, rss in agenda_rows:
            print(f"  {what:<28} {seconds:>9}   peak RSS {rss}")
        print("  phases (one in-process run): "
              + ", ".join(f"{k} {fmt_s(v)}" for k, v in phases.items()))  # fmt: skip
    print()
    print("Memory:")
    for what, value in memory:
        print(f"  {what}: {value}")
    for note in notes:
        print(f"Note: {note}")
    # Other work on the machine slows every figure; the load average says how much there was.
    print(f"Load average at end: {os.getloadavg()[0]:.1f} (1 min)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
