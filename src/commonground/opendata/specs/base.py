"""A table spec: how one table of the package is read from the database (export) and
written back (import). The exporter and the importer are loops over the specs."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db.models import Model, QuerySet

from commonground.forums.models import Forum
from commonground.ledger.models import Checkpoint
from commonground.opendata.resources import Table
from commonground.participants.models import Membership, User

CHUNK = 5000  # rows fetched at a time by an export
BATCH = 2000  # rows inserted at a time by an import

Row = dict[str, Any]


@dataclass(frozen=True)
class Exporting:
    """What an export reads from: the forum, and the checkpoint the package is cut at."""

    forum: Forum
    checkpoint: Checkpoint


@dataclass
class Importing:
    """What an import has written so far, for the tables after it to refer to."""

    folder: Path
    tables: dict[str, list[Row]]
    descriptor: dict[str, Any]
    size: int  # ledger entries in the package
    people: set[str] = field(default_factory=set)  # every participant id the package names
    forum: Forum | None = None
    # Accounts and memberships by participant id (the pseudonymous public id).
    user: dict[str, User] = field(default_factory=dict)
    member: dict[str, Membership] = field(default_factory=dict)

    @property
    def the_forum(self) -> Forum:
        assert self.forum is not None, "the forum table is written first"
        return self.forum


@dataclass(frozen=True)
class TableSpec:
    """One table of the package and its rows in the database.

    By default a table is exported as ``query(forum)`` ordered by primary key, reading
    ``paths`` (one ``values_list`` path per column, in the table's column order), and
    imported by ``build`` (one unsaved object per row) and one ``bulk_create``. A table
    whose rows are not one query or one model says how in ``export`` or ``load``.
    ``keeps_ids``: the rows are written with the package's ids, so the database's id
    sequence is moved past them after an import.
    """

    table: Table
    model: type[Model]
    paths: tuple[str, ...] = ()
    query: Callable[[Forum], QuerySet[Any]] | None = None
    build: Callable[[Row, Importing], Model] | None = None
    export: Callable[[Exporting], Iterable[Sequence[Any]]] | None = None
    load: Callable[[list[Row], Importing], None] | None = None
    keeps_ids: bool = True

    def __post_init__(self) -> None:
        if self.export is None:
            assert self.query is not None and len(self.paths) == len(self.table.columns), (
                f"{self.table.name}: a query and one path per column"
            )
        assert self.load is not None or self.build is not None, f"{self.table.name}: no import"

    @property
    def name(self) -> str:
        return self.table.name

    def rows(self, at: Exporting) -> Iterable[Sequence[Any]]:
        """The table's rows as Python values, in its column order."""
        if self.export is not None:
            return self.export(at)
        assert self.query is not None
        return values(self.query(at.forum), *self.paths)

    def write(self, rows: list[Row], into: Importing) -> None:
        """Write the table's rows (as read and checked from the package) to the database."""
        if self.load is not None:
            self.load(rows, into)
            return
        assert self.build is not None
        build = self.build
        self.model._default_manager.bulk_create(
            [build(row, into) for row in rows], batch_size=BATCH
        )


def values(query: QuerySet[Any], *paths: str) -> Iterator[Sequence[Any]]:
    """The rows of ``query`` ordered by primary key, as tuples of ``paths``."""
    return query.order_by("pk").values_list(*paths).iterator(chunk_size=CHUNK)


def pick(row: Row, *names: str) -> dict[str, Any]:
    """The cells ``names`` of ``row``, for fields named like their columns."""
    return {name: row[name] for name in names}
