"""The demo's networked governance, done through the services as stewards would do it.

National forums of four regions publish their agendas and forward the same concerns
(in English, French and Spanish) to their regional forum, whose steward merges them;
the regional forums publish and forward on to the global forum, where the concerns are
merged into the global issues they match. Some NRIs have what the listing asks (a team
of 3+ groups, a coordinator, the annual report of a closed 2026 cycle), some do not.
"""

from __future__ import annotations

import math
import random
from datetime import datetime, timedelta
from itertools import pairwise

from django.db import transaction

from commonground.access.phases import PHASES
from commonground.demo import content
from commonground.forums.events import cycle_advanced, cycle_closed, cycle_opened
from commonground.forums.models import Cycle, Forum, PhaseChange
from commonground.forums.services import advance_cycle
from commonground.issues.models import Issue
from commonground.issues.services import support_issue
from commonground.ledger.services import append_many
from commonground.network.merge import merge_issues
from commonground.network.nri import add_team_member, file_annual_report
from commonground.network.services import agenda_place, forward_issue
from commonground.participants.models import Membership, User
from commonground.recognition.services import publish_agenda
from commonground.stakeholders import GROUPS

#: Per regional forum: national issues of one concern (the first absorbs the others there),
#: and the global issue the regional one is merged into (None: it stays a new global issue).
FLOWS: tuple[tuple[str, tuple[str, ...], str | None], ...] = (
    ("africa-igf", ("ke-data-bundle-prices", "ng-data-expiry", "sn-cout-acces-rural"),
     "meaningful-connectivity"),
    ("lac-igf", ("mx-redes-comunitarias",), "meaningful-connectivity"),
    ("asia-pacific-igf", ("id-remote-islands",), "meaningful-connectivity"),
    ("lac-igf", ("mx-software-espia", "br-spyware-journalists"), "commercial-spyware"),
    ("weog-igf", ("fr-verification-age", "es-verificacion-edad", "de-age-verification"),
     "age-assurance"),
)  # fmt: skip

#: Organizing teams: (forum, [(name, group, role)], coordinator index, annual report?).
TEAMS: tuple[tuple[str, tuple[tuple[str, str, str], ...], int | None, bool], ...] = (
    ("kenya-igf", (("Wanjiru Kamau", "government", "Ministry liaison"),
                   ("Otieno Odhiambo", "private_sector", "Operators' association"),
                   ("Achieng Njeri", "civil_society", "Convener")), 2, True),
    ("senegal-igf", (("Awa Ndiaye", "civil_society", "Coordinatrice"),
                     ("Moussa Sarr", "academic_technical", "Université"),
                     ("Fatou Diop", "government", "Régulateur")), 0, True),
    ("brazil-igf", (("Ana Souza", "academic_technical", "Secretariat"),
                    ("Carlos Lima", "private_sector", "Industry"),
                    ("Beatriz Rocha", "civil_society", "Civil society seat")), 0, True),
    ("africa-igf", (("Kwame Mensah", "intergovernmental", "Secretariat"),
                    ("Zanele Dlamini", "civil_society", "Member"),
                    ("Youssef Amrani", "internet_institution", "Member")), 0, True),
    # Not listed: no annual report, no coordinator, or a team of two groups.
    ("nigeria-igf", (("Chinedu Okeke", "government", "Chair"),
                     ("Bola Adeyemi", "private_sector", "Member"),
                     ("Ifeoma Eze", "civil_society", "Member")), 0, False),
    ("mexico-igf", (("Lucía Hernández", "civil_society", "Integrante"),
                    ("Jorge Ramírez", "academic_technical", "Integrante"),
                    ("Sofía Torres", "government", "Integrante")), None, True),
    ("japan-igf", (("Haruto Sato", "private_sector", "Coordinator"),
                   ("Yui Tanaka", "private_sector", "Member")), 0, True),
)  # fmt: skip


def _issue_by_key(issues: list[tuple[Issue, object]]) -> dict[str, Issue]:
    return {spec["key"]: issue for spec, (issue, _) in zip(content.ISSUES, issues, strict=True)}


