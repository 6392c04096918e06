"""The whole ``opinion-map --from-polis`` command on generated Polis exports, against
red-dwarf (PyPI ``red-dwarf``) on the same export, in the same run.

Usage (the bench dependency group holds red-dwarf)::

    uv run --group bench python bench/opinion_export.py mid     # 20k x 1k x 6M
    uv run --group bench python bench/opinion_export.py large   # 1M x 10k x 20M
    # three interleaved runs of each (medians), an earlier checkout's src/ timed too:
    uv run --group bench python bench/opinion_export.py mid --runs 3 --baseline-src /tmp/old/src

The export is written by ``write_export`` from ``bench/opinion.py``'s generator (same
seed, same votes): ``votes.csv`` with timestamps spread over hours (each participant
votes in one sitting, a few seconds between votes, sittings spread over ``hours``),
in the order Polis's export writes it (by statement), plus ``comments.csv`` and
``summary.csv``. Each command runs as a fresh process; wall time is start to exit and
peak memory the process's maximum resident set (``getrusage`` of the child).

Red-dwarf is measured twice on the same export: its engine (``run_pipeline`` on the
list of latest votes, as ``bench/opinion.py`` does) and its whole pipeline as a user
runs it (a fresh process that reads ``votes.csv`` with pandas, keeps the latest vote
per pair, reads the moderation from ``comments.csv``, runs ``run_pipeline`` and writes
its groups as JSON).

Every system runs with Python's default bytecode cache, warmed by one untimed import
before the runs (as after a user's first run, or a pip install that compiles); a
``PYTHONDONTWRITEBYTECODE`` in the environment is dropped for the measured processes
unless ``--no-bytecode`` is given, since it makes each start compile every module again.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

sys.path.insert(0, str(Path(__file__).resolve().parent))
from opinion import SIZES, generate

ROOT = Path(__file__).resolve().parents[1]
START_MS = 1_700_000_000_000  # November 2023


def write_export(folder: Path, size: str, hours: float = 8.0, seed: int = 7) -> dict[str, Any]:
    """Write a Polis export of the benchmark's generated votes into ``folder``."""
    n_p, n_s, n_v, heavy = SIZES[size]
    participant, statement, vote = generate(n_p, n_s, n_v, heavy_tail=heavy, seed=seed)
    rng = np.random.default_rng(seed + 1)
    # Each participant sits down once, somewhere in the period, and votes every 2-8 s.
    arrival = rng.uniform(0.0, hours * 3_600_000.0, n_p)
    order = np.argsort(participant, kind="stable")
    participant, statement, vote = participant[order], statement[order], vote[order]
    per = np.bincount(participant, minlength=n_p)
    offset = np.arange(participant.size) - np.repeat(np.cumsum(per) - per, per)
    gaps = rng.uniform(2_000.0, 8_000.0, participant.size)
    stamp = (START_MS + arrival[participant] + offset * gaps).astype(np.int64)
    # Polis writes votes.csv by statement (its export query orders by comment id).
    order = np.lexsort((stamp, statement))
    stamp, statement, participant, vote = (
        stamp[order],
        statement[order],
        participant[order],
        vote[order],
    )
    folder.mkdir(parents=True, exist_ok=True)
    when = pc.strftime(
        pa.array(stamp, type=pa.timestamp("ms", tz="UTC")), format="%a %b %d %H:%M:%S UTC %Y"
    )
    table = pa.table(
        {
            "timestamp": pa.array(stamp),
            "datetime": when,
            "comment-id": pa.array(statement.astype(np.int64)),
            "voter-id": pa.array(participant.astype(np.int64)),
            "vote": pa.array(vote.astype(np.int64)),
        }
    )
    pacsv.write_csv(table, folder / "votes.csv")
    moderated = np.zeros(n_s, dtype=np.int64)
    moderated[rng.choice(n_s, n_s // 50, replace=False)] = -1
    comments = pa.table(
        {
            "timestamp": pa.array(np.full(n_s, START_MS // 1000)),
            "comment-id": pa.array(np.arange(n_s)),
            "author-id": pa.array(np.zeros(n_s, dtype=np.int64)),
            "moderated": pa.array(moderated),
            "comment-body": pa.array([f"Statement {i}" for i in range(n_s)]),
        }
    )
    pacsv.write_csv(comments, folder / "comments.csv")
    (folder / "summary.csv").write_text(f"topic,benchmark {size}\nvoters,{n_p}\n")
    return {"participants": n_p, "statements": n_s, "votes": n_v, "hours": hours}


REDDWARF_WHOLE = r"""
import json, sys
import pandas as pd
from reddwarf.implementations.polis import run_pipeline
folder = sys.argv[1]
votes = pd.read_csv(folder + "/votes.csv", usecols=["timestamp", "comment-id", "voter-id", "vote"])
votes = votes.sort_values("timestamp", kind="stable").drop_duplicates(
    ["voter-id", "comment-id"], keep="last")
comments = pd.read_csv(folder + "/comments.csv", usecols=["comment-id", "moderated"])
mod_out = comments.loc[comments["moderated"] == -1, "comment-id"].tolist()
records = [
    {"participant_id": p, "statement_id": s, "vote": v}
    for p, s, v in zip(votes["voter-id"].tolist(), votes["comment-id"].tolist(),
                       votes["vote"].tolist())
]
del votes
result = run_pipeline(votes=records, mod_out_statement_ids=mod_out, random_state=0)
labels = result.participants_df["cluster_id"].dropna()
json.dump({"k": int(labels.nunique()), "groups": {str(k): int(v) for k, v in labels.items()}},
          sys.stdout)
"""


# What each system imports, compiled to bytecode before anything is timed (see
# ``user_env``): CPython caches a module's bytecode on first import and pip compiles
# it at install, so a user's second run does not compile sources again.
WARM_IMPORTS = {
    "ours": "import commonground.cli.main, commonground.opendata.polis_replay",
    "reddwarf-whole": "import pandas, reddwarf.implementations.polis",
}


def user_env(baseline: bool = False) -> dict[str, str]:
    """The environment a user runs in: Python's own defaults for the bytecode cache.

    ``PYTHONDONTWRITEBYTECODE`` (set on some build machines) makes every start compile
    every module from source again, which no installed tool does; it is dropped, for
    every system alike. ``--no-bytecode`` keeps it, to show that figure too."""
    env = dict(os.environ)
    if os.environ.get("BENCH_NO_BYTECODE") != "1":
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    if baseline:
        # An earlier checkout's src/ ahead of the installed (editable) one.
        env["PYTHONPATH"] = os.environ["BENCH_BASELINE_SRC"]
    return env


def warm_bytecode(baseline: bool = False) -> None:
    """Import what each measured system imports once, untimed, so that its bytecode is
    cached as it is after a user's first run (or a pip install)."""
    if os.environ.get("BENCH_NO_BYTECODE") == "1":
        return
    for system, code in WARM_IMPORTS.items():
        if baseline and system != "ours":
            continue
        subprocess.run([sys.executable, "-c", code], env=user_env(baseline), check=False)


def run_measured(argv: list[str], out_path: Path, baseline: bool = False) -> dict[str, Any]:
    """Run ``argv`` as a fresh process with stdout to ``out_path``; wall seconds and the
    child's peak resident set."""
    env = user_env(baseline)
    start = time.perf_counter()
    with out_path.open("w") as out:
        proc = subprocess.run(argv, stdout=out, stderr=subprocess.PIPE, text=True, env=env)
    seconds = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        return {"error": (proc.stderr.strip().splitlines() or ["?"])[-1], "seconds": seconds}
    # ru_maxrss of children is the maximum over all children so far: each measurement
    # runs from a fresh parent (see main) so that it is this child's. CPU seconds (user
    # + system, all threads) do not grow with other processes' load as wall time does.
    return {
        "seconds": round(seconds, 2),
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 2),
        "peak_mib": round(usage.ru_maxrss / 1024, 1),
    }


def measure(system: str, folder: Path) -> dict[str, Any]:
    """One measurement of one system on the export in ``folder`` (in a fresh parent)."""
    out = Path(tempfile.mkstemp(suffix=".json")[1])
    try:
        if system in ("ours", "baseline"):
            argv = [
                str(Path(sys.executable).parent / "commonground"),
                "opinion-map",
                "--from-polis",
                str(folder),
                "--format",
                "json",
            ]
            report = run_measured(argv, out, baseline=system == "baseline")
            if "error" not in report:
                doc = json.loads(out.read_text())
                report.update(k=doc["k"], updates=doc["updates"], engine=doc["engine_seconds"])
        elif system == "reddwarf-whole":
            report = run_measured([sys.executable, "-c", REDDWARF_WHOLE, str(folder)], out)
            if "error" not in report:
                report["k"] = json.loads(out.read_text())["k"]
        else:
            raise SystemExit(f"unknown system {system}")
    finally:
        out.unlink(missing_ok=True)
    return report


def _spawn(system: str, folder: Path) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, __file__, "--measure", system, str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        return {"error": (proc.stderr.strip().splitlines() or ["?"])[-1]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _engine(size: str, system: str) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "opinion.py"), "--child", system, size],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        return {"error": (proc.stderr.strip().splitlines() or ["?"])[-1]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def load() -> str:
    """The 1, 5 and 15 minute load averages (other processes share the two cores)."""
    return " ".join(Path("/proc/loadavg").read_text().split(" ", 3)[:3])


def _median(reports: list[dict[str, Any]], key: str) -> float:
    values = sorted(r[key] for r in reports if key in r)
    return values[len(values) // 2] if values else float("nan")


def _options(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench/opinion_export.py")
    parser.add_argument("size", nargs="?", default="mid", choices=sorted(SIZES))
    parser.add_argument("--keep", metavar="DIR", help="export folder (written if missing)")
    parser.add_argument("--runs", type=int, default=1, help="runs of each system (median)")
    parser.add_argument(
        "--baseline-src",
        metavar="DIR",
        help="also time the command from this src/ folder (an earlier checkout), interleaved",
    )
    parser.add_argument("--no-bytecode", action="store_true", help="keep PYTHONDONTWRITEBYTECODE")
    parser.add_argument("--no-engine", action="store_true", help="skip red-dwarf's engine alone")
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    """See ``--help``; ``--measure SYSTEM DIR`` is internal."""
    if argv[:1] == ["--measure"]:
        print(json.dumps(measure(argv[1], Path(argv[2]))))
        return 0
    opts = _options(argv)
    size = opts.size
    folder = Path(opts.keep) if opts.keep else Path(tempfile.mkdtemp()) / size
    if not (folder / "votes.csv").is_file():
        t = time.perf_counter()
        info = write_export(folder, size)
        print(f"wrote {folder} {info} in {time.perf_counter() - t:.1f} s", flush=True)
    if opts.no_bytecode:
        os.environ["BENCH_NO_BYTECODE"] = "1"
    warm_bytecode()
    if opts.baseline_src:
        os.environ["BENCH_BASELINE_SRC"] = str(Path(opts.baseline_src).resolve())
        warm_bytecode(baseline=True)
    print(f"load average before: {load()}", flush=True)
    systems = ["ours"] + (["baseline"] if opts.baseline_src else [])
    if size != "large":
        systems.append("reddwarf-whole")
    runs: dict[str, list[dict[str, Any]]] = {s: [] for s in systems}
    engine: dict[str, Any] = {}
    for run in range(opts.runs):
        for system in systems:
            report = _spawn(system, folder)
            runs[system].append(report)
            print(f"run {run + 1} {system}: {json.dumps(report)}  load {load()}", flush=True)
        if run == 0 and size != "large" and not opts.no_engine:
            engine = _engine(size, "reddwarf")
            print(f"red-dwarf engine: {json.dumps(engine)}  load {load()}", flush=True)
    if size == "large":
        print("red-dwarf: not run (a dense 1M x 10k float64 pivot needs 80 GB)")
    med = {
        s: {k: _median(r, k) for k in ("seconds", "cpu_seconds", "peak_mib")}
        for s, r in runs.items()
    }
    for system, m in med.items():
        print(f"median of {opts.runs} {system}: {json.dumps(m)}")
    if "reddwarf-whole" in med:
        ours, whole = med["ours"], med["reddwarf-whole"]
        print(
            f"ours vs red-dwarf's whole pipeline: {whole['seconds'] / ours['seconds']:.1f}x "
            f"faster (wall), {whole['cpu_seconds'] / ours['cpu_seconds']:.1f}x (CPU); "
            f"peak memory {ours['peak_mib'] / whole['peak_mib']:.3f} of its"
        )
        if "seconds" in engine:
            print(f"ours vs red-dwarf's engine: {engine['seconds'] / ours['seconds']:.1f}x faster")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    raise SystemExit(main(sys.argv[1:]))
