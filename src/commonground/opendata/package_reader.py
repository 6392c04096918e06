"""Read a recognition data package and recompute its agenda, with no Django at all.

A package is a folder with ``datapackage.json`` and three CSV files:

* ``participants.csv``: ``id``, ``stakeholder_group``, ``country``
* ``issues.csv``: ``id``, ``title``, ``raised_by``, ``raised_at`` (ISO 8601 with a UTC offset,
  e.g. ``2027-03-01T12:00:00Z``, ``2027-03-01T12:00:00.250000+00:00``)
* ``supports.csv``: ``participant_id``, ``issue_id``, ``created_at``

The forum's recognition settings are read from ``datapackage.json`` under
``"commonground": {"recognition": {...}}``; missing keys take the defaults. Ids are kept as
the strings written in the CSV. A full forum export holds every cycle and names the one to
compute as ``"commonground": {"cycle_id": "7"}``; then ``issues.csv`` needs a ``cycle_id``
column and only that cycle's issues (and their supports) count. Other files and columns of
the package are ignored.

Every problem raises :class:`PackageError` naming the file, the 1-based data row (when the
problem belongs to one) and what is wrong. The CSV files are parsed by Arrow's multi-threaded
reader and validated with vectorized operations, so a package with ten million supports is
read in seconds; Python loops only run to locate the first bad row once a check has failed.
"""

from __future__ import annotations

import csv
import json
import os
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TextIO

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from commonground.analysis.recognition import (
    GROUPS,
    RecognitionResult,
    RecognitionSettings,
    compute,
    tally,
)

DESCRIPTOR = "datapackage.json"
PARTICIPANTS = "participants.csv"
ISSUES = "issues.csv"
SUPPORTS = "supports.csv"

# The columns each file must have (in any order; extra columns are ignored).
COLUMNS: dict[str, tuple[str, ...]] = {
    PARTICIPANTS: ("id", "stakeholder_group", "country"),
    ISSUES: ("id", "title", "raised_by", "raised_at"),
    SUPPORTS: ("participant_id", "issue_id", "created_at"),
}

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
_EXAMPLE_TIME = "2027-03-01T12:00:00Z"


class PackageError(Exception):
    """A data package that cannot be read: which file, which data row, what is wrong.

    ``row`` is the 1-based number of the data row (the header is not counted), or ``None``
    when the problem is not in one row (missing file, missing column, bad settings).
    """

    def __init__(self, file: str, row: int | None, problem: str) -> None:
        self.file = file
        self.row = row
        self.problem = problem
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.file if self.row is None else f"{self.file} row {self.row}"
        return f"{where}: {self.problem}"


@dataclass(frozen=True, eq=False)
class LoadedPackage:
    """A validated package as arrays ready for :func:`tally` and :func:`compute`.

    Participant and issue rows are in file order; ``support_participant`` and
    ``support_issue`` are row indices into them, one per support, in file order. The arrays
    may be read-only views of Arrow memory; copy them before changing them in place.
    """

    settings: RecognitionSettings
    n_participants: int
    participant_group: np.ndarray  # int8 index into GROUPS, per participant row
    issue_ids: list[str]
    raised_at: np.ndarray  # int64 microseconds since 1970-01-01 UTC, per issue row
    support_participant: np.ndarray  # int32 participant row, per support
    support_issue: np.ndarray  # int32 issue row, per support

    @property
    def n_issues(self) -> int:
        return len(self.issue_ids)

    @property
    def n_supports(self) -> int:
        return int(self.support_issue.size)


