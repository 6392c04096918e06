"""Public counts of a forum: who takes part, by group and region.

What was raised in a cycle is counted by ``issues.queries.input_counts``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count

from commonground.forums.models import Forum
from commonground.participants.models import Membership
from commonground.stakeholders import GROUPS, REGIONS


@dataclass
class Counts:
    by_group: dict[str, int] = field(default_factory=dict)
    by_region: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.by_group.values())


def counts_of(group_rows: dict[str, int], region_rows: dict[str, int]) -> Counts:
    return Counts(
        {g: group_rows.get(g, 0) for g in GROUPS}, {r: region_rows.get(r, 0) for r in REGIONS}
    )


def member_counts(forum: Forum) -> Counts:
    """Members of the forum by declared stakeholder group and by region."""
    members = Membership.objects.filter(forum=forum)
    return counts_of(
        dict(members.values_list("stakeholder_group").annotate(n=Count("id"))),
        dict(members.values_list("region").annotate(n=Count("id"))),
    )
