"""Specs of the community translations of issues, solutions and messages: one shape and
one loader for the three (``resources.translations``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet

from commonground.contributions.models import SolutionTranslation
from commonground.core.markdown import render_markdown
from commonground.forums.models import Forum
from commonground.issues.models import IssueTranslation
from commonground.opendata import resources as r
from commonground.opendata.resources import Table
from commonground.opendata.specs.base import Importing, Row, TableSpec, pick
from commonground.outcomes.models import MessageTranslation


def _spec(
    table: Table, model: type[Any], parent: str, body: str, query: Callable[[Forum], QuerySet[Any]]
) -> TableSpec:
    def build(row: Row, into: Importing) -> Any:
        return model(
            pk=row["id"],
            author=into.member[row["author"]],
            **{f"{parent}_id": row[f"{parent}_id"], body: row[body]},
            **{f"{body}_html": render_markdown(row[body])},
            **pick(row, "language", "title", "created_at", "updated_at"),
        )

    paths = ("pk", f"{parent}_id", "language", "title", body, "author__user__public_id")
    return TableSpec(table, model, (*paths, "created_at", "updated_at"), query=query, build=build)


ISSUE_TRANSLATIONS = _spec(
    r.ISSUE_TRANSLATIONS,
    IssueTranslation,
    "issue",
    "description",
    lambda forum: IssueTranslation.objects.filter(issue__forum=forum, hidden=False),
)
# Hidden solutions are not in solutions.csv: neither are their translations.
SOLUTION_TRANSLATIONS = _spec(
    r.SOLUTION_TRANSLATIONS,
    SolutionTranslation,
    "solution",
    "description",
    lambda forum: SolutionTranslation.objects.filter(
        solution__forum=forum, solution__hidden=False, hidden=False
    ),
)
MESSAGE_TRANSLATIONS = _spec(
    r.MESSAGE_TRANSLATIONS,
    MessageTranslation,
    "message",
    "text",
    lambda forum: MessageTranslation.objects.filter(message__forum=forum, hidden=False),
)