def _quote(value: object) -> str:
    text = str(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return "'" + text.replace("'", "\\'") + "'"


# ---- reading --------------------------------------------------------------------------


def _read_settings(folder: Path) -> tuple[RecognitionSettings, str | None]:
    """The recognition settings and the cycle to compute (None: every issue in the files)."""
    path = folder / DESCRIPTOR
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise PackageError(DESCRIPTOR, None, "file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PackageError(DESCRIPTOR, None, f"cannot be read: {exc}") from None
    try:
        descriptor = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PackageError(
            DESCRIPTOR, None, f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        ) from None
    if not isinstance(descriptor, dict):
        raise PackageError(DESCRIPTOR, None, "must hold a JSON object")
    section: Any = descriptor.get("commonground", {})
    if not isinstance(section, dict):
        raise PackageError(DESCRIPTOR, None, '"commonground" must be an object')
    recognition: Any = section.get("recognition", {})
    if not isinstance(recognition, dict):
        raise PackageError(DESCRIPTOR, None, '"commonground.recognition" must be an object')
    try:
        settings = RecognitionSettings.from_mapping(recognition)
    except ValueError as exc:
        raise PackageError(DESCRIPTOR, None, f"commonground.recognition: {exc}") from None
    cycle: Any = section.get("cycle_id")
    if cycle is not None and not isinstance(cycle, str):
        raise PackageError(DESCRIPTOR, None, '"commonground.cycle_id" must be a string')
    return settings, cycle


def _locate_parse_error(path: Path, name: str, width: int) -> PackageError | None:
    """Find the first record with the wrong number of fields (only after Arrow failed).

    Python's csv module follows the same quoting rules as Arrow's reader and counts
    records, not lines, so the row number is right even with line breaks inside titles.
    Blank lines are skipped, as Arrow skips them.
    """
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle, strict=True)
            next(reader, None)
            row = 0
            for record in reader:
                if not record:
                    continue
                row += 1
                if len(record) != width:
                    return PackageError(name, row, f"expected {width} fields, found {len(record)}")
    except UnicodeDecodeError:
        return PackageError(name, None, "not valid UTF-8 text")
    except csv.Error as exc:
        return PackageError(name, None, f"not valid CSV: {exc}")
    return None


def _read_csv(folder: Path, name: str, columns: Sequence[str], multiline: bool) -> pa.Table:
    """Read ``columns`` of ``name`` as strings, after checking the header has them all."""
    path = folder / name
    if not path.is_file():
        raise PackageError(name, None, "file not found")
    try:
        # Only the header line is decoded here; errors="replace" keeps a bad byte further
        # down for Arrow to report.
        with path.open(encoding="utf-8-sig", errors="replace", newline="") as handle:
            header = next(csv.reader(handle), None)
    except OSError as exc:
        raise PackageError(name, None, f"cannot be read: {exc}") from None
    if not header:
        raise PackageError(name, None, "empty file: no header row")
    for column in dict.fromkeys((*COLUMNS[name], *columns)):
        if column not in header:
            raise PackageError(name, None, f"missing column '{column}'")
    try:
        return pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(block_size=16 << 20),
            # Titles may hold line breaks inside quotes; other files have none, and the
            # plain parser is faster on the ten-million-row supports file.
            parse_options=pacsv.ParseOptions(newlines_in_values=multiline),
            convert_options=pacsv.ConvertOptions(
                include_columns=list(columns),
                column_types={c: pa.string() for c in columns},
                strings_can_be_null=False,  # "" and "NA" stay strings, never nulls
            ),
        )
    except (pa.ArrowInvalid, OSError) as exc:
        located = _locate_parse_error(path, name, len(header))
        if located is not None:
            raise located from None
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise PackageError(name, None, f"cannot be parsed: {message}") from None


def _ints(values: pa.Array | pa.ChunkedArray, fill: int = -1) -> np.ndarray:
    """An Arrow int32/int64 array as NumPy (nulls become ``fill``), read from its buffers.

    Arrow's own ``to_numpy`` and Python-scalar arguments make pyarrow import pandas when it
    is installed, which costs about a second per run of ``agenda --from``; reading the
    buffers directly is just as fast and keeps the reader free of that import.
    """
    array = values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values
    dtypes = {pa.int8(): np.int8, pa.int32(): np.int32, pa.int64(): np.int64}
    if array.type not in dtypes:
        raise TypeError(f"expected an integer Arrow array, got {array.type}")
    validity, data = array.buffers()[:2]
    start, length = array.offset, len(array)
    if data is None:
        return np.full(length, fill, dtype=dtypes[array.type])
    out = np.frombuffer(data, dtype=dtypes[array.type])[start : start + length]
    if array.null_count:
        bits = np.unpackbits(np.frombuffer(validity, dtype=np.uint8), bitorder="little")
        out = np.where(bits[start : start + length].astype(bool), out, fill)
    return out


