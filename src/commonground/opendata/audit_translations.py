"""The checks of the community translation tables against the fold
(:mod:`.fold_translations`): one check per translated kind, the title and body compared by
the digest of the table's text. No Django import."""

from __future__ import annotations

from collections.abc import Callable

from commonground.opendata.audit import Keyed
from commonground.opendata.fold import Cells, Fold, text_sha256
from commonground.opendata.fold_translations import KINDS, TranslatedKind, shown


def _project(kind: TranslatedKind) -> Callable[[Cells], Cells]:
    plain = (f"{kind.parent}_id", "language", "author", "created_at", "updated_at")

    def project(cells: Cells) -> Cells:
        out = {c: cells.get(c, "") for c in plain}
        out.update({t: text_sha256(cells.get(t, "")) for t in ("title", kind.body)})
        return out

    return project


def _check(kind: TranslatedKind) -> Keyed:
    def expected(fold: Fold) -> dict[str, Cells]:
        return shown(fold, kind)

    return Keyed(
        kind.table,
        lambda cells, fold: cells.get("id", ""),
        _project(kind),
        expected,
        f"{kind.parent} translation",
    )


TRANSLATION_CHECKS: tuple[Keyed, ...] = tuple(_check(kind) for kind in KINDS)
