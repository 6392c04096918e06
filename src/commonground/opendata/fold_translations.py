"""The community translation tables as the ledger makes them (issue 18; docs/ledger.md).

Folds the four actions of each translated kind (``commonground.issues.translating``:
issues, solutions, messages) into the rows of ``issue_translations``,
``solution_translations`` and ``message_translations``, in the tables' cell text. The
title and body are kept as their SHA-256: solution and message translations are in the
ledger by digest; issue translations were recorded with the text itself before the
digest rule, and the fold digests it, so the three compare alike (the digest of the
table's text). A hidden translation is kept with its flag: the tables leave it out, as
they leave out the translations of a hidden solution.

No Django import: an auditor can run it on an export alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from commonground.opendata.fold import Cells, Fold, _int, _on, _text, text_sha256


@dataclass(frozen=True)
class TranslatedKind:
    """One translated kind: its actions' prefix, table, object field and body column."""

    prefix: str  # "translation" (issues), "solution_translation", "message_translation"
    table: str
    parent: str  # the entry field and the table's ``{parent}_id`` column
    body: str  # "description" or "text"
    moderated_parent: bool = False  # a hidden object takes its translations out of the table


KINDS: tuple[TranslatedKind, ...] = (
    TranslatedKind("translation", "issue_translations", "issue", "description"),
    TranslatedKind(
        "solution_translation", "solution_translations", "solution", "description", True
    ),
    TranslatedKind("message_translation", "message_translations", "message", "text"),
)


@dataclass
class TranslationsFold:
    """One kind's translations of one forum, by translation id, and which are hidden."""

    rows: dict[str, Cells] = field(default_factory=dict)
    hidden: set[str] = field(default_factory=set)


def translations_of(fold: Fold, kind: TranslatedKind) -> TranslationsFold:
    part = fold.parts.get(kind.table)
    if part is None:
        part = fold.parts[kind.table] = TranslationsFold()
    assert isinstance(part, TranslationsFold)
    return part


def _digest(f: Mapping[str, Any], name: str) -> str:
    """A text's digest: the entry's ``{name}_sha256``, or that of the text itself (issue
    translations carry their text)."""
    if f"{name}_sha256" in f:
        return _text(f.get(f"{name}_sha256"))
    return text_sha256(_text(f.get(name)))


def _register(kind: TranslatedKind) -> None:
    @_on(f"{kind.prefix}.add", f"{kind.prefix}.edit")
    def _write(s: Fold, oid: str, actor: str, f: Mapping[str, Any], doc: Mapping[str, Any]) -> None:
        rows = translations_of(s, kind).rows
        when = _text(doc.get("time"))
        if doc["action"].endswith(".add"):
            rows[oid] = {
                f"{kind.parent}_id": _int(f.get(kind.parent)),
                "language": _text(f.get("language")),
                "author": actor,
                "created_at": when,
            }
        row = rows.setdefault(oid, {})
        row.update(title=_digest(f, "title"), updated_at=when)
        row[kind.body] = _digest(f, kind.body)

    @_on(f"{kind.prefix}.hide", f"{kind.prefix}.restore")
    def _moderate(
        s: Fold, oid: str, actor: str, f: Mapping[str, Any], doc: Mapping[str, Any]
    ) -> None:
        hidden = translations_of(s, kind).hidden
        if doc["action"].endswith(".hide"):
            hidden.add(oid)
        else:
            hidden.discard(oid)


for _kind in KINDS:
    _register(_kind)


def shown(fold: Fold, kind: TranslatedKind) -> dict[str, Cells]:
    """The rows the kind's table holds: not hidden, and (for solutions) not of a hidden
    solution, whose translations the package leaves out with it."""
    part = translations_of(fold, kind)
    return {
        key: dict(row)
        for key, row in part.rows.items()
        if key not in part.hidden
        and not (
            kind.moderated_parent and (kind.parent, row.get(f"{kind.parent}_id", "")) in fold.hidden
        )
    }
