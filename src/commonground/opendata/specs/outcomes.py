"""Specs of messages and their comment, designation, referral and uptake tables.

Every message of the forum goes out, drafts included: messages are public from their
first draft (the page and the API show them), like issues, with the conversations and
session reports it draws on.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from typing import Any

from commonground.meetings.models import Report
from commonground.opendata import resources as r
from commonground.opendata.specs.base import (
    BATCH,
    Exporting,
    Importing,
    Row,
    TableSpec,
    pick,
    values,
)
from commonground.outcomes.models import (
    Designation,
    Disposition,
    Message,
    MessageVersion,
    Position,
    Referral,
    Reply,
    Uptake,
)


def _export_messages(at: Exporting) -> Iterator[Sequence[Any]]:
    links: dict[int, list[int]] = {}
    through = Message.conversations.through.objects.filter(message__forum=at.forum)
    for message_id, conversation_id in through.values_list("message_id", "conversation_id"):
        links.setdefault(message_id, []).append(conversation_id)
    reports: dict[int, list[int]] = {}
    drawn = Message.reports.through.objects.filter(message__forum=at.forum)
    for message_id, report_id in drawn.values_list("message_id", "report_id"):
        reports.setdefault(message_id, []).append(report_id)
    for row in values(
        Message.objects.filter(forum=at.forum),
        "pk",
        "cycle_id",
        "issue_id",
        "created_by__user__public_id",
        "title",
        "text",
        "language",
        "version",
        "state",
        "created_at",
        "opens_at",
        "closes_at",
        "published_at",
        "referred_at",
    ):
        yield (*row, sorted(links.get(row[0], [])), sorted(reports.get(row[0], [])))


def _load_messages(rows: list[Row], into: Importing) -> None:
    Message.objects.bulk_create(
        [
            Message(
                pk=m["id"],
                forum=into.the_forum,
                created_by=into.member[m["drafted_by"]],
                **pick(m, "cycle_id", "issue_id", "title", "text", "language", "version"),
                state=m["state"],
                **pick(m, "created_at", "opens_at", "closes_at", "published_at", "referred_at"),
            )
            for m in rows
        ],
        batch_size=BATCH,
    )
    link = Message.conversations.through
    link.objects.bulk_create(
        [link(message_id=m["id"], conversation_id=c) for m in rows for c in m["conversation_ids"]],
        batch_size=BATCH,
    )
    # Reports the package holds (session_reports.csv is written before this table).
    known = set(Report.objects.filter(session__forum=into.the_forum).values_list("pk", flat=True))
    drawn = Message.reports.through
    drawn.objects.bulk_create(
        [
            drawn(message_id=m["id"], report_id=x)
            for m in rows
            for x in m["report_ids"]
            if x in known
        ],
        batch_size=BATCH,
    )


def _export_uptake(at: Exporting) -> Iterator[Sequence[Any]]:
    for row in values(
        Uptake.objects.filter(message__forum=at.forum),
        "pk",
        "message_id",
        "membership__user__public_id",
        "stakeholder_group",
        "body",
        "action",
        "summary",
        "date",
        "url",
        "recorded_at",
    ):
        yield (*row[:7], row[7].isoformat(), *row[8:])


MESSAGES = TableSpec(r.MESSAGES, Message, export=_export_messages, load=_load_messages)

MESSAGE_VERSIONS = TableSpec(
    r.MESSAGE_VERSIONS,
    MessageVersion,
    ("pk", "message_id", "number", "title", "text", "note", "created_by__user__public_id",
     "created_at"),
    query=lambda forum: MessageVersion.objects.filter(message__forum=forum),
    build=lambda v, into: MessageVersion(
        pk=v["id"], created_by=into.member[v["saved_by"]],
        **pick(v, "message_id", "number", "title", "text", "note", "created_at"),
    ),
)  # fmt: skip

MESSAGE_POSITIONS = TableSpec(
    r.MESSAGE_POSITIONS,
    Position,
    ("pk", "message_id", "membership__user__public_id", "stakeholder_group", "position", "text",
     "version", "created_at", "updated_at"),
    query=lambda forum: Position.objects.filter(message__forum=forum),
    build=lambda p, into: Position(
        pk=p["id"], membership=into.member[p["participant_id"]],
        **pick(p, "message_id", "stakeholder_group", "position", "text", "version"),
        **pick(p, "created_at", "updated_at"),
    ),
)  # fmt: skip

MESSAGE_DISPOSITIONS = TableSpec(
    r.MESSAGE_DISPOSITIONS,
    Disposition,
    ("pk", "objection_id", "disposition", "reason", "version", "decided_by__user__public_id",
     "decided_at"),
    query=lambda forum: Disposition.objects.filter(objection__message__forum=forum),
    build=lambda d, into: Disposition(
        pk=d["id"], decided_by=into.member[d["decided_by"]],
        **pick(d, "objection_id", "disposition", "reason", "version", "decided_at"),
    ),
)  # fmt: skip

MESSAGE_REPLIES = TableSpec(
    r.MESSAGE_REPLIES,
    Reply,
    ("pk", "objection_id", "author__user__public_id", "text", "created_at"),
    query=lambda forum: Reply.objects.filter(objection__message__forum=forum),
    build=lambda x, into: Reply(
        pk=x["id"], author=into.member[x["author"]],
        **pick(x, "objection_id", "text", "created_at"),
    ),
)  # fmt: skip

MESSAGE_DESIGNATIONS = TableSpec(
    r.MESSAGE_DESIGNATIONS,
    Designation,
    ("pk", "message_id", "level", "rationale", "minority_view", "suggested_level",
     "suggested_minority_groups", "designated_by__user__public_id", "designated_at"),
    query=lambda forum: Designation.objects.filter(message__forum=forum),
    build=lambda d, into: Designation(
        pk=d["id"], designated_by=into.member[d["designated_by"]],
        **pick(d, "message_id", "level", "rationale", "minority_view", "suggested_level"),
        **pick(d, "suggested_minority_groups", "designated_at"),
    ),
)  # fmt: skip

MESSAGE_REFERRALS = TableSpec(
    r.MESSAGE_REFERRALS,
    Referral,
    ("pk", "message_id", "name", "kind", "contact", "referred_by__user__public_id",
     "referred_at"),
    query=lambda forum: Referral.objects.filter(message__forum=forum),
    build=lambda x, into: Referral(
        pk=x["id"], referred_by=into.member[x["referred_by"]],
        **pick(x, "message_id", "name", "kind", "contact", "referred_at"),
    ),
)  # fmt: skip

MESSAGE_UPTAKE = TableSpec(
    r.MESSAGE_UPTAKE,
    Uptake,
    export=_export_uptake,
    build=lambda u, into: Uptake(
        pk=u["id"], membership=into.member[u["participant_id"]],
        date=date.fromisoformat(u["date"]),
        **pick(u, "message_id", "stakeholder_group", "body", "action", "summary", "url"),
        **pick(u, "recorded_at"),
    ),
)  # fmt: skip
