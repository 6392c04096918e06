"""The statements of a support change on PostgreSQL, written by hand (issue 19).

A support went through the ORM as ~14 statements, each built by Django's query compiler:
about 10 ms of application CPU against 1.4 ms for the floor write (docs/performance.md).
These builders give the same reads and writes in two statements; the decisions (who
may, what is counted, what is recorded) stay in ``commonground.issues.services``, which
calls them. Table and column names come from the models, so a renamed field breaks here
loudly rather than silently.

1. ``lock``: the acting member's membership (FOR NO KEY UPDATE, as ``require_member(lock=
   True)``) and the issue (FOR KEY SHARE, as a support always held it against a merge),
   with what the access rules read: the membership's status and group, the issue's
   cycle, its phase and whether it is open, the forum, whether the issue was merged.
2. ``add_counted`` / ``remove_counted``: the change and its counting in one statement:
   the support row (an insert that does nothing when it exists, or a delete) with the
   follow, and, only when a row was inserted or deleted, the member's active-tally shard
   (when they have no other support in the cycle), the cycle's tally-version shard, the
   read versions and the ledger's pending entry (batched sequencing), and the issue's
   counters, returned. What the service learns from it (whether anything changed, the
   counts after it) is what it answers with; when nothing changed nothing was written.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from functools import cache, wraps
from typing import Any, NamedTuple, ParamSpec, TypeVar

from django.db import DataError, connection, transaction

from commonground.core import prepared
from commonground.forums.models import Cycle, Forum
from commonground.issues.models import (
    TALLY_FIELDS,
    TALLY_SHARDS,
    ActiveTally,
    Issue,
    Support,
    TallyVersion,
)
from commonground.issues.tallies import make_shards
from commonground.notifications.models import Follow
from commonground.participants.models import Membership
from commonground.stakeholders import GROUPS

Row = tuple[Any, ...]


@cache
def _names() -> dict[str, str]:
    """The quoted table names, once per process (quoting them took ~0.1 ms a support)."""
    models = {
        "issue": Issue, "forum": Forum, "cycle": Cycle, "membership": Membership,
        "support": Support, "follow": Follow, "active": ActiveTally, "version": TallyVersion,
    }  # fmt: skip
    return prepared.quoted_tables(models)


def _fetch(sql: str, params: list[Any]) -> Row | None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return tuple(row) if row is not None else None


@cache
def _lock_sql() -> str:
    t = _names()
    return (
        "SELECT m.id, m.status, m.stakeholder_group, f.id, f.slug, f.name, c.id, c.name, "
        "c.is_open, c.phase, i.merged_into_id "
        f"FROM {t['issue']} i JOIN {t['forum']} f ON f.id = i.forum_id "
        f"JOIN {t['cycle']} c ON c.id = i.cycle_id "
        f"JOIN {t['membership']} m ON m.forum_id = i.forum_id AND m.user_id = %s "
        "WHERE i.id = %s FOR NO KEY UPDATE OF m FOR KEY SHARE OF i"
    )


def lock(user_id: int, issue_id: int) -> Row | None:
    """(membership id, its status, its group, forum id, forum slug, forum name, cycle id,
    cycle name, cycle open, cycle phase, merged into) of the user's membership in the
    issue's forum, both rows locked; None when either is missing (the caller then asks
    the access layer why). A row changed while this waited is read again as it is now."""
    return prepared.fetch(_lock_sql(), [user_id, issue_id])


class Counted(NamedTuple):
    """What a change statement did: ``changed`` (a support inserted or deleted; when False
    nothing was written), the issue's support count and count per group after it (before
    it, i.e. as they are, when nothing changed), and the member's support of the issue as
    the statement found it before its change (id and group; None if there was none)."""

    changed: bool
    support_id: int | None
    total: int
    by_group: dict[str, int]
    existing_id: int | None
    existing_group: str | None


# The change's CTE is ``ch``; everything it implies is written only when it has a row.
CHANGED = "EXISTS (SELECT 1 FROM ch)"
# What a change statement's error says when a tally shard row is missing.
MISSING = "tally shard row missing"


def _also_named(n: int, sql: str) -> str:
    """The ``n``-th ``also`` statement with its ``%s`` named ``w<n>_<k>`` in order."""
    numbered = iter(range(sql.count("%s")))
    return re.sub("%s", lambda _m: f"%(w{n}_{next(numbered)})s", sql)


@cache
def _counted_sql(change: str, follow: bool, group: str, also: tuple[str, ...]) -> str:
    """The text of ``_counted``'s statement (built once per shape). Its parameters are
    named (``issue``, ``member``, ``cycle``, ``group``, ``at``, ``delta``, the two shards,
    ``w<n>_<k>`` for the ``also`` statements'): each is sent once however often
    the statement uses it (~20 values instead of ~40 to quote and for PostgreSQL to read)."""
    t = _names()
    column = TALLY_FIELDS[group]
    columns = ", ".join(TALLY_FIELDS[g] for g in GROUPS)
    parts = [f"ch AS ({change})"]
    if follow:
        parts.append(
            f"fo AS (INSERT INTO {t['follow']} (membership_id, issue_id, created_at) "
            "SELECT %(member)s, %(issue)s, %(at)s FROM ch ON CONFLICT DO NOTHING RETURNING 1)"
        )
    parts.append(
        f"o AS (SELECT EXISTS (SELECT 1 FROM {t['support']} s WHERE s.membership_id = "
        "%(member)s AND s.cycle_id = %(cycle)s AND s.issue_id <> %(issue)s) AS others)"
    )
    # The shared counters' rows exist before the cycle's first change (``make_shards``),
    # so each is updated in place: no fallback upsert in the statement, whose sub-plans
    # PostgreSQL initialised on every run and again on every re-check of a hot row that a
    # concurrent transaction updated (docs/performance.md, "Shard rows made once").
    parts.append(
        f"au AS (UPDATE {t['active']} SET count = count + %(delta)s WHERE cycle_id = "
        "%(cycle)s AND stakeholder_group = %(group)s AND shard = %(mshard)s "
        "AND EXISTS (SELECT 1 FROM ch, o WHERE NOT o.others) RETURNING 1)"
    )
    for n, sql in enumerate(also):
        parts.append(f"w{n} AS ({_also_named(n, sql)} RETURNING 1)")
    parts.append(
        f"vu AS (UPDATE {t['version']} SET version = version + 1 WHERE cycle_id = "
        f"%(cycle)s AND shard = %(ishard)s AND {CHANGED} RETURNING 1)"
    )
    # The rows every change of this issue writes last, so they are held the shortest:
    # its read version (in ``also``, after the pending entry), its tally-version shard,
    # then its own row. PostgreSQL runs a data-modifying CTE that nothing reads after the
    # main query, so the issue's update (read by the main query) would lock the hot row
    # first and hold it while the others ran and waited for their rows. Counting their
    # rows in the update's condition, one expression evaluated left to right (sub-plans
    # run once, before its scan, in this order), runs them first. The issue is counted
    # only when its tally-version shard was (``vu`` has a row only when ``ch`` has one)
    # and its group's active shard too when the member had no other support: a change
    # whose shard row is missing counts nothing here.
    written = " + ".join(
        f"(SELECT count(*) FROM {name})"
        for name in [p.split(" ", 1)[0] for p in parts[1:]]
        if name not in ("o", "vu")
    )
    counted = (
        "(SELECT count(*) FROM vu) * ((SELECT count(*) FROM au) "
        "+ (SELECT count(*) FROM o WHERE o.others))"
    )
    parts.append(
        f"u AS (UPDATE {t['issue']} SET support_count = support_count + %(delta)s, "
        f"{column} = {column} + %(delta)s WHERE id = %(issue)s "
        f"AND ({written}) * 0 + {counted} = 1 "
        f"RETURNING support_count, {columns})"
    )
    # Before: the issue's counts and the member's support as the snapshot shows them.
    before = (
        f"SELECT i.support_count, {', '.join(f'i.{c}' for c in columns.split(', '))}, "
        f"(SELECT s.id FROM {t['support']} s WHERE s.issue_id = i.id "
        "AND s.membership_id = %(member)s), "
        f"(SELECT s.stakeholder_group FROM {t['support']} s WHERE s.issue_id = i.id "
        f"AND s.membership_id = %(member)s) FROM {t['issue']} i WHERE i.id = %(issue)s"
    )
    # A change made but not counted (a shard row missing) fails the statement before its
    # COMMIT, with an error naming the reason (a text that is no integer, made of a value
    # read at run time so the planner never folds it): nothing of it is kept, and
    # ``with_shards`` makes the rows and runs the change again.
    return (
        f"WITH {', '.join(parts)} SELECT (SELECT id FROM ch), u.*, b.* "
        f"FROM ({before}) b LEFT JOIN u ON true WHERE CASE WHEN u.support_count IS NULL "
        f"AND {CHANGED} THEN CAST('{MISSING} ' || b.support_count AS integer) ELSE 1 END = 1"
    )


class ShardsMissing(Exception):
    """A change statement found a shard row of its cycle's tallies missing and failed,
    writing nothing; ``with_shards`` makes the rows and runs the change again."""

    def __init__(self, cycle_id: int) -> None:
        super().__init__(f"cycle {cycle_id} has a tally shard row missing")
        self.cycle_id = cycle_id


P = ParamSpec("P")
R = TypeVar("R")


def with_shards(change: Callable[P, R]) -> Callable[P, R]:
    """Run ``change`` (a service whose statement may raise ``ShardsMissing``) again, once,
    after making its cycle's shard rows. The failed statement's block was rolled back (a
    savepoint in a caller's transaction), so nothing of the first run is kept. A cycle
    gets its rows with its first support or withdrawal here; every later one finds them."""

    @wraps(change)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return change(*args, **kwargs)
        except ShardsMissing as missing:
            with transaction.atomic():
                make_shards(missing.cycle_id)
            return change(*args, **kwargs)

    return run


def _counted(
    change: str,
    at: datetime | None,
    follow: bool,
    ids: tuple[int, int, int],
    group: str,
    delta: int,
    also: list[tuple[str, list[Any]]],
    commit: bool,
    wait: tuple[str, list[Any]] | None,
) -> Counted:
    """One statement: the change (CTE ``ch``, returning the support's id; ``at``: its
    time, when the change's text uses it), the follow (a support's, when ``follow``),
    and, when ``ch`` has a row, the tallies, the ``also`` writes (which must carry
    ``CHANGED`` as their condition, in the order they are to be written: the ledger's
    pending entry, then the issue's read version) and the issue's counters, returned.

    The member's other supports of the cycle are read in the statement's snapshot, taken
    after the lock statement got the member's row: a member's supports change only under
    that lock, so the read is exact (and still shows a row this statement deletes, hence
    ``<>`` the issue). The issue's row and the shared tally rows are held from this
    statement to the commit only.

    ``commit``: the COMMIT goes in the same message, right behind the statement, for a
    caller whose transaction ends here (its outermost block, nothing left to write):
    the hot issue's row lock is then released without a return to Python and a second
    round trip, which under load (a descheduled worker, its threads' GIL) was most of
    the time the next support of the issue waited. A failing statement skips the
    COMMIT and the caller's block rolls back as usual; the block's own commit then
    finds the transaction ended and does nothing (psycopg).

    ``wait``: a statement sent first in the same message that locks the first of the
    issue's hot rows the statement writes (its read version, ``readcache.
    lock_statement``). A support of the issue that committed while this one waited for
    that row then committed before the statement's snapshot was taken: the statement
    finds the rows as they are and updates them directly. Waiting inside the statement
    instead, its snapshot predates that commit, and each hot row it then updates is
    re-checked (EvalPlanQual), for which PostgreSQL initialises all the statement's
    sub-plans again, twice a support under contention (docs/performance.md, "Shard rows
    made once, the hot row waited for first"). The lock is held from there to the
    commit, about the statement's run longer than the statement's own upsert holds it.
    """
    issue_id, membership_id, cycle_id = ids
    params: dict[str, Any] = {
        "issue": issue_id, "member": membership_id, "cycle": cycle_id, "group": group,
        "mshard": membership_id % TALLY_SHARDS, "delta": delta,
        "ishard": issue_id % TALLY_SHARDS,
    }  # fmt: skip
    if at is not None:
        params["at"] = at
    for n, (_sql, more) in enumerate(also):
        for k, value in enumerate(more):
            params[f"w{n}_{k}"] = value
    sql = _counted_sql(change, follow, group, tuple(sql for sql, _ in also))
    try:
        row = prepared.fetch(sql, params, "; COMMIT" if commit else "", before=wait)
    except DataError as error:
        if MISSING in str(error.__cause__):  # the statement's own check
            raise ShardsMissing(cycle_id) from error
        raise
    assert row is not None, "the issue is held by the lock statement"
    width = len(GROUPS) + 1
    support_id = row[0]
    after, now = row[1 : 1 + width], row[1 + width : 1 + 2 * width]
    changed = support_id is not None
    counts = [int(n) for n in (after if changed else now)]
    return Counted(
        changed=changed,
        support_id=support_id,
        total=counts[0],
        by_group=dict(zip(GROUPS, counts[1:], strict=True)),
        existing_id=row[1 + 2 * width],
        existing_group=row[2 + 2 * width],
    )


def add_counted(
    issue_id: int,
    membership_id: int,
    cycle_id: int,
    group: str,
    now: datetime,
    also: list[tuple[str, list[Any]]],
    commit: bool = False,
    wait: tuple[str, list[Any]] | None = None,
) -> Counted:
    """Insert the member's support (in ``group``) and follow the issue, and count it, in
    one statement; nothing is written when the member supports it already."""
    change = (
        f"INSERT INTO {_names()['support']} "
        "(issue_id, membership_id, cycle_id, stakeholder_group, created_at) "
        "VALUES (%(issue)s, %(member)s, %(cycle)s, %(group)s, %(at)s) "
        "ON CONFLICT DO NOTHING RETURNING id"
    )
    return _counted(
        change,
        now,
        True,
        (issue_id, membership_id, cycle_id),
        group,
        +1,
        also,
        commit,
        wait,
    )


def remove_counted(
    issue_id: int,
    membership_id: int,
    cycle_id: int,
    group: str,
    also: list[tuple[str, list[Any]]],
    commit: bool = False,
    wait: tuple[str, list[Any]] | None = None,
) -> Counted:
    """Delete the member's support of the issue if it was counted in ``group`` (the
    group the service recorded in the ledger entry it passes in ``also``), and count the
    withdrawal, in one statement; nothing is written when there is no such support (the
    caller tells from ``existing_group`` whether one in another group exists)."""
    change = (
        f"DELETE FROM {_names()['support']} WHERE issue_id = %(issue)s "
        "AND membership_id = %(member)s AND stakeholder_group = %(group)s RETURNING id"
    )
    return _counted(
        change,
        None,
        False,
        (issue_id, membership_id, cycle_id),
        group,
        -1,
        also,
        commit,
        wait,
    )


def counts(issue_id: int) -> tuple[int, dict[str, int]]:
    """The issue's support count and its count per group, one statement (0 if no issue)."""
    columns = ", ".join(TALLY_FIELDS[g] for g in GROUPS)
    sql = f"SELECT support_count, {columns} FROM {_names()['issue']} WHERE id = %s"
    row = _fetch(sql, [issue_id])
    values = [int(n) for n in row] if row else [0] * (len(GROUPS) + 1)
    return values[0], dict(zip(GROUPS, values[1:], strict=True))
