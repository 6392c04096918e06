"""The live agenda (from tallies), publication, and the tally recount check."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db import connection, connections, router, transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from commonground.access.members import AnyUser, require_steward
from commonground.access.rules import require_phase
from commonground.analysis.recognition import RecognitionResult, RecognitionSettings, compute
from commonground.core.errors import Conflict, WrongPhase
from commonground.core.rows import converted
from commonground.forums.models import Cycle, Forum
from commonground.issues.models import TALLY_FIELDS, Issue, Support
from commonground.issues.tallies import (
    active_counts,
    active_counts_of,
    active_counts_subquery,
    tally_version,
)
from commonground.ledger.services import append
from commonground.recognition import events
from commonground.recognition.models import AgendaPublication
from commonground.stakeholders import GROUPS


def settings_of(forum: Forum) -> RecognitionSettings:
    """The forum's recognition constants as the engine's settings object."""
    return RecognitionSettings(
        min_groups=forum.min_groups,
        min_supporters=forum.min_supporters,
        min_share=forum.min_share,
        slots=forum.agenda_slots,
    )


@dataclass
class LiveAgenda:
    """The engine's result for a cycle, with the issue rows it was computed for."""

    cycle: Cycle
    settings: RecognitionSettings
    result: RecognitionResult
    issue_ids: list[int]

    def row_of(self, issue_id: int) -> int:
        return self.issue_ids.index(issue_id)

    def titles(self, rows: Iterable[int]) -> dict[int, str]:
        """Titles of the issues at these rows (one query, none for no row), by row."""
        wanted = {self.issue_ids[int(r)]: int(r) for r in rows}
        if not wanted:
            return {}
        # A plain statement: the agenda page reads it at every render (after each support).
        marks = ", ".join(["%s"] * len(wanted))
        with connections[router.db_for_read(Issue)].cursor() as cursor:
            cursor.execute(
                f"SELECT id, title FROM {Issue._meta.db_table} WHERE id IN ({marks})",
                list(wanted),
            )
            return {wanted[pk]: title for pk, title in cursor.fetchall()}

    def to_json_dict(self) -> dict[str, Any]:
        """The agenda JSON of the open-data format, ids as strings as in the CSV files."""
        data = self.result.to_json_dict(self.settings)
        data["agenda"] = [str(i) for i in data["agenda"]]
        for item in data["issues"]:
            item["issue_id"] = str(item["issue_id"])
        return data


# One comma-separated text per column, built by the database and parsed by NumPy in C:
# a Python tuple per issue would cost more than everything else together. Every
# aggregate of one SELECT walks the same rows, so the columns stay aligned.
_COLUMN_TEXT = {
    "sqlite": "group_concat({column}, ',')",
    "postgresql": "string_agg(CAST({column} AS TEXT), ',')",
}
# ``raised_at`` only has to sort: SQLite keeps it as UTC text that sorts in time order;
# PostgreSQL gives exact microseconds since the epoch.
_RAISED = {
    "sqlite": "raised_at",
    "postgresql": "CAST(EXTRACT(EPOCH FROM raised_at) * 1000000 AS BIGINT)",
}


# Computed agendas by (cycle, tally version, settings): a result is reused until a
# support, withdrawal or new issue bumps the cycle's tally version (its own counter or one
# of its shards: commonground.issues.tallies). Per process, small.
_CACHE: OrderedDict[tuple[Any, ...], LiveAgenda] = OrderedDict()
_CACHE_SIZE = 32


def live_agenda(cycle: Cycle, version: tuple[int, int] | None = None) -> LiveAgenda:
    """The cycle's agenda, computed from the tallies or reused while they are unchanged
    (``version``: the cycle's tally version when the caller read it already)."""
    # The version is read before the tallies: if a support lands in between, the result
    # is newer than its key says, and the next reader simply recomputes.
    version = tally_version(cycle.pk) if version is None else version
    settings = settings_of(cycle.forum)
    key = (connection.settings_dict["NAME"], cycle.pk, cycle.opened_at, version, settings)
    cached = _CACHE.get(key)
    if cached is not None:
        _CACHE.move_to_end(key)
        return cached
    agenda = compute_live_agenda(cycle, settings)
    _CACHE[key] = agenda
    while len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)
    return agenda


