"""Restore a forum from its data package into an empty instance (``commonground import DIR``).

The import is not a forum event: it writes the rows directly, in one transaction, and
appends nothing to the ledger. The package's ledger entries and checkpoints are written as
they are (the append-only triggers allow INSERT), after checking offline that every entry
hashes to its leaf and every checkpoint's signature and root hold. Exporting the restored
forum again gives the same package, byte for byte (a test checks it), until its opinion
maps are computed: once the rows are committed a recompute of every imported conversation
is queued (the package holds no map), and each map stored appends its
``conversation.opinion_map`` entry to the ledger, as on any instance.

Imported participants get accounts that cannot log in: an address under the reserved
``.invalid`` domain (never delivered), no verified e-mail and an unusable password. A
parent forum is not part of the package: the imported forum becomes a root and its
:class:`ImportRecord` keeps the parent's slug.

Every refusal is an :class:`ImportRefused` with one line naming the file, the data row
(1-based, the header not counted) and the problem; nothing is written then.
"""

from __future__ import annotations

import csv
import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.management.color import no_style
from django.db import DatabaseError, connection, transaction

from commonground.forums.models import Forum
from commonground.issues.models import Topic
from commonground.ledger.anchors import Anchor
from commonground.ledger.models import Checkpoint, LedgerEntry, LedgerHead
from commonground.opendata import resources as r
from commonground.opendata.fold import Fold
from commonground.opendata.import_checks import ImportRefused, Row, check_keys, check_rules
from commonground.opendata.import_ledger import check_ledger, ledger_entry, ledger_lines
from commonground.opendata.package_proof import (
    PackageRefused,
    check_signer,
    check_tables,
    package_checkpoints,
)
from commonground.opendata.specs import LOAD_ORDER, Importing
from commonground.participants.models import Membership, User

logger = logging.getLogger(__name__)
BATCH = 2000


@dataclass(frozen=True)
class ImportSummary:
    forum: str
    counts: dict[str, int]
    ledger_entries: int
    checkpoints: int
    maps_queued: int = 0  # conversations whose opinion map was queued after the commit

    def line(self) -> str:
        rows = sum(v for k, v in self.counts.items() if k != "checkpoints")
        plural = "s" if self.maps_queued != 1 else ""
        maps = f"; opinion maps queued for {self.maps_queued} conversation{plural}"
        return (
            f"imported forum {self.forum}: {rows} rows, {self.ledger_entries} ledger entries, "
            f"{self.checkpoints} checkpoints" + (maps if self.maps_queued else "")
        )


# -- reading the package ----------------------------------------------------------------------


