"""Reading provenance: where an issue came from, where it went, and its reach.

Everything here reads the frozen :class:`~commonground.network.models.Forward` records
(and the merges); nothing recomputes a figure from the source forum's live state.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from commonground.issues.models import Issue
from commonground.network.models import Forward


def provenance_of(issue: Issue) -> list[dict[str, Any]]:
    """The forwards that brought this issue (or issues merged into it), as the API lists them."""
    return [provenance_item(f) for f in Forward.objects.filter(target_issue=issue)]


def provenance_item(forward: Forward) -> dict[str, Any]:
    """One forward as the API's ``provenance`` entry (figures as frozen when forwarded)."""
    return {
        "forum": forward.source_forum,
        "forum_name": forward.source_forum_name,
        "level": forward.source_level,
        "country": forward.source_country,
        "region": forward.source_region,
        "instance": forward.source_instance,
        "forum_url": forward.source_forum_url,
        "issue_url": forward.source_issue_url,
        "issue_id": forward.source_issue_id,
        "message_id": forward.source_id if forward.source_kind == Forward.Kind.MESSAGE else None,
        "publication_number": forward.publication_number,
        "agenda_rank": forward.agenda_rank,
        "balanced_support": forward.balanced_support,
        "breadth": forward.breadth,
        "supports_by_group": dict(forward.supports_by_group),
        "forwarded_by": forward.forwarded_by_name,
        "forwarded_at": forward.forwarded_at,
        "origins": list(forward.origins),
    }


def forwards_from(issue: Issue) -> list[Forward]:
    """Forwards of this issue (from this instance) to forums above, oldest first."""
    return list(
        Forward.objects.filter(
            source_instance="",
            source_forum=issue.forum.slug,
            source_kind=Forward.Kind.ISSUE,
            source_id=issue.pk,
        ).select_related("target_forum")
    )


def forwarded_to(issue: Issue) -> list[dict[str, Any]]:
    """Where this issue went: ``[{"forum", "issue_id"}]`` (the issue it lives on now)."""
    return [
        {"forum": f.target_forum.slug, "issue_id": f.target_issue_id} for f in forwards_from(issue)
    ]


def origin_of(forward: Forward) -> dict[str, Any]:
    """The source of one forward as an origin entry (what a later forward carries on)."""
    return {
        "instance": forward.source_instance,
        "forum": forward.source_forum,
        "forum_name": forward.source_forum_name,
        "level": forward.source_level,
        "country": forward.source_country,
        "region": forward.source_region,
        "issue_id": forward.source_issue_id,
    }


def origins_of(forwards: Iterable[Forward]) -> list[dict[str, Any]]:
    """Every forum upstream of these forwards, each once: the direct sources and theirs."""
    seen: set[tuple[str, str, Any]] = set()
    out: list[dict[str, Any]] = []
    for forward in forwards:
        for origin in [origin_of(forward), *forward.origins]:
            key = (origin.get("instance", ""), origin.get("forum", ""), origin.get("issue_id"))
            if key not in seen:
                seen.add(key)
                out.append(origin)
    return out


@dataclass
class Reach:
    """Which forums raised a concern: the national ones and their regions, and the rest."""

    national: list[dict[str, Any]] = field(default_factory=list)
    regional: list[dict[str, Any]] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)

    @property
    def national_forums(self) -> list[dict[str, Any]]:
        """The national (sub-national, youth) forums among the origins, each once: the
        sentence counts these and lists these (it listed the regional ones after them, so
        "raised in 5 national forums" named 8)."""
        return _each_forum_once(self.national)

    @property
    def regional_forums(self) -> list[dict[str, Any]]:
        """The regional forums among the origins, each once (they forwarded it on)."""
        return _each_forum_once(self.regional)

    @property
    def forum_count(self) -> int:
        return len(self.national_forums)

    @property
    def regional_count(self) -> int:
        return len(self.regional_forums)

    @property
    def region_count(self) -> int:
        return len(self.regions)


def _each_forum_once(origins: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The first origin of each forum (a forum whose two issues were merged above is one
    forum; the same slug on another instance is another forum)."""
    seen: set[tuple[str, str]] = set()
    out = []
    for origin in origins:
        key = (origin.get("instance", ""), origin.get("forum", ""))
        if key not in seen:
            seen.add(key)
            out.append(origin)
    return out


def reach_of(origins: Iterable[dict[str, Any]]) -> Reach:
    """Group origins by level; regions are those of the national forums (or the regional)."""
    reach = Reach()
    regions: list[str] = []
    for origin in origins:
        level = origin.get("level")
        if level in ("national", "subnational", "youth"):
            reach.national.append(origin)
        elif level == "regional":
            reach.regional.append(origin)
        region = origin.get("region") or ""
        if region and region not in regions:
            regions.append(region)
    reach.regions = sorted(regions)
    return reach


def reach_by_issue(issue_ids: Iterable[int]) -> dict[int, Reach]:
    """The reach of many issues in one query (the agenda page shows it on every row)."""
    by_issue: dict[int, list[Forward]] = {}
    ids = list(issue_ids)
    if not ids:  # an agenda with no issue yet: no statement to build
        return {}
    for forward in Forward.objects.filter(target_issue_id__in=ids):
        by_issue.setdefault(forward.target_issue_id, []).append(forward)
    return {pk: reach_of(origins_of(forwards)) for pk, forwards in by_issue.items()}
