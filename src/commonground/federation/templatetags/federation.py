"""The federation's part of the forum page (``{% load federation %}``): a parent on another
instance, and the child forums on other instances with their block buttons. The forums
app's Python never imports this one."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template

from commonground.access.members import can_steward
from commonground.federation.remote import remote_children_of, remote_parent_of
from commonground.forums.models import Forum

register = template.Library()


@register.inclusion_tag("federation/includes/forum_remote.html", takes_context=True)
def forum_remote(context: Mapping[str, Any], forum: Forum) -> dict[str, Any]:
    """The forum's parent on another instance, and the forums on others that forward here
    (a steward sees the blocked ones too, each with its button)."""
    membership = context.get("membership")
    steward = can_steward(membership)
    children = [c for c in remote_children_of(forum) if steward or not c.blocked]
    return {
        "forum": forum,
        "remote_parent": remote_parent_of(forum),
        "remote_children": children,
        "steward": steward,
        "csrf_token": context.get("csrf_token"),
    }
