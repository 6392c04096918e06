"""``{% load notifications %}``: the unread count in the site's navigation."""

from __future__ import annotations

from typing import Any

from django import template

from commonground.notifications.services import unread_count

register = template.Library()


@register.simple_tag
def unread_notifications(user: Any) -> int:
    """How many unread notifications the signed-in user has (0 for anonymous visitors)."""
    return unread_count(user)