def _first(mask: np.ndarray) -> int | None:
    """Index of the first True in ``mask``, or None."""
    if mask.size == 0:
        return None
    i = int(np.argmax(mask))
    return i if mask[i] else None


# For a byte length L (index), the smallest and largest int64 with exactly L decimal digits;
# lengths 0 and over 19 get an empty range.
_INT64_MAX = np.iinfo(np.int64).max
_LOWEST = np.array([1] + [0] + [10 ** (k - 1) for k in range(2, 20)] + [1], dtype=np.int64)
_HIGHEST = np.array([0] + [min(10**k - 1, _INT64_MAX) for k in range(1, 20)] + [0], dtype=np.int64)


def _canonical_ints(column: pa.Array | pa.ChunkedArray) -> np.ndarray | None:
    """The ids as int64 if every one is a canonical decimal ("0", "17"; never "017", "-1",
    "0x11"), else None.

    Hashing ten million strings is the slowest part of reading a package; when ids are
    written as plain numbers (as exports of database rows are), comparing them as integers
    gives the same matches, because two canonical decimal strings are equal exactly when
    their values are. Anything else falls back to comparing strings.
    """
    array = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    if array.type != pa.string() or array.null_count:
        return None
    try:
        values = _ints(pc.cast(array, pa.int64()))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None  # some id is not an integer at all
    if values.size == 0:
        return values
    offsets = np.frombuffer(array.buffers()[1], dtype=np.int32)
    offsets = offsets[array.offset : array.offset + len(array) + 1]
    lengths = np.minimum(np.diff(offsets), _LOWEST.size - 1)
    # A string that parses to v and has exactly as many bytes as v has digits is v's
    # canonical text, or "-0" (v = 0, two bytes: rejected here) or a hex form "0x..."
    # (Arrow parses those): the leading "0" of a longer string catches the latter.
    if not ((values >= _LOWEST[lengths]) & (values <= _HIGHEST[lengths])).all():
        return None
    first = np.frombuffer(array.buffers()[2], dtype=np.uint8)[offsets[:-1]]
    if ((first == ord("0")) & (lengths > 1)).any():
        return None
    return values


class _IdIndex:
    """Finds the row of each id in a column of ids: Arrow's hash lookup on the strings,
    or integer lookups (a dense table or a binary search) when all ids are canonical
    decimals."""

    def __init__(self, ids: pa.Array) -> None:
        self.ids = ids
        self.ints = _canonical_ints(ids)
        self.table: np.ndarray | None = None
        self.order: np.ndarray | None = None
        self.sorted: np.ndarray | None = None
        if self.ints is None:
            return
        self.order = np.argsort(self.ints, kind="stable")
        self.sorted = self.ints[self.order]
        top = int(self.sorted[-1]) if self.sorted.size else -1
        if top < max(16 * self.ints.size, 1 << 20):  # small enough for a direct table
            self.table = np.full(top + 1, -1, dtype=np.int32)
            # Reversed so that, for a repeated id, the first row wins (as in index_in).
            self.table[self.ints[::-1]] = np.arange(self.ints.size - 1, -1, -1, dtype=np.int32)

    def first_duplicate(self) -> tuple[int, int] | None:
        """(row, first row) of the earliest repeated id, 0-based, or None."""
        if self.sorted is not None and self.order is not None:
            repeat = np.zeros(self.sorted.size, dtype=bool)
            repeat[1:] = self.sorted[1:] == self.sorted[:-1]
            if not repeat.any():
                return None
            row = int(self.order[repeat].min())
            first = int(self.order[np.searchsorted(self.sorted, self.ints[row])])
            return row, first
        if pc.count_distinct(self.ids).as_py() == len(self.ids):
            return None
        return _duplicate_row(self.ids.to_pylist())

    def rows(self, column: pa.ChunkedArray) -> np.ndarray:
        """int32 row of each value of ``column`` (-1 where the id is unknown)."""
        values = _canonical_ints(column) if self.ints is not None else None
        if values is None:
            return _ints(pc.index_in(column, value_set=self.ids)).astype(np.int32, copy=False)
        if self.table is not None:
            if values.size == 0 or int(values.max()) < self.table.size:
                return self.table[values]
            inside = values < self.table.size
            return np.where(inside, self.table[np.where(inside, values, 0)], -1).astype(
                np.int32, copy=False
            )
        assert self.sorted is not None and self.order is not None
        if self.sorted.size == 0:
            return np.full(values.size, -1, dtype=np.int32)
        at = np.minimum(np.searchsorted(self.sorted, values), self.sorted.size - 1)
        found = self.sorted[at] == values
        return np.where(found, self.order[at], -1).astype(np.int32, copy=False)