def _descriptor(folder: Path) -> dict[str, Any]:
    name = r.DESCRIPTOR_FILE
    try:
        data = json.loads((folder / name).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ImportRefused(name, None, "file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ImportRefused(name, None, f"cannot be read: {exc}") from None
    except ValueError as exc:
        raise ImportRefused(name, None, f"not valid JSON: {exc}") from None
    section = data.get("commonground") if isinstance(data, dict) else None
    if not isinstance(section, dict):
        raise ImportRefused(name, None, 'no "commonground" object: not a Common Ground package')
    if section.get("format") != r.PACKAGE_FORMAT:
        raise ImportRefused(
            name,
            None,
            f"commonground.format is {section.get('format')!r}, expected {r.PACKAGE_FORMAT!r}",
        )
    if not isinstance(section.get("forum"), str):
        raise ImportRefused(name, None, "commonground.forum must be the forum's slug")
    return data


def _read_table(folder: Path, table: r.Table) -> list[Row]:
    """Every row of the table's CSV file as typed values (see resources.Column.read)."""
    path = folder / table.path
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle, strict=True)
            header = next(reader, None)
            if not header:
                raise ImportRefused(table.path, None, "empty file: no header row")
            missing = [c for c in table.header if c not in header]
            if missing:
                raise ImportRefused(table.path, None, f"missing column '{missing[0]}'")
            unknown = [c for c in header if c not in table.header]
            if unknown:
                raise ImportRefused(table.path, None, f"unknown column '{unknown[0][:40]}'")
            if len(set(header)) != len(header):
                raise ImportRefused(table.path, None, "a column appears twice in the header")
            columns = [next(c for c in table.columns if c.name == name) for name in header]
            rows: list[Row] = []
            for number, record in enumerate(reader, start=1):
                if len(record) != len(columns):
                    raise ImportRefused(
                        table.path,
                        number,
                        f"expected {len(columns)} fields, found {len(record)}",
                    )
                try:
                    rows.append(
                        {c.name: c.read(text) for c, text in zip(columns, record, strict=True)}
                    )
                except r.ValueProblem as exc:
                    raise ImportRefused(table.path, number, str(exc)) from None
    except FileNotFoundError:
        raise ImportRefused(table.path, None, "file not found") from None
    except UnicodeDecodeError:
        raise ImportRefused(table.path, None, "not valid UTF-8 text") from None
    except csv.Error as exc:
        raise ImportRefused(table.path, None, f"not valid CSV: {exc}") from None
    except OSError as exc:
        raise ImportRefused(table.path, None, f"cannot be read: {exc.strerror}") from None
    return rows


# -- writing ----------------------------------------------------------------------------------


def _require_empty(tables: dict[str, list[Row]], people: set[str]) -> None:
    if Forum.objects.exists() or Membership.objects.exists():
        raise ImportRefused("", None, "this instance is not empty: it has forums already")
    if LedgerEntry.objects.exists() or Checkpoint.objects.exists():
        raise ImportRefused("", None, "this instance is not empty: its ledger has entries")
    if LedgerHead.objects.filter(size__gt=0).exists():
        raise ImportRefused("", None, "this instance is not empty: its ledger head is not zero")
    taken = User.objects.filter(public_id__in=people).values_list("public_id", flat=True)
    clash = sorted(taken)
    if clash:
        raise ImportRefused("", None, f"an account with participant id {clash[0]} exists here")
    existing = {t.slug: t for t in Topic.objects.all()}
    for number, row in enumerate(tables["topics"], start=1):
        topic = existing.get(row["slug"])
        if topic is not None and (topic.label, topic.is_sdg) != (row["label"], row["is_sdg"]):
            raise ImportRefused("topics.csv", number, "a topic with this slug differs here")


def _people(tables: dict[str, list[Row]]) -> set[str]:
    """Every participant id the package names (members, and stewards of past acts)."""
    ids = {row["id"] for row in tables["participants"]}
    ids |= {row["changed_by"] for row in tables["phase_changes"] if row["changed_by"]}
    ids |= {row["published_by"] for row in tables["agenda_publications"] if row["published_by"]}
    for person in ids:
        if not r.PUBLIC_ID_RE.match(person):
            raise ImportRefused("", None, f"participant id {person[:40]!r} is not valid")
    return ids


def _write(
    folder: Path, tables: dict[str, list[Row]], descriptor: dict[str, Any], size: int
) -> None:
    """Every table by its spec (in ``LOAD_ORDER``), then the ledger as it is."""
    people = _people(tables)
    _require_empty(tables, people)
    into = Importing(folder, tables, descriptor, size, people=people)
    for spec in LOAD_ORDER:
        spec.write(tables[spec.name], into)

    batch: list[LedgerEntry] = []
    for number, doc, stored in ledger_lines(folder):
        batch.append(ledger_entry(number, doc, stored))
        if len(batch) >= BATCH:
            LedgerEntry.objects.bulk_create(batch)
            batch = []
    LedgerEntry.objects.bulk_create(batch)
    LedgerHead.objects.update_or_create(id=1, defaults={"size": size})

    # Rows were written with their ids: move PostgreSQL's sequences past them.
    models = [spec.model for spec in LOAD_ORDER if spec.keeps_ids]
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def read_package(path: str | Path) -> tuple[dict[str, Any], dict[str, list[Row]]]:
    """The descriptor and every table of the package, checked; raises ImportRefused."""
    folder = Path(path)
    if not folder.is_dir():
        raise ImportRefused(str(path), None, "not a folder (expected a data package folder)")
    descriptor = _descriptor(folder)
    tables = {table.name: _read_table(folder, table) for table in r.TABLES}
    check_keys(tables)
    check_rules(tables, descriptor["commonground"]["forum"])
    return descriptor, tables


def import_package(path: str | Path, anchor: Anchor | None = None) -> ImportSummary:
    """Restore the forum in the package at ``path`` into this empty instance.

    Checks the whole package first (tables, keys, the ledger against its checkpoints),
    then writes every row in one transaction without appending to the ledger. Raises
    :class:`ImportRefused` (nothing written) for a malformed package or an instance that
    is not empty.
    """
    folder = Path(path)
    descriptor, tables = read_package(folder)
    # One read of the ledger checks, audits and folds it; the write reads it once more.
    fold = Fold(descriptor["commonground"]["forum"])
    size = check_ledger(folder, tables, descriptor["commonground"], fold)
    try:  # the tables must be the fold of the ledger, and the signer the one expected
        check_tables(folder, fold=fold)
        del fold  # not needed by the write: its memory goes before the rows are loaded
        if anchor is not None and anchor.given:
            check_signer(folder, anchor, package_checkpoints(folder))
    except PackageRefused as exc:
        raise ImportRefused(exc.file, exc.row, exc.problem) from None
    try:
        with transaction.atomic():
            _write(folder, tables, descriptor, size)
    except DatabaseError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ImportRefused("", None, f"the database refused the package: {first}") from None
    queued = _queue_maps([row["id"] for row in tables["conversations"]])
    return ImportSummary(
        forum=descriptor["commonground"]["forum"],
        counts={name: len(rows) for name, rows in tables.items()},
        ledger_entries=size,
        checkpoints=len(tables["checkpoints"]),
        maps_queued=queued,
    )


def _queue_maps(conversation_ids: list[int]) -> int:
    """Queue the opinion map of every imported conversation; returns how many were queued.

    The package holds no map (maps are derived), and until one is stored the map page
    says a map is on its way; the dialogue's own queue computes it, with the worker of the
    database backend or at once with the immediate one. Called after the import has
    committed: the rows are there whatever happens, so a failure to queue is logged and
    the next vote in that conversation queues it again.
    """
    from commonground.dialogue.services import schedule_recompute

    queued = 0
    for pk in sorted(conversation_ids):
        try:
            queued += schedule_recompute(pk)
        except Exception:
            logger.exception("queueing the opinion map of imported conversation %s failed", pk)
    return queued


__all__ = ["ImportRefused", "ImportSummary", "import_package", "read_package"]
