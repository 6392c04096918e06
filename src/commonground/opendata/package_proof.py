"""What a data package proves: its ledger against its checkpoints, its tables against the
fold of its ledger, and (with an anchor) who signed it.

``import`` and ``agenda --from`` call :func:`check_tables` before they use a package: a
package whose tables say something its ledger does not (a support swapped, added,
removed or regrouped, an edited title or ``verified`` flag, a changed vote) is refused,
naming the first differing row (``supports.csv row 812: not in the ledger``). The CSV
files are read as text and streamed; the fold is the only thing held in memory.

No Django import (the fold and the audit are pure), so ``agenda --from`` stays offline.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from commonground.ledger.anchors import Anchor, AnchorError, check_anchor
from commonground.ledger.anchors import gettext_if_ready as _
from commonground.ledger.cli import audit
from commonground.ledger.merkle import SignedCheckpoint
from commonground.opendata import resources as r
from commonground.opendata.audit import first_difference
from commonground.opendata.fold import Cells, Fold

csv.field_size_limit(1 << 24)  # a cell may hold a long Markdown text


class PackageRefused(Exception):
    """The package does not prove what it claims: one line saying where and why."""

    def __init__(self, file: str, row: int | None, problem: str) -> None:
        self.file, self.row, self.problem = file, row, problem
        where = file if row is None else f"{file} row {row}"
        super().__init__(f"{where}: {problem}" if file else problem)


def csv_rows(folder: Path, name: str) -> Iterator[tuple[int, Cells]]:
    """The rows of ``name.csv`` as ``{column: cell text}``, numbered from 1 after the header."""
    path = folder / f"{name}.csv"
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle, strict=True)
            header = next(reader, None) or []
            for number, record in enumerate(reader, start=1):
                yield number, dict(zip(header, record, strict=False))
    except FileNotFoundError:
        raise PackageRefused(path.name, None, _("file not found")) from None
    except (UnicodeDecodeError, csv.Error) as exc:
        raise PackageRefused(path.name, None, f"cannot be read: {exc}") from None


def forum_slug(folder: Path) -> str:
    try:
        descriptor = json.loads((folder / r.DESCRIPTOR_FILE).read_text(encoding="utf-8"))
        slug = descriptor["commonground"]["forum"]
    except (OSError, ValueError, KeyError, TypeError):
        raise PackageRefused(r.DESCRIPTOR_FILE, None, _("no commonground.forum")) from None
    if not isinstance(slug, str):
        raise PackageRefused(r.DESCRIPTOR_FILE, None, "commonground.forum must be a slug")
    return slug


def ledger_triples(folder: Path) -> Iterator[tuple[Any, dict[str, Any], Any]]:
    """(seq, entry document, stored leaf hash) for every line of ledger.jsonl."""
    path = folder / r.LEDGER_FILE
    try:
        with path.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    doc = json.loads(line)
                except ValueError:
                    raise PackageRefused(r.LEDGER_FILE, number, "not valid JSON") from None
                if not isinstance(doc, dict):
                    raise PackageRefused(r.LEDGER_FILE, number, "not an entry")
                stored = doc.pop("leaf_hash", None)
                yield doc.get("seq"), doc, stored
    except FileNotFoundError:
        raise PackageRefused(r.LEDGER_FILE, None, "file not found") from None
    except UnicodeDecodeError:
        raise PackageRefused(r.LEDGER_FILE, None, "not valid UTF-8 text") from None


def package_checkpoints(folder: Path) -> list[SignedCheckpoint]:
    out = []
    for number, row in csv_rows(folder, "checkpoints"):
        try:
            tree_size = int(row.get("tree_size", ""))
            out.append(SignedCheckpoint.from_json_dict({**row, "tree_size": tree_size}))
        except (ValueError, TypeError) as exc:
            raise PackageRefused("checkpoints.csv", number, str(exc)) from None
    return sorted(out, key=lambda c: c.checkpoint.tree_size)


def check_ledger(
    folder: Path, checkpoints: list[SignedCheckpoint], fold: Fold | None = None
) -> int:
    """Every entry against every checkpoint (streamed); returns the number of entries.

    With ``fold``, each entry is folded as it is read, so the tables can be compared
    afterwards without reading the ledger a second time.
    """
    if not checkpoints:
        raise PackageRefused("checkpoints.csv", None, _("no checkpoint: the ledger is unsigned"))
    triples = ledger_triples(folder)
    if fold is not None:
        triples = _folding(triples, fold)
    result = audit(triples, checkpoints)
    if not result.ok:
        raise PackageRefused(r.LEDGER_FILE, None, result.line())
    size = checkpoints[-1].checkpoint.tree_size
    if result.entries != size:
        raise PackageRefused(
            r.LEDGER_FILE, None, f"holds {result.entries} entries; the checkpoint covers {size}"
        )
    return size


def _folding(
    triples: Iterator[tuple[Any, dict[str, Any], Any]], fold: Fold
) -> Iterator[tuple[Any, dict[str, Any], Any]]:
    for triple in triples:
        fold.feed(triple[1])
        yield triple


def check_tables(folder: Path, slug: str | None = None, fold: Fold | None = None) -> Fold:
    """Refuse the package unless its tables are the fold of its ledger; returns the fold.

    ``fold``: the ledger already folded (by :func:`check_ledger`); else it is read here.
    """
    if fold is None:
        slug = slug or forum_slug(folder)
        fold = Fold(slug).feed_all(doc for _seq, doc, _stored in ledger_triples(folder))
    difference = first_difference(fold, lambda name: csv_rows(folder, name))
    if difference is not None:
        raise PackageRefused(difference.file, difference.row, difference.problem)
    return fold


def check_signer(folder: Path, anchor: Anchor, checkpoints: list[SignedCheckpoint]) -> str:
    """The package against its trust anchor; returns what held (PackageRefused if not)."""
    try:
        return check_anchor(anchor, checkpoints, lambda: ledger_triples(folder))
    except AnchorError as exc:
        raise PackageRefused("checkpoints.csv", None, str(exc)) from None


def prove(folder: Path, anchor: Anchor, *, tables: bool = True) -> str | None:
    """The whole check of ``agenda --from``; returns what the anchor proved (None: none).

    With the tables trusted and no anchor named, nothing reads the ledger, so a package of
    tables alone (hand-made, or from another tool) can still be counted, with the warning.
    """
    if not tables and not anchor.given:
        return None
    checkpoints = package_checkpoints(folder)
    if tables:  # one pass over the ledger: verified and folded together
        fold = Fold(forum_slug(folder))
        check_ledger(folder, checkpoints, fold)
        check_tables(folder, fold=fold)
    if anchor.given:
        return check_signer(folder, anchor, checkpoints)
    return None
