"""The tables of the network across levels (docs/network.md): the provenance of forwarded
issues, merges, and the NRI's organizing team and annual reports.

A forward is exported by the forum that received it: the record is self-contained (the
source is named by values, not by ids of this package), so the receiving forum's package
says where each of its forwarded issues came from without the source's package.
"""

from __future__ import annotations

from commonground.opendata.resources.columns import (
    LEVELS,
    Column,
    Table,
    id_column,
    person,
    ref,
    text,
    to,
    when,
)
from commonground.stakeholders import GROUPS, gettext_noop

SOURCE_KINDS = ("issue", "message")

FORWARDS = Table(
    "forwards",
    gettext_noop(
        "The provenance of the forum's forwarded issues: each forward record as it was frozen "
        "when a steward of the source forum forwarded an agenda issue or a published message "
        "here. issue_id is the issue it now belongs to (a merge moves it); created_issue_id the "
        "issue the forward created."
    ),
    (
        id_column("Forward id"),
        ref("issue_id", "Issue of this forum the provenance belongs to"),
        Column("created_issue_id", "integer", "Issue the forward created", required=True),
        text("source_instance", "Base URL of the source's instance (empty: this instance)"),
        text("source_forum", "Source forum's slug", required=True),
        text("source_forum_name", "Source forum's name", required=True),
        Column("source_level", "string", "Source forum's level", required=True, enum=LEVELS),
        text("source_country", "Source forum's country (ISO 3166-1 alpha-2)"),
        text("source_region", "Source forum's UN region"),
        Column("source_kind", "string", "What was forwarded", required=True, enum=SOURCE_KINDS),
        Column("source_id", "integer", "Id of the issue or message at the source", required=True),
        Column("source_issue_id", "integer", "For a message: the agenda issue it is on"),
        text("source_cycle", "Source cycle's name"),
        text("title", "Title as forwarded", required=True),
        text("description", "Description as forwarded (Markdown)"),
        Column("topics", "array", "Topics as forwarded (JSON list)", required=True),
        text("language", "Language of the text", required=True),
        Column("publication_number", "integer", "Number of the published agenda it was on"),
        when("published_at", "When that agenda was published (UTC)", required=False),
        Column("agenda_rank", "integer", "Its rank on that agenda"),
        Column("balanced_support", "number", "Its balanced support B at the source"),
        Column("breadth", "integer", "Stakeholder groups among its supporters at the source"),
        Column("supports_by_group", "object", "Supports by group at the source (JSON object)"),
        Column("origins", "array", "The forums the source issue itself came from (JSON list)"),
        text("forwarded_by", "Participant id of the source steward (at the source)"),
        text("forwarded_by_name", "Name of the source steward"),
        when("forwarded_at", "When it was forwarded (UTC)"),
    ),
    ("id",),
    (to("issue_id", "issues"),),
)

MERGES = Table(
    "merges",
    gettext_noop(
        "Issues a steward merged into another issue of the forum: provenance, topics, "
        "contributions and supports moved to into_id (one support per participant)."
    ),
    (
        id_column("Merge id"),
        ref("issue_id", "The issue merged (it redirects to into_id)"),
        ref("into_id", "The issue it was merged into"),
        person("merged_by", "Participant id of the steward", required=False),
        when("merged_at", "When it was merged (UTC)"),
        Column("supports_moved", "integer", "Supports moved to into_id", required=True),
        Column(
            "supports_deduplicated",
            "integer",
            "Supports dropped because the participant supported both",
            required=True,
        ),
    ),
    ("id",),
    (to("issue_id", "issues"), to("into_id", "issues")),
)

NRI_TEAM = Table(
    "nri_team",
    gettext_noop(
        "The forum's organizing team (an NRI's listing names it): people, their stakeholder "
        "group and role, and the coordinator."
    ),
    (
        id_column("Team member id"),
        text("name", "Name", required=True),
        Column("stakeholder_group", "string", "Stakeholder group", required=True, enum=GROUPS),
        text("role", "Role in the team"),
        Column("is_coordinator", "boolean", "The forum's coordinator", required=True),
        when("added_at", "When they were added (UTC)"),
    ),
    ("id",),
)

ANNUAL_REPORTS = Table(
    "annual_reports",
    gettext_noop(
        "The forum's annual report of each cycle (edition, dates, venue, preparation process "
        "and outcomes), one of the requirements for an NRI to be listed."
    ),
    (
        id_column("Annual report id"),
        ref("cycle_id", "Cycle"),
        text("edition", "Edition", required=True),
        text("dates", "Dates", required=True),
        text("venue", "Venue", required=True),
        text("preparation", "Preparation process", required=True),
        text("outcomes", "Outcomes", required=True),
        person("filed_by", "Participant id of the steward who filed it", required=False),
        when("filed_at", "When it was filed (UTC)"),
    ),
    ("id",),
    (to("cycle_id", "cycles"),),
)
