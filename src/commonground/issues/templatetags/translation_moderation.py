"""The hidden community translations of an issue, for its forum's stewards
(``{% load translation_moderation %}``): the issue page offers to restore them."""

from __future__ import annotations

from typing import Any

from django import template

from commonground.access.members import can_steward, membership_of
from commonground.issues.models import Issue, IssueTranslation

register = template.Library()


@register.simple_tag
def hidden_translations(issue: Issue, user: Any) -> list[IssueTranslation]:
    """The issue's hidden translations when ``user`` stewards its forum; else none."""
    if not can_steward(membership_of(user, issue.forum)):
        return []
    hidden = issue.translations.filter(hidden=True).select_related("author__user")
    return list(hidden.order_by("language", "id"))
