"""The network's part of lower apps' pages (``{% load network %}``): the issue page's
provenance, similar issues and forward/merge actions; the agenda's provenance per entry;
the global forum page's network view. Those apps' Python never imports this one."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django import template
from django.utils.translation import gettext as _

from commonground.forums.models import Forum
from commonground.issues.models import Issue
from commonground.network.drawing import regions_svg
from commonground.network.nri import Listing, listing, nri_statuses
from commonground.network.provenance import Reach, reach_by_issue
from commonground.network.queries import IssueNetwork, issue_network, network_view

register = template.Library()


@register.simple_tag(takes_context=True)
def issue_network_of(context: Mapping[str, Any], issue: Issue) -> IssueNetwork:
    """What the issue page shows about the issue across levels, for the viewer."""
    return issue_network(issue, context["request"].user)


@register.simple_tag
def agenda_reach(entries: Iterable[Mapping[str, Any]]) -> dict[int, Reach]:
    """Provenance of every agenda entry, by issue id (entries forwarded from below only)."""
    return reach_by_issue(int(e["id"]) for e in entries)


@register.inclusion_tag("network/includes/reach.html")
def reach_line(reaches: Mapping[int, Reach], issue_id: int) -> dict[str, Any]:
    return {"reach": reaches.get(int(issue_id), Reach())}


@register.simple_tag
def forum_network_view(forum: Forum) -> dict[str, Any]:
    """The network view of a forum's agenda, with its chart by UN region."""
    view = network_view(forum)
    title = _("Forums below that raised this agenda's issues, by UN region")
    return {"view": view, "svg": regions_svg(view["region_counts"], title)}


@register.simple_tag
def nri_listing(forum: Forum) -> Listing:
    """The forum's NRI listing (listed, what is missing, team, reports)."""
    return listing(forum)


@register.simple_tag
def nri_list() -> list[tuple[Forum, Listing]]:
    """Every NRI of the tree with its listing (the global forum's page)."""
    return nri_statuses()
