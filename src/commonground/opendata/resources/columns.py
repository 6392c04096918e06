"""The columns of the package's tables: types, constraints, and how values are written and read.

This module has no Django import (see the package's docstring for the writing rules)."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

#: Version of the package layout; the importer refuses packages of another version.
PACKAGE_FORMAT = "commonground-forum-package/v1"

DATETIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"
_DATETIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$")
_INTEGER_RE = re.compile(r"^(0|-?[1-9][0-9]{0,17})$")
PUBLIC_ID_RE = re.compile(r"^[A-Za-z0-9_-]{1,16}$")

LEVELS = ("global", "regional", "national", "subnational", "youth")
KINDS = ("signal", "solution", "advice", "comment")
PRIORITIES = ("low", "medium", "high", "urgent")
FEASIBILITIES = ("feasible", "feasible_with_conditions", "not_feasible", "unclear")
STANCES = ("in_favour", "neutral", "against")
MODERATIONS = ("strict", "open")
# Accepted statements are public. Rejected ones are exported by id only (no text, no
# author): the opinion map counts them (as passes, and their votes toward the
# in-conversation threshold), so a map recomputed from the package needs them. Pending
# ones await a steward and count nowhere: they stay out.
EXPORTED_STATEMENT_STATUSES = ("accepted", "rejected")
VOTE_VALUES = (-1, 0, 1)  # disagree, pass, agree
# Voters imported from a Polis export, who are not members: "x" and Polis's participant id.
EXTERNAL_VOTER_RE = re.compile(r"^x[0-9]{1,18}$")


class ValueProblem(ValueError):
    """A cell that cannot be read as its column's type (the message names the column)."""


@dataclass(frozen=True)
class Column:
    """One column: its name, Frictionless type, meaning and constraints."""

    name: str
    type: str  # string, integer, number, boolean, datetime, array, object
    description: str
    required: bool = False
    # Allowed values, of the column's type (strings, or integers for an integer column).
    enum: tuple[Any, ...] | None = None
    pattern: str | None = None
    unique: bool = False

    def schema(self) -> dict[str, Any]:
        """The Table Schema field descriptor."""
        out: dict[str, Any] = {"name": self.name, "type": self.type}
        out["description"] = self.description
        if self.type == "datetime":
            out["format"] = DATETIME_FORMAT
        constraints: dict[str, Any] = {}
        if self.required:
            constraints["required"] = True
        if self.unique:
            constraints["unique"] = True
        if self.enum is not None:
            constraints["enum"] = list(self.enum)
        if self.pattern is not None:
            constraints["pattern"] = self.pattern
        if constraints:
            out["constraints"] = constraints
        return out

    def write(self, value: Any) -> str:
        """The cell text of ``value``."""
        return WRITERS[self.type](value)

    def read(self, text: str) -> Any:
        """The value of a cell, or :class:`ValueProblem`."""
        if text == "":
            if self.required:
                raise ValueProblem(f"{self.name} is required")
            return EMPTY[self.type]
        value = READERS[self.type](text, self.name)
        if self.enum is not None and value not in self.enum:
            shown = ", ".join(str(v) for v in self.enum)
            raise ValueProblem(f"{self.name} {_quote(text)} is not one of: {shown}")
        if self.pattern is not None and not re.fullmatch(self.pattern, text):
            raise ValueProblem(f"{self.name} {_quote(text)} does not match {self.pattern}")
        return value


@dataclass(frozen=True)
class ForeignKey:
    columns: tuple[str, ...]
    resource: str  # "" refers to the same table
    ref_columns: tuple[str, ...]

    def schema(self) -> dict[str, Any]:
        return {
            "fields": list(self.columns),
            "reference": {"resource": self.resource, "fields": list(self.ref_columns)},
        }