def _raise_first(name: str, problems: list[tuple[int | None, str]]) -> None:
    """Raise for the earliest row among the failed checks (first check wins a tie)."""
    found = [(row, k, text) for k, (row, text) in enumerate(problems) if row is not None]
    if found:
        row, _, text = min(found)
        raise PackageError(name, row + 1, text)


def _duplicate_row(values: Sequence[str]) -> tuple[int, int] | None:
    """(row, first row) of the first repeated value, 0-based; a loop over issue ids only."""
    seen: dict[str, int] = {}
    for row, value in enumerate(values):
        first = seen.setdefault(value, row)
        if first != row:
            return row, first
    return None


def _read_participants(folder: Path) -> tuple[_IdIndex, np.ndarray]:
    table = _read_csv(folder, PARTICIPANTS, ("id", "stakeholder_group"), multiline=False)
    ids = table.column("id").combine_chunks()
    # Dictionary-encode the few distinct group names, then map the dictionary to GROUPS.
    encoded = table.column("stakeholder_group").dictionary_encode().combine_chunks()
    lookup = np.array(
        [GROUPS.index(v) if v in GROUPS else -1 for v in encoded.dictionary.to_pylist()] or [-1],
        dtype=np.int8,
    )
    group_np = lookup[_ints(encoded.indices)] if len(encoded) else np.zeros(0, dtype=np.int8)
    problems: list[tuple[int | None, str]] = []

    empty = _first(_ints(pc.binary_length(ids)) == 0)
    problems.append((empty, "empty id"))
    index = _IdIndex(ids)
    duplicate = index.first_duplicate()
    if duplicate is not None:
        row, first = duplicate
        problems.append(
            (row, f"duplicate id {_quote(ids[row].as_py())} (first at row {first + 1})")
        )
    unknown = _first(group_np < 0)
    if unknown is not None:
        value = table.column("stakeholder_group")[unknown].as_py()
        problems.append(
            (unknown, f"unknown stakeholder group {_quote(value)} (one of: {', '.join(GROUPS)})")
        )
    _raise_first(PARTICIPANTS, problems)
    return index, group_np


