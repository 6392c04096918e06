"""Benchmark of the opinion-map engine against red-dwarf (PyPI ``red-dwarf``), same run.

Usage (the bench dependency group holds red-dwarf)::

    uv run --group bench python bench/opinion.py            # everything below
    uv run --group bench python bench/opinion.py mid        # 20k x 1k x 6M, ours vs red-dwarf
    uv run --group bench python bench/opinion.py large      # 1M x 10k x 20M, cold + warm update
    uv run --group bench python bench/opinion.py fidelity   # ARI vs Polis, with leave-one-out

Every measurement runs in a fresh subprocess that first generates the same data from
the same seed. Peak memory is the process's peak resident set size (Linux ``VmHWM``)
during the measured call minus its resident size just before it: the peak is reset
through ``/proc/self/clear_refs`` after the data is generated, so the input itself
(for red-dwarf: its list of vote dicts) is not counted. Timings are wall-clock.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "polis"
if not DATA.is_dir():
    DATA = Path("/work/shared/data/polis")


def generate(
    n_participants: int, n_statements: int, n_votes: int, *, heavy_tail: bool, seed: int = 7
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Synthetic votes from 3 latent opinion groups, 15 % passes, unique pairs.

    ``heavy_tail`` draws each participant's activity from a Pareto law (a few very active
    voters, most with a handful of votes) and statement popularity likewise; otherwise
    the votes fall uniformly on the participants x statements grid.
    """
    rng = np.random.default_rng(seed)
    cells = n_participants * n_statements
    if heavy_tail:
        activity = rng.pareto(1.2, n_participants) + 1.0
        popularity = rng.pareto(1.5, n_statements) + 1.0
        popularity /= popularity.sum()
        keys = np.zeros(0, dtype=np.int64)
        boost = 1.3
        while keys.size < n_votes:
            counts = np.clip(
                np.round(activity / activity.sum() * n_votes * boost), 1, n_statements
            ).astype(np.int64)
            rows = np.repeat(np.arange(n_participants, dtype=np.int64), counts)
            cols = rng.choice(n_statements, size=rows.size, p=popularity)
            keys = np.unique(rows * n_statements + cols)
            boost *= 1.3
        keys = np.sort(rng.choice(keys, n_votes, replace=False))
    else:
        keys = np.sort(rng.choice(cells, n_votes, replace=False))
    participant = (keys // n_statements).astype(np.int32)
    statement = (keys % n_statements).astype(np.int32)
    del keys
    group = rng.integers(0, 3, n_participants)
    stance = rng.uniform(-1.0, 1.0, (3, n_statements))
    lean = stance[group[participant], statement]
    agree = rng.random(participant.size) < (1.0 + lean) / 2.0
    vote = np.where(agree, 1, -1).astype(np.int8)
    vote[rng.random(participant.size) < 0.15] = 0
    order = rng.permutation(participant.size)  # votes arrive in no particular order
    return participant[order], statement[order], vote[order]


def _rss_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def _reset_peak() -> None:
    Path("/proc/self/clear_refs").write_text("5")


LAST_PROCESS_PEAK_MIB = 0.0


def _measure(fn: Any) -> tuple[Any, float, float]:
    """Run ``fn``; return its result, wall seconds and peak MiB above the start.

    The whole process's peak during the call (input included) is kept in
    ``LAST_PROCESS_PEAK_MIB``: that is the figure a memory budget is about.
    """
    global LAST_PROCESS_PEAK_MIB
    _reset_peak()
    before = _rss_kib("VmRSS")
    start = time.perf_counter()
    out = fn()
    seconds = time.perf_counter() - start
    LAST_PROCESS_PEAK_MIB = _rss_kib("VmHWM") / 1024
    peak = (_rss_kib("VmHWM") - before) / 1024
    return out, seconds, peak


SIZES = {
    "mid": (20_000, 1_000, 6_000_000, False),
    "large": (1_000_000, 10_000, 20_000_000, True),
}


def child(system: str, size: str) -> dict[str, Any]:
    """One measurement in this (fresh) process."""
    n_p, n_s, n_v, heavy = SIZES[size]
    participant, statement, vote = generate(n_p, n_s, n_v, heavy_tail=heavy)
    if system == "ours":
        from commonground.analysis.opinion import VoteMatrix, compute_opinion_map

        def run() -> Any:
            matrix = VoteMatrix.from_votes(
                participant,
                statement,
                vote,
                participant_ids=np.arange(n_p),
                statement_ids=np.arange(n_s),
            )
            return matrix, compute_opinion_map(matrix, seed=0)

        (matrix, result), seconds, peak = _measure(run)
        report: dict[str, Any] = {
            "seconds": seconds,
            "peak_mib": peak,
            "process_peak_mib": LAST_PROCESS_PEAK_MIB,
            "k": result.k,
            "in_conversation": int(result.in_conversation.sum()),
            "stages": {k: round(v, 3) for k, v in result.timings.items()},
        }
        if size == "large":
            rng = np.random.default_rng(11)
            extra = n_v // 100
            new_p = rng.integers(0, n_p, extra)
            new_s = rng.integers(0, n_s, extra)
            new_v = rng.integers(-1, 2, extra).astype(np.int8)
            state = result.state
            del result

            def update() -> Any:
                merged = matrix.with_votes(new_p, new_s, new_v)
                t = time.perf_counter()
                res = compute_opinion_map(merged, state=state, seed=0)
                return res, time.perf_counter() - t

            (res, engine_only), useconds, upeak = _measure(update)
            report["update"] = {
                "seconds_with_merge": useconds,
                "seconds_engine": engine_only,
                "peak_mib": upeak,
                "process_peak_mib": LAST_PROCESS_PEAK_MIB,
                "k": res.k,
                "stages": {k: round(v, 3) for k, v in res.timings.items()},
            }
        return report
    return _child_reddwarf(participant, statement, vote)


def _child_reddwarf(
    participant: np.ndarray, statement: np.ndarray, vote: np.ndarray
) -> dict[str, Any]:
    from reddwarf.implementations.polis import run_pipeline

    votes = [
        {"participant_id": int(p), "statement_id": int(s), "vote": int(v)}
        for p, s, v in zip(participant.tolist(), statement.tolist(), vote.tolist(), strict=True)
    ]
    del participant, statement, vote
    result, seconds, peak = _measure(lambda: run_pipeline(votes=votes, random_state=0))
    k = len(set(result.participants_df["cluster_id"].dropna().tolist()))
    return {"seconds": seconds, "peak_mib": peak, "process_peak_mib": LAST_PROCESS_PEAK_MIB, "k": k}


def _spawn(system: str, size: str) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, __file__, "--child", system, size],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        tail = (proc.stderr.strip().splitlines() or ["(no output)"])[-1]
        return {"error": tail}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def bench_mid() -> None:
    """20k x 1k x 6M: ours and red-dwarf, each in a fresh process."""
    ours = _spawn("ours", "mid")
    red = _spawn("reddwarf", "mid")
    print("== 20,000 participants x 1,000 statements x 6,000,000 votes")
    print(f"ours:      {json.dumps(ours)}")
    print(f"red-dwarf: {json.dumps(red)}")
    if "error" not in ours and "error" not in red:
        print(
            f"speed-up {red['seconds'] / ours['seconds']:.1f}x, "
            f"peak memory {ours['peak_mib'] / red['peak_mib']:.3f} of red-dwarf's"
        )


def bench_large() -> None:
    """1M x 10k x 20M heavy-tailed: cold run and a warm update after +1 % votes."""
    ours = _spawn("ours", "large")
    print("== 1,000,000 participants x 10,000 statements x 20,000,000 votes (heavy-tailed)")
    print(f"ours: {json.dumps(ours)}")
    print("red-dwarf: not run (a dense 1M x 10k float64 pivot needs 80 GB)")


def fidelity(argv: list[str]) -> None:
    """ARI against Polis's published groups, both modes, with leave-one-out: see
    ``bench/opinion_fidelity.py`` (this is the same command)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from opinion_fidelity import main as fidelity_main

    fidelity_main(argv)


def main(argv: list[str]) -> int:
    """Dispatch: ``--child SYSTEM SIZE`` (internal), or one of mid / large / fidelity."""
    if argv[:1] == ["--child"]:
        print(json.dumps(child(argv[1], argv[2])))
        return 0
    what = argv[0] if argv else "all"
    if what in ("mid", "all"):
        bench_mid()
    if what in ("large", "all"):
        bench_large()
    if what in ("fidelity", "all"):
        fidelity(argv[1:])
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    raise SystemExit(main(sys.argv[1:]))
