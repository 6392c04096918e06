"""The hidden community translations of an issue, a solution or a message, for its
forum's stewards (``{% load translation_moderation %}``): the page offers to restore them."""

from __future__ import annotations

from typing import Any

from django import template

from commonground.access.members import can_steward, membership_of

register = template.Library()


@register.simple_tag
def hidden_translations(of: Any, user: Any) -> list[Any]:
    """The hidden translations of ``of`` (an issue, a solution or a message: each has
    ``translations`` and a forum, its own or its issue's) when ``user`` stewards that
    forum; else none."""
    forum = of.forum if hasattr(of, "forum") else of.issue.forum
    if not can_steward(membership_of(user, forum)):
        return []
    hidden = of.translations.filter(hidden=True).select_related("author__user")
    return list(hidden.order_by("language", "id"))
