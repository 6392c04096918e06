"""The issue list's page, read by hand.

The list renders again after every support of its cycle (it shows counts and bars), and
through the ORM its read cost a quarter of a render: the queryset's compilation (the
filters, the joins, the ordering, the prefetch) before three statements, and a model
instance per issue. Here the page is two plain statements (its count and its rows, with
the columns the list shows), and the rows are small objects. What the read-cache parts of
issues/issue_list.html hold (an issue's topics and its signals) is read for the whole
page the first time a part asks for it (the signals likewise, through
``signal_summaries_of``): an anonymous reader's render after a support, its parts kept,
reads neither.

The rule of which issues are listed and in which order is ``queries.issue_list`` (the
ORM's statement of it, which tests compare this read against): the cycle's issues not
merged into another, filtered by text, topic, the author's group and region, sorted by
support or by date.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import connections, router
from django.urls import reverse

from commonground.core.rows import converted
from commonground.forums.models import Cycle
from commonground.issues.models import TALLY_FIELDS, Issue, Topic
from commonground.issues.queries import IssueFilters, text_matching_ids
from commonground.participants.models import Membership
from commonground.stakeholders import GROUPS

ORDER_BY = {
    "supported": "i.support_count DESC, i.raised_at ASC, i.id ASC",
    "newest": "i.raised_at DESC, i.id DESC",
}
TALLY_COLUMNS = ", ".join(f"i.{TALLY_FIELDS[g]}" for g in GROUPS)


@dataclass(slots=True)
class ListedAuthor:
    """What the list shows of an issue's author."""

    stakeholder_group: str
    region: str
    verified: bool


class _PageExtras:
    """The topics of a page's issues, read in one statement for the whole page when a
    part of the page first needs them."""

    def __init__(self, ids: list[int]) -> None:
        self.ids = ids
        self._topics: dict[int, list[Topic]] | None = None

    def topics(self, pk: int) -> list[Topic]:
        if self._topics is None:
            self._topics = {}
            links = (
                Issue.topics.through.objects.filter(issue_id__in=self.ids)
                .select_related("topic")
                .order_by("-topic__is_sdg", "topic__slug")  # Topic's own ordering
            )
            for link in links:
                self._topics.setdefault(link.issue_id, []).append(link.topic)
        return self._topics.get(pk, [])


class _TopicsOf:
    """``issue.topics`` as the template asks for it (``issue.topics.all``)."""

    __slots__ = ("_extras", "_pk")

    def __init__(self, extras: _PageExtras, pk: int) -> None:
        self._extras = extras
        self._pk = pk

    def all(self) -> list[Topic]:
        return self._extras.topics(self._pk)


@dataclass(slots=True)
class ListedIssue:
    """One issue of the list, with what the list shows of it."""

    pk: int
    title: str
    language: str
    raised_at: datetime
    support_count: int
    tallies: dict[str, int]
    author: ListedAuthor
    _extras: _PageExtras = field(repr=False)

    @property
    def id(self) -> int:
        return self.pk

    @property
    def topics(self) -> _TopicsOf:
        return _TopicsOf(self._extras, self.pk)

    def get_absolute_url(self) -> str:
        return reverse("issues:detail", args=[self.pk])


class IssueListRead:
    """The cycle's listed issues as Django's paginator takes them: ``count()`` and a
    slice, each one statement."""

    def __init__(self, cycle: Cycle, filters: IssueFilters) -> None:
        self.filters = filters
        where = ["i.cycle_id = %s", "i.merged_into_id IS NULL"]
        params: list[Any] = [cycle.pk]
        joined = bool(filters.group or filters.region)
        if filters.q:
            sql, q_params = text_matching_ids(
                Issue, filters.q, "description"
            ).query.sql_with_params()
            where.append(f"i.id IN ({sql})")
            params.extend(q_params)
        if filters.topic:
            links = Issue.topics.through._meta.db_table
            where.append(
                f"EXISTS (SELECT 1 FROM {links} l JOIN {Topic._meta.db_table} t"
                " ON t.id = l.topic_id WHERE l.issue_id = i.id AND t.slug = %s)"
            )
            params.append(filters.topic)
        if filters.group:
            where.append("m.stakeholder_group = %s")
            params.append(filters.group)
        if filters.region:
            where.append("m.region = %s")
            params.append(filters.region)
        self._where = " AND ".join(where)
        self._params = params
        self._count_from = f"{Issue._meta.db_table} i" + (
            f" JOIN {Membership._meta.db_table} m ON m.id = i.author_id" if joined else ""
        )
        self._count: int | None = None

    def count(self) -> int:
        if self._count is None:
            # The database the ORM would read (a replica for an eligible request).
            with connections[router.db_for_read(Issue)].cursor() as cursor:
                cursor.execute(
                    f"SELECT COUNT(*) FROM {self._count_from} WHERE {self._where}", self._params
                )
                self._count = int(cursor.fetchone()[0])
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[ListedIssue]:
        start, stop = window.start or 0, window.stop
        if stop is None or stop <= start:
            return []
        sql = (
            f"SELECT i.id, i.title, i.language, i.raised_at, i.support_count, {TALLY_COLUMNS},"
            " m.stakeholder_group, m.region, m.verified"
            f" FROM {Issue._meta.db_table} i JOIN {Membership._meta.db_table} m"
            f" ON m.id = i.author_id WHERE {self._where}"
            f" ORDER BY {ORDER_BY[self.filters.sort]} LIMIT %s OFFSET %s"
        )
        using = router.db_for_read(Issue)
        with connections[using].cursor() as cursor:
            cursor.execute(sql, [*self._params, stop - start, start])
            rows = cursor.fetchall()
        extras = _PageExtras([row[0] for row in rows])
        tallies_end = 5 + len(GROUPS)
        return [
            ListedIssue(
                pk=row[0],
                title=row[1],
                language=row[2],
                raised_at=converted(Issue, "raised_at", row[3], using),
                support_count=row[4],
                tallies=dict(zip(GROUPS, row[5:tallies_end], strict=True)),
                author=ListedAuthor(row[tallies_end], row[tallies_end + 1], bool(row[-1])),
                _extras=extras,
            )
            for row in rows
        ]