def _parse_utc(text: str) -> int | str:
    """Microseconds since the epoch, or the problem with ``text``."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return f"raised_at {_quote(text)} is not an ISO 8601 time (like {_EXAMPLE_TIME})"
    if moment.tzinfo is None or moment.utcoffset() is None:
        # A time without an offset is ambiguous; the package format says UTC explicitly.
        return f"raised_at {_quote(text)} has no UTC offset (write it like {_EXAMPLE_TIME})"
    return (moment - _EPOCH) // _MICROSECOND


def _read_issues(
    folder: Path, cycle: str | None
) -> tuple[_IdIndex, list[str], np.ndarray, np.ndarray | None]:
    """Ids, raised times and, when ``cycle`` is named, which rows belong to that cycle."""
    columns = ("id", "raised_at") if cycle is None else ("id", "raised_at", "cycle_id")
    table = _read_csv(folder, ISSUES, columns, multiline=True)
    ids_arrow = table.column("id").combine_chunks()
    ids: list[str] = ids_arrow.to_pylist()
    problems: list[tuple[int | None, str]] = []
    empty = next((row for row, value in enumerate(ids) if value == ""), None)
    problems.append((empty, "empty id"))
    duplicate = _duplicate_row(ids)
    if duplicate is not None:
        row, first = duplicate
        problems.append((row, f"duplicate id {_quote(ids[row])} (first at row {first + 1})"))
    raised = np.empty(len(ids), dtype=np.int64)
    for row, text in enumerate(table.column("raised_at").to_pylist()):
        parsed = _parse_utc(text)
        if isinstance(parsed, str):
            problems.append((row, parsed))
            break
        raised[row] = parsed
    _raise_first(ISSUES, problems)
    in_cycle = None
    if cycle is not None:
        in_cycle = np.array(
            [value == cycle for value in table.column("cycle_id").to_pylist()], dtype=bool
        )
    return _IdIndex(ids_arrow), ids, raised, in_cycle


def _read_supports(
    folder: Path, participants: _IdIndex, issues: _IdIndex
) -> tuple[np.ndarray, np.ndarray]:
    table = _read_csv(folder, SUPPORTS, ("participant_id", "issue_id"), multiline=False)
    # The row of each support's participant and issue, -1 if unknown (integer lookups for
    # numeric ids, Arrow's hash lookup on the strings otherwise).
    who_np = participants.rows(table.column("participant_id"))
    what_np = issues.rows(table.column("issue_id"))
    problems: list[tuple[int | None, str]] = []

    unknown_p = _first(who_np < 0)
    if unknown_p is not None:
        value = table.column("participant_id")[unknown_p].as_py()
        problems.append((unknown_p, f"support by unknown participant {_quote(value)}"))
    unknown_i = _first(what_np < 0)
    if unknown_i is not None:
        value = table.column("issue_id")[unknown_i].as_py()
        problems.append((unknown_i, f"support for unknown issue {_quote(value)}"))

    # One support per participant per issue: pack each pair into one int64 and look for
    # equal neighbours after a sort; locating the first repeat is done only if one exists.
    key = who_np.astype(np.int64) * max(1, len(issues.ids)) + what_np
    invalid = (who_np < 0) | (what_np < 0)
    if unknown_p is not None or unknown_i is not None:
        key[invalid] = -1 - np.flatnonzero(invalid)  # distinct, so never a duplicate
    ordered = np.sort(key)
    if ordered.size > 1 and (ordered[1:] == ordered[:-1]).any():
        del ordered
        order = np.argsort(key, kind="stable")
        sorted_key = key[order]
        repeat = np.zeros(key.size, dtype=bool)
        repeat[1:] = sorted_key[1:] == sorted_key[:-1]
        row = int(order[repeat].min())
        first = int(order[np.searchsorted(sorted_key, key[row])])
        p = table.column("participant_id")[row].as_py()
        i = table.column("issue_id")[row].as_py()
        problems.append(
            (
                row,
                f"duplicate support by participant {_quote(p)} for issue {_quote(i)} "
                f"(first at row {first + 1})",
            )
        )
    _raise_first(SUPPORTS, problems)
    return who_np, what_np


def load_package(path: str | os.PathLike[str]) -> LoadedPackage:
    """Read and validate the package in folder ``path``; raise :class:`PackageError`."""
    folder = Path(path)
    if not folder.is_dir():
        raise PackageError(str(path), None, "not a folder (expected a data package folder)")
    settings, cycle = _read_settings(folder)
    participants, participant_group = _read_participants(folder)
    issues, issue_ids, raised_at, in_cycle = _read_issues(folder, cycle)
    who, what = _read_supports(folder, participants, issues)
    if in_cycle is not None and not in_cycle.all():
        # A full forum package holds every cycle; recognition is computed for one. The
        # whole files were checked above, so row numbers in errors are the files' own.
        new_row = np.cumsum(in_cycle, dtype=np.int64) - 1
        keep = in_cycle[what]
        who = who[keep]
        what = new_row[what[keep]].astype(np.int32)
        issue_ids = [i for i, inside in zip(issue_ids, in_cycle.tolist(), strict=True) if inside]
        raised_at = raised_at[in_cycle]
    return LoadedPackage(
        settings=settings,
        n_participants=len(participants.ids),
        participant_group=participant_group,
        issue_ids=issue_ids,
        raised_at=raised_at,
        support_participant=who,
        support_issue=what,
    )


def recognition_from_package(path: str | os.PathLike[str]) -> RecognitionResult:
    """Recompute the recognition of every issue in the package at ``path``."""
    package = load_package(path)
    supports, active = tally(
        package.participant_group,
        package.support_participant,
        package.support_issue,
        package.n_issues,
    )
    return compute(supports, active, package.raised_at, package.issue_ids, package.settings)


def agenda_from_package(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The agenda JSON dict (settings, agenda ids, every issue) recomputed from a package."""
    result = recognition_from_package(path)
    return result.to_json_dict(result.settings)


