"""``commonground ledger audit``: the database's public state against the fold of its ledger.

Every forum's public rows (those the export writes) are compared with
:class:`~commonground.opendata.fold.Fold` of the ledger; each difference is named
(``supports.csv row 812: not in the ledger``). The worker runs the audit on a schedule
and keeps the outcome (:class:`~commonground.opendata.models.AuditRun`), which stewards
and the ledger page show.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from commonground.forums.models import Forum
from commonground.ledger.models import LedgerEntry
from commonground.ledger.sequencer import integrate_pending
from commonground.ledger.services import entry_document, ledger_size
from commonground.opendata import resources as r
from commonground.opendata.audit import Difference, Rows, compare
from commonground.opendata.fold import Fold, entry_forum
from commonground.opendata.specs import SPECS, Exporting

#: Differences kept per run (the first ones; the count is always exact).
KEPT = 200


@dataclass
class AuditReport:
    """The outcome of one audit of the database."""

    forums: int
    entries: int
    differences: list[Difference] = field(default_factory=list)
    count: int = 0

    @property
    def ok(self) -> bool:
        return self.count == 0

    def summary(self) -> str:
        if self.ok:
            return _(
                "ledger audit OK: %(forums)s forums, their public state follows from "
                "%(entries)s ledger entries"
            ) % {"forums": self.forums, "entries": self.entries}
        return _("ledger audit FAILED: %(count)s differences between the tables and the ledger") % {
            "count": self.count
        }


def fold_database(slugs: list[str], size: int | None = None) -> dict[str, Fold]:
    """One pass over entries 1..size, folding each forum's own entries."""
    folds = {slug: Fold(slug) for slug in slugs}
    size = ledger_size() if size is None else size
    rows = LedgerEntry.objects.filter(seq__lte=size, forum__in=slugs).order_by("seq")
    for entry in rows.iterator(chunk_size=5000):
        doc = entry_document(entry)
        fold = folds.get(entry_forum(doc))  # a local forward is the target forum's record
        if fold is not None:
            fold.feed(doc)
    return folds


def _table_rows(forum: Forum) -> Any:
    tables = {t.name: t for t in r.TABLES}
    # The checkpoints table is not audited (it is the ledger's own), so no checkpoint is cut.
    at = Exporting(forum, None)  # type: ignore[arg-type]

    def rows_of(name: str) -> Rows:
        table = tables[name]
        columns = table.columns
        header = table.header
        for number, row in enumerate(SPECS[name].rows(at), start=1):
            yield number, {h: c.write(v) for h, c, v in zip(header, columns, row, strict=True)}

    return rows_of


def audit_forum(forum: Forum, fold: Fold) -> Iterator[Difference]:
    """Every difference between the forum's public rows and the fold of its entries."""
    yield from compare(fold, _table_rows(forum))


def audit_database() -> AuditReport:
    """Audit every forum; keeps the first :data:`KEPT` differences and counts them all.

    Pending entries (batched sequencing) are integrated first: every change committed
    before the audit has its entry in the tree it folds.
    """
    integrate_pending()
    size = ledger_size()
    forums = list(Forum.objects.order_by("slug"))
    folds = fold_database([f.slug for f in forums], size)
    report = AuditReport(forums=len(forums), entries=size)
    for forum in forums:
        for difference in audit_forum(forum, folds[forum.slug]):
            report.count += 1
            if len(report.differences) < KEPT:
                report.differences.append(
                    Difference(
                        f"{forum.slug}/{difference.file}", difference.row, difference.problem
                    )
                )
    return report


def record_audit() -> AuditReport:
    """Run the audit and keep its outcome for stewards and the ledger page."""
    from commonground.opendata.models import AuditRun

    report = audit_database()
    AuditRun.objects.create(
        ran_at=timezone.now(),
        ok=report.ok,
        entries=report.entries,
        differences=report.count,
        first=[d.line() for d in report.differences[:20]],
    )
    return report


def cmd_audit(args: Any) -> int:
    """``commonground ledger audit``: print each difference (up to ``--limit``); exit 1 if any."""
    import sys

    report = record_audit()
    limit = max(int(getattr(args, "limit", 50) or 0), 0)
    for difference in report.differences[:limit]:
        print(difference.line(), file=sys.stderr)
    print(report.summary(), file=sys.stdout if report.ok else sys.stderr)
    return 0 if report.ok else 1
