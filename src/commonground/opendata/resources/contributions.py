"""The tables of signals, solutions, advice and its revisions, comments and the moderation
log."""

from __future__ import annotations

from commonground.opendata.resources.columns import (
    FEASIBILITIES,
    KINDS,
    PRIORITIES,
    STANCES,
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
from commonground.stakeholders import gettext_noop

ADVICE_BODY = (
    Column(
        "feasibility",
        "string",
        "Feasibility of the solution",
        required=True,
        enum=FEASIBILITIES,
    ),
    text("conditions", "Conditions under which it is feasible (Markdown)"),
    text("benefits", "Expected benefits (Markdown)"),
    text("risks", "Risks and consequences (Markdown)"),
    Column("affected_groups", "array", "Stakeholder groups affected (JSON list)", required=True),
    Column("evidence", "array", "Evidence links (JSON list of URLs)", required=True),
)


SIGNALS = Table(
    "signals",
    gettext_noop("Formal signals of concern by government and intergovernmental members."),
    (
        id_column("Signal id"),
        ref("issue_id", "Issue"),
        person("author", "Participant id of the author"),
        text("jurisdiction", "Jurisdiction or organization", required=True),
        Column("priority", "string", "Priority", required=True, enum=PRIORITIES),
        text("statement", "Statement (Markdown)", required=True),
        when("created_at", "When it was given (UTC)"),
        when("updated_at", "When it was last edited (UTC)"),
    ),
    ("id",),
    (to("issue_id", "issues"), to_participant("author")),
)

SOLUTIONS = Table(
    "solutions",
    gettext_noop("Envisaged solutions to issues."),
    (
        id_column("Solution id"),
        ref("issue_id", "Issue"),
        person("author", "Participant id of the author"),
        text("title", "Title", required=True),
        text("description", "Description (Markdown)", required=True),
        Column("actors", "array", "Who would act (JSON list of names)", required=True),
        text("language", "Language code of the title and description", required=True),
        when("created_at", "When it was proposed (UTC)"),
        when("updated_at", "When it was last edited (UTC)"),
    ),
    ("id",),
    (to("issue_id", "issues"), to_participant("author")),
)

ADVICE = Table(
    "advice",
    gettext_noop(
        "Technical advice on solutions, as it stands now (every version is in advice_revisions)."
    ),
    (
        id_column("Advice id"),
        ref("solution_id", "Solution"),
        person("author", "Participant id of the advisor"),
        *ADVICE_BODY,
        Column("revision_count", "integer", "Number of versions", required=True),
        when("created_at", "When it was first given (UTC)"),
        when("updated_at", "When it was last revised (UTC)"),
    ),
    ("id",),
    (to("solution_id", "solutions"), to_participant("author")),
)

ADVICE_REVISIONS = Table(
    "advice_revisions",
    gettext_noop(
        "Every version of every piece of advice: number 1 is the original, one more per revision."
    ),
    (
        id_column("Revision id"),
        ref("advice_id", "Advice"),
        Column("number", "integer", "Version number, from 1", required=True),
        *ADVICE_BODY,
        when("created_at", "When this version was written (UTC)"),
    ),
    ("id",),
    (to("advice_id", "advice"),),
)

COMMENTS = Table(
    "comments",
    gettext_noop(
        "Comments on issues and solutions, threaded one level deep. A deleted comment stays as a "
        "stub (empty body, deleted_at set) so its thread reads on."
    ),
    (
        id_column("Comment id"),
        ref("issue_id", "Issue"),
        ref("solution_id", "Solution commented on (empty: the issue itself)", False),
        ref("parent_id", "Comment replied to (empty: a top-level comment)", False),
        person("author", "Participant id of the author"),
        text("body", "Text (Markdown); empty when deleted"),
        Column("stance", "string", "Stance (empty: none given)", enum=STANCES),
        when("created_at", "When it was written (UTC)"),
        when("updated_at", "When it was last edited (UTC)"),
        when("deleted_at", "When its author deleted it (UTC)", required=False),
    ),
    ("id",),
    (
        to("issue_id", "issues"),
        to("solution_id", "solutions"),
        ForeignKey(("parent_id",), "", ("id",)),
        to_participant("author"),
    ),
)

MODERATION_LOG = Table(
    "moderation_log",
    gettext_noop(
        "The public moderation log: every contribution hidden or restored, when and why. "
        "Reporters are never named; hidden contributions themselves are not in the package."
    ),
    (
        id_column("Moderation action id"),
        Column("kind", "string", "Kind of contribution", required=True, enum=KINDS),
        Column("object_id", "integer", "Id of the contribution", required=True),
        ref("issue_id", "Issue of the contribution", False),
        Column("action", "string", "What was done", required=True, enum=("hide", "restore")),
        Column("automatic", "boolean", "Hidden automatically by reports", required=True),
        text("reason", "Public reason", required=True),
        person("steward", "Participant id of the steward (empty when automatic)", False),
        when("created_at", "When (UTC)"),
    ),
    ("id",),
    (to("issue_id", "issues"), to_participant("steward")),
)
