"""The ``opinion-map --from-polis`` command body: read a Polis export, replay its
history of votes, print the map (no database).

Reading the export is ``polis_export``; replaying Polis's updates is ``polis_replay``.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import json
import sys
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, TextIO, TypeVar

import numpy as np

from commonground.opendata.polis_export import PolisExport, PolisExportError, load_polis_export

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress

    from commonground.analysis.opinion import OpinionMap
    from commonground.opendata.polis_replay import ReplayParams, replay_history

__all__ = [
    "PolisExport",
    "PolisExportError",
    "ReplayParams",
    "load_polis_export",
    "main_opinion_map_from_polis",
    "opinion_map_json",
    "replay_history",
]


def __getattr__(name: str) -> Any:
    # The replay (and with it the engine and SciPy) loads on first use, so that the
    # command can start reading the export before paying for those imports.
    if name in ("ReplayParams", "replay_history"):
        from commonground.opendata import polis_replay

        return getattr(polis_replay, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


T = TypeVar("T")


class _Background(Generic[T]):
    """``fn()`` run in a daemon thread; ``result()`` waits and returns or re-raises.

    A daemon thread, so that Ctrl-C ends the command at once instead of waiting for
    the parse to finish."""

    def __init__(self, fn: Callable[[], T]) -> None:
        self._fn = fn
        self._value: T | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self._value = self._fn()
        except BaseException as exc:  # handed to the caller by result()
            self._error = exc

    def result(self) -> T:
        self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._value is not None
        return self._value


def opinion_map_json(result: OpinionMap, engine_seconds: float, updates: int = 1) -> dict[str, Any]:
    """The CLI's JSON document for an opinion map (ids as in the export)."""
    pids = result.participant_ids
    sids = result.statement_ids

    def sid(j: int) -> Any:
        return sids[j].item() if isinstance(sids[j], np.generic) else sids[j]

    groups = []
    for g in range(result.k):
        members = pids[result.group_labels == g].tolist()
        groups.append(
            {
                "id": g,
                "members": members,
                "representative": [
                    {
                        "statement_id": sid(r.statement),
                        "direction": r.direction,
                        "repness": r.repness,
                        "repness_test": r.repness_test,
                        "p_success": r.p_success,
                        "p_test": r.p_test,
                    }
                    for r in result.representative[g]
                ],
            }
        )
    totals = result.totals
    stats = [
        {
            "statement_id": sid(j),
            "agree": int(totals.agree[0, j]),
            "disagree": int(totals.disagree[0, j]),
            "pass": int(totals.passes[0, j]),
            "seen": int(totals.seen[0, j]),
            "group_informed_consensus": float(result.group_informed_consensus[j]),
        }
        for j in range(len(sids))
    ]
    return {
        "participants": len(pids),
        "statements": len(sids),
        "votes": int(result.n_votes),
        "in_conversation": int(result.in_conversation.sum()),
        "k": int(result.k),
        "groups": groups,
        "consensus": {
            d: [sid(c.statement) for c in result.consensus[d]] for d in ("agree", "disagree")
        },
        "statements_stats": stats,
        "engine_seconds": round(engine_seconds, 6),
        "updates": updates,
    }


def _table(doc: dict[str, Any]) -> str:
    lines = [
        f"participants {doc['participants']}  statements {doc['statements']}  "
        f"votes {doc['votes']}  in conversation {doc['in_conversation']}  groups {doc['k']}",
    ]
    for group in doc["groups"]:
        lines.append("")
        lines.append(f"group {group['id']}: {len(group['members'])} members")
        lines.append(f"  {'statement':>9}  {'direction':<9} {'repness':>8} {'z':>7} {'p':>6}")
        for r in group["representative"]:
            lines.append(
                f"  {r['statement_id']!s:>9}  {r['direction']:<9} {r['repness']:>8.3f} "
                f"{r['repness_test']:>7.3f} {r['p_success']:>6.3f}"
            )
    lines.append("")
    for direction in ("agree", "disagree"):
        ids = ", ".join(str(i) for i in doc["consensus"][direction]) or "-"
        lines.append(f"consensus ({direction}): {ids}")
    top = sorted(doc["statements_stats"], key=lambda s: -s["group_informed_consensus"])[:10]
    lines.append("")
    lines.append("highest group-informed consensus:")
    for s in top:
        lines.append(
            f"  {s['statement_id']!s:>9}  {s['group_informed_consensus']:.4f}  "
            f"(agree {s['agree']}, disagree {s['disagree']}, pass {s['pass']})"
        )
    lines.append("")
    lines.append(f"engine {doc['engine_seconds']:.3f} s over {doc['updates']} update(s)")
    return "\n".join(lines) + "\n"


