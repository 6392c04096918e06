"""Read-only summaries of contributions for pages that list many issues at once."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from commonground.contributions.models import Signal


@dataclass
class SignalSummary:
    """How many governments/IGOs signalled concern on one issue, and from where."""

    count: int = 0
    jurisdictions: list[str] = field(default_factory=list)


def signal_summaries(issue_ids: Iterable[int]) -> dict[int, SignalSummary]:
    """Visible signals per issue, in one query; hidden signals are left out as everywhere."""
    summaries: dict[int, SignalSummary] = {}
    rows = (
        Signal.objects.filter(issue_id__in=list(issue_ids), hidden=False)
        .order_by("issue_id", "jurisdiction")
        .values_list("issue_id", "jurisdiction")
    )
    for issue_id, jurisdiction in rows:
        summary = summaries.setdefault(issue_id, SignalSummary())
        summary.count += 1
        if jurisdiction not in summary.jurisdictions:
            summary.jurisdictions.append(jurisdiction)
    return summaries


class PageSignals:
    """The visible signals of a page's issues by issue id, read in one statement at the
    first ``get``. Always true, as a mapping handed to the ``get_item`` filter is asked
    first: whether it is empty is only known once it is read."""

    def __init__(self, issue_ids: list[int]) -> None:
        self.issue_ids = issue_ids
        self._summaries: dict[int, SignalSummary] | None = None

    def __bool__(self) -> bool:
        return True

    def get(self, issue_id: int, default: SignalSummary | None = None) -> SignalSummary | None:
        if self._summaries is None:
            self._summaries = signal_summaries(self.issue_ids)
        return self._summaries.get(issue_id, default)
