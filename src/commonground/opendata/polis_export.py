"""Read a Polis export folder (compdemocracy/openData layout, or a current Polis export).

An export folder holds some of:

- ``votes.csv``: one row per vote, vote history included (``timestamp``, ``datetime``,
  ``comment-id``, ``voter-id``, ``vote``); the latest vote per participant and statement
  counts. Timestamps are milliseconds in the openData sets and seconds in exports made
  by current Polis; both are read.
- ``participants-votes.csv``: one row per participant: ``participant``, ``xid`` (current
  Polis, the participant's external id), ``group-id``, ``n-comments``, ``n-votes``,
  ``n-agree``, ``n-disagree``, then one column per statement, named by its comment id
  (``12``, or ``comment-12`` in some exports), holding 1 / -1 / 0 or nothing (not seen).
  Any other column whose name is not a comment id is metadata and is ignored.
- ``comments.csv``: ``comment-id`` and ``moderated`` (-1 hides a statement).
- ``summary.csv``: key,value rows (``groups``: how many opinion groups Polis found).
- ``stats-history.csv`` and other files: not needed.

Votes use agree = +1, disagree = -1, pass = 0 in these files. The CSV files are parsed
by Apache Arrow (multithreaded, in C++); when Arrow rejects a file, the standard
library's reader finds the first bad line so that the error names it.
"""

from __future__ import annotations

import contextlib
import csv
import ctypes
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from commonground.opendata.vote_order import dense_ids, time_order

if TYPE_CHECKING:
    from commonground.analysis.opinion import VoteMatrix

__all__ = ["PolisExport", "PolisExportError", "load_polis_export", "statement_column_id"]

