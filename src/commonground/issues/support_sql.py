"""The statements of a support change on PostgreSQL, written by hand (issue 19).

A support went through the ORM as ~14 statements, each built by Django's query compiler:
about 10 ms of application CPU against 1.4 ms for the floor write (docs/performance.md).
These builders give the same reads and writes in three statements; the decisions (who
may, what is counted, what is recorded) stay in ``commonground.issues.services``, which
calls them. Table and column names come from the models, so a renamed field breaks here
loudly rather than silently.

1. ``lock``: the acting member's membership (FOR NO KEY UPDATE, as ``require_member(lock=
   True)``) and the issue (FOR KEY SHARE, as a support always held it against a merge),
   with what the access rules read: the membership's status and group, the issue's
   cycle, its phase and whether it is open, the forum, whether the issue was merged.
2. ``add`` / ``remove``: the support row (an insert that does nothing when it exists, or a
   delete) with the follow, returning whether anything changed and whether the member
   has other supports in the cycle (the active-supporter count changes when not).
3. ``apply``: the tallies, in one statement whose last row lock is the hot issue's: the
   member's active-tally shard, the cycle's tally-version shard, the read versions and
   the ledger's pending entry (batched sequencing), then the issue's counters, returned.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import connection

from commonground.forums.models import Cycle, Forum
from commonground.issues.models import (
    TALLY_FIELDS,
    TALLY_SHARDS,
    ActiveTally,
    Issue,
    Support,
    TallyVersion,
)
from commonground.notifications.models import Follow
from commonground.participants.models import Membership
from commonground.stakeholders import GROUPS

Row = tuple[Any, ...]


def _table(model: Any) -> str:
    return str(connection.ops.quote_name(model._meta.db_table))


def _fetch(sql: str, params: list[Any]) -> Row | None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return tuple(row) if row is not None else None


def lock(user_id: int, issue_id: int) -> Row | None:
    """(membership id, its status, its group, forum id, forum slug, forum name, cycle id,
    cycle name, cycle open, cycle phase, merged into) of the user's membership in the
    issue's forum, both rows locked; None when either is missing (the caller then asks
    the access layer why). A row changed while this waited is read again as it is now."""
    return _fetch(
        "SELECT m.id, m.status, m.stakeholder_group, f.id, f.slug, f.name, c.id, c.name, "
        "c.is_open, c.phase, i.merged_into_id "
        f"FROM {_table(Issue)} i JOIN {_table(Forum)} f ON f.id = i.forum_id "
        f"JOIN {_table(Cycle)} c ON c.id = i.cycle_id "
        f"JOIN {_table(Membership)} m ON m.forum_id = i.forum_id AND m.user_id = %s "
        "WHERE i.id = %s FOR NO KEY UPDATE OF m FOR KEY SHARE OF i",
        [user_id, issue_id],
    )


def _others() -> str:
    """Whether the member supports another issue of the cycle (params: member, cycle,
    issue). The statement's snapshot still shows a row it deletes, hence ``<>``."""
    return (
        f"EXISTS (SELECT 1 FROM {_table(Support)} o WHERE o.membership_id = %s "
        "AND o.cycle_id = %s AND o.issue_id <> %s)"
    )


def add(issue_id: int, membership_id: int, cycle_id: int, group: str, now: datetime) -> Row | None:
    """Insert the support and follow the issue: (support id, has other supports), or None
    when the member supports it already (nothing written)."""
    return _fetch(
        f"WITH s AS (INSERT INTO {_table(Support)} "
        "(issue_id, membership_id, cycle_id, stakeholder_group, created_at) "
        "VALUES (%s, %s, %s, %s, %s) ON CONFLICT DO NOTHING RETURNING id), "
        f"f AS (INSERT INTO {_table(Follow)} (membership_id, issue_id, created_at) "
        "SELECT %s, %s, %s FROM s ON CONFLICT DO NOTHING) "
        f"SELECT s.id, {_others()} FROM s",
        [
            *(issue_id, membership_id, cycle_id, group, now),  # the support
            *(membership_id, issue_id, now),  # the follow
            *(membership_id, cycle_id, issue_id),  # its other supports
        ],
    )


