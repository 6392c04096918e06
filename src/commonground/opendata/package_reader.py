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
read in seconds; Python loops only run to locate the first bad row once a check has failed
(:mod:`commonground.opendata.package_arrays`). The agenda is written out by
:mod:`commonground.opendata.agenda_output`.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow.compute as pc

from commonground.analysis.recognition import (
    GROUPS,
    RecognitionResult,
    RecognitionSettings,
    compute,
    tally,
)
from commonground.opendata.package_arrays import (
    DESCRIPTOR,
    ISSUES,
    PARTICIPANTS,
    SUPPORTS,
    IdIndex,
    PackageError,
    duplicate_row,
    first_true,
    int_array,
    quote_value,
    raise_first,
    read_csv_table,
)

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
_EXAMPLE_TIME = "2027-03-01T12:00:00Z"


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


def _read_participants(folder: Path) -> tuple[IdIndex, np.ndarray]:
    table = read_csv_table(folder, PARTICIPANTS, ("id", "stakeholder_group"), multiline=False)
    ids = table.column("id").combine_chunks()
    # Dictionary-encode the few distinct group names, then map the dictionary to GROUPS.
    encoded = table.column("stakeholder_group").dictionary_encode().combine_chunks()
    lookup = np.array(
        [GROUPS.index(v) if v in GROUPS else -1 for v in encoded.dictionary.to_pylist()] or [-1],
        dtype=np.int8,
    )
    group_np = lookup[int_array(encoded.indices)] if len(encoded) else np.zeros(0, dtype=np.int8)
    problems: list[tuple[int | None, str]] = []

    empty = first_true(int_array(pc.binary_length(ids)) == 0)
    problems.append((empty, "empty id"))
    index = IdIndex(ids)
    duplicate = index.first_duplicate()
    if duplicate is not None:
        row, first = duplicate
        problems.append(
            (row, f"duplicate id {quote_value(ids[row].as_py())} (first at row {first + 1})")
        )
    unknown = first_true(group_np < 0)
    if unknown is not None:
        value = table.column("stakeholder_group")[unknown].as_py()
        problems.append(
            (
                unknown,
                f"unknown stakeholder group {quote_value(value)} (one of: {', '.join(GROUPS)})",
            )
        )
    raise_first(PARTICIPANTS, problems)
    return index, group_np


def _parse_utc(text: str) -> int | str:
    """Microseconds since the epoch, or the problem with ``text``."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return f"raised_at {quote_value(text)} is not an ISO 8601 time (like {_EXAMPLE_TIME})"
    if moment.tzinfo is None or moment.utcoffset() is None:
        # A time without an offset is ambiguous; the package format says UTC explicitly.
        return f"raised_at {quote_value(text)} has no UTC offset (write it like {_EXAMPLE_TIME})"
    return (moment - _EPOCH) // _MICROSECOND


def _read_issues(
    folder: Path, cycle: str | None
) -> tuple[IdIndex, list[str], np.ndarray, np.ndarray | None]:
    """Ids, raised times and, when ``cycle`` is named, which rows belong to that cycle."""
    columns = ("id", "raised_at") if cycle is None else ("id", "raised_at", "cycle_id")
    table = read_csv_table(folder, ISSUES, columns, multiline=True)
    ids_arrow = table.column("id").combine_chunks()
    ids: list[str] = ids_arrow.to_pylist()
    problems: list[tuple[int | None, str]] = []
    empty = next((row for row, value in enumerate(ids) if value == ""), None)
    problems.append((empty, "empty id"))
    duplicate = duplicate_row(ids)
    if duplicate is not None:
        row, first = duplicate
        problems.append((row, f"duplicate id {quote_value(ids[row])} (first at row {first + 1})"))
    raised = np.empty(len(ids), dtype=np.int64)
    for row, text in enumerate(table.column("raised_at").to_pylist()):
        parsed = _parse_utc(text)
        if isinstance(parsed, str):
            problems.append((row, parsed))
            break
        raised[row] = parsed
    raise_first(ISSUES, problems)
    in_cycle = None
    if cycle is not None:
        in_cycle = np.array(
            [value == cycle for value in table.column("cycle_id").to_pylist()], dtype=bool
        )
    return IdIndex(ids_arrow), ids, raised, in_cycle


def _read_supports(
    folder: Path, participants: IdIndex, issues: IdIndex
) -> tuple[np.ndarray, np.ndarray]:
    table = read_csv_table(folder, SUPPORTS, ("participant_id", "issue_id"), multiline=False)
    # The row of each support's participant and issue, -1 if unknown (integer lookups for
    # numeric ids, Arrow's hash lookup on the strings otherwise).
    who_np = participants.rows(table.column("participant_id"))
    what_np = issues.rows(table.column("issue_id"))
    problems: list[tuple[int | None, str]] = []

    unknown_p = first_true(who_np < 0)
    if unknown_p is not None:
        value = table.column("participant_id")[unknown_p].as_py()
        problems.append((unknown_p, f"support by unknown participant {quote_value(value)}"))
    unknown_i = first_true(what_np < 0)
    if unknown_i is not None:
        value = table.column("issue_id")[unknown_i].as_py()
        problems.append((unknown_i, f"support for unknown issue {quote_value(value)}"))

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
                f"duplicate support by participant {quote_value(p)} for issue {quote_value(i)} "
                f"(first at row {first + 1})",
            )
        )
    raise_first(SUPPORTS, problems)
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
