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