# ---- output ---------------------------------------------------------------------------


def _issue_template() -> str:
    """The text of one issue inside ``"issues": [...]`` as ``json.dumps(indent=2)`` lays it
    out, with a %s slot per value (keys in the order of ``RecognitionResult.issue_dict``)."""
    lines = ["    {"]
    for key in ("issue_id", "recognized", "on_agenda", "rank", "balanced_support", "breadth"):
        lines.append(f'      "{key}": %s,')
    lines.append('      "groups": {')
    for k, group in enumerate(GROUPS):
        lines.append(f"        {json.dumps(group)}: {{")
        lines.append('          "supports": %s,')
        lines.append('          "active": %s,')
        lines.append('          "rate": %s')
        lines.append("        }," if k < len(GROUPS) - 1 else "        }")
    lines.append("      },")
    lines.append('      "reason": %s')
    lines.append("    }")
    return "\n".join(lines)


_ISSUE_TEMPLATE = _issue_template()
_JSON_BOOL = ("false", "true")


def _agenda_json_chunks(
    result: RecognitionResult, settings: RecognitionSettings | None, batch: int = 2000
) -> Iterator[str]:
    """Pieces of ``json.dumps(result.to_json_dict(settings), indent=2)``, in order.

    The standard library's encoder runs in pure Python when it indents, which takes over
    ten seconds for 100,000 issues; this fills a fixed per-issue template from lists
    instead (floats through ``float.__repr__`` and strings through the C string encoder,
    exactly as ``json`` does), ``batch`` issues per piece.
    """
    settings = result.settings if settings is None else settings
    ids = result.issue_ids
    head = json.dumps(
        {
            "settings": settings.to_dict(),
            "agenda": [_json_value(ids[int(i)]) for i in result.agenda],
            "issues": [],
        },
        indent=2,
    )
    n = result.n_issues
    if n == 0:
        yield head
        return
    # head ends with '"issues": []\n}'; open the list and put the issues in it.
    yield head[: -len("[]\n}")] + "[\n"
    encode = json.encoder.encode_basestring_ascii  # the C function when available
    supports = [str(v) for v in result.supports.ravel().tolist()]
    rates = [float.__repr__(v) for v in result.rates.ravel().tolist()]
    active = [str(v) for v in result.active.tolist()]
    balanced = [float.__repr__(v) for v in result.balanced.tolist()]
    recognized = result.recognized.tolist()
    on_agenda = result.on_agenda.tolist()
    breadth = result.breadth.tolist()
    ranks = result.rank.tolist()
    reasons = result.reasons()
    width = len(GROUPS)
    texts: list[str] = []
    for i in range(n):
        issue_id = _json_value(ids[i])
        values: list[str] = [
            encode(issue_id) if type(issue_id) is str else json.dumps(issue_id),
            _JSON_BOOL[recognized[i]],
            _JSON_BOOL[on_agenda[i]],
            str(ranks[i]) if ranks[i] > 0 else "null",
            balanced[i],
            str(breadth[i]),
        ]
        base = i * width
        for g in range(width):
            values += (supports[base + g], active[g], rates[base + g])
        values.append(encode(reasons[i]))
        texts.append(_ISSUE_TEMPLATE % tuple(values))
        if len(texts) == batch:
            yield ",\n".join(texts) + (",\n" if i < n - 1 else "")
            texts = []
    yield ",\n".join(texts) + "\n  ]\n}"


def agenda_json(result: RecognitionResult, settings: RecognitionSettings | None = None) -> str:
    """``json.dumps(result.to_json_dict(settings), indent=2)``, character for character,
    about six times faster (a test checks the two texts are identical)."""
    return "".join(_agenda_json_chunks(result, settings))


