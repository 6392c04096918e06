"""An issue's contributions with their authors, as hand-written statements.

The contributions section of the issue page (``section_context``) reads the issue's
signals, solutions, advice and comments, each with its author's membership and account.
As ORM queries with ``select_related`` they cost about 1 ms of CPU each to build even
when there is nothing to read, and the section renders again after every comment on the
issue (docs/performance.md, issue 19). Here each is one plain statement whose rows become
the instances the ORM builds (commonground.core.rows), in the models' order (creation
time, then id).
"""

from __future__ import annotations

from functools import cache
from typing import Any, TypeVar

from django.db import connection

from commonground.contributions.models import Advice, Comment, Signal, Solution
from commonground.core import rows
from commonground.participants.models import Membership, User

C = TypeVar("C", Signal, Solution, Advice, Comment)


@cache
def _statement(model: type[Any], vendor: str) -> str:
    """The contributions of ``model`` on an issue with their authors (built once per
    process and vendor); advice is on the issue through its solution."""
    quote = connection.ops.quote_name

    def table(of: type[Any]) -> str:
        return str(quote(of._meta.db_table))

    via = ""
    on_issue = "x.issue_id"
    if model is Advice:
        via = f"JOIN {table(Solution)} s ON s.id = x.solution_id "
        on_issue = "s.issue_id"
    return (
        f"SELECT {rows.columns(model, 'x')}, {rows.columns(Membership, 'm')}, "
        f"{rows.columns(User, 'u')} FROM {table(model)} x {via}"
        f"JOIN {table(Membership)} m ON m.id = x.author_id "
        f"JOIN {table(User)} u ON u.id = m.user_id "
        f"WHERE {on_issue} = %s ORDER BY x.created_at, x.id"
    )


def with_authors(model: type[C], issue_id: int, ids: list[int] | None = None) -> list[C]:
    """The issue's contributions of ``model`` (hidden ones too), each with
    ``author.user`` read, oldest first; only those of ``ids`` when given."""
    statement, parameters = _statement(model, connection.vendor), [issue_id]
    if ids is not None:
        if not ids:
            return []
        marks = ", ".join(["%s"] * len(ids))
        statement = statement.replace(" ORDER BY ", f" AND x.id IN ({marks}) ORDER BY ")
        parameters += ids
    with connection.cursor() as cursor:
        cursor.execute(statement, parameters)
        found = cursor.fetchall()
    own, member = rows.width(model), rows.width(Membership)
    items = []
    # One membership and account per author, shared by the author's contributions: a
    # discussion's comments come from a few members, and building the two instances was
    # most of the read's CPU (nothing the section shows is set on an author).
    authors: dict[int, Membership] = {}
    for row in found:
        item = rows.instance(model, row[:own])
        author = authors.get(item.author_id)
        if author is None:
            author = rows.instance(Membership, row[own : own + member])
            rows.cache_related(author, "user", rows.instance(User, row[own + member :]))
            authors[item.author_id] = author
        rows.cache_related(item, "author", author)
        items.append(item)
    return items
