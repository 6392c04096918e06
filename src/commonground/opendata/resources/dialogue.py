"""The tables of conversations, their statements and the votes on them."""

from __future__ import annotations

from commonground.opendata.resources.columns import (
    EXPORTED_STATEMENT_STATUSES,
    EXTERNAL_VOTER_RE,
    MODERATIONS,
    VOTE_VALUES,
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
from commonground.stakeholders import gettext_noop

CONVERSATIONS = Table(
    "conversations",
    gettext_noop(
        "Conversations (Polis-style dialogue) of the forum: short statements participants vote "
        "on. Opinion maps are computed from the votes and are not in the package."
    ),
    (
        id_column("Conversation id"),
        ref("issue_id", "Issue discussed (empty: none)", False),
        person("opened_by", "Participant id of who opened it (empty: imported)", False),
        text("topic", "Topic", required=True),
        text("description", "Description"),
        Column(
            "moderation",
            "string",
            "strict: a steward approves each statement; open: shown at once",
            required=True,
            enum=MODERATIONS,
        ),
        Column("is_open", "boolean", "Whether it takes statements and votes", required=True),
        when("created_at", "When it was opened (UTC)"),
        when("last_vote_at", "When the last vote was cast (UTC)", required=False),
        text("source", "Where it was imported from, e.g. polis:NAME (empty: opened here)"),
    ),
    ("id",),
    (to("issue_id", "issues"), to_participant("opened_by")),
)

STATEMENTS = Table(
    "statements",
    gettext_noop(
        "The statements of every conversation: the public (accepted) ones, and those a steward "
        "rejected by id only (empty text), because opinion maps count them. "
        "Statements awaiting moderation are not in the package (nor their votes)."
    ),
    (
        id_column("Statement id"),
        ref("conversation_id", "Conversation"),
        person(
            "author",
            "Always empty: a statement's author is shown only to stewards and to the author",
            False,
        ),
        text("text", "Text (empty when rejected: a rejected statement's text is not public)"),
        Column(
            "status",
            "string",
            "Moderation status: accepted (public) or rejected (moderated out, counted by maps)",
            required=True,
            enum=EXPORTED_STATEMENT_STATUSES,
        ),
        when("created_at", "When it was written (UTC)"),
        Column("external_id", "integer", "Its id in the Polis export it was imported from"),
    ),
    ("id",),
    (to("conversation_id", "conversations"), to_participant("author")),
)

VOTES = Table(
    "votes",
    gettext_noop(
        "Every participant's current vote on every accepted or rejected statement (a changed "
        "vote appears once, as it stands; each vote cast is in the ledger). A vote is by a member "
        "(participant_id) or by a pseudonymous participant of an imported Polis export "
        "(external_participant)."
    ),
    (
        id_column("Vote id"),
        ref("conversation_id", "Conversation"),
        ref("statement_id", "Statement voted on"),
        person("participant_id", "Participant id of the voting member", False),
        Column(
            "external_participant",
            "string",
            "Pseudonymous voter of an imported export (x and the export's participant id)",
            pattern=EXTERNAL_VOTER_RE.pattern[1:-1],
        ),
        Column("vote", "integer", "1 agree, 0 pass, -1 disagree", required=True, enum=VOTE_VALUES),
        when("updated_at", "When it was cast or last changed (UTC)"),
    ),
    ("id",),
    (
        to("conversation_id", "conversations"),
        to("statement_id", "statements"),
        to_participant("participant_id"),
    ),
)