def _on_agenda(issue: Issue, rng: random.Random, members: dict[int, list[Membership]]) -> None:
    """Late supports from four groups of the forum until the issue is surely recognized."""
    forum = issue.forum
    pool = [m for m in members.get(forum.pk, []) if m.role != Membership.Role.STEWARD]
    by_group: dict[str, list[Membership]] = {g: [] for g in GROUPS}
    for m in pool:
        by_group[m.stakeholder_group].append(m)
    groups = sorted(GROUPS, key=lambda g: -len(by_group[g]))[:4]
    for group in groups:
        people = by_group[group]
        wanted = min(len(people), forum.min_supporters + math.ceil(0.12 * len(people)))
        for m in rng.sample(people, wanted):
            support_issue(m.user, issue)


def _publish(steward: User, forum: Forum) -> None:
    cycle = forum.open_cycle
    if cycle is not None and cycle.phase == "call_for_issues":
        advance_cycle(steward, forum)
    publish_agenda(steward, forum)


def seed_network(
    rng: random.Random,
    forums: dict[str, Forum],
    steward: User,
    issues: list[tuple[Issue, object]],
    memberships: list[Membership],
) -> int:
    """Forward, merge and publish along the tree; returns the number of forwards."""
    by_key = _issue_by_key(issues)
    members: dict[int, list[Membership]] = {}
    for m in memberships:
        members.setdefault(m.forum_id, []).append(m)
    national = {key for _, keys, _ in FLOWS for key in keys}
    for key in sorted(national):
        _on_agenda(by_key[key], rng, members)
    for slug in sorted({by_key[k].forum.slug for k in national}):
        _publish(steward, forums[slug])
    forwards = 0
    regional_heads: list[tuple[Issue, str | None]] = []
    for regional, keys, global_key in FLOWS:
        made = [forward_issue(steward, by_key[k], forums[regional]).target_issue for k in keys]
        forwards += len(made)
        for other in made[1:]:
            merge_issues(steward, other, made[0])
        _on_agenda(made[0], rng, members)
        regional_heads.append((made[0], global_key))
    for slug in sorted({head.forum.slug for head, _ in regional_heads}):
        publish_agenda(steward, forums[slug])
    for head, global_key in regional_heads:
        if agenda_place(head) is None:
            continue  # not on the regional agenda: it stays there
        target = forward_issue(steward, head, forums["igf"]).target_issue
        forwards += 1
        if global_key is not None:
            merge_issues(steward, target, by_key[global_key])
    return forwards


def seed_nri(forums: dict[str, Forum], steward: User, now: datetime) -> None:
    """Organizing teams, and a closed 2026 cycle with its annual report for some NRIs."""
    for slug, team, coordinator, report in TEAMS:
        forum = forums[slug]
        for n, (name, group, role) in enumerate(team):
            add_team_member(steward, forum, name=name, stakeholder_group=group, role=role,
                            coordinator=n == coordinator)  # fmt: skip
        if report:
            cycle = _closed_cycle(forum, now)
            file_annual_report(
                steward, cycle, edition=f"{forum.name} 2026",
                dates=(now - timedelta(days=200)).strftime("%d %B %Y"),
                venue=forum.name.replace(" IGF", "").replace(" Internet Governance Forum", ""),
                preparation="Open call for topics on the public mailing list, then a "
                "multistakeholder committee drafted the programme.",
                outcomes="Key messages on the recognized issues, sent to the regional forum.",
            )  # fmt: skip


def _closed_cycle(forum: Forum, now: datetime) -> Cycle:
    """Last year's cycle, closed, with its phase history and its ledger entries.

    The entries are recorded now (the ledger runs forward in time); the phase history
    keeps last year's dates.
    """
    opened, closed = now - timedelta(days=400), now - timedelta(days=120)
    with transaction.atomic():
        cycle = Cycle.objects.create(
            forum=forum, name="2026", phase=PHASES[0], is_open=False,
            opened_at=opened, closed_at=closed,
        )  # fmt: skip
        events = [cycle_opened(cycle, None)]
        PhaseChange.objects.create(cycle=cycle, to_phase=PHASES[0], changed_at=opened)
        for before, after in pairwise(PHASES):
            cycle.phase = after
            PhaseChange.objects.create(cycle=cycle, from_phase=before, to_phase=after,
                                       changed_at=opened)  # fmt: skip
            events.append(cycle_advanced(cycle, None, before))
        cycle.save(update_fields=["phase"])
        PhaseChange.objects.create(cycle=cycle, from_phase=PHASES[-1], to_phase="closed",
                                   changed_at=closed)  # fmt: skip
        events.append(cycle_closed(cycle, None, PHASES[-1]))
        append_many(events)
    return cycle
