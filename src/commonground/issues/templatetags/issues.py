"""Issue lists that pages of lower apps show: the forum network's home, a forum, a profile.

The forums and participants apps sit below issues, so their pages do not import
issues; their templates load these tags instead (``{% load issues %}``).
"""

from __future__ import annotations

from django import template
from django.db.models import QuerySet

from commonground.forums.models import Cycle
from commonground.forums.stats import Counts
from commonground.issues.models import Issue
from commonground.issues.queries import input_counts
from commonground.participants.models import User

register = template.Library()


@register.simple_tag
def top_issues(cycle: Cycle | None = None, limit: int = 8) -> QuerySet[Issue]:
    """The most supported issues of one cycle, or of every open cycle (ties: earliest)."""
    issues = (
        Issue.objects.filter(cycle=cycle) if cycle is not None
        else Issue.objects.filter(cycle__is_open=True)
    )  # fmt: skip
    return issues.select_related("forum", "author").order_by("-support_count", "raised_at")[:limit]


@register.simple_tag
def recent_issues(limit: int = 6) -> QuerySet[Issue]:
    """The issues raised last, in every forum."""
    return Issue.objects.select_related("forum", "author").order_by("-raised_at")[:limit]


@register.simple_tag
def issue_count(cycle: Cycle | None = None) -> int:
    """How many issues the cycle has, or all forums together."""
    return (Issue.objects.filter(cycle=cycle) if cycle is not None else Issue.objects).count()


@register.simple_tag
def cycle_inputs(cycle: Cycle) -> Counts:
    """Issues raised in the cycle, by the author's stakeholder group and region."""
    return input_counts(cycle)


@register.simple_tag
def issues_raised_by(person: User, limit: int = 20) -> QuerySet[Issue]:
    """The issues a participant raised, newest first, in every forum."""
    return (
        Issue.objects.filter(author__user=person)
        .select_related("forum")
        .order_by("-raised_at")[:limit]
    )
