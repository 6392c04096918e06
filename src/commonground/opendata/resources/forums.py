"""The tables of the forum itself, its cycles, their phase changes and its participants."""

from __future__ import annotations

from commonground.access.phases import PHASES
from commonground.opendata.resources.columns import (
    LEVELS,
    PUBLIC_ID_RE,
    Column,
    Table,
    id_column,
    person,
    ref,
    text,
    to,
    when,
)
from commonground.stakeholders import GROUPS, REGIONS, gettext_noop

GROUP_COLUMN = Column(
    "stakeholder_group", "string", "Declared stakeholder group", required=True, enum=GROUPS
)

FORUM = Table(
    "forum",
    gettext_noop(
        "The exported forum (one row) with its public settings. Its parent may live on another "
        "instance; the parent's own package describes it."
    ),
    (
        Column("slug", "string", "Forum slug", required=True, unique=True),
        text("name", "Forum name", required=True),
        Column("level", "string", "Level in the forum tree", required=True, enum=LEVELS),
        text("parent", "Slug of the parent forum (empty for a root)"),
        text("country", "ISO 3166-1 alpha-2 country code (national forums)"),
        text("region", "UN regional group"),
        text("description", "Description"),
        when("created_at", "When the forum was created (UTC)"),
        Column("min_groups", "integer", "Recognition: groups needed", required=True),
        Column("min_supporters", "integer", "Recognition: supporters per group", required=True),
        Column("min_share", "number", "Recognition: share of a group's members", required=True),
        Column("agenda_slots", "integer", "Recognition: agenda length", required=True),
        Column(
            "verified_required_for_signals_and_advice",
            "boolean",
            "Only verified members may signal or advise",
            required=True,
        ),
        Column(
            "report_threshold",
            "integer",
            "Distinct members whose reports hide a contribution",
            required=True,
        ),
        Column(
            "message_comment_min_days",
            "integer",
            "Messages: shortest public comment window in days",
            required=True,
        ),
        Column("consensus_max_mean", "number", "Consensus: highest mean O", required=True),
        Column("consensus_max_group", "number", "Consensus: highest o_g of a group", required=True),
        Column("strong_support_min", "number", "Strong support: lowest mean A", required=True),
        Column("minority_group_min", "number", "Minority view: o_g of a group", required=True),
    ),
    ("slug",),
)

CYCLES = Table(
    "cycles",
    gettext_noop("Every cycle of the forum."),
    (
        id_column("Cycle id"),
        text("name", "Cycle name, e.g. 2027", required=True),
        Column("phase", "string", "Current (or last) phase", required=True, enum=PHASES),
        Column("is_open", "boolean", "Whether the cycle is open", required=True),
        when("opened_at", "When the cycle opened (UTC)"),
        when("closed_at", "When the cycle closed (UTC), empty while open", required=False),
        Column(
            "tally_version",
            "integer",
            "Count of changes to the cycle's support tallies (lets caches know when to recompute)",
            required=True,
        ),
    ),
    ("id",),
)

PHASE_CHANGES = Table(
    "phase_changes",
    gettext_noop("The timeline of every cycle: each phase change, who made it and when."),
    (
        id_column("Phase change id"),
        ref("cycle_id", "Cycle"),
        Column("from_phase", "string", "Phase before (empty when the cycle opened)"),
        Column("to_phase", "string", "Phase after (closed when the cycle closed)", required=True),
        person("changed_by", "Participant id of the steward (empty: the operator)", False),
        when("changed_at", "When (UTC)"),
    ),
    ("id",),
    (to("cycle_id", "cycles"),),
)

PARTICIPANTS = Table(
    "participants",
    gettext_noop(
        "Forum members: pseudonymous id, declared stakeholder group, country and public status."
    ),
    (
        Column(
            "id",
            "string",
            "Pseudonymous participant id",
            required=True,
            unique=True,
            pattern=PUBLIC_ID_RE.pattern[1:-1],
        ),
        GROUP_COLUMN,
        Column(
            "country",
            "string",
            "ISO 3166-1 alpha-2 country code",
            required=True,
            pattern="[A-Z]{2}",
        ),
        Column("region", "string", "UN regional group", required=True, enum=REGIONS),
        Column("other_hats", "array", "Other stakeholder groups disclosed (JSON list)", True),
        Column("verified", "boolean", "Declared group verified by a steward", required=True),
        when("verified_at", "When it was verified (UTC)", required=False),
        Column("role", "string", "Role", required=True, enum=("participant", "steward")),
        Column("status", "string", "Status", required=True, enum=("active", "suspended")),
        when("joined_at", "When the participant joined (UTC)"),
        Column(
            "membership_id", "integer", "Membership id (the ledger's object id)", True, unique=True
        ),
    ),
    ("id",),
)
