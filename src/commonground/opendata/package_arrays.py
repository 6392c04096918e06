"""The CSV files of a data package as Arrow tables and NumPy arrays, checked with vectorized
operations (see :mod:`commonground.opendata.package_reader`); no Django."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

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


def quote_value(value: object) -> str:
    text = str(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return "'" + text.replace("'", "\\'") + "'"


def locate_parse_error(path: Path, name: str, width: int) -> PackageError | None:
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


def read_csv_table(folder: Path, name: str, columns: Sequence[str], multiline: bool) -> pa.Table:
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
        located = locate_parse_error(path, name, len(header))
        if located is not None:
            raise located from None
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise PackageError(name, None, f"cannot be parsed: {message}") from None


def int_array(values: pa.Array | pa.ChunkedArray, fill: int = -1) -> np.ndarray:
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


def first_true(mask: np.ndarray) -> int | None:
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


def canonical_ints(column: pa.Array | pa.ChunkedArray) -> np.ndarray | None:
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
        values = int_array(pc.cast(array, pa.int64()))
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


class IdIndex:
    """Finds the row of each id in a column of ids: Arrow's hash lookup on the strings,
    or integer lookups (a dense table or a binary search) when all ids are canonical
    decimals."""

    def __init__(self, ids: pa.Array) -> None:
        self.ids = ids
        self.ints = canonical_ints(ids)
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
        if self.sorted is not None and self.order is not None and self.ints is not None:
            repeat = np.zeros(self.sorted.size, dtype=bool)
            repeat[1:] = self.sorted[1:] == self.sorted[:-1]
            if not repeat.any():
                return None
            row = int(self.order[repeat].min())
            first = int(self.order[np.searchsorted(self.sorted, self.ints[row])])
            return row, first
        if pc.count_distinct(self.ids).as_py() == len(self.ids):
            return None
        return duplicate_row(self.ids.to_pylist())

    def rows(self, column: pa.ChunkedArray) -> np.ndarray:
        """int32 row of each value of ``column`` (-1 where the id is unknown)."""
        values = canonical_ints(column) if self.ints is not None else None
        if values is None:
            return int_array(pc.index_in(column, value_set=self.ids)).astype(np.int32, copy=False)
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


def raise_first(name: str, problems: list[tuple[int | None, str]]) -> None:
    """Raise for the earliest row among the failed checks (first check wins a tie)."""
    found = [(row, k, text) for k, (row, text) in enumerate(problems) if row is not None]
    if found:
        row, _, text = min(found)
        raise PackageError(name, row + 1, text)


def duplicate_row(values: Sequence[str]) -> tuple[int, int] | None:
    """(row, first row) of the first repeated value, 0-based; a loop over issue ids only."""
    seen: dict[str, int] = {}
    for row, value in enumerate(values):
        first = seen.setdefault(value, row)
        if first != row:
            return row, first
    return None
