"""The tables of a forum's data package: columns, types and how values are written and read.

One module per domain (``forums``, ``issues``, ``contributions``, ``recognition``,
``dialogue``, ``ledger``) holds its tables; ``columns`` holds the column types and the
value conversions; :data:`TABLES` lists them all in the package's order.

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

from commonground.opendata.resources.columns import (
    DATETIME_FORMAT,
    EMPTY,
    EXPORTED_STATEMENT_STATUSES,
    EXTERNAL_VOTER_RE,
    FEASIBILITIES,
    KINDS,
    LEVELS,
    MODERATIONS,
    PACKAGE_FORMAT,
    PRIORITIES,
    PUBLIC_ID_RE,
    READERS,
    STANCES,
    VOTE_VALUES,
    WRITERS,
    Column,
    ForeignKey,
    Table,
    ValueProblem,
    dump_json,
    format_datetime,
)
from commonground.opendata.resources.contributions import (
    ADVICE,
    ADVICE_REVISIONS,
    COMMENTS,
    MODERATION_LOG,
    SIGNALS,
    SOLUTIONS,
)
from commonground.opendata.resources.dialogue import CONVERSATIONS, STATEMENTS, VOTES
from commonground.opendata.resources.forums import CYCLES, FORUM, PARTICIPANTS, PHASE_CHANGES
from commonground.opendata.resources.issues import ISSUE_TOPICS, ISSUES, SUPPORTS, TOPICS
from commonground.opendata.resources.ledger import CHECKPOINTS
from commonground.opendata.resources.meetings import (
    ADVISORY_SEATS,
    SELECTION_PUBLICATIONS,
    SESSION_REPORTS,
    SESSION_SCORES,
    SESSION_SPEAKERS,
    SESSIONS,
)
from commonground.opendata.resources.network import ANNUAL_REPORTS, FORWARDS, MERGES, NRI_TEAM
from commonground.opendata.resources.outcomes import (
    MESSAGE_DESIGNATIONS,
    MESSAGE_DISPOSITIONS,
    MESSAGE_POSITIONS,
    MESSAGE_REFERRALS,
    MESSAGE_REPLIES,
    MESSAGE_UPTAKE,
    MESSAGE_VERSIONS,
    MESSAGES,
)
from commonground.opendata.resources.recognition import AGENDA_PUBLICATIONS
from commonground.opendata.resources.translations import (
    ISSUE_TRANSLATIONS,
    MESSAGE_TRANSLATIONS,
    SOLUTION_TRANSLATIONS,
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
    ADVISORY_SEATS,
    SESSIONS,
    SESSION_SPEAKERS,
    SESSION_SCORES,
    SELECTION_PUBLICATIONS,
    SESSION_REPORTS,
    MESSAGES,
    MESSAGE_VERSIONS,
    MESSAGE_POSITIONS,
    MESSAGE_DISPOSITIONS,
    MESSAGE_REPLIES,
    MESSAGE_DESIGNATIONS,
    MESSAGE_REFERRALS,
    MESSAGE_UPTAKE,
    ISSUE_TRANSLATIONS,
    SOLUTION_TRANSLATIONS,
    MESSAGE_TRANSLATIONS,
    FORWARDS,
    MERGES,
    NRI_TEAM,
    ANNUAL_REPORTS,
    CHECKPOINTS,
)

LEDGER_FILE = "ledger.jsonl"
CHECKPOINT_FILE = "checkpoint.json"
DESCRIPTOR_FILE = "datapackage.json"

__all__ = [
    "ADVICE",
    "ADVICE_REVISIONS",
    "ADVISORY_SEATS",
    "AGENDA_PUBLICATIONS",
    "ANNUAL_REPORTS",
    "CHECKPOINTS",
    "CHECKPOINT_FILE",
    "COMMENTS",
    "CONVERSATIONS",
    "CYCLES",
    "DATETIME_FORMAT",
    "DESCRIPTOR_FILE",
    "EMPTY",
    "EXPORTED_STATEMENT_STATUSES",
    "EXTERNAL_VOTER_RE",
    "FEASIBILITIES",
    "FORUM",
    "FORWARDS",
    "ISSUES",
    "ISSUE_TOPICS",
    "ISSUE_TRANSLATIONS",
    "KINDS",
    "LEDGER_FILE",
    "LEVELS",
    "MERGES",
    "MESSAGES",
    "MESSAGE_DESIGNATIONS",
    "MESSAGE_DISPOSITIONS",
    "MESSAGE_POSITIONS",
    "MESSAGE_REFERRALS",
    "MESSAGE_REPLIES",
    "MESSAGE_TRANSLATIONS",
    "MESSAGE_UPTAKE",
    "MESSAGE_VERSIONS",
    "MODERATIONS",
    "MODERATION_LOG",
    "NRI_TEAM",
    "PACKAGE_FORMAT",
    "PARTICIPANTS",
    "PHASE_CHANGES",
    "PRIORITIES",
    "PUBLIC_ID_RE",
    "READERS",
    "SELECTION_PUBLICATIONS",
    "SESSIONS",
    "SESSION_REPORTS",
    "SESSION_SCORES",
    "SESSION_SPEAKERS",
    "SIGNALS",
    "SOLUTIONS",
    "SOLUTION_TRANSLATIONS",
    "STANCES",
    "STATEMENTS",
    "SUPPORTS",
    "TABLES",
    "TOPICS",
    "VOTES",
    "VOTE_VALUES",
    "WRITERS",
    "Column",
    "ForeignKey",
    "Table",
    "ValueProblem",
    "dump_json",
    "format_datetime",
]
