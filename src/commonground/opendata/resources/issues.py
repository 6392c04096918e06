"""The tables of topics, issues, their topics and their supports."""

from __future__ import annotations

from commonground.opendata.resources.columns import (
    Column,
    ForeignKey,
    Table,
    id_column,
    person,
    ref,
    text,
    to,
    to_participant,
    when,
)
from commonground.stakeholders import GROUPS, gettext_noop

TOPICS = Table(
    "topics",
    gettext_noop("Topics (free tags and the 17 SDGs) of the forum's issues."),
    (
        Column("slug", "string", "Topic slug", required=True, unique=True),
        text("label", "Label", required=True),
        Column("is_sdg", "boolean", "One of the 17 Sustainable Development Goals", required=True),
    ),
    ("slug",),
)

ISSUES = Table(
    "issues",
    gettext_noop("Issues of concern raised in every cycle."),
    (
        id_column("Issue id"),
        ref("cycle_id", "Cycle"),
        text("title", "Title", required=True),
        text("description", "Description (Markdown)", required=True),
        text("language", "Language code", required=True),
        person("raised_by", "Participant id of the author"),
        when("raised_at", "When the issue was raised (UTC)"),
        when("updated_at", "When it was last edited (UTC)"),
    ),
    ("id",),
    (to("cycle_id", "cycles"), to_participant("raised_by")),
)

ISSUE_TOPICS = Table(
    "issue_topics",
    gettext_noop("Which topics each issue carries."),
    (ref("issue_id", "Issue"), Column("topic", "string", "Topic slug", required=True)),
    ("issue_id", "topic"),
    (to("issue_id", "issues"), ForeignKey(("topic",), "topics", ("slug",))),
)

SUPPORTS = Table(
    "supports",
    gettext_noop(
        "Supports: one participant drawing attention to one issue. Withdrawn supports are "
        "gone (their withdrawal is in the ledger)."
    ),
    (
        id_column("Support id"),
        person("participant_id", "Supporting participant"),
        ref("issue_id", "Supported issue"),
        ref("cycle_id", "Cycle of the issue"),
        Column(
            "stakeholder_group",
            "string",
            "The participant's group when supporting (what the tallies count)",
            required=True,
            enum=GROUPS,
        ),
        when("created_at", "When the support was given (UTC)"),
    ),
    ("id",),
    (to_participant("participant_id"), to("issue_id", "issues"), to("cycle_id", "cycles")),
)