def remove(issue_id: int, membership_id: int, cycle_id: int) -> Row | None:
    """Delete the member's support: (its group, has other supports), or None when there
    was none."""
    return _fetch(
        f"WITH d AS (DELETE FROM {_table(Support)} WHERE issue_id = %s AND membership_id = %s "
        f"RETURNING stakeholder_group) SELECT d.stakeholder_group, {_others()} "
        "FROM d",
        [issue_id, membership_id, membership_id, cycle_id, issue_id],
    )


def apply(
    issue_id: int,
    cycle_id: int,
    group: str,
    delta: int,
    active: int | None,
    also: list[tuple[str, list[Any]]],
    commit: bool = False,
) -> tuple[int, dict[str, int]]:
    """Count a change of ``delta`` in the group's tallies, in one statement; returns the
    issue's support count and its count per group after it.

    ``active``: the membership id when the member joins or leaves their group's active
    supporters (its shard takes ``delta``), else None. ``also``: further writes of the same
    transaction folded in (read versions, the ledger's pending entry). The issue's row is
    updated by the main statement, after its sub-statements, so it is the last row lock
    taken and is held only until the commit that follows.

    ``commit``: the COMMIT goes in the same message, right behind the statement, for a
    caller whose transaction ends here (its outermost block, nothing left to write):
    the hot issue's row lock is then released without a return to Python and a second
    round trip, which under load (a descheduled worker, its threads' GIL) was most of
    the time the next support of the issue waited. A failing statement skips the
    COMMIT and the caller's block rolls back as usual; the block's own commit then
    finds the transaction ended and does nothing (psycopg).
    """
    parts: list[str] = []
    params: list[Any] = []
    if active is not None:
        table = _table(ActiveTally)
        parts.append(
            f"INSERT INTO {table} (cycle_id, stakeholder_group, shard, count) "
            "VALUES (%s, %s, %s, %s) ON CONFLICT (cycle_id, stakeholder_group, shard) "
            f"DO UPDATE SET count = {table}.count + %s"
        )
        # The proposed row passes the count's CHECK (>= 0) before the conflict is found:
        # a withdrawal proposes 0 (its shard's row exists: the support counted it there).
        params += [cycle_id, group, active % TALLY_SHARDS, max(delta, 0), delta]
    table = _table(TallyVersion)
    parts.append(
        f"INSERT INTO {table} (cycle_id, shard, version) VALUES (%s, %s, 1) "
        f"ON CONFLICT (cycle_id, shard) DO UPDATE SET version = {table}.version + 1"
    )
    params += [cycle_id, issue_id % TALLY_SHARDS]
    for sql, more in also:
        parts.append(sql)
        params += more
    column = TALLY_FIELDS[group]
    columns = ", ".join(TALLY_FIELDS[g] for g in GROUPS)
    ctes = ", ".join(f"w{n} AS ({part})" for n, part in enumerate(parts))
    row = _fetch(
        f"WITH {ctes} UPDATE {_table(Issue)} SET support_count = support_count + %s, "
        f"{column} = {column} + %s WHERE id = %s RETURNING support_count, {columns}"
        + ("; COMMIT" if commit else ""),
        [*params, delta, delta, issue_id],
    )
    assert row is not None, "the issue is held by the lock statement"
    return int(row[0]), dict(zip(GROUPS, (int(n) for n in row[1:]), strict=True))


def counts(issue_id: int) -> tuple[int, dict[str, int]]:
    """The issue's support count and its count per group, one statement (0 if no issue)."""
    columns = ", ".join(TALLY_FIELDS[g] for g in GROUPS)
    row = _fetch(f"SELECT support_count, {columns} FROM {_table(Issue)} WHERE id = %s", [issue_id])
    values = [int(n) for n in row] if row else [0] * (len(GROUPS) + 1)
    return values[0], dict(zip(GROUPS, values[1:], strict=True))
