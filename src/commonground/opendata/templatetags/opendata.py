"""The latest ledger audit, for pages of lower apps (``{% load opendata %}``)."""

from __future__ import annotations

from django import template

from commonground.opendata.models import AuditRun

register = template.Library()


@register.simple_tag
def latest_ledger_audit() -> AuditRun | None:
    """The latest run of ``ledger audit`` (None before the first)."""
    return AuditRun.objects.order_by("-ran_at").first()


@register.simple_tag
def split_view_count() -> int:
    """How many split views this instance has seen or been reported."""
    from commonground.ledger.models import SplitView

    return SplitView.objects.count()
