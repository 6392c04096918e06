"""The tables of messages: versions, positions, dispositions, replies, designations,
referrals and uptake (docs/consensus.md). Positions and objections are public and
attributed, so every row names its participant."""

from __future__ import annotations

from commonground.opendata.resources.columns import (
    Column,
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

MESSAGE_STATES = ("draft", "public_comment", "published", "referred")
POSITION_KINDS = ("support", "can_live_with", "object")
DISPOSITION_KINDS = ("accepted", "rejected", "tradeoff_acknowledged")
DESIGNATION_LEVELS = (
    "full_consensus",
    "consensus",
    "strong_support_significant_opposition",
    "divergence",
)
REFERRAL_KINDS = (
    "government",
    "intergovernmental",
    "regulator",
    "standards_body",
    "private_sector",
    "other",
)
UPTAKE_ACTIONS = ("decision", "policy", "under_consideration", "no_action")


def _group(description: str) -> Column:
    return Column("stakeholder_group", "string", description, required=True, enum=GROUPS)


MESSAGES = Table(
    "messages",
    gettext_noop(
        "The forum's messages on agenda issues, as they stand (every version is in "
        "message_versions). States: draft, public_comment, published, referred."
    ),
    (
        id_column("Message id"),
        ref("cycle_id", "Cycle"),
        ref("issue_id", "Agenda issue it is on"),
        person("drafted_by", "Participant id of the steward who drafted it"),
        text("title", "Title (current version)", required=True),
        text("text", "Text in Markdown (current version)", required=True),
        text("language", "Language code of the title and text", required=True),
        Column("version", "integer", "Current version number", required=True),
        Column("state", "string", "Outcome state", required=True, enum=MESSAGE_STATES),
        when("created_at", "When it was drafted (UTC)"),
        when("opens_at", "When the comment window opens (UTC)", required=False),
        when("closes_at", "When the comment window closes (UTC)", required=False),
        when("published_at", "When it was published (UTC)", required=False),
        when("referred_at", "When it was first referred (UTC)", required=False),
        Column("conversation_ids", "array", "Conversations it draws on (JSON list)", required=True),
        Column("report_ids", "array", "Session reports it draws on (JSON list)", required=True),
    ),
    ("id",),
    (to("cycle_id", "cycles"), to("issue_id", "issues"), to_participant("drafted_by")),
)

MESSAGE_VERSIONS = Table(
    "message_versions",
    gettext_noop("Every version of every message's title and text."),
    (
        id_column("Version row id"),
        ref("message_id", "Message"),
        Column("number", "integer", "Version number (1 is the first draft)", required=True),
        text("title", "Title", required=True),
        text("text", "Text in Markdown", required=True),
        text("note", "What changed"),
        person("saved_by", "Participant id of the steward who saved it"),
        when("created_at", "When it was saved (UTC)"),
    ),
    ("id",),
    (to("message_id", "messages"), to_participant("saved_by")),
)

MESSAGE_POSITIONS = Table(
    "message_positions",
    gettext_noop(
        "Each member's one position on a message as it stood when the window closed (or "
        "stands now). An 'object' position is an objection; its id is the objection's id."
    ),
    (
        id_column("Position id (the objection id for objections)"),
        ref("message_id", "Message"),
        person("participant_id", "Participant id of the member"),
        _group("Stakeholder group the member declared when recording it"),
        Column("position", "string", "The position", required=True, enum=POSITION_KINDS),
        text("text", "What the member cannot live with (objections), or a comment"),
        Column("version", "integer", "Message version the position was recorded on", required=True),
        when("created_at", "When it was first recorded (UTC)"),
        when("updated_at", "When it was last changed (UTC)"),
    ),
    ("id",),
    (to("message_id", "messages"), to_participant("participant_id")),
)

MESSAGE_DISPOSITIONS = Table(
    "message_dispositions",
    gettext_noop("A steward's answer to each objection."),
    (
        id_column("Disposition id"),
        ref("objection_id", "Objection (a message_positions row)"),
        Column("disposition", "string", "The answer", required=True, enum=DISPOSITION_KINDS),
        text("reason", "Reason (required for rejected and tradeoff_acknowledged)"),
        Column("version", "integer", "For accepted: the version that answers the objection"),
        person("decided_by", "Participant id of the steward"),
        when("decided_at", "When it was recorded (UTC)"),
    ),
    ("id",),
    (to("objection_id", "message_positions"), to_participant("decided_by")),
)

MESSAGE_REPLIES = Table(
    "message_replies",
    gettext_noop("Members' replies to objections."),
    (
        id_column("Reply id"),
        ref("objection_id", "Objection replied to"),
        person("author", "Participant id of the author"),
        text("text", "Reply", required=True),
        when("created_at", "When it was posted (UTC)"),
    ),
    ("id",),
    (to("objection_id", "message_positions"), to_participant("author")),
)

MESSAGE_DESIGNATIONS = Table(
    "message_designations",
    gettext_noop(
        "The chair's designations of a message's consensus level, with the level suggested at "
        "that moment; the latest one counts."
    ),
    (
        id_column("Designation id"),
        ref("message_id", "Message"),
        Column("level", "string", "Designated level", required=True, enum=DESIGNATION_LEVELS),
        text("rationale", "Rationale", required=True),
        text("minority_view", "Minority view"),
        Column(
            "suggested_level", "string", "Suggested level", required=True, enum=DESIGNATION_LEVELS
        ),
        Column("suggested_minority_groups", "array", "Suggested minority groups", required=True),
        person("designated_by", "Participant id of the chair"),
        when("designated_at", "When it was designated (UTC)"),
    ),
    ("id",),
    (to("message_id", "messages"), to_participant("designated_by")),
)

MESSAGE_REFERRALS = Table(
    "message_referrals",
    gettext_noop("The bodies each published message was referred to."),
    (
        id_column("Referral id"),
        ref("message_id", "Message"),
        text("name", "Body's name", required=True),
        Column("kind", "string", "Kind of body", required=True, enum=REFERRAL_KINDS),
        text("contact", "Contact"),
        person("referred_by", "Participant id of the steward"),
        when("referred_at", "When it was referred (UTC)"),
    ),
    ("id",),
    (to("message_id", "messages"), to_participant("referred_by")),
)

MESSAGE_UPTAKE = Table(
    "message_uptake",
    gettext_noop(
        "What decision makers' institutions did with referred messages (the follow-up trail)."
    ),
    (
        id_column("Uptake id"),
        ref("message_id", "Message"),
        person("participant_id", "Participant id of who recorded it"),
        _group("Stakeholder group of who recorded it"),
        text("body", "Institution", required=True),
        Column("action", "string", "What it did", required=True, enum=UPTAKE_ACTIONS),
        text("summary", "Summary", required=True),
        Column("date", "string", "Date of the act (YYYY-MM-DD)", required=True),
        text("url", "Link"),
        when("recorded_at", "When it was recorded (UTC)"),
    ),
    ("id",),
    (to("message_id", "messages"), to_participant("participant_id")),
)

OUTCOME_TABLES = (
    MESSAGES,
    MESSAGE_VERSIONS,
    MESSAGE_POSITIONS,
    MESSAGE_DISPOSITIONS,
    MESSAGE_REPLIES,
    MESSAGE_DESIGNATIONS,
    MESSAGE_REFERRALS,
    MESSAGE_UPTAKE,
)
