"""NRI listing (docs/network.md; IGF practice for national and regional initiatives).

A national, regional, sub-national or youth forum is **listed** when its organizing team
has members of at least 3 stakeholder groups, it names a coordinator, and the last of its
cycles that closed has an annual report. The forum page and the API say what is missing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commonground.access.members import AnyUser, require_steward
from commonground.core.errors import Conflict, InvalidInput
from commonground.forums.models import Cycle, Forum
from commonground.ledger.services import append
from commonground.network.events import report_filed, team_added, team_removed
from commonground.network.models import AnnualReport, TeamMember
from commonground.stakeholders import GROUPS

MIN_TEAM_GROUPS = 3
NRI_LEVELS = ("national", "regional", "subnational", "youth")

#: What a forum may be missing, with the sentence its page shows.
MISSING_TEXT = {
    "team_groups": gettext_lazy("an organizing team with members of at least 3 stakeholder groups"),
    "coordinator": gettext_lazy("a named coordinator"),
    "annual_report": gettext_lazy("the annual report of its last closed cycle"),
}


@dataclass
class Listing:
    """Whether the forum is listed as an NRI, and what it lacks."""

    applies: bool
    listed: bool
    missing: list[str] = field(default_factory=list)
    team: list[TeamMember] = field(default_factory=list)
    reports: list[AnnualReport] = field(default_factory=list)
    last_closed: Cycle | None = None

    @property
    def missing_text(self) -> list[str]:
        return [str(MISSING_TEXT[m]) for m in self.missing]

    def to_json(self) -> dict[str, Any]:
        return {"listed": self.listed, "missing": list(self.missing)}


def listing(forum: Forum) -> Listing:
    """The forum's NRI status. The global forum is no NRI: never listed, nothing missing."""
    team = list(TeamMember.objects.filter(forum=forum))
    reports = list(
        AnnualReport.objects.filter(cycle__forum=forum)
        .select_related("cycle")
        .order_by("-cycle__opened_at")
    )
    if forum.level not in NRI_LEVELS:
        return Listing(False, False, [], team, reports)
    missing = []
    if len({m.stakeholder_group for m in team}) < MIN_TEAM_GROUPS:
        missing.append("team_groups")
    if not any(m.is_coordinator for m in team):
        missing.append("coordinator")
    last_closed = (
        Cycle.objects.filter(forum=forum, is_open=False)
        .order_by("-closed_at", "-opened_at")
        .first()
    )
    if last_closed is None or not AnnualReport.objects.filter(cycle=last_closed).exists():
        missing.append("annual_report")
    return Listing(True, not missing, missing, team, reports, last_closed)


def add_team_member(
    user: AnyUser,
    forum: Forum,
    *,
    name: str,
    stakeholder_group: str,
    role: str = "",
    coordinator: bool = False,
) -> TeamMember:
    """A steward adds a member of the organizing team (the coordinator replaces any other)."""
    name = " ".join((name or "").split())
    if not name or len(name) > 160:
        raise InvalidInput(_("A team member's name is 1 to 160 characters."))
    if stakeholder_group not in GROUPS:
        raise InvalidInput(_("Choose one of the six stakeholder groups."))
    if len(role) > 120:
        raise InvalidInput(_("A role is at most 120 characters."))
    with transaction.atomic():
        steward = require_steward(user, forum)
        if coordinator:
            TeamMember.objects.filter(forum=forum, is_coordinator=True).update(is_coordinator=False)
        member = TeamMember.objects.create(
            forum=forum, name=name, stakeholder_group=stakeholder_group, role=role.strip(),
            is_coordinator=coordinator,
        )  # fmt: skip
        append(team_added(member, steward.user.public_id, forum.slug))
    return member


def remove_team_member(user: AnyUser, forum: Forum, member_id: int) -> None:
    """A steward removes a member of the organizing team."""
    with transaction.atomic():
        steward = require_steward(user, forum)
        deleted, _rows = TeamMember.objects.filter(forum=forum, pk=member_id).delete()
        if not deleted:
            raise InvalidInput(_("No team member %(id)s in this forum.") % {"id": member_id})
        append(team_removed(member_id, steward.user.public_id, forum.slug))


REPORT_FIELDS = ("edition", "dates", "venue", "preparation", "outcomes")


def file_annual_report(user: AnyUser, cycle: Cycle, **values: str) -> AnnualReport:
    """A steward files the annual report of one cycle: edition, dates, venue, how it was
    prepared and its outcomes. One per cycle; filing again is refused (409)."""
    cleaned = {k: (values.get(k) or "").strip() for k in REPORT_FIELDS}
    empty = [k for k, v in cleaned.items() if not v]
    if empty:
        raise InvalidInput(_("The annual report needs: %(fields)s.") % {"fields": ", ".join(empty)})
    limits = {"edition": 120, "dates": 120, "venue": 200, "preparation": 10_000, "outcomes": 10_000}
    for key, limit in limits.items():
        if len(cleaned[key]) > limit:
            raise InvalidInput(
                _("%(field)s is at most %(limit)s characters.") % {"field": key, "limit": limit}
            )
    with transaction.atomic():
        steward = require_steward(user, cycle.forum)
        try:
            with transaction.atomic():
                report = AnnualReport.objects.create(
                    cycle=cycle, filed_by=steward.user.public_id, filed_at=timezone.now(), **cleaned
                )
        except IntegrityError:
            raise Conflict(
                _("The annual report of cycle %(cycle)s is filed already.") % {"cycle": cycle.name}
            ) from None
        append(report_filed(report, steward.user.public_id, cycle.forum.slug))
    return report


def nri_statuses() -> list[tuple[Forum, Listing]]:
    """Every NRI of the tree with its listing, for the global forum's page."""
    forums = Forum.objects.filter(level__in=NRI_LEVELS).order_by("level", "region", "name")
    return [(forum, listing(forum)) for forum in forums]
