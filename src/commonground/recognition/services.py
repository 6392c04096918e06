"""The live agenda (from tallies), publication, and the tally recount check."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db import transaction
from django.db.models import Count

from commonground.analysis.recognition import RecognitionResult, RecognitionSettings, compute
from commonground.core.errors import WrongPhase
from commonground.forums.access import AnyUser, require_phase, require_steward
from commonground.forums.models import Cycle, Forum
from commonground.issues.models import ActiveTally, Issue, Support, SupportTally
from commonground.ledger.services import Event, append
from commonground.recognition.models import AgendaPublication
from commonground.stakeholders import GROUPS

_GROUP_INDEX = {g: i for i, g in enumerate(GROUPS)}


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
    titles: list[str]

    def row_of(self, issue_id: int) -> int:
        return self.issue_ids.index(issue_id)

    def to_json_dict(self) -> dict[str, Any]:
        return self.result.to_json_dict(self.settings)


def live_agenda(cycle: Cycle) -> LiveAgenda:
    """Compute the cycle's agenda from the tallies (not the raw supports).

    Reads one row per (issue, group) and six active counts, so its cost grows
    with the number of issues, not the number of supports.
    """
    rows = list(
        Issue.objects.filter(cycle=cycle).order_by("pk").values_list("pk", "title", "raised_at")
    )
    index = {pk: i for i, (pk, _, _) in enumerate(rows)}
    supports = np.zeros((len(rows), len(GROUPS)), dtype=np.int64)
    tallies = SupportTally.objects.filter(issue__cycle=cycle, count__gt=0).values_list(
        "issue_id", "stakeholder_group", "count"
    )
    for issue_id, group, count in tallies.iterator(chunk_size=20_000):
        supports[index[issue_id], _GROUP_INDEX[group]] = count
    active = np.zeros(len(GROUPS), dtype=np.int64)
    for group, count in ActiveTally.objects.filter(cycle=cycle).values_list(
        "stakeholder_group", "count"
    ):
        active[_GROUP_INDEX[group]] = count
    raised = np.array([int(r[2].timestamp() * 1_000_000) for r in rows], dtype=np.int64)
    ids = [r[0] for r in rows]
    settings = settings_of(cycle.forum)
    # Ids go to the engine as strings, exactly as in the open-data CSV files, so the live
    # agenda and one recomputed from an export are the same JSON.
    result = compute(supports, active, raised, [str(pk) for pk in ids], settings)
    return LiveAgenda(cycle, settings, result, ids, [r[1] for r in rows])


def publish_agenda(user: AnyUser, forum: Forum) -> AgendaPublication:
    """A steward freezes the live agenda as the next numbered publication."""
    with transaction.atomic():
        steward = require_steward(user, forum)
        cycle = Cycle.objects.select_for_update().filter(forum=forum, is_open=True).first()
        if cycle is None:
            raise WrongPhase(f"{forum.name} has no open cycle.")
        require_phase(cycle, "publish_agenda")
        live = live_agenda(cycle)
        data = live.to_json_dict()
        titles = dict(zip(live.issue_ids, live.titles, strict=True))
        by_id = {str(i["issue_id"]): i for i in data["issues"]}
        entries = [
            {**by_id[str(issue_id)], "title": titles[int(issue_id)]} for issue_id in data["agenda"]
        ]
        last = cycle.publications.order_by("-number").first()
        publication = AgendaPublication.objects.create(
            cycle=cycle,
            number=(last.number + 1) if last else 1,
            published_by=steward.user,
            publisher_name=steward.user.public_name,
            settings=data["settings"],
            agenda=[str(i) for i in data["agenda"]],
            entries=entries,
        )
        append(
            Event(
                "agenda.publish",
                "agenda_publication",
                publication.pk,
                actor=steward.user.public_id,
                forum=forum.slug,
                fields={
                    "cycle": cycle.pk,
                    "number": publication.number,
                    "agenda": publication.agenda,
                },
            )
        )
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
    recount = {
        (row["issue_id"], row["stakeholder_group"]): row["n"]
        for row in Support.objects.filter(cycle=cycle)
        .values("issue_id", "stakeholder_group")
        .annotate(n=Count("id"))
    }
    totals: dict[int, int] = {}
    for (issue_id, _), n in recount.items():
        totals[issue_id] = totals.get(issue_id, 0) + n
    for issue_id, group, count in SupportTally.objects.filter(issue__cycle=cycle).values_list(
        "issue_id", "stakeholder_group", "count"
    ):
        actual = recount.pop((issue_id, group), 0)
        if actual != count:
            differences.append(
                TallyDifference("support", f"issue {issue_id} {group}", count, actual)
            )
    for (issue_id, group), actual in recount.items():
        differences.append(TallyDifference("support", f"issue {issue_id} {group}", 0, actual))
    for issue_id, count in Issue.objects.filter(cycle=cycle).values_list("pk", "support_count"):
        actual = totals.get(issue_id, 0)
        if actual != count:
            differences.append(TallyDifference("total", f"issue {issue_id}", count, actual))
    active_recount = {
        row["stakeholder_group"]: row["n"]
        for row in Support.objects.filter(cycle=cycle)
        .values("stakeholder_group")
        .annotate(n=Count("membership", distinct=True))
    }
    for group, count in ActiveTally.objects.filter(cycle=cycle).values_list(
        "stakeholder_group", "count"
    ):
        actual = active_recount.get(group, 0)
        if actual != count:
            differences.append(TallyDifference("active", group, count, actual))
    return differences