def compute_live_agenda(cycle: Cycle, settings: RecognitionSettings) -> LiveAgenda:
    """Compute the cycle's agenda from the tallies (not the raw supports).

    One query reads each issue's id, raised time and six tally columns straight into
    an integer array; titles are fetched later for the few issues a page shows. The
    cost grows with the number of issues, not the number of supports.
    """
    quote = connection.ops.quote_name
    vendor = connection.vendor
    columns = [quote("id"), *(quote(TALLY_FIELDS[g]) for g in GROUPS), _RAISED[vendor]]
    aggregates = ", ".join(_COLUMN_TEXT[vendor].format(column=c) for c in columns)
    # The group's active members in the same statement (one round trip, no ORM query).
    active_sql, active_params = active_counts_subquery(cycle.pk)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {aggregates}, {active_sql} FROM {quote(Issue._meta.db_table)} "
            "WHERE cycle_id = %s",
            [*active_params, cycle.pk],
        )
        *texts, active_text = cursor.fetchone()
    numbers = [np.fromstring(t or "", dtype=np.int64, sep=",") for t in texts[:-1]]
    if vendor == "sqlite":
        # Equal times get equal keys, so the engine breaks their tie by id.
        raised = np.unique(np.array((texts[-1] or "").split(",")), return_inverse=True)[1]
        raised = raised.astype(np.int64) if texts[-1] else np.zeros(0, np.int64)
    else:
        raised = np.fromstring(texts[-1] or "", dtype=np.int64, sep=",")
    rows = np.column_stack([numbers[0], raised, *numbers[1:]])
    rows = rows[np.argsort(rows[:, 0], kind="stable")]  # id order, as in the open data
    counts = active_counts_of(active_text)
    active = np.array([counts[g] for g in GROUPS], dtype=np.int64)
    result = compute(rows[:, 2:], active, rows[:, 1], rows[:, 0], settings)
    return LiveAgenda(cycle, settings, result, rows[:, 0].tolist())


def publish_agenda(
    user: AnyUser, forum: Forum, *, expected_agenda: Sequence[str] | None = None
) -> AgendaPublication:
    """A steward freezes the live agenda as the next numbered publication.

    ``expected_agenda`` is the agenda (issue ids in rank order) the steward confirmed:
    when supports changed it since, nothing is published (409) and the steward looks again.
    """
    with transaction.atomic():
        steward = require_steward(user, forum)
        cycle = Cycle.objects.select_for_update().filter(forum=forum, is_open=True).first()
        if cycle is None:
            raise WrongPhase(_("%(name)s has no open cycle.") % {"name": forum.name})
        require_phase(cycle, "publish_agenda")
        live = live_agenda(cycle)
        data = live.to_json_dict()
        if expected_agenda is not None and [str(i) for i in expected_agenda] != data["agenda"]:
            raise Conflict(
                _("The agenda changed since you looked at it; check it again before publishing.")
            )
        titles = live.titles(live.result.agenda)
        entries = [
            {**live.result.issue_dict(int(row)), "title": titles[int(row)]}
            for row in live.result.agenda
        ]
        for entry in entries:
            entry["issue_id"] = str(entry["issue_id"])
        last = cycle.publications.order_by("-number").first()
        publication = AgendaPublication.objects.create(
            cycle=cycle,
            number=(last.number + 1) if last else 1,
            published_by=steward.user,
            publisher_name=steward.user.recorded_name,
            settings=data["settings"],
            agenda=[str(i) for i in data["agenda"]],
            entries=entries,
        )
        append(events.agenda_published(publication, steward))
    return publication


@dataclass(frozen=True)
class TallyDifference:
    what: str
    key: str
    tally: int
    recount: int


def check_tallies(cycle: Cycle) -> list[TallyDifference]:
    """Recount supports from the raw rows and list every tally that differs."""
    differences: list[TallyDifference] = []
    recount: dict[tuple[int, str], int] = {
        (row["issue_id"], row["stakeholder_group"]): row["n"]
        for row in Support.objects.filter(cycle=cycle)
        .values("issue_id", "stakeholder_group")
        .annotate(n=Count("id"))
    }
    columns = [TALLY_FIELDS[g] for g in GROUPS]
    for issue_id, total, *tallies in Issue.objects.filter(cycle=cycle).values_list(
        "pk", "support_count", *columns
    ):
        for group, count in zip(GROUPS, tallies, strict=True):
            actual = recount.get((issue_id, group), 0)
            if actual != count:
                differences.append(
                    TallyDifference("support", f"issue {issue_id} {group}", count, actual)
                )
        actual_total = sum(recount.get((issue_id, g), 0) for g in GROUPS)
        if actual_total != total:
            differences.append(TallyDifference("total", f"issue {issue_id}", total, actual_total))
    active_recount = {
        row["stakeholder_group"]: row["n"]
        for row in Support.objects.filter(cycle=cycle)
        .values("stakeholder_group")
        .annotate(n=Count("membership", distinct=True))
    }
    # A group's shard rows appear with their first supporters in the cycle; none counts as 0.
    active = active_counts(cycle.pk)
    for group in GROUPS:
        count, actual = active.get(group, 0), active_recount.get(group, 0)
        if actual != count:
            differences.append(TallyDifference("active", group, count, actual))
    return differences


def recent_publications(cycle: Cycle, limit: int = 10) -> list[dict[str, Any]]:
    """The cycle's latest published agendas, newest first: number and time only.

    A plain statement for the live agenda page, which lists them at every render: the
    model's rows carry each snapshot's whole agenda and entries, which the list never shows.
    """
    database = connections[router.db_for_read(AgendaPublication)]
    with database.cursor() as cursor:
        cursor.execute(
            f"SELECT number, published_at FROM {AgendaPublication._meta.db_table}"
            " WHERE cycle_id = %s ORDER BY number DESC LIMIT %s",
            [cycle.pk, limit],
        )
        found = cursor.fetchall()
    # The ORM's own conversion of the column (SQLite keeps the time as text).
    return [
        {
            "number": number,
            "published_at": converted(
                AgendaPublication, "published_at", published_at, database.alias
            ),
        }
        for number, published_at in found
    ]
