"""Specs of the community translations of issues, solutions and messages: one shape and
one loader for the three (``resources.translations``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from django.db.models import QuerySet

from commonground.contributions.models import SolutionTranslation
from commonground.core.markdown import render_markdown
from commonground.forums.models import Forum
from commonground.issues.models import EARLIER_SOURCE, IssueTranslation, source_digest
from commonground.opendata import resources as r
from commonground.opendata.resources import Table
from commonground.opendata.specs.base import (
    BATCH,
    CHUNK,
    Exporting,
    Importing,
    Row,
    TableSpec,
    pick,
)
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

    def export(at: Exporting) -> Iterator[Sequence[Any]]:
        # ``stale`` compares a digest of the original's text (``CommunityTranslation.stale``),
        # which no portable SQL computes: the rows are read with their original.
        rows = query(at.forum).select_related(parent, "author__user").order_by("pk")
        for t in rows.iterator(chunk_size=CHUNK):
            yield (
                t.pk, getattr(t, f"{parent}_id"), t.language, t.title, getattr(t, body),
                t.author.user.public_id, t.created_at, t.updated_at, t.stale,
            )  # fmt: skip

    def load(rows: list[Row], into: Importing) -> None:
        # The originals are written before their translations: a fresh translation records
        # the digest of its original's text as the package has it, a stale one a source
        # that is no digest, so that both read as the package says (``stale``).
        originals = model._meta.get_field(parent).related_model._default_manager.in_bulk(
            {row[f"{parent}_id"] for row in rows}
        )
        made = []
        for row in rows:
            translation = build(row, into)
            original = originals[row[f"{parent}_id"]]
            translation.source_sha256 = (
                EARLIER_SOURCE if row["stale"] else source_digest(original, body)
            )
            made.append(translation)
        model._default_manager.bulk_create(made, batch_size=BATCH)

    return TableSpec(table, model, export=export, load=load)


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
