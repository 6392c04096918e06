"""Read a Polis open-data export and run the opinion-map engine on it (no database).

An export folder (compdemocracy/openData layout) holds ``votes.csv`` (one row per vote,
vote history included; the latest vote per participant and statement counts),
``participants-votes.csv`` (one row per participant, one column per statement),
``comments.csv`` (``moderated`` = -1 hides a statement) and ``summary.csv``. Votes use
agree = +1, disagree = -1, pass = 0 in these files.
"""

from __future__ import annotations

import csv
import json
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import numpy as np

from commonground.analysis.opinion import OpinionMap, VoteMatrix, compute_opinion_map

__all__ = [
    "PolisExport",
    "PolisExportError",
    "load_polis_export",
    "main_opinion_map_from_polis",
    "opinion_map_json",
    "replay_history",
]

_VOTE_COLUMNS = ("comment-id", "voter-id", "vote")
_PV_FIXED = ("participant", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree")


class PolisExportError(ValueError):
    """The export cannot be read; the message is one line saying why."""


@dataclass(frozen=True)
class PolisExport:
    """What the engine needs from an export, plus Polis's own published results."""

    matrix: VoteMatrix
    moderated_out: list[int]
    source: str  # which vote file was read
    published_groups: dict[int, int] = field(default_factory=dict)  # participant -> group-id
    summary: dict[str, str] = field(default_factory=dict)
    # Every vote in time order as (row, column, vote) into ``matrix``'s ids, when the
    # export has timestamps (votes.csv); lets ``replay_history`` rebuild Polis's updates.
    history: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
    # The votes' timestamps (ms), aligned with ``history``.
    history_times: np.ndarray | None = None


def _rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    try:
        with path.open(newline="", encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            if reader.fieldnames is None:
                raise PolisExportError(f"{path.name} is empty")
            yield 0, {name: name for name in reader.fieldnames}
            yield from enumerate(reader, start=2)
    except UnicodeDecodeError as exc:
        raise PolisExportError(f"{path.name} is not UTF-8 text ({exc.reason})") from None
    except csv.Error as exc:
        raise PolisExportError(f"{path.name}: malformed CSV ({exc})") from None
    except OSError as exc:
        raise PolisExportError(f"cannot read {path.name}: {exc.strerror}") from None


def _require(path: Path, header: dict[str, str], columns: tuple[str, ...]) -> None:
    missing = [c for c in columns if c not in header]
    if missing:
        raise PolisExportError(f"{path.name} lacks column(s): {', '.join(missing)}")


def _int(path: Path, line: int, column: str, text: str | None) -> int:
    try:
        return int((text or "").strip())
    except ValueError:
        raise PolisExportError(
            f"{path.name} line {line}: {column} {text!r} is not an integer"
        ) from None


def _vote(path: Path, line: int, text: str | None) -> int:
    raw = (text or "").strip()
    try:
        value = float(raw)
    except ValueError:
        value = float("nan")
    if value not in (-1.0, 0.0, 1.0):
        raise PolisExportError(f"{path.name} line {line}: vote {raw!r} is not -1, 0 or 1")
    return int(value)


def _read_votes_csv(path: Path) -> tuple[list[int], list[int], list[int], list[float] | None]:
    rows = _rows(path)
    _, header = next(rows)
    _require(path, header, _VOTE_COLUMNS)
    has_time = "timestamp" in header
    voters: list[int] = []
    comments: list[int] = []
    votes: list[int] = []
    stamps: list[float] = []
    for line, row in rows:
        voters.append(_int(path, line, "voter-id", row.get("voter-id")))
        comments.append(_int(path, line, "comment-id", row.get("comment-id")))
        votes.append(_vote(path, line, row.get("vote")))
        if has_time:
            try:
                stamps.append(float(row.get("timestamp") or "nan"))
            except ValueError:
                stamps.append(float("nan"))
    timed = has_time and bool(stamps) and not np.isnan(stamps).any()
    if timed:
        # The file keeps the vote history; order it by time (ties: file order) so the
        # latest vote per pair wins when the matrix is built.
        order = np.argsort(np.asarray(stamps), kind="stable").tolist()
        voters = [voters[i] for i in order]
        comments = [comments[i] for i in order]
        votes = [votes[i] for i in order]
        return voters, comments, votes, [stamps[i] for i in order]
    return voters, comments, votes, None


def _read_participants_votes(path: Path) -> tuple[list[int], list[int], list[int], dict[int, int]]:
    rows = _rows(path)
    _, header = next(rows)
    _require(path, header, ("participant",))
    statement_cols = [c for c in header if c not in _PV_FIXED]
    col_ids = {c: _int(path, 1, "statement column", c) for c in statement_cols}
    voters: list[int] = []
    comments: list[int] = []
    votes: list[int] = []
    groups: dict[int, int] = {}
    for line, row in rows:
        pid = _int(path, line, "participant", row.get("participant"))
        gid = (row.get("group-id") or "").strip()
        if gid:
            groups[pid] = _int(path, line, "group-id", gid)
        for col in statement_cols:
            cell = (row.get(col) or "").strip()
            if cell:
                voters.append(pid)
                comments.append(col_ids[col])
                votes.append(_vote(path, line, cell))
    return voters, comments, votes, groups


def _read_published_groups(path: Path) -> dict[int, int]:
    groups: dict[int, int] = {}
    rows = _rows(path)
    _, header = next(rows)
    if "participant" not in header or "group-id" not in header:
        return groups
    for line, row in rows:
        gid = (row.get("group-id") or "").strip()
        if gid:
            groups[_int(path, line, "participant", row.get("participant"))] = _int(
                path, line, "group-id", gid
            )
    return groups


def _read_moderated_out(path: Path) -> list[int]:
    rows = _rows(path)
    _, header = next(rows)
    _require(path, header, ("comment-id", "moderated"))
    out: list[int] = []
    for line, row in rows:
        mod = (row.get("moderated") or "0").strip() or "0"
        if _int(path, line, "moderated", mod) == -1:
            out.append(_int(path, line, "comment-id", row.get("comment-id")))
    return out


def _read_summary(path: Path) -> dict[str, str]:
    try:
        with path.open(newline="", encoding="utf-8") as fh:
            return {row[0]: row[1] for row in csv.reader(fh) if len(row) >= 2}
    except (OSError, UnicodeDecodeError, csv.Error):
        return {}


def load_polis_export(path: str | Path) -> PolisExport:
    """Read a Polis export folder. Raises ``PolisExportError`` with a one-line reason.

    Votes come from ``votes.csv`` when present (latest vote per pair by timestamp), else
    from ``participants-votes.csv``; ``comments.csv``, when present, gives the
    moderated-out statements. Statements and participants are those with a vote.
    """
    folder = Path(path)
    if not folder.is_dir():
        raise PolisExportError(f"{folder} is not a folder")
    votes_file = folder / "votes.csv"
    pv_file = folder / "participants-votes.csv"
    published: dict[int, int] = {}
    stamps: list[float] | None = None
    if votes_file.is_file():
        voters, comments, votes, stamps = _read_votes_csv(votes_file)
        source = votes_file.name
        if pv_file.is_file():
            published = _read_published_groups(pv_file)
    elif pv_file.is_file():
        voters, comments, votes, published = _read_participants_votes(pv_file)
        source = pv_file.name
    else:
        raise PolisExportError(f"{folder} has neither votes.csv nor participants-votes.csv")
    comments_file = folder / "comments.csv"
    moderated = _read_moderated_out(comments_file) if comments_file.is_file() else []

    voter_arr = np.asarray(voters, dtype=np.int64)
    comment_arr = np.asarray(comments, dtype=np.int64)
    pids, p_index = np.unique(voter_arr, return_inverse=True)
    sids, s_index = np.unique(comment_arr, return_inverse=True)
    vote_arr = np.asarray(votes, dtype=np.int8)
    matrix = VoteMatrix.from_votes(
        p_index, s_index, vote_arr, participant_ids=pids, statement_ids=sids
    )
    summary_file = folder / "summary.csv"
    summary = _read_summary(summary_file) if summary_file.is_file() else {}
    history = (p_index, s_index, vote_arr) if stamps is not None else None
    times = np.asarray(stamps, dtype=np.float64) if stamps is not None else None
    return PolisExport(matrix, moderated, source, published, summary, history, times)


def replay_history(
    export: PolisExport, updates: int = 300, seed: int = 0, batch_seconds: float | None = 60.0
) -> tuple[OpinionMap, int]:
    """Recompute the map as Polis did: one update after each batch of votes, in time order.

    Polis keeps state between updates (participants once in the conversation stay in;
    base and group clusters warm-start from their previous members; the group count
    changes only after a new k wins 4 consecutive updates), so its published map depends
    on the conversation's history. With timestamps, the votes are replayed in batches
    as Polis's poller picked them up: a batch closes at the first vote more than
    ``batch_seconds`` after the batch's first vote. Within a batch Polis reads votes
    ordered by (statement, participant), and new participants become matrix rows in
    that order, which decides its k-means starting points. Without timestamps (or with
    ``batch_seconds=None``), ``updates`` updates at geometrically spaced vote counts.
    Without a history at all this is a single cold run. Returns the final map and the
    number of updates run.
    """
    mod = export.moderated_out
    if export.history is None or updates <= 1:
        return compute_opinion_map(export.matrix, moderated_out=mod, seed=seed), 1
    rows, cols, votes = export.history
    total = rows.size
    pids, sids = export.matrix.participant_ids, export.matrix.statement_ids
    if batch_seconds is not None and export.history_times is not None and total:
        cuts = _time_batches(export.history_times, batch_seconds * 1000.0)
    else:
        cuts = np.unique(np.geomspace(min(20, total), total, updates).astype(np.int64))
        cuts[-1] = total
    # Polis's row order: participants in the order they first appear, each batch read
    # by (statement id, participant id, time).
    rank = np.full(pids.size, -1, dtype=np.int64)
    n_rows = 0
    state = None
    result: OpinionMap | None = None
    start = 0
    for cut in cuts.tolist():
        batch = np.arange(start, cut)
        batch = batch[np.lexsort((batch, pids[rows[batch]], sids[cols[batch]]))]
        new = rows[batch][rank[rows[batch]] < 0]
        _, first = np.unique(new, return_index=True)
        new = new[np.sort(first)]
        rank[new] = n_rows + np.arange(new.size)
        n_rows += new.size
        start = cut
        order = np.empty(n_rows, dtype=np.int64)
        order[rank[rank >= 0]] = np.flatnonzero(rank >= 0)
        seen_c = np.unique(cols[:cut])
        c_map = np.full(sids.size, -1, dtype=np.int64)
        c_map[seen_c] = np.arange(seen_c.size)
        matrix = VoteMatrix.from_votes(
            rank[rows[:cut]],
            c_map[cols[:cut]],
            votes[:cut],
            participant_ids=pids[order],
            statement_ids=sids[seen_c],
        )
        result = compute_opinion_map(matrix, moderated_out=mod, state=state, seed=seed)
        state = result.state
    assert result is not None
    return result, len(cuts)


def _time_batches(times: np.ndarray, gap_ms: float) -> np.ndarray:
    """End index of each batch: a batch closes at the first vote more than ``gap_ms``
    after its first vote."""
    cuts: list[int] = []
    begin = times[0]
    # Jump from batch start to batch start with a search, not a loop over every vote.
    i = 0
    while i < times.size:
        end = int(np.searchsorted(times, begin + gap_ms, side="right"))
        end = max(end, i + 1)
        cuts.append(end)
        i = end
        if i < times.size:
            begin = times[i]
    return np.asarray(cuts, dtype=np.int64)


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


def main_opinion_map_from_polis(path: str, fmt: str, seed: int, out: TextIO) -> int:
    """CLI body of ``commonground opinion-map --from-polis``: returns the exit code.

    The map is rebuilt by replaying the export's vote history (``replay_history``), so
    Polis's stateful rules (sticky participants, k-smoother) apply as they did live.
    Errors are one line ``error: ...`` on stderr and exit code 2.
    """
    if fmt not in ("json", "table"):
        print(f"error: unknown format {fmt!r} (use json or table)", file=sys.stderr)
        return 2
    try:
        export = load_polis_export(path)
    except PolisExportError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except ValueError as exc:  # e.g. an index the matrix builder rejects
        print(
            f"error: {str(exc).splitlines()[0] if str(exc) else 'invalid export'}", file=sys.stderr
        )
        return 2
    if export.matrix.n_votes == 0:
        print(f"error: {export.source} holds no votes", file=sys.stderr)
        return 2
    start = time.perf_counter()
    result, updates = replay_history(export, seed=seed)
    seconds = time.perf_counter() - start
    doc = opinion_map_json(result, seconds, updates)
    if fmt == "json":
        out.write(json.dumps(doc, ensure_ascii=False))
        out.write("\n")
    else:
        out.write(_table(doc))
    return 0
