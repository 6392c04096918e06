"""The tables of sessions (DESIGN 6a): proposals and their decisions and slots, speakers,
per-proposal score aggregates (never a named member's scores), published selections,
reports and the advisory group's seats."""

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

FORMATS = ("workshop", "open_forum", "town_hall", "main_session", "lightning_talk", "networking")
SESSION_STATUSES = ("submitted", "withdrawn", "screened_in", "declined")
DECISIONS = ("approved", "approved_if_merged", "declined")
GENDERS = ("woman", "man", "non_binary", "undisclosed")


def _number(name: str, description: str) -> Column:
    return Column(name, "number", description, required=False)


SESSIONS = Table(
    "sessions",
    gettext_noop(
        "Session proposals with their screening, decision and slot. Proposals of a cycle still "
        "in its call for sessions or evaluation are left out: evaluation is blind."
    ),
    (
        id_column("Session id"),
        ref("cycle_id", "Cycle"),
        person("proposed_by", "Participant id of the proposer"),
        text("title", "Title"),
        Column("format", "string", "Format (empty while not chosen)", required=False),
        text("description", "Description"),
        Column("policy_questions", "array", "Policy questions (JSON list)", required=True),
        Column("issue_ids", "array", "Agenda issue ids (JSON list)", required=True),
        Column("moderator", "object", "Moderator: name, stakeholder group (JSON)", required=True),
        text("rapporteur_name", "Rapporteur's name"),
        person("rapporteur", "Participant id of the rapporteur, when a member", False),
        Column("status", "string", "Proposal status", required=True, enum=SESSION_STATUSES),
        Column("screening_failures", "array", "Failing screening rule codes", required=True),
        when("submitted_at", "When it was proposed (UTC)"),
        when("updated_at", "When the proposal last changed (UTC)"),
        Column("decision", "string", "The steward's decision (empty: none yet)", required=False),
        ref("merge_with", "Session to merge with (approved if merged)", required=False),
        text("decision_reason", "Reason of the decision"),
        when("decided_at", "When it was decided (UTC)", required=False),
        text("room", "Room"),
        when("starts_at", "Start (UTC)", required=False),
        Column("duration_minutes", "integer", "Duration in minutes", required=False),
    ),
    ("id",),
    (
        to("cycle_id", "cycles"),
        to_participant("proposed_by"),
        to_participant("rapporteur"),
        ForeignKey(("merge_with",), "", ("id",)),
    ),
)

SESSION_SPEAKERS = Table(
    "session_speakers",
    gettext_noop("Speakers named in session proposals."),
    (
        id_column("Speaker id"),
        ref("session_id", "Session"),
        Column("position", "integer", "Order in the proposal, from 0", required=True),
        text("name", "Name", required=True),
        Column("stakeholder_group", "string", "Stakeholder group", required=True, enum=GROUPS),
        Column("gender", "string", "Gender", required=True, enum=GENDERS),
        text("country", "Country (ISO 3166-1 alpha-2)"),
        Column("confirmed", "boolean", "Confirmed", required=True),
        Column("onsite", "boolean", "Onsite (else online)", required=True),
        person("participant", "Participant id, when a member", False),
    ),
    ("id",),
    (to("session_id", "sessions"), to_participant("participant")),
)

SESSION_SCORES = Table(
    "session_scores",
    gettext_noop(
        "Per-proposal aggregates of the advisory group's blind scores (1 to 5); the scores of "
        "named members are not published."
    ),
    (
        ref("session_id", "Session"),
        Column("scores", "integer", "Number of scores", required=True),
        _number("mean_score", "Mean over the scores of each score's mean criterion"),
        _number("spread", "Highest minus lowest per-score mean"),
        _number("relevance", "Mean relevance"),
        _number("content", "Mean content"),
        _number("interaction", "Mean interaction"),
        _number("diversity", "Mean diversity"),
    ),
    ("session_id",),
    (to("session_id", "sessions"),),
)

SELECTION_PUBLICATIONS = Table(
    "selection_publications",
    gettext_noop(
        "Published selections: frozen, numbered snapshots of each cycle's session decisions."
    ),
    (
        id_column("Publication id"),
        ref("cycle_id", "Cycle"),
        Column("number", "integer", "Publication number within the cycle, from 1", required=True),
        when("published_at", "When it was published (UTC)"),
        person("published_by", "Participant id of the publishing steward", False),
        Column("entries", "array", "Decided proposals as published (JSON list)", required=True),
    ),
    ("id",),
    (to("cycle_id", "cycles"), to_participant("published_by")),
)

SESSION_REPORTS = Table(
    "session_reports",
    gettext_noop(
        "Session reports: key takeaways, calls to action, attendance; late when filed after "
        "the due date."
    ),
    (
        id_column("Report id"),
        ref("session_id", "Session"),
        person("filed_by", "Participant id of who filed it"),
        Column("key_takeaways", "array", "Key takeaways (JSON list)", required=True),
        Column("calls_to_action", "array", "Calls to action (JSON list)", required=True),
        Column("onsite", "integer", "Onsite attendance", required=True),
        Column("online", "integer", "Online attendance", required=True),
        _number("women_share", "Share of women, 0 to 1"),
        when("filed_at", "When it was first filed (UTC)"),
        when("updated_at", "When it last changed (UTC)"),
        when("due_at", "When it was due (UTC)"),
    ),
    ("id",),
    (to("session_id", "sessions"), to_participant("filed_by")),
)

ADVISORY_SEATS = Table(
    "advisory_seats",
    gettext_noop(
        "The forum's advisory group: who holds a seat since when (IGO members are observers)."
    ),
    (
        id_column("Seat id"),
        person("participant", "Participant id of the member"),
        when("appointed_at", "When appointed (UTC)"),
    ),
    ("id",),
    (to_participant("participant"),),
)
