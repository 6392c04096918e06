"""The latest ledger audit, for pages of lower apps (``{% load opendata %}``)."""

from __future__ import annotations

from django import template

from commonground.opendata.models import AuditRun

register = template.Library()


@register.simple_tag
def latest_ledger_audit() -> AuditRun | None:
    """The latest run of ``ledger audit`` (None before the first)."""
    return AuditRun.objects.order_by("-ran_at").first()
