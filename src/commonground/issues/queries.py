"""Read-side queries for issues: lists with search, filters and sorts, and tallies."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Model, Q, QuerySet

from commonground.access.members import AnyUser
from commonground.forums.models import Cycle
from commonground.forums.stats import Counts, counts_of
from commonground.issues.models import TALLY_FIELDS, Issue, Support
from commonground.participants.models import User
from commonground.stakeholders import GROUPS, REGIONS

SORTS = {"supported": ("-support_count", "raised_at", "id"), "newest": ("-raised_at", "-id")}


@dataclass(frozen=True)
class IssueFilters:
    q: str = ""
    topic: str = ""
    group: str = ""
    region: str = ""
    sort: str = "supported"

    @classmethod
    def from_params(cls, params: dict[str, str]) -> IssueFilters:
        """Read filters from query parameters, ignoring values that are not allowed."""
        group = params.get("group", "")
        region = params.get("region", "")
        sort = params.get("sort", "supported")
        return cls(
            q=params.get("q", "").strip()[:200],
            topic=params.get("topic", "").strip()[:60],
            group=group if group in GROUPS else "",
            region=region if region in REGIONS else "",
            sort=sort if sort in SORTS else "supported",
        )


def text_matching_ids(model: type[Model], q: str, body: str) -> QuerySet[Any, int]:
    """Ids of the rows of ``model`` (issues, solutions, messages: each has a title, a body
    field ``body`` and community ``translations``) whose title or body holds ``q``, in the
    original or in any community translation that is not hidden: the one search rule of
    the kinds that carry translations."""
    translated = Q(translations__hidden=False) & (
        Q(translations__title__icontains=q) | Q(**{f"translations__{body}__icontains": q})
    )
    matching = Q(title__icontains=q) | Q(**{f"{body}__icontains": q}) | translated
    return model._default_manager.filter(matching).values_list("pk", flat=True)


def _matching_ids(q: str) -> QuerySet[Any, int]:
    """Ids of the issues whose title or description holds ``q``, in the original or in
    any community translation that is not hidden."""
    return text_matching_ids(Issue, q, "description")


def issue_list(cycle: Cycle, filters: IssueFilters) -> QuerySet[Issue]:
    """The cycle's issues, filtered and sorted, ready to paginate."""
    # A merged issue lives on in the one it was merged into (and redirects there).
    issues = Issue.objects.filter(cycle=cycle, merged_into__isnull=True).select_related(
        "author", "author__user"
    )
    if filters.q:
        issues = issues.filter(pk__in=_matching_ids(filters.q))
    if filters.topic:
        issues = issues.filter(topics__slug=filters.topic)
    if filters.group:
        issues = issues.filter(author__stakeholder_group=filters.group)
    if filters.region:
        issues = issues.filter(author__region=filters.region)
    return issues.prefetch_related("topics").order_by(*SORTS[filters.sort])


def tallies_for(issue_ids: Iterable[int]) -> dict[int, dict[str, int]]:
    """Supports by stakeholder group for several issues, in one query."""
    columns = [TALLY_FIELDS[g] for g in GROUPS]
    return {
        row[0]: dict(zip(GROUPS, row[1:], strict=True))
        for row in Issue.objects.filter(pk__in=list(issue_ids)).values_list("pk", *columns)
    }


def supported_ids(user: AnyUser, issue_ids: Iterable[int]) -> set[int]:
    """Which of these issues the user supports (none for an anonymous visitor)."""
    if not isinstance(user, User) or not user.is_authenticated:
        return set()
    return set(
        Support.objects.filter(membership__user=user, issue_id__in=list(issue_ids)).values_list(
            "issue_id", flat=True
        )
    )


def input_counts(cycle: Cycle) -> Counts:
    """Issues raised in the cycle, by the author's stakeholder group and region."""
    issues = Issue.objects.filter(cycle=cycle)
    return counts_of(
        dict(issues.values_list("author__stakeholder_group").annotate(n=Count("id"))),
        dict(issues.values_list("author__region").annotate(n=Count("id"))),
    )


def search_all_forums(q: str) -> QuerySet[Issue]:
    """Issues of every forum and cycle whose title or description holds ``q`` (merged
    issues left out: they redirect to the issue they were merged into), open cycles and
    the most supported first."""
    issues = Issue.objects.filter(merged_into__isnull=True, pk__in=_matching_ids(q))
    return issues.select_related("forum", "cycle", "author", "author__user").order_by(
        "-cycle__is_open", "-support_count", "raised_at", "id"
    )
