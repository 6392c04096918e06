"""Specs of the network tables: forwards received, merges, the NRI team, annual reports."""

from __future__ import annotations

from commonground.network.models import AnnualReport, Forward, Merge, TeamMember
from commonground.opendata import resources as r
from commonground.opendata.specs.base import Importing, Row, TableSpec, pick

_SOURCE = (
    "source_instance",
    "source_forum",
    "source_forum_name",
    "source_level",
    "source_country",
    "source_region",
    "source_kind",
    "source_id",
    "source_issue_id",
    "source_cycle",
)
_RECORD = (
    "title",
    "description",
    "topics",
    "language",
    "publication_number",
    "published_at",
    "agenda_rank",
    "balanced_support",
    "breadth",
    "supports_by_group",
    "origins",
    "forwarded_by",
    "forwarded_by_name",
    "forwarded_at",
)


def _forward(f: Row, into: Importing) -> Forward:
    record = pick(f, *_RECORD)
    # Cells of an empty JSON column read as None; the record holds empty ones.
    record["supports_by_group"] = record["supports_by_group"] or {}
    record["origins"] = record["origins"] or []
    return Forward(
        pk=f["id"],
        target_forum=into.the_forum,
        target_issue_id=f["issue_id"],
        **pick(f, "created_issue_id", *_SOURCE),
        **record,
    )


FORWARDS = TableSpec(
    r.FORWARDS,
    Forward,
    ("pk", "target_issue_id", "created_issue_id", *_SOURCE, *_RECORD),
    query=lambda forum: Forward.objects.filter(target_forum=forum),
    build=_forward,
)

MERGES = TableSpec(
    r.MERGES,
    Merge,
    (
        "pk",
        "issue_id",
        "into_id",
        "merged_by",
        "merged_at",
        "supports_moved",
        "supports_deduplicated",
    ),
    query=lambda forum: Merge.objects.filter(forum=forum),
    build=lambda m, into: Merge(
        pk=m["id"],
        forum=into.the_forum,
        merged_by=m["merged_by"] or "",
        **pick(m, "issue_id", "into_id", "merged_at", "supports_moved", "supports_deduplicated"),
    ),
)

NRI_TEAM = TableSpec(
    r.NRI_TEAM,
    TeamMember,
    ("pk", "name", "stakeholder_group", "role", "is_coordinator", "added_at"),
    query=lambda forum: TeamMember.objects.filter(forum=forum),
    build=lambda t, into: TeamMember(
        pk=t["id"],
        forum=into.the_forum,
        **pick(t, "name", "stakeholder_group", "role", "is_coordinator", "added_at"),
    ),
)

ANNUAL_REPORTS = TableSpec(
    r.ANNUAL_REPORTS,
    AnnualReport,
    (
        "pk",
        "cycle_id",
        "edition",
        "dates",
        "venue",
        "preparation",
        "outcomes",
        "filed_by",
        "filed_at",
    ),
    query=lambda forum: AnnualReport.objects.filter(cycle__forum=forum),
    build=lambda a, into: AnnualReport(
        pk=a["id"],
        filed_by=a["filed_by"] or "",
        **pick(a, "cycle_id", "edition", "dates", "venue", "preparation", "outcomes", "filed_at"),
    ),
)
