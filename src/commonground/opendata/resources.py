"""The tables of a forum's data package: columns, types and how values are written and read.

Export and import share these definitions, so a value written by one is read back by the
other unchanged. Every table is a CSV file with a header row; its Table Schema (in
``datapackage.json``) is built from the same :class:`Column` list. This module has no
Django import.

Writing rules (so that two exports of the same records are byte-identical):

* times: ISO 8601 UTC with microseconds and ``Z`` (``2027-03-01T12:00:00.000000Z``);
* booleans: ``true`` / ``false``; missing values (no time, no parent): the empty string;
* numbers with a fraction: Python's shortest round-trip ``repr``;
* lists and objects: compact JSON with sorted keys and literal non-ASCII characters.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from commonground.access.phases import PHASES
from commonground.stakeholders import GROUPS, REGIONS

#: Version of the package layout; the importer refuses packages of another version.
PACKAGE_FORMAT = "commonground-forum-package/v1"

DATETIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"
_DATETIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$")
_INTEGER_RE = re.compile(r"^(0|-?[1-9][0-9]{0,17})$")
PUBLIC_ID_RE = re.compile(r"^[A-Za-z0-9_-]{1,16}$")

LEVELS = ("global", "regional", "national", "subnational", "youth")
KINDS = ("signal", "solution", "advice", "comment")
PRIORITIES = ("low", "medium", "high", "urgent")
FEASIBILITIES = ("feasible", "feasible_with_conditions", "not_feasible", "unclear")
STANCES = ("in_favour", "neutral", "against")
MODERATIONS = ("strict", "open")
# Accepted statements are public. Rejected ones are exported by id only (no text, no
# author): the opinion map counts them (as passes, and their votes toward the
# in-conversation threshold), so a map recomputed from the package needs them. Pending
# ones await a steward and count nowhere: they stay out.
EXPORTED_STATEMENT_STATUSES = ("accepted", "rejected")
VOTE_VALUES = (-1, 0, 1)  # disagree, pass, agree
# Voters imported from a Polis export, who are not members: "x" and Polis's participant id.
EXTERNAL_VOTER_RE = re.compile(r"^x[0-9]{1,18}$")


class ValueProblem(ValueError):
    """A cell that cannot be read as its column's type (the message names the column)."""


@dataclass(frozen=True)
class Column:
    """One column: its name, Frictionless type, meaning and constraints."""

    name: str
    type: str  # string, integer, number, boolean, datetime, array, object
    description: str
    required: bool = False
    # Allowed values, of the column's type (strings, or integers for an integer column).
    enum: tuple[Any, ...] | None = None
    pattern: str | None = None
    unique: bool = False

    def schema(self) -> dict[str, Any]:
        """The Table Schema field descriptor."""
        out: dict[str, Any] = {"name": self.name, "type": self.type}
        out["description"] = self.description
        if self.type == "datetime":
            out["format"] = DATETIME_FORMAT
        constraints: dict[str, Any] = {}
        if self.required:
            constraints["required"] = True
        if self.unique:
            constraints["unique"] = True
        if self.enum is not None:
            constraints["enum"] = list(self.enum)
        if self.pattern is not None:
            constraints["pattern"] = self.pattern
        if constraints:
            out["constraints"] = constraints
        return out

    def write(self, value: Any) -> str:
        """The cell text of ``value``."""
        return WRITERS[self.type](value)

    def read(self, text: str) -> Any:
        """The value of a cell, or :class:`ValueProblem`."""
        if text == "":
            if self.required:
                raise ValueProblem(f"{self.name} is required")
            return EMPTY[self.type]
        value = READERS[self.type](text, self.name)
        if self.enum is not None and value not in self.enum:
            shown = ", ".join(str(v) for v in self.enum)
            raise ValueProblem(f"{self.name} {_quote(text)} is not one of: {shown}")
        if self.pattern is not None and not re.fullmatch(self.pattern, text):
            raise ValueProblem(f"{self.name} {_quote(text)} does not match {self.pattern}")
        return value


@dataclass(frozen=True)
class ForeignKey:
    columns: tuple[str, ...]
    resource: str  # "" refers to the same table
    ref_columns: tuple[str, ...]

    def schema(self) -> dict[str, Any]:
        return {
            "fields": list(self.columns),
            "reference": {"resource": self.resource, "fields": list(self.ref_columns)},
        }


