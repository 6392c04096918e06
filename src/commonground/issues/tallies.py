"""The cycle's shared tallies, split over shard rows so that supports do not queue.

Two counters are shared by every support of a cycle: the members of each stakeholder
group who support anything (``n_g``, ``ActiveTally``) and the tally version that keys the
cached agenda. Each is split over ``TALLY_SHARDS`` rows; a writer updates one row, chosen
so that its transaction waits for no row it does not already wait for, and readers sum
the rows. A missing row counts as 0: the ORM's writes make a shard row with its first
write; PostgreSQL's hand-written support statement only updates rows. A cycle gets all
of them at 0 when it opens (``make_shards``, on the forums app's ``cycle_opened``), and
again with a change that finds one missing (a cycle made otherwise, or a rebuilt tally
that keeps only the shards that count someone: ``support_sql.with_shards``).
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import F, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from commonground.forums.models import Cycle, Forum
from commonground.forums.signals import cycle_opened
from commonground.issues.models import TALLY_SHARDS, ActiveTally, Issue, TallyVersion
from commonground.stakeholders import GROUPS


def bump_version(cycle_id: int, issue_id: int) -> None:
    """Add one to the cycle's tally version, in the transaction of a support change.

    The shard is the issue's: supports of one issue already wait for the issue's row, so
    the version adds no wait; supports of other issues mostly update other shards.
    """
    shard = issue_id % TALLY_SHARDS
    row = TallyVersion.objects.filter(cycle_id=cycle_id, shard=shard)
    if not row.update(version=F("version") + 1):
        TallyVersion.objects.bulk_create(
            [TallyVersion(cycle_id=cycle_id, shard=shard)], ignore_conflicts=True
        )
        row.update(version=F("version") + 1)


def make_shards(cycle_id: int) -> None:
    """Every shard row of the cycle's shared tallies that is missing, at 0 (the active
    members of each group, the tally version): no count or version changes."""
    ActiveTally.objects.bulk_create(
        [
            ActiveTally(cycle_id=cycle_id, stakeholder_group=group, shard=shard)
            for group in GROUPS
            for shard in range(TALLY_SHARDS)
        ],
        ignore_conflicts=True,
    )
    TallyVersion.objects.bulk_create(
        [TallyVersion(cycle_id=cycle_id, shard=shard) for shard in range(TALLY_SHARDS)],
        ignore_conflicts=True,
    )


def _on_cycle_opened(sender: object, *, cycle: Cycle, **kw: Any) -> None:
    # In the opening's transaction: the cycle's first supports then find their rows and
    # need not fail and run again to make them (support_sql.with_shards).
    make_shards(cycle.pk)


def connect_shards() -> None:
    """Make every cycle's shard rows when it opens (``IssuesConfig.ready``)."""
    cycle_opened.connect(_on_cycle_opened, dispatch_uid="issues-tally-shards")


def _shard_total() -> Coalesce:
    """The sum of a cycle's version shards, as a subquery on the cycle's row."""
    shards = (
        TallyVersion.objects.filter(cycle_id=OuterRef("pk"))
        .order_by()
        .values("cycle_id")
        .annotate(total=Sum("version"))
        .values("total")
    )
    return Coalesce(Subquery(shards), Value(0))


def with_total_version(cycles: QuerySet[Cycle]) -> QuerySet[Cycle]:
    """The cycles with ``total_version``: every change of their tallies counted once (their
    own counter plus their shards), as the open data publishes it."""
    return cycles.annotate(total_version=F("tally_version") + _shard_total())


def with_tally_version(cycles: QuerySet[Cycle]) -> QuerySet[Cycle]:
    """The cycles with ``shard_version``, the sum of their shards: with their own
    ``tally_version``, the pair ``tally_version`` returns, read in the same statement."""
    return cycles.annotate(shard_version=_shard_total())