_VOTE_COLUMNS = ("comment-id", "voter-id", "vote")
# Documented participants-votes.csv columns that are not statements.
PV_METADATA = ("participant", "xid", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree")
_COMMENT_COLUMN = re.compile(r"^(?:comment-)?(-?\d+)$")
# Timestamps below this are seconds (current Polis exports), above it milliseconds
# (openData): 1e11 ms is March 1973, 1e11 s is thousands of years ahead.
_SECONDS_BELOW = 1e11
# Arrow parses 1 MiB at a time: as fast as larger blocks here, and with 16 MiB blocks
# the parser's transient buffers more than doubled the peak memory of a read.
_BLOCK = 1 << 20


class PolisExportError(ValueError):
    """The export cannot be read; the message is one line saying why."""


@dataclass(frozen=True)
class PolisExport:
    """The votes of an export, plus Polis's own published results.

    ``rows`` / ``cols`` / ``votes`` hold every vote read (in time order when the export
    has timestamps), as indices into ``participant_ids`` / ``statement_ids`` (both
    sorted); ``times`` their timestamps in milliseconds, or None without a vote history.
    ``matrix`` (the latest vote per pair) is built on first use.
    """

    participant_ids: np.ndarray
    statement_ids: np.ndarray
    rows: np.ndarray
    cols: np.ndarray
    votes: np.ndarray
    moderated_out: list[int]
    source: str  # which vote file was read
    published_groups: dict[int, int] = field(default_factory=dict)  # participant -> group-id
    summary: dict[str, str] = field(default_factory=dict)
    times: np.ndarray | None = None

    @cached_property
    def matrix(self) -> VoteMatrix:
        """Latest vote per (participant, statement); rows and columns in id order."""
        # Imported here: reading an export needs only NumPy and Arrow, and the engine's
        # imports (SciPy) can then run while the export is parsed (see ``polis``).
        from commonground.analysis.opinion import VoteMatrix

        return VoteMatrix.from_votes(
            self.rows,
            self.cols,
            self.votes,
            participant_ids=self.participant_ids,
            statement_ids=self.statement_ids,
        )

    @property
    def has_history(self) -> bool:
        """True when the votes carry timestamps (``votes.csv``), so Polis's updates can
        be replayed."""
        return self.times is not None and self.rows.size > 0

    @property
    def n_votes(self) -> int:
        """Votes read, history included."""
        return int(self.rows.size)


def statement_column_id(name: str) -> int | None:
    """The comment id a participants-votes.csv column holds, or None for metadata."""
    if name.strip() in PV_METADATA:
        return None
    match = _COMMENT_COLUMN.match(name.strip())
    return int(match.group(1)) if match else None


# --- slow, exact reading: only to name the first bad line ----------------------------


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


def _int(path: Path, line: int, column: str, text: str | None) -> int:
    try:
        return int((text or "").strip())
    except ValueError:
        raise PolisExportError(
            f"{path.name} line {line}: {column} {text!r} is not an integer"
        ) from None


def _vote(path: Path, line: int, text: str | None) -> None:
    raw = (text or "").strip()
    try:
        value = float(raw)
    except ValueError:
        value = float("nan")
    if value not in (-1.0, 0.0, 1.0):
        raise PolisExportError(f"{path.name} line {line}: vote {raw!r} is not -1, 0 or 1")


def _first_error(path: Path, ints: tuple[str, ...], votes: tuple[str, ...]) -> PolisExportError:
    """Scan ``path`` with the standard library and describe its first bad value."""
    for line, row in _rows(path):
        if line == 0:
            continue
        for column in ints:
            _int(path, line, column, row.get(column))
        for column in votes:
            cell = row.get(column)
            if column == "vote" or (cell or "").strip():
                _vote(path, line, cell)
    return PolisExportError(f"{path.name}: malformed CSV")


# --- fast reading --------------------------------------------------------------------


def _header(path: Path) -> list[str]:
    for _, header in _rows(path):
        return list(header)
    raise PolisExportError(f"{path.name} is empty")


def _require(path: Path, header: list[str], columns: tuple[str, ...]) -> None:
    missing = [c for c in columns if c not in header]
    if missing:
        raise PolisExportError(f"{path.name} lacks column(s): {', '.join(missing)}")


def _arrow_read(path: Path, types: dict[str, pa.DataType]) -> pa.Table:
    """Only the named columns of ``path``, typed; ``ArrowInvalid`` on a bad value."""
    return pacsv.read_csv(
        path,
        # The system allocator hands the column buffers back to the OS once dropped
        # (Arrow's default pool keeps them), which keeps the peak memory down.
        memory_pool=pa.system_memory_pool(),
        read_options=pacsv.ReadOptions(block_size=_BLOCK, use_threads=True),
        convert_options=pacsv.ConvertOptions(
            column_types=types,
            include_columns=list(types),
            strings_can_be_null=True,
            quoted_strings_can_be_null=True,
        ),
    )


_NUMPY_TYPES = {
    pa.int8(): np.int8,
    pa.int32(): np.int32,
    pa.int64(): np.int64,
    pa.float64(): np.float64,
    pa.float32(): np.float32,
}


def _chunk_numpy(chunk: pa.Array) -> tuple[np.ndarray, np.ndarray | None]:
    """A primitive Arrow array's values and validity as NumPy arrays, read from its
    buffers (``Array.to_numpy`` would import pandas, a second or more of start-up)."""
    dtype = np.dtype(_NUMPY_TYPES[chunk.type])
    validity, data = chunk.buffers()[:2]
    n, offset = len(chunk), chunk.offset
    values = (
        np.frombuffer(data, dtype=dtype, count=n + offset)[offset:] if n else np.zeros(0, dtype)
    )
    if chunk.null_count == 0 or validity is None:
        return values, None
    bits = np.unpackbits(np.frombuffer(validity, dtype=np.uint8), bitorder="little")
    return values, bits[offset : offset + n].astype(bool)


def _numpy(column: pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray | None]:
    """A whole column's values and validity (None when no value is missing)."""
    parts = [_chunk_numpy(chunk) for chunk in column.chunks]
    if not parts:
        return np.zeros(0, dtype=_NUMPY_TYPES[column.type]), None
    values = np.concatenate([v for v, _ in parts]) if len(parts) > 1 else parts[0][0].copy()
    if all(m is None for _, m in parts):
        return values, None
    valid = np.concatenate([np.ones(v.size, bool) if m is None else m for v, m in parts])
    return values, valid


def _column(table: pa.Table, name: str, dtype: type) -> np.ndarray:
    return _numpy(table.column(name))[0].astype(dtype, copy=False)


def _take(table: pa.Table, name: str) -> tuple[pa.Table, np.ndarray]:
    """Move one column out of ``table`` into NumPy, so its Arrow buffers are freed."""
    values = _numpy(table.column(name))[0]
    return table.drop_columns([name]), values


def _check_votes(path: Path, votes: np.ndarray, columns: tuple[str, ...]) -> np.ndarray:
    """Votes as int8; any value other than -1/0/1 (or a missing one) is an error."""
    if votes.dtype == np.int8:
        bad = votes.size and (int(votes.min()) < -1 or int(votes.max()) > 1)
    else:
        bad = votes.size and not np.isin(votes, (-1.0, 0.0, 1.0)).all()
    if bad:
        raise _first_error(path, (), columns)
    return votes.astype(np.int8, copy=False)


def _read_votes_csv(path: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray | None]:
    """(voter ids, comment ids, votes, timestamps in ms or None), in file order.

    Ids are parsed as 32-bit integers, votes as one byte and timestamps as integers;
    a file with larger ids or decimals (``1.0``) is read again with wider types."""
    header = _header(path)
    _require(path, header, _VOTE_COLUMNS)
    table = None
    for exact in (True, False):
        types: dict[str, pa.DataType] = {
            "comment-id": pa.int32() if exact else pa.int64(),
            "voter-id": pa.int32() if exact else pa.int64(),
            "vote": pa.int8() if exact else pa.float64(),
        }
        if "timestamp" in header:
            types["timestamp"] = pa.int64() if exact else pa.float64()
        try:
            table = _arrow_read(path, types)
            break
        except (pa.ArrowInvalid, UnicodeDecodeError):
            if not exact:
                raise _first_error(path, ("voter-id", "comment-id"), ("vote",)) from None
        except OSError as exc:
            raise PolisExportError(f"cannot read {path.name}: {exc}") from None
    assert table is not None
    if any(table.column(c).null_count for c in ("comment-id", "voter-id", "vote")):
        raise _first_error(path, ("voter-id", "comment-id"), ("vote",))
    stamps = None
    if "timestamp" in header and table.num_rows and table.column("timestamp").null_count == 0:
        table, stamps = _take(table, "timestamp")
        if stamps.max() < _SECONDS_BELOW:
            stamps = stamps * 1000
    table, votes = _take(table, "vote")
    checked = _check_votes(path, votes, ("vote",))
    table, voters = _take(table, "voter-id")
    table, comments = _take(table, "comment-id")
    return voters, comments, checked, stamps


def _pv_columns(path: Path) -> tuple[list[str], dict[str, int], list[str]]:
    header = _header(path)
    _require(path, header, ("participant",))
    statements = {name: cid for name in header if (cid := statement_column_id(name)) is not None}
    return header, statements, [c for c in header if c == "group-id"]


def _read_participants_votes(
    path: Path,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict[int, int]]:
    """(participant ids, comment ids, votes, published groups) from the wide file, read
    as a stream of row blocks so that memory follows the votes, not rows x columns."""
    _, statements, group_col = _pv_columns(path)
    types: dict[str, pa.DataType] = {"participant": pa.int64()}
    types.update({name: pa.float32() for name in statements})
    for name in group_col:
        types[name] = pa.int64()
    voters: list[np.ndarray] = []
    comments: list[np.ndarray] = []
    votes: list[np.ndarray] = []
    groups: dict[int, int] = {}
    names = list(statements)
    ids = np.asarray([statements[n] for n in names], dtype=np.int64)
    try:
        reader = pacsv.open_csv(
            path,
            read_options=pacsv.ReadOptions(block_size=_BLOCK, use_threads=True),
            convert_options=pacsv.ConvertOptions(
                column_types=types,
                include_columns=list(types),
                strings_can_be_null=True,
                quoted_strings_can_be_null=True,
            ),
        )
        for batch in reader:
            if batch.column("participant").null_count:
                raise pa.ArrowInvalid("missing participant")
            pid = _chunk_numpy(batch.column("participant"))[0]
            if group_col:
                gid, valid = _chunk_numpy(batch.column("group-id"))
                mask = np.ones(gid.size, bool) if valid is None else valid
                groups.update(zip(pid[mask].tolist(), gid[mask].tolist(), strict=True))
            for j, name in enumerate(names):
                cells, valid = _chunk_numpy(batch.column(name))
                row = np.arange(cells.size) if valid is None else np.flatnonzero(valid)
                voters.append(pid[row])
                comments.append(np.full(row.size, ids[j], dtype=np.int64))
                votes.append(cells[row].astype(np.float64))
    except (pa.ArrowInvalid, UnicodeDecodeError):
        raise _first_error(path, ("participant",), tuple(names)) from None
    except OSError as exc:
        raise PolisExportError(f"cannot read {path.name}: {exc}") from None
    all_votes = np.concatenate(votes) if votes else np.zeros(0)
    checked = _check_votes(path, all_votes, tuple(names))
    return (
        np.concatenate(voters) if voters else np.zeros(0, dtype=np.int64),
        np.concatenate(comments) if comments else np.zeros(0, dtype=np.int64),
        checked,
        groups,
    )


def read_published_groups(path: Path) -> dict[int, int]:
    """Polis's own ``group-id`` per participant from participants-votes.csv."""
    header = _header(path)
    if "participant" not in header or "group-id" not in header:
        return {}
    try:
        table = _arrow_read(path, {"participant": pa.int64(), "group-id": pa.int64()})
    except (pa.ArrowInvalid, UnicodeDecodeError):
        raise _first_error(path, ("participant",), ()) from None
    if table.column("participant").null_count:
        raise _first_error(path, ("participant",), ())
    gid, valid = _numpy(table.column("group-id"))
    mask = np.ones(gid.size, bool) if valid is None else valid
    pid = _column(table, "participant", np.int64)[mask]
    return dict(zip(pid.tolist(), gid[mask].tolist(), strict=True))


def _read_moderated_out(path: Path) -> list[int]:
    header = _header(path)
    _require(path, header, ("comment-id", "moderated"))
    out: list[int] = []
    for line, row in _rows(path):
        if line == 0:
            continue
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


def _give_back_memory() -> None:
    """Return the memory freed after parsing to the OS (Arrow's pool and glibc's heap
    keep it otherwise), so that the map computed next starts from a small footprint."""
    pa.default_memory_pool().release_unused()
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to trim
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def load_polis_export(path: str | Path, *, published: bool = False) -> PolisExport:
    """Read a Polis export folder. Raises ``PolisExportError`` with a one-line reason.

    Votes come from ``votes.csv`` when present (in time order when it has timestamps),
    else from ``participants-votes.csv``; ``comments.csv``, when present, gives the
    moderated-out statements. Statements and participants are those with a vote.
    Polis's published ``group-id`` per participant is read when the votes come from
    participants-votes.csv, or on request (``published``).
    """
    folder = Path(path)
    if not folder.is_dir():
        raise PolisExportError(f"{folder} is not a folder")
    votes_file = folder / "votes.csv"
    pv_file = folder / "participants-votes.csv"
    groups: dict[int, int] = {}
    stamps: np.ndarray | None = None
    if votes_file.is_file():
        voters, comments, votes, stamps = _read_votes_csv(votes_file)
        source = votes_file.name
        if published and pv_file.is_file():
            groups = read_published_groups(pv_file)
    elif pv_file.is_file():
        voters, comments, votes, groups = _read_participants_votes(pv_file)
        source = pv_file.name
    else:
        raise PolisExportError(f"{folder} has neither votes.csv nor participants-votes.csv")
    comments_file = folder / "comments.csv"
    moderated = _read_moderated_out(comments_file) if comments_file.is_file() else []
    pids, rows = dense_ids(voters)
    del voters
    sids, cols = dense_ids(comments)
    del comments
    if stamps is not None and stamps.size > 1 and bool((stamps[1:] < stamps[:-1]).any()):
        # The file keeps the vote history; order it by time (ties: file order) so the
        # latest vote per pair wins and the history replays in order.
        stamps, order = time_order(stamps)
        # One array at a time, so that only one old copy is alive at once.
        rows = rows[order]
        cols = cols[order]
        votes = votes[order]
        del order
    _give_back_memory()
    summary_file = folder / "summary.csv"
    summary = _read_summary(summary_file) if summary_file.is_file() else {}
    return PolisExport(
        participant_ids=pids,
        statement_ids=sids,
        rows=rows,
        cols=cols,
        votes=votes,
        moderated_out=moderated,
        source=source,
        published_groups=groups,
        summary=summary,
        times=stamps,
    )