@dataclass(frozen=True)
class Table:
    """One CSV file of the package."""

    name: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...] = field(default=())

    @property
    def path(self) -> str:
        return f"{self.name}.csv"

    @property
    def header(self) -> list[str]:
        return [c.name for c in self.columns]

    def resource(self) -> dict[str, Any]:
        """The Data Resource descriptor of this table."""
        schema: dict[str, Any] = {
            "fields": [c.schema() for c in self.columns],
            "primaryKey": list(self.primary_key),
        }
        if self.foreign_keys:
            schema["foreignKeys"] = [fk.schema() for fk in self.foreign_keys]
        return {
            "name": self.name,
            "path": self.path,
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "description": self.description,
            "schema": schema,
        }


# -- value conversions ------------------------------------------------------------------------


def _quote(text: str) -> str:
    return "'" + (text if len(text) <= 40 else text[:37] + "...") + "'"


def format_datetime(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return moment.astimezone(UTC).strftime(DATETIME_FORMAT)


def dump_json(value: Any) -> str:
    """Compact JSON with sorted keys: the same text whichever database stored the value."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _write_bool(value: Any) -> str:
    return "true" if value else "false"


def _write_number(value: Any) -> str:
    return "" if value is None else repr(float(value))


def _write_int(value: Any) -> str:
    return "" if value is None else str(int(value))


def _write_string(value: Any) -> str:
    return "" if value is None else str(value)


WRITERS: dict[str, Callable[[Any], str]] = {
    "string": _write_string,
    "integer": _write_int,
    "number": _write_number,
    "boolean": _write_bool,
    "datetime": format_datetime,
    "array": dump_json,
    "object": dump_json,
}


def _read_int(text: str, name: str) -> int:
    if not _INTEGER_RE.match(text):
        raise ValueProblem(f"{name} {_quote(text)} is not an integer")
    return int(text)


def _read_number(text: str, name: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ValueProblem(f"{name} {_quote(text)} is not a number") from None
    if math.isnan(value) or math.isinf(value):
        raise ValueProblem(f"{name} {_quote(text)} is not a finite number")
    return value


def _read_bool(text: str, name: str) -> bool:
    if text not in ("true", "false"):
        raise ValueProblem(f"{name} {_quote(text)} is not true or false")
    return text == "true"


def _read_datetime(text: str, name: str) -> datetime:
    if not _DATETIME_RE.match(text):
        raise ValueProblem(f"{name} {_quote(text)} is not a time like 2027-03-01T12:00:00.000000Z")
    try:
        return datetime.strptime(text, DATETIME_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        raise ValueProblem(f"{name} {_quote(text)} is not a valid date and time") from None


def _read_json(kind: type) -> Callable[[str, str], Any]:
    def read(text: str, name: str) -> Any:
        try:
            value = json.loads(text)
        except ValueError:
            raise ValueProblem(f"{name} is not valid JSON") from None
        if not isinstance(value, kind):
            raise ValueProblem(f"{name} must be a JSON {'list' if kind is list else 'object'}")
        return value

    return read


READERS: dict[str, Callable[[str, str], Any]] = {
    "string": lambda text, _name: text,
    "integer": _read_int,
    "number": _read_number,
    "boolean": _read_bool,
    "datetime": _read_datetime,
    "array": _read_json(list),
    "object": _read_json(dict),
}

EMPTY: dict[str, Any] = {
    "string": "",
    "integer": None,
    "number": None,
    "boolean": None,
    "datetime": None,
    "array": None,
    "object": None,
}


# -- the tables -------------------------------------------------------------------------------


def _id(description: str) -> Column:
    return Column("id", "integer", description, required=True, unique=True)


def _ref(name: str, description: str, required: bool = True) -> Column:
    return Column(name, "integer", description, required=required)


def _person(name: str, description: str, required: bool = True) -> Column:
    return Column(name, "string", description, required=required)


def _time(name: str, description: str, required: bool = True) -> Column:
    return Column(name, "datetime", description, required=required)


def _text(name: str, description: str, required: bool = False) -> Column:
    return Column(name, "string", description, required=required)


def _to_participant(column: str) -> ForeignKey:
    return ForeignKey((column,), "participants", ("id",))


def _to(column: str, resource: str) -> ForeignKey:
    return ForeignKey((column,), resource, ("id",))


_GROUP = Column(
    "stakeholder_group", "string", "Declared stakeholder group", required=True, enum=GROUPS
)
_ADVICE_BODY = (
    Column(
        "feasibility",
        "string",
        "Feasibility of the solution",
        required=True,
        enum=FEASIBILITIES,
    ),
    _text("conditions", "Conditions under which it is feasible (Markdown)"),
    _text("benefits", "Expected benefits (Markdown)"),
    _text("risks", "Risks and consequences (Markdown)"),
    Column("affected_groups", "array", "Stakeholder groups affected (JSON list)", required=True),
    Column("evidence", "array", "Evidence links (JSON list of URLs)", required=True),
)

FORUM = Table(
    "forum",
    "The exported forum (one row) with its public settings. Its parent may live on another "
    "instance; the parent's own package describes it.",
    (
        Column("slug", "string", "Forum slug", required=True, unique=True),
        _text("name", "Forum name", required=True),
        Column("level", "string", "Level in the forum tree", required=True, enum=LEVELS),
        _text("parent", "Slug of the parent forum (empty for a root)"),
        _text("country", "ISO 3166-1 alpha-2 country code (national forums)"),
        _text("region", "UN regional group"),
        _text("description", "Description"),
        _time("created_at", "When the forum was created (UTC)"),
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
    ),
    ("slug",),
)

CYCLES = Table(
    "cycles",
    "Every cycle of the forum.",
    (
        _id("Cycle id"),
        _text("name", "Cycle name, e.g. 2027", required=True),
        Column("phase", "string", "Current (or last) phase", required=True, enum=PHASES),
        Column("is_open", "boolean", "Whether the cycle is open", required=True),
        _time("opened_at", "When the cycle opened (UTC)"),
        _time("closed_at", "When the cycle closed (UTC), empty while open", required=False),
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
    "The timeline of every cycle: each phase change, who made it and when.",
    (
        _id("Phase change id"),
        _ref("cycle_id", "Cycle"),
        Column("from_phase", "string", "Phase before (empty when the cycle opened)"),
        Column("to_phase", "string", "Phase after (closed when the cycle closed)", required=True),
        _person("changed_by", "Participant id of the steward (empty: the operator)", False),
        _time("changed_at", "When (UTC)"),
    ),
    ("id",),
    (_to("cycle_id", "cycles"),),
)

PARTICIPANTS = Table(
    "participants",
    "Forum members: pseudonymous id, declared stakeholder group, country and public status.",
    (
        Column(
            "id",
            "string",
            "Pseudonymous participant id",
            required=True,
            unique=True,
            pattern=PUBLIC_ID_RE.pattern[1:-1],
        ),
        _GROUP,
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
        _time("verified_at", "When it was verified (UTC)", required=False),
        Column("role", "string", "Role", required=True, enum=("participant", "steward")),
        Column("status", "string", "Status", required=True, enum=("active", "suspended")),
        _time("joined_at", "When the participant joined (UTC)"),
        Column(
            "membership_id", "integer", "Membership id (the ledger's object id)", True, unique=True
        ),
    ),
    ("id",),
)

TOPICS = Table(
    "topics",
    "Topics (free tags and the 17 SDGs) of the forum's issues.",
    (
        Column("slug", "string", "Topic slug", required=True, unique=True),
        _text("label", "Label", required=True),
        Column("is_sdg", "boolean", "One of the 17 Sustainable Development Goals", required=True),
    ),
    ("slug",),
)

ISSUES = Table(
    "issues",
    "Issues of concern raised in every cycle.",
    (
        _id("Issue id"),
        _ref("cycle_id", "Cycle"),
        _text("title", "Title", required=True),
        _text("description", "Description (Markdown)", required=True),
        _text("language", "Language code", required=True),
        _person("raised_by", "Participant id of the author"),
        _time("raised_at", "When the issue was raised (UTC)"),
        _time("updated_at", "When it was last edited (UTC)"),
    ),
    ("id",),
    (_to("cycle_id", "cycles"), _to_participant("raised_by")),
)

ISSUE_TOPICS = Table(
    "issue_topics",
    "Which topics each issue carries.",
    (_ref("issue_id", "Issue"), Column("topic", "string", "Topic slug", required=True)),
    ("issue_id", "topic"),
    (_to("issue_id", "issues"), ForeignKey(("topic",), "topics", ("slug",))),
)

SUPPORTS = Table(
    "supports",
    "Supports: one participant drawing attention to one issue. Withdrawn supports are "
    "gone (their withdrawal is in the ledger).",
    (
        _id("Support id"),
        _person("participant_id", "Supporting participant"),
        _ref("issue_id", "Supported issue"),
        _ref("cycle_id", "Cycle of the issue"),
        Column(
            "stakeholder_group",
            "string",
            "The participant's group when supporting (what the tallies count)",
            required=True,
            enum=GROUPS,
        ),
        _time("created_at", "When the support was given (UTC)"),
    ),
    ("id",),
    (_to_participant("participant_id"), _to("issue_id", "issues"), _to("cycle_id", "cycles")),
)

SIGNALS = Table(
    "signals",
    "Formal signals of concern by government and intergovernmental members.",
    (
        _id("Signal id"),
        _ref("issue_id", "Issue"),
        _person("author", "Participant id of the author"),
        _text("jurisdiction", "Jurisdiction or organization", required=True),
        Column("priority", "string", "Priority", required=True, enum=PRIORITIES),
        _text("statement", "Statement (Markdown)", required=True),
        _time("created_at", "When it was given (UTC)"),
        _time("updated_at", "When it was last edited (UTC)"),
    ),
    ("id",),
    (_to("issue_id", "issues"), _to_participant("author")),
)

SOLUTIONS = Table(
    "solutions",
    "Envisaged solutions to issues.",
    (
        _id("Solution id"),
        _ref("issue_id", "Issue"),
        _person("author", "Participant id of the author"),
        _text("title", "Title", required=True),
        _text("description", "Description (Markdown)", required=True),
        Column("actors", "array", "Who would act (JSON list of names)", required=True),
        _time("created_at", "When it was proposed (UTC)"),
        _time("updated_at", "When it was last edited (UTC)"),
    ),
    ("id",),
    (_to("issue_id", "issues"), _to_participant("author")),
)

ADVICE = Table(
    "advice",
    "Technical advice on solutions, as it stands now (every version is in advice_revisions).",
    (
        _id("Advice id"),
        _ref("solution_id", "Solution"),
        _person("author", "Participant id of the advisor"),
        *_ADVICE_BODY,
        Column("revision_count", "integer", "Number of versions", required=True),
        _time("created_at", "When it was first given (UTC)"),
        _time("updated_at", "When it was last revised (UTC)"),
    ),
    ("id",),
    (_to("solution_id", "solutions"), _to_participant("author")),
)

ADVICE_REVISIONS = Table(
    "advice_revisions",
    "Every version of every piece of advice: number 1 is the original, one more per revision.",
    (
        _id("Revision id"),
        _ref("advice_id", "Advice"),
        Column("number", "integer", "Version number, from 1", required=True),
        *_ADVICE_BODY,
        _time("created_at", "When this version was written (UTC)"),
    ),
    ("id",),
    (_to("advice_id", "advice"),),
)

COMMENTS = Table(
    "comments",
    "Comments on issues and solutions, threaded one level deep. A deleted comment stays as a "
    "stub (empty body, deleted_at set) so its thread reads on.",
    (
        _id("Comment id"),
        _ref("issue_id", "Issue"),
        _ref("solution_id", "Solution commented on (empty: the issue itself)", False),
        _ref("parent_id", "Comment replied to (empty: a top-level comment)", False),
        _person("author", "Participant id of the author"),
        _text("body", "Text (Markdown); empty when deleted"),
        Column("stance", "string", "Stance (empty: none given)", enum=STANCES),
        _time("created_at", "When it was written (UTC)"),
        _time("updated_at", "When it was last edited (UTC)"),
        _time("deleted_at", "When its author deleted it (UTC)", required=False),
    ),
    ("id",),
    (
        _to("issue_id", "issues"),
        _to("solution_id", "solutions"),
        ForeignKey(("parent_id",), "", ("id",)),
        _to_participant("author"),
    ),
)

MODERATION_LOG = Table(
    "moderation_log",
    "The public moderation log: every contribution hidden or restored, when and why. "
    "Reporters are never named; hidden contributions themselves are not in the package.",
    (
        _id("Moderation action id"),
        Column("kind", "string", "Kind of contribution", required=True, enum=KINDS),
        Column("object_id", "integer", "Id of the contribution", required=True),
        _ref("issue_id", "Issue of the contribution", False),
        Column("action", "string", "What was done", required=True, enum=("hide", "restore")),
        Column("automatic", "boolean", "Hidden automatically by reports", required=True),
        _text("reason", "Public reason", required=True),
        _person("steward", "Participant id of the steward (empty when automatic)", False),
        _time("created_at", "When (UTC)"),
    ),
    ("id",),
    (_to("issue_id", "issues"), _to_participant("steward")),
)

AGENDA_PUBLICATIONS = Table(
    "agenda_publications",
    "Published agendas: the frozen, numbered snapshots of each cycle's agenda.",
    (
        _id("Publication id"),
        _ref("cycle_id", "Cycle"),
        Column("number", "integer", "Publication number within the cycle, from 1", required=True),
        _time("published_at", "When it was published (UTC)"),
        _person("published_by", "Participant id of the publishing steward", False),
        Column("settings", "object", "Recognition settings in force (JSON)", required=True),
        Column("agenda", "array", "Issue ids in rank order (JSON list)", required=True),
        Column(
            "entries",
            "array",
            "Per agenda issue: title and recognition figures as published (JSON list)",
            required=True,
        ),
    ),
    ("id",),
    (_to("cycle_id", "cycles"),),
)

CONVERSATIONS = Table(
    "conversations",
    "Conversations (Polis-style dialogue) of the forum: short statements participants vote "
    "on. Opinion maps are computed from the votes and are not in the package.",
    (
        _id("Conversation id"),
        _ref("issue_id", "Issue discussed (empty: none)", False),
        _person("opened_by", "Participant id of who opened it (empty: imported)", False),
        _text("topic", "Topic", required=True),
        _text("description", "Description"),
        Column(
            "moderation",
            "string",
            "strict: a steward approves each statement; open: shown at once",
            required=True,
            enum=MODERATIONS,
        ),
        Column("is_open", "boolean", "Whether it takes statements and votes", required=True),
        _time("created_at", "When it was opened (UTC)"),
        _time("last_vote_at", "When the last vote was cast (UTC)", required=False),
        _text("source", "Where it was imported from, e.g. polis:NAME (empty: opened here)"),
    ),
    ("id",),
    (_to("issue_id", "issues"), _to_participant("opened_by")),
)

STATEMENTS = Table(
    "statements",
    "The statements of every conversation: the public (accepted) ones, and those a steward "
    "rejected by id only (empty text and author), because opinion maps count them. "
    "Statements awaiting moderation are not in the package (nor their votes).",
    (
        _id("Statement id"),
        _ref("conversation_id", "Conversation"),
        _person("author", "Participant id of the author (empty: imported, or rejected)", False),
        _text("text", "Text (empty when rejected: a rejected statement's text is not public)"),
        Column(
            "status",
            "string",
            "Moderation status: accepted (public) or rejected (moderated out, counted by maps)",
            required=True,
            enum=EXPORTED_STATEMENT_STATUSES,
        ),
        _time("created_at", "When it was written (UTC)"),
        Column("external_id", "integer", "Its id in the Polis export it was imported from"),
    ),
    ("id",),
    (_to("conversation_id", "conversations"), _to_participant("author")),
)

VOTES = Table(
    "votes",
    "Every participant's current vote on every accepted or rejected statement (a changed "
    "vote appears once, as it stands; each vote cast is in the ledger). A vote is by a member "
    "(participant_id) or by a pseudonymous participant of an imported Polis export "
    "(external_participant).",
    (
        _id("Vote id"),
        _ref("conversation_id", "Conversation"),
        _ref("statement_id", "Statement voted on"),
        _person("participant_id", "Participant id of the voting member", False),
        Column(
            "external_participant",
            "string",
            "Pseudonymous voter of an imported export (x and the export's participant id)",
            pattern=EXTERNAL_VOTER_RE.pattern[1:-1],
        ),
        Column("vote", "integer", "1 agree, 0 pass, -1 disagree", required=True, enum=VOTE_VALUES),
        _time("updated_at", "When it was cast or last changed (UTC)"),
    ),
    ("id",),
    (
        _to("conversation_id", "conversations"),
        _to("statement_id", "statements"),
        _to_participant("participant_id"),
    ),
)

CHECKPOINTS = Table(
    "checkpoints",
    "Every signed checkpoint of the instance's ledger up to the one in checkpoint.json.",
    (
        Column("tree_size", "integer", "Number of ledger entries covered", True, unique=True),
        Column("root_hash", "string", "Merkle root (hex)", required=True, pattern="[0-9a-f]{64}"),
        _text("timestamp", "When it was signed (UTC, as signed)", required=True),
        _text("origin", "The signing instance", required=True),
        _text("public_key", "Ed25519 public key (base64)", required=True),
        _text("signature", "Ed25519 signature (base64)", required=True),
    ),
    ("tree_size",),
)

TABLES: tuple[Table, ...] = (
    FORUM,
    CYCLES,
    PHASE_CHANGES,
    PARTICIPANTS,
    TOPICS,
    ISSUES,
    ISSUE_TOPICS,
    SUPPORTS,
    SIGNALS,
    SOLUTIONS,
    ADVICE,
    ADVICE_REVISIONS,
    COMMENTS,
    MODERATION_LOG,
    AGENDA_PUBLICATIONS,
    CONVERSATIONS,
    STATEMENTS,
    VOTES,
    CHECKPOINTS,
)

LEDGER_FILE = "ledger.jsonl"
CHECKPOINT_FILE = "checkpoint.json"
DESCRIPTOR_FILE = "datapackage.json"
