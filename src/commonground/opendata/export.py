"""Export every public record of a forum as a Frictionless Data Package, with its ledger.

The package (``docs/open-data.md``) holds one CSV file per table of
:mod:`commonground.opendata.resources`, each read by its spec in
:mod:`commonground.opendata.specs`, the instance's ledger as ``ledger.jsonl`` (one
canonical entry per line, as ``commonground ledger export-entries`` writes it) and the
latest signed checkpoint as ``checkpoint.json``. Participant ids are the pseudonymous
public ids; no e-mail, name, affiliation, reporter or token is written. Hidden
contributions (and what only their author and the stewards may see under them) are left
out. Of the dialogue, accepted statements are exported whole and rejected ones by id only
(no text, no author), with the votes on both, since an opinion map counts rejected
statements; pending statements and their votes are left out, as the map leaves them out.
Opinion maps are derived from the votes and not exported. Rows are ordered by id
and values are written one way only, so two exports of the same records are
byte-identical; ``created`` in ``datapackage.json`` is the checkpoint's time.

All tables are read in one database snapshot in which the latest checkpoint covers the
whole ledger, so the tables and the ledger describe the same moment.
"""

from __future__ import annotations

import contextlib
import csv
import json
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.utils.translation import gettext as _

from commonground.core.errors import Conflict, InvalidInput
from commonground.forums.models import Cycle, Forum
from commonground.ledger.merkle import canonical_json, format_timestamp
from commonground.ledger.models import Checkpoint, LedgerEntry
from commonground.ledger.services import (
    LedgerDamaged,
    checkpoint_document,
    entry_document,
    latest_checkpoint,
    ledger_size,
    publish_checkpoint,
)
from commonground.opendata import resources as r
from commonground.opendata.specs import SPECS, Exporting
from commonground.recognition.services import settings_of

PROFILE = "tabular-data-package"
CHUNK = 5000  # ledger entries fetched at a time

# ISO 8601 UTC with microseconds and a Z, e.g. 2027-03-01T12:00:00.000000Z: the ledger's format.
iso_utc = format_timestamp

# How often to sign a fresh checkpoint and retry when entries land between the signature
# and the snapshot (each try is short; a forum that is that busy is asked to try again).
ATTEMPTS = 5


def _write_table(folder: Path, table: r.Table, rows: Iterable[Sequence[Any]]) -> int:
    """Write ``rows`` (Python values, in the table's column order) as the table's CSV file."""
    columns = table.columns
    count = 0
    with (folder / table.path).open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(table.header)
        for row in rows:
            writer.writerow(
                [column.write(value) for column, value in zip(columns, row, strict=True)]
            )
            count += 1
    return count


@contextlib.contextmanager
def _snapshot() -> Iterator[None]:
    """One consistent view of the database for all the reads inside.

    On PostgreSQL a REPEATABLE READ, READ ONLY transaction; on SQLite any transaction
    reads one snapshot. Inside an outer transaction (tests) that transaction is the view.
    """
    outer = connection.in_atomic_block
    with transaction.atomic():
        if not outer and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def _write_ledger(folder: Path, tree_size: int, forum_slug: str) -> int:
    """Write entries 1..tree_size as ledger.jsonl; returns how many belong to the forum."""
    own = 0
    rows = LedgerEntry.objects.filter(seq__lte=tree_size).order_by("seq").iterator(chunk_size=CHUNK)
    with (folder / r.LEDGER_FILE).open("w", encoding="utf-8", newline="\n") as out:
        for entry in rows:
            try:
                data = canonical_json({**entry_document(entry), "leaf_hash": entry.leaf_hash})
            except ValueError as exc:
                raise InvalidInput(
                    _("ledger entry %(seq)s cannot be encoded: %(exc)s")
                    % {"seq": entry.seq, "exc": exc}
                ) from None
            out.write(data.decode("utf-8") + "\n")
            own += entry.forum == forum_slug
    return own


