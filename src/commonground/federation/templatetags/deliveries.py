"""``{% load deliveries %}``: the issue, message and forward pages' view of forwards to
forums on other instances (docs/federation.md), for the forum's stewards."""

from __future__ import annotations

from typing import Any

from django import template
from django.contrib.auth.models import AnonymousUser

from commonground.federation.queries import remote_forward_panel

register = template.Library()


@register.inclusion_tag("federation/includes/deliveries.html", takes_context=True)
def remote_forwards(context: dict[str, Any], issue: Any) -> dict[str, Any]:
    """The forward button to forums on other instances and the deliveries' state."""
    request = context.get("request")
    user = getattr(request, "user", None) or AnonymousUser()
    return {"issue": issue, "panel": remote_forward_panel(issue, user)}


@register.inclusion_tag("federation/includes/deliveries.html", takes_context=True)
def remote_message_forwards(context: dict[str, Any], message: Any) -> dict[str, Any]:
    """The same for a published message: its forward button and its deliveries."""
    request = context.get("request")
    user = getattr(request, "user", None) or AnonymousUser()
    return {"issue": message.issue, "panel": remote_forward_panel(message.issue, user, message)}