def _progress_bar(console: Console) -> Progress:
    """A bar on stderr (stdout carries the document), erased at the end."""
    from rich.progress import (
        BarColumn,
        Progress,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
    )


# glibc's mallopt parameters (malloc.h).
_M_TRIM_THRESHOLD = -1
_M_MMAP_MAX = -4


def _tune_own_process() -> None:
    """Settings for a process that runs this command and exits (not for a server).

    Large NumPy arrays are mmap'd by glibc and unmapped when freed, so each new array
    of the replay comes in as fresh pages that the kernel must zero: a fifth of the
    command's CPU time before this. Served from the heap instead, and with the heap
    not trimmed on every free, freed arrays are reused (``_give_back_memory`` still
    returns the parser's memory explicitly). The cyclic garbage collector is switched
    off: the command makes few reference cycles, and collections triggered by the
    imports and the replay's many small objects cost about 3 % of its time."""
    gc.disable()
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to tune
        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(_M_MMAP_MAX, 0)
        libc.mallopt(_M_TRIM_THRESHOLD, 1 << 30)


def main_opinion_map_from_polis(
    path: str, fmt: str, seed: int, out: TextIO, *, own_process: bool = False
) -> int:
    """CLI body of ``commonground opinion-map --from-polis``: returns the exit code.

    The map is rebuilt by replaying the export's vote history (``replay_history``), so
    Polis's stateful rules (sticky participants, k-smoother) apply as they did live;
    an export without timestamps (no ``votes.csv``) is replayed with its participants
    arriving in the order they joined. On a terminal, a progress bar on stderr shows
    the reading and the replay. Errors are one line ``error: ...`` on stderr and exit
    code 2. ``own_process``: the caller is the ``commonground`` command, which exits
    afterwards, so process-wide memory settings may be tuned (``_tune_own_process``).
    """
    if fmt not in ("json", "table"):
        print(f"error: unknown format {fmt!r} (use json or table)", file=sys.stderr)
        return 2
    if own_process:
        _tune_own_process()
    # Arrow parses the export in C++ threads with the GIL released, so the imports the
    # replay needs (SciPy, the engine, rich: about half a second) run meanwhile.
    reading = _Background(lambda: load_polis_export(path))
    from django.utils.translation import gettext as _
    from rich.console import Console

    from commonground.opendata.polis_replay import replay_history

    console = Console(stderr=True)
    bar = _progress_bar(console) if console.is_terminal else None
    try:
        with bar if bar is not None else contextlib.nullcontext():
            task = bar.add_task("reading the export", total=None) if bar is not None else None
            export = reading.result()
            if export.n_votes == 0:
                raise PolisExportError(f"{export.source} holds no votes")

            def advance(done: int, total: int) -> None:
                if bar is not None and task is not None:
                    bar.update(
                        task,
                        description=_("replaying Polis's updates"),
                        completed=done,
                        total=total,
                    )

            start = time.perf_counter()
            result, updates = replay_history(export, seed=seed, progress=advance)
            seconds = time.perf_counter() - start
    except PolisExportError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    doc = opinion_map_json(result, seconds, updates)
    if fmt == "json":
        out.write(json.dumps(doc, ensure_ascii=False))
        out.write("\n")
    else:
        out.write(_table(doc))
    return 0