def _prepare(directory: str | Path) -> Path:
    target = Path(directory)
    if target.exists() and not target.is_dir():
        raise InvalidInput(_("%(target)s exists and is not a directory.") % {"target": target})
    if target.exists() and any(target.iterdir()):
        raise InvalidInput(
            _("%(target)s is not empty; export into a new or empty directory.") % {"target": target}
        )
    target.mkdir(parents=True, exist_ok=True)
    return target


def _recognition_cycle(forum: Forum) -> Cycle | None:
    """The cycle ``agenda --from`` recomputes: the open one, else the latest opened."""
    return Cycle.objects.filter(forum=forum).order_by("-is_open", "-opened_at", "-pk").first()


def export_forum(forum: Forum, directory: str | Path) -> Path:
    """Write the forum's data package with the ledger into ``directory``; returns its path.

    Signs a checkpoint first when the ledger has grown since the latest one (publishing a
    checkpoint is not a ledger entry), so that ``ledger.jsonl`` covers every record in the
    tables. Raises :class:`InvalidInput` for a non-empty target directory and
    :class:`Conflict` when the ledger keeps growing faster than a snapshot can be taken.
    """
    target = _prepare(directory)
    for _attempt in range(ATTEMPTS):
        try:
            publish_checkpoint()
        except LedgerDamaged as exc:
            raise InvalidInput(
                _("cannot export a damaged ledger: %(exc)s") % {"exc": exc}
            ) from None
        with _snapshot():
            checkpoint = latest_checkpoint()
            if checkpoint is None or checkpoint.tree_size != ledger_size():
                continue  # entries landed after the signature: sign again
            _write_package(Forum.objects.get(pk=forum.pk), target, checkpoint)
            return target
    raise Conflict(_("The ledger kept growing during the export; try again."))


def _write_package(forum: Forum, target: Path, checkpoint: Checkpoint) -> None:
    at = Exporting(forum, checkpoint)
    counts = {
        table.name: _write_table(target, table, SPECS[table.name].rows(at)) for table in r.TABLES
    }
    own = _write_ledger(target, checkpoint.tree_size, forum.slug)
    (target / r.CHECKPOINT_FILE).write_text(
        json.dumps(checkpoint_document(checkpoint), indent=2) + "\n", encoding="utf-8"
    )
    cycle = _recognition_cycle(forum)
    section: dict[str, Any] = {
        "format": r.PACKAGE_FORMAT,
        "forum": forum.slug,
        "level": forum.level,
        "cycle": cycle.name if cycle else None,
        "cycle_id": str(cycle.pk) if cycle else None,
        "phase": cycle.phase if cycle else None,
        "counts": counts,
        "recognition": settings_of(forum).to_dict(),
        "ledger": {
            "entries": r.LEDGER_FILE,
            "checkpoint": r.CHECKPOINT_FILE,
            "tree_size": checkpoint.tree_size,
            "root_hash": checkpoint.root_hash,
            "forum_entries": own,
        },
    }
    descriptor = {
        "profile": PROFILE,
        "name": f"commonground-{forum.slug}",
        "title": f"{forum.name}: open data",
        "description": (
            f"Every public record of the forum {forum.name}, with the instance's ledger "
            f"({r.LEDGER_FILE}, entries of this forum have forum = {forum.slug!r}) and its "
            f"latest signed checkpoint ({r.CHECKPOINT_FILE})."
        ),
        "licenses": [
            {
                "name": "CC-BY-4.0",
                "path": "https://creativecommons.org/licenses/by/4.0/",
                "title": "Creative Commons Attribution 4.0",
            }
        ],
        # The checkpoint's time, not the clock: the package states the ledger at that
        # checkpoint, and a second export of the same records gives the same bytes.
        "created": checkpoint.timestamp,
        "resources": [table.resource() for table in r.TABLES],
        "commonground": section,
    }
    (target / r.DESCRIPTOR_FILE).write_text(
        json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
