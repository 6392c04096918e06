"""Specs of signals, solutions, advice and its revisions, comments and the moderation log.

Hidden contributions are not exported, nor what only their author and the stewards may
see under them (advice on a hidden solution, a comment under a hidden solution or parent).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from commonground.contributions.models import (
    Advice,
    AdviceRevision,
    Comment,
    ModerationAction,
    Signal,
    Solution,
)
from commonground.core.markdown import render_markdown
from commonground.forums.models import Forum
from commonground.opendata import resources as r
from commonground.opendata.specs.base import TableSpec, pick

ADVICE_BODY = ("feasibility", "conditions", "benefits", "risks", "affected_groups", "evidence")


def _public_advice(forum: Forum) -> QuerySet[Any]:
    return Advice.objects.filter(forum=forum, hidden=False, solution__hidden=False)


def _public_comments(forum: Forum) -> QuerySet[Any]:
    # A comment is public unless it, its solution or its parent is hidden.
    return Comment.objects.filter(forum=forum, hidden=False).exclude(
        Q(solution__hidden=True) | Q(parent__hidden=True)
    )


SIGNALS = TableSpec(
    r.SIGNALS,
    Signal,
    (
        "pk",
        "issue_id",
        "author__user__public_id",
        "jurisdiction",
        "priority",
        "statement",
        "created_at",
        "updated_at",
    ),
    query=lambda forum: Signal.objects.filter(forum=forum, hidden=False),
    build=lambda s, into: Signal(
        pk=s["id"],
        forum=into.the_forum,
        author=into.member[s["author"]],
        statement_html=render_markdown(s["statement"]),
        **pick(s, "issue_id", "jurisdiction", "priority", "statement"),
        **pick(s, "created_at", "updated_at"),
    ),
)

SOLUTIONS = TableSpec(
    r.SOLUTIONS,
    Solution,
    (
        "pk",
        "issue_id",
        "author__user__public_id",
        "title",
        "description",
        "actors",
        "language",
        "created_at",
        "updated_at",
    ),
    query=lambda forum: Solution.objects.filter(forum=forum, hidden=False),
    build=lambda s, into: Solution(
        pk=s["id"],
        forum=into.the_forum,
        author=into.member[s["author"]],
        description_html=render_markdown(s["description"]),
        **pick(s, "issue_id", "title", "description", "actors", "language"),
        **pick(s, "created_at", "updated_at"),
    ),
)

ADVICE = TableSpec(
    r.ADVICE,
    Advice,
    (
        "pk",
        "solution_id",
        "author__user__public_id",
        *ADVICE_BODY,
        "revision_count",
        "created_at",
        "updated_at",
    ),
    query=_public_advice,
    build=lambda a, into: Advice(
        pk=a["id"],
        forum=into.the_forum,
        author=into.member[a["author"]],
        **pick(a, "solution_id", "revision_count", "created_at", "updated_at", *ADVICE_BODY),
    ),
)

ADVICE_REVISIONS = TableSpec(
    r.ADVICE_REVISIONS,
    AdviceRevision,
    ("pk", "advice_id", "number", *ADVICE_BODY, "created_at"),
    query=lambda forum: AdviceRevision.objects.filter(
        advice__in=_public_advice(forum).values("pk")
    ),
    build=lambda a, into: AdviceRevision(
        pk=a["id"], **pick(a, "advice_id", "number", "created_at", *ADVICE_BODY)
    ),
)

COMMENTS = TableSpec(
    r.COMMENTS,
    Comment,
    (
        "pk",
        "issue_id",
        "solution_id",
        "parent_id",
        "author__user__public_id",
        "body",
        "stance",
        "created_at",
        "updated_at",
        "deleted_at",
    ),
    query=_public_comments,
    build=lambda c, into: Comment(
        pk=c["id"],
        forum=into.the_forum,
        author=into.member[c["author"]],
        body_html=render_markdown(c["body"]) if c["body"] else "",
        **pick(c, "issue_id", "solution_id", "parent_id", "body", "stance"),
        **pick(c, "created_at", "updated_at", "deleted_at"),
    ),
)

MODERATION_LOG = TableSpec(
    r.MODERATION_LOG,
    ModerationAction,
    (
        "pk",
        "kind",
        "object_id",
        "issue_id",
        "action",
        "automatic",
        "reason",
        "steward__user__public_id",
        "created_at",
    ),
    query=lambda forum: ModerationAction.objects.filter(forum=forum),
    build=lambda m, into: ModerationAction(
        pk=m["id"],
        forum=into.the_forum,
        steward=into.member[m["steward"]] if m["steward"] else None,
        **pick(m, "kind", "object_id", "issue_id", "action", "automatic", "reason"),
        created_at=m["created_at"],
    ),
)
