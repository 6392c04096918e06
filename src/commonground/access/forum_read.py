"""A forum with its parent, its open cycle and that cycle's tally version, in one
hand-written statement.

The agenda and the issue list read the forum (``get_forum``), then its open cycle
(``open_cycle_of``), and the agenda the cycle's tally version: three statements, two of
them built by the ORM, on every render of two pages that a busy cycle renders every
window (docs/performance.md, issue 19). Here they are one, and its rows become the
instances the ORM builds (commonground.core.rows): the parent and the forum kept on the
forum and the cycle as ``select_related`` and the forum's ``cycles`` manager keep them.
"""

from __future__ import annotations

from functools import cache

from django.db import connection

from commonground.core import rows
from commonground.forums.models import Cycle, Forum
from commonground.issues.models import TallyVersion


@cache
def _statement(vendor: str) -> str:
    quote = connection.ops.quote_name
    forums, cycles = quote(Forum._meta.db_table), quote(Cycle._meta.db_table)
    shards = quote(TallyVersion._meta.db_table)
    return (
        f"SELECT {rows.columns(Forum, 'f')}, {rows.columns(Forum, 'p')}, "
        f"{rows.columns(Cycle, 'c')}, COALESCE((SELECT SUM(v.version) FROM {shards} v "
        f"WHERE v.cycle_id = c.id), 0) FROM {forums} f "
        f"LEFT JOIN {forums} p ON p.id = f.parent_id "
        f"LEFT JOIN {cycles} c ON c.forum_id = f.id AND c.is_open "
        "WHERE f.slug = %s"
    )


def read_forum_and_open_cycle(
    slug: str,
) -> tuple[Forum, Cycle | None, tuple[int, int] | None] | None:
    """The forum (its parent read), its open cycle (None if none) and the cycle's tally
    version (``commonground.issues.tallies.tally_version``'s pair), or None if no forum
    has this slug. A forum has at most one open cycle (a constraint)."""
    with connection.cursor() as cursor:
        cursor.execute(_statement(connection.vendor), [slug])
        row = cursor.fetchone()
    if row is None:
        return None
    width = rows.width(Forum)
    forum = rows.instance(Forum, row[:width])
    parent = row[width : 2 * width]
    rows.cache_related(forum, "parent", rows.instance(Forum, parent) if parent[0] else None)
    cycle_row = row[2 * width : 2 * width + rows.width(Cycle)]
    if cycle_row[0] is None:
        return forum, None, None
    cycle = rows.instance(Cycle, cycle_row)
    rows.cache_related(cycle, "forum", forum)
    return forum, cycle, (int(cycle.tally_version), int(row[-1]))