def write_agenda_json(
    result: RecognitionResult, out: TextIO, settings: RecognitionSettings | None = None
) -> None:
    """Write :func:`agenda_json`'s text to ``out`` piece by piece (no 100 MB string)."""
    for chunk in _agenda_json_chunks(result, settings):
        out.write(chunk)


def _json_value(value: object) -> object:
    return value.item() if isinstance(value, np.generic) else value


# ---- table ----------------------------------------------------------------------------

# Short column heads for the table; the legend under the table spells them out.
_SHORT = {
    "government": "gov",
    "intergovernmental": "igo",
    "internet_institution": "inet",
    "private_sector": "priv",
    "civil_society": "civil",
    "academic_technical": "acad",
}


def format_table(result: dict[str, Any]) -> str:
    """A fixed-width text table of an agenda JSON dict, agenda first.

    Rows: the agenda in rank order, then the other recognized issues, then the candidates,
    each by balanced support descending (input order on ties). Columns: rank, issue id,
    balanced support B, breadth, supports per group, reason.
    """
    settings = result.get("settings", {})
    issues: list[dict[str, Any]] = list(result.get("issues", []))
    position = {id(issue): k for k, issue in enumerate(issues)}

    def order(issue: dict[str, Any]) -> tuple[int, int, float, int]:
        rank = issue["rank"]
        return (
            0 if rank is not None else 1,
            rank if rank is not None else (0 if issue["recognized"] else 1),
            -issue["balanced_support"],
            position[id(issue)],
        )

    head = ["rank", "issue", "B", "breadth", *(_SHORT[g] for g in GROUPS), "reason"]
    rows: list[list[str]] = []
    for issue in sorted(issues, key=order):
        groups = issue["groups"]
        rows.append(
            [
                "-" if issue["rank"] is None else str(issue["rank"]),
                str(issue["issue_id"]),
                f"{issue['balanced_support']:.4f}",
                f"{issue['breadth']}/{len(GROUPS)}",
                *(str(groups[g]["supports"]) for g in GROUPS),
                issue["reason"],
            ]
        )
    widths = [max(len(r[c]) for r in [head, *rows]) for c in range(len(head) - 1)]

    def line(cells: list[str]) -> str:
        # Text columns (issue id, reason) read left-aligned; numbers right-aligned.
        out = [
            cell.ljust(widths[c]) if c == 1 else cell.rjust(widths[c])
            for c, cell in enumerate(cells[:-1])
        ]
        return "  ".join([*out, cells[-1]]).rstrip()

    recognized = sum(1 for issue in issues if issue["recognized"])
    agenda = result.get("agenda", [])
    lines = [
        f"Agenda: {len(agenda)} of {recognized} recognized issues ({len(issues)} issues in all)",
        "Settings: " + ", ".join(f"{k}={v}" for k, v in settings.items()),
    ]
    if issues:
        first = issues[0]["groups"]
        lines.append(
            "Active members: " + ", ".join(f"{_SHORT[g]} {first[g]['active']}" for g in GROUPS)
        )
    lines += ["", line(head), line(["-" * w for w in widths] + ["-" * 6])]
    lines += [line(r) for r in rows]
    lines += [
        "",
        "B = balanced support (geometric mean of the six group rates); "
        "breadth = groups counting towards recognition.",
        "Supports by group: " + ", ".join(f"{_SHORT[g]} = {g}" for g in GROUPS) + ".",
    ]
    return "\n".join(lines) + "\n"


def main_agenda_from(path: str, fmt: str, out: TextIO) -> int:
    """``commonground agenda --from DIR [--format json|table]``: print the agenda.

    Returns the exit code: 0 when the agenda was written to ``out``, 1 when the package is
    bad (one line "error: ..." on stderr, no traceback), 2 for an unknown format.
    """
    if fmt not in ("json", "table"):
        print(f"error: unknown format {fmt!r} (use json or table)", file=sys.stderr)
        return 2
    try:
        result = recognition_from_package(path)
    except PackageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if fmt == "json":
        write_agenda_json(result, out)
        out.write("\n")
    else:
        out.write(format_table(result.to_json_dict()))
    return 0