@dataclass(frozen=True)
class Table:
    """One CSV file of the package."""

    name: str
    # Marked with commonground.stakeholders.gettext_noop for the catalogs, kept in English:
    # the package's descriptor (``datapackage.json``) is a file format, byte-identical from
    # one export to the next whatever the exporter's language. The open-data page shows the
    # description translated (opendata/views.py).
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...] = field(default=())

    @property
    def path(self) -> str:
        return f"{self.name}.csv"

    @property
    def header(self) -> list[str]:
        return [c.name for c in self.columns]

    def resource(self) -> dict[str, Any]:
        """The Data Resource descriptor of this table."""
        schema: dict[str, Any] = {
            "fields": [c.schema() for c in self.columns],
            "primaryKey": list(self.primary_key),
        }
        if self.foreign_keys:
            schema["foreignKeys"] = [fk.schema() for fk in self.foreign_keys]
        return {
            "name": self.name,
            "path": self.path,
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "description": self.description,
            "schema": schema,
        }


# -- value conversions ------------------------------------------------------------------------


def _quote(text: str) -> str:
    return "'" + (text if len(text) <= 40 else text[:37] + "...") + "'"


def format_datetime(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return moment.astimezone(UTC).strftime(DATETIME_FORMAT)


def dump_json(value: Any) -> str:
    """Compact JSON with sorted keys: the same text whichever database stored the value."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _write_bool(value: Any) -> str:
    return "true" if value else "false"


def _write_number(value: Any) -> str:
    return "" if value is None else repr(float(value))


def _write_int(value: Any) -> str:
    return "" if value is None else str(int(value))


def _write_string(value: Any) -> str:
    return "" if value is None else str(value)


WRITERS: dict[str, Callable[[Any], str]] = {
    "string": _write_string,
    "integer": _write_int,
    "number": _write_number,
    "boolean": _write_bool,
    "datetime": format_datetime,
    "array": dump_json,
    "object": dump_json,
}


def _read_int(text: str, name: str) -> int:
    if not _INTEGER_RE.match(text):
        raise ValueProblem(f"{name} {_quote(text)} is not an integer")
    return int(text)


def _read_number(text: str, name: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ValueProblem(f"{name} {_quote(text)} is not a number") from None
    if math.isnan(value) or math.isinf(value):
        raise ValueProblem(f"{name} {_quote(text)} is not a finite number")
    return value


def _read_bool(text: str, name: str) -> bool:
    if text not in ("true", "false"):
        raise ValueProblem(f"{name} {_quote(text)} is not true or false")
    return text == "true"


def _read_datetime(text: str, name: str) -> datetime:
    if not _DATETIME_RE.match(text):
        raise ValueProblem(f"{name} {_quote(text)} is not a time like 2027-03-01T12:00:00.000000Z")
    try:
        return datetime.strptime(text, DATETIME_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        raise ValueProblem(f"{name} {_quote(text)} is not a valid date and time") from None


def _read_json(kind: type) -> Callable[[str, str], Any]:
    def read(text: str, name: str) -> Any:
        try:
            value = json.loads(text)
        except ValueError:
            raise ValueProblem(f"{name} is not valid JSON") from None
        if not isinstance(value, kind):
            raise ValueProblem(f"{name} must be a JSON {'list' if kind is list else 'object'}")
        return value

    return read


READERS: dict[str, Callable[[str, str], Any]] = {
    "string": lambda text, _name: text,
    "integer": _read_int,
    "number": _read_number,
    "boolean": _read_bool,
    "datetime": _read_datetime,
    "array": _read_json(list),
    "object": _read_json(dict),
}

EMPTY: dict[str, Any] = {
    "string": "",
    "integer": None,
    "number": None,
    "boolean": None,
    "datetime": None,
    "array": None,
    "object": None,
}


# -- the tables -------------------------------------------------------------------------------


def id_column(description: str) -> Column:
    return Column("id", "integer", description, required=True, unique=True)


def ref(name: str, description: str, required: bool = True) -> Column:
    return Column(name, "integer", description, required=required)


def person(name: str, description: str, required: bool = True) -> Column:
    return Column(name, "string", description, required=required)


def when(name: str, description: str, required: bool = True) -> Column:
    return Column(name, "datetime", description, required=required)


def text(name: str, description: str, required: bool = False) -> Column:
    return Column(name, "string", description, required=required)


def to_participant(column: str) -> ForeignKey:
    return ForeignKey((column,), "participants", ("id",))


def to(column: str, resource: str) -> ForeignKey:
    return ForeignKey((column,), resource, ("id",))
