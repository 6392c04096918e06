"""An issue with what its pages read next to it, in one hand-written statement.

``issue_queryset()`` (commonground.access.lookup) reads an issue with its forum, cycle,
author and the author's account in one query and its topics in a second, and the ORM
spends more CPU building the two than the database answering them: about 2 ms of each
render of the issue page (docs/performance.md, issue 19). Here the same rows come from one
statement (one row per topic, the issue's columns repeated) and become the same instances
the ORM builds (commonground.core.rows), with the topics kept as ``prefetch_related``
keeps them, so ``issue.topics.all()`` runs no query.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.db import connection

from commonground.core import rows
from commonground.forums.models import Cycle, Forum
from commonground.issues.models import Issue, Topic
from commonground.participants.models import Membership, User

# The models of the statement's row, in their order, and the field of the one before
# (or of the issue) each is related by.
_PARTS: tuple[tuple[Any, str], ...] = (
    (Forum, "forum"),
    (Cycle, "cycle"),
    (Membership, "author"),
    (User, "user"),
)


@cache
def _statement(vendor: str) -> str:
    """The statement, built once per process and database vendor; the topics in their
    model's order (``Topic.Meta.ordering``)."""
    quote = connection.ops.quote_name

    def table(model: type) -> str:
        return quote(model._meta.db_table)  # type: ignore[attr-defined]

    through = quote(Issue.topics.through._meta.db_table)
    selected = ", ".join(
        rows.columns(model, alias)
        for model, alias in ((Issue, "i"), (Forum, "f"), (Cycle, "c"), (Membership, "m"))
    )
    return (
        f"SELECT {selected}, {rows.columns(User, 'u')}, {rows.columns(Topic, 't')} "
        f"FROM {table(Issue)} i "
        f"JOIN {table(Forum)} f ON f.id = i.forum_id "
        f"JOIN {table(Cycle)} c ON c.id = i.cycle_id "
        f"JOIN {table(Membership)} m ON m.id = i.author_id "
        f"JOIN {table(User)} u ON u.id = m.user_id "
        f"LEFT JOIN {through} it ON it.issue_id = i.id "
        f"LEFT JOIN {table(Topic)} t ON t.id = it.topic_id "
        "WHERE i.id = %s ORDER BY t.is_sdg DESC, t.slug"
    )


def read_issue(issue_id: int) -> Issue | None:
    """The issue with its forum, cycle, author (with the account) and topics, or None."""
    with connection.cursor() as cursor:
        cursor.execute(_statement(connection.vendor), [issue_id])
        found = cursor.fetchall()
    if not found:
        return None
    first = found[0]
    end = rows.width(Issue)
    issue = rows.instance(Issue, first[:end])
    parts: dict[str, Any] = {}
    for model, name in _PARTS:
        start, end = end, end + rows.width(model)
        parts[name] = rows.instance(model, first[start:end])
    rows.cache_related(issue, "forum", parts["forum"])
    rows.cache_related(issue, "cycle", parts["cycle"])
    rows.cache_related(issue, "author", parts["author"])
    rows.cache_related(parts["author"], "user", parts["user"])
    topics = [rows.instance(Topic, row[end:]) for row in found if row[end] is not None]
    # As prefetch_related keeps them (django.db.models.query.prefetch_one_level).
    kept: Any = issue.topics.get_queryset()
    kept._result_cache = topics
    kept._prefetch_done = True
    issue._prefetched_objects_cache = {Issue.topics.field.name: kept}  # type: ignore[attr-defined]
    return issue