def _versions(
    join: str, where: str, param: int | str, also: tuple[str, list[Any]] = ("", [])
) -> tuple[Any, ...] | None:
    """(cycle id, its own counter, the sum of its shards, *``also``'s columns) of the cycle
    found by ``where``, one statement. Written as SQL: every cached read asks for it, and
    the ORM's subquery cost more to build than the database takes to answer. ``also``:
    more columns of the same statement (SQL, parameters), e.g. the read versions
    (commonground.core.readcache.versions_subquery)."""
    quote = connection.ops.quote_name
    cycles, shards = quote(Cycle._meta.db_table), quote(TallyVersion._meta.db_table)
    more = f", {also[0]}" if also[0] else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT c.id, c.tally_version, COALESCE((SELECT SUM(v.version) FROM {shards} v "
            f"WHERE v.cycle_id = c.id), 0){more} FROM {cycles} c {join} WHERE {where}",
            [*also[1], param],
        )
        row = cursor.fetchone()
    return (int(row[0]), int(row[1]), int(row[2]), *row[3:]) if row else None


def tally_version(cycle_id: int) -> tuple[int, int]:
    """The cycle's tally version: (its own counter, the sum of its shards), one query.

    Both only grow, and every change of the tallies grows one of them in the same
    transaction, so a cache keyed by this pair never serves tallies older than its key.
    """
    row = _versions("", "c.id = %s", cycle_id)
    return (row[1], row[2]) if row else (0, 0)


def open_cycle_version(forum_slug: str) -> tuple[int, int, int] | None:
    """(cycle id, tally version pair) of the forum's open cycle, one query; None if none."""
    row = open_cycle_version_and(forum_slug, ("", []))
    return (row[0], row[1], row[2]) if row else None


def open_cycle_version_and(forum_slug: str, also: tuple[str, list[Any]]) -> tuple[Any, ...] | None:
    """``open_cycle_version`` followed by ``also``'s columns, in the same statement."""
    forums = connection.ops.quote_name(Forum._meta.db_table)
    return _versions(
        f"JOIN {forums} f ON f.id = c.forum_id", "f.slug = %s AND c.is_open", forum_slug, also
    )


def issue_cycle_version(
    issue_id: int, join: str = "", also: tuple[str, list[Any]] = ("", [])
) -> tuple[Any, ...] | None:
    """(cycle id, tally version pair) of the issue's cycle, one query; None if no issue.
    ``join``: the join to the issue (alias ``i``) and any other table ``also`` reads."""
    issues = connection.ops.quote_name(Issue._meta.db_table)
    join = join or f"JOIN {issues} i ON i.cycle_id = c.id"
    return _versions(join, "i.id = %s", issue_id, also)


def add_active(cycle_id: int, group: str, membership_id: int, delta: int) -> None:
    """Count a member in (``delta`` +1) or out (-1) of their group's active supporters.

    The member's shard: a member's own writes are serialized already (their membership
    row), so this row is shared only with the other members of the same shard.
    """
    shard = membership_id % TALLY_SHARDS
    row = ActiveTally.objects.filter(cycle_id=cycle_id, stakeholder_group=group, shard=shard)
    if not row.update(count=F("count") + delta):
        # The shard's first active member in this cycle: its row starts here. A concurrent
        # first member may insert it first; then both add their delta to the one row.
        ActiveTally.objects.bulk_create(
            [ActiveTally(cycle_id=cycle_id, stakeholder_group=group, shard=shard)],
            ignore_conflicts=True,
        )
        row.update(count=F("count") + delta)


def active_counts_subquery(cycle_id: int) -> tuple[str, list[Any]]:
    """``active_counts`` as a scalar subquery (one text of ``group=n`` pairs joined by
    commas) with its parameters, for a statement that reads it along with other things
    (one round trip, no ORM); ``active_counts_of`` reads the text."""
    quote = connection.ops.quote_name
    table = quote(ActiveTally._meta.db_table)
    pair = "stakeholder_group || '=' || CAST(n AS TEXT)"
    joined = "group_concat" if connection.vendor == "sqlite" else "string_agg"
    aggregate = f"{joined}({pair}, ',')"
    sums = (
        f"SELECT stakeholder_group, SUM({quote('count')}) AS n FROM {table} "
        "WHERE cycle_id = %s GROUP BY stakeholder_group"
    )
    return f"(SELECT {aggregate} FROM ({sums}) AS a)", [cycle_id]


def active_counts_of(text: str | None) -> dict[str, int]:
    """The counts of ``active_counts_subquery``'s text (every group, 0 if none)."""
    counts = dict.fromkeys(GROUPS, 0)
    for pair in (text or "").split(","):
        if pair:
            group, _, n = pair.rpartition("=")
            counts[group] = int(n)
    return counts


def active_counts(cycle_id: int) -> dict[str, int]:
    """Members of each stakeholder group active in the cycle (every group, 0 if none)."""
    counts = dict.fromkeys(GROUPS, 0)
    rows = (
        ActiveTally.objects.filter(cycle_id=cycle_id)
        .order_by()
        .values("stakeholder_group")
        .annotate(n=Sum("count"))
        .values_list("stakeholder_group", "n")
    )
    for group, n in rows:
        counts[group] = int(n or 0)
    return counts
