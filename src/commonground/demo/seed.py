"""Seed a realistic demo network of forums in seconds.

The demo is a bulk import: rows are written with ``bulk_create`` and every
row's ledger entry is appended in the same transaction, in time order, so the
demo's ledger reads exactly as if people had done each step through the
services. Stewards' final acts (phase changes, agenda publications and a few
late supports) then go through the real services.
"""

from __future__ import annotations

import random
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import numpy as np
from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from rich.progress import Progress

from commonground.core.markdown import render_markdown
from commonground.demo import content
from commonground.demo.contributions import seed_contributions
from commonground.demo.dialogue import seed_conversation
from commonground.forums.models import Cycle, Forum, PhaseChange
from commonground.forums.services import advance_cycle
from commonground.issues.models import TALLY_FIELDS, ActiveTally, Issue, Support, Topic
from commonground.issues.sdgs import sdg_label, sdg_slug
from commonground.issues.services import normalize_topics, support_issue
from commonground.ledger.services import Event, append_many, ledger_size, publish_checkpoint
from commonground.participants.models import Membership, User
from commonground.recognition.services import publish_agenda
from commonground.stakeholders import GROUPS, REGIONS, region_of

DEMO_PASSWORD = "common-ground-demo"
DEMO_LOGINS: list[tuple[str, str]] = [
    ("steward@demo.example.org", "steward of every forum (secretariat)"),
    ("civil@demo.example.org", "civil society participant, Kenya"),
    ("private@demo.example.org", "private sector participant, Brazil"),
    ("gov@demo.example.org", "government participant, France"),
]
PARTICIPANTS = 1500
TARGET_SUPPORTS = 20_000
# Uneven group sizes, as in real consultations: recognition must not care.
GROUP_WEIGHTS = {
    "government": 0.10,
    "intergovernmental": 0.06,
    "internet_institution": 0.09,
    "private_sector": 0.22,
    "civil_society": 0.33,
    "academic_technical": 0.20,
}


@dataclass
class Seeded:
    forums: int
    participants: int
    memberships: int
    issues: int
    supports: int
    ledger_entries: int
    seconds: float

    def __str__(self) -> str:
        return (
            f"Seeded {self.forums} forums, {self.participants} participants "
            f"({self.memberships} memberships), {self.issues} issues, {self.supports:,} supports "
            f"and {self.ledger_entries:,} ledger entries in {self.seconds:.1f} s"
        )


def _countries_by_region() -> dict[str, list[str]]:
    from commonground.stakeholders import COUNTRY_REGION

    by_region: dict[str, list[str]] = defaultdict(list)
    for code, region in sorted(COUNTRY_REGION.items()):
        by_region[region].append(code)
    return by_region


def seed_demo(seed: int = 2027, progress: bool = False) -> Seeded:
    """Create the demo network; returns what was made. Expects an empty database."""
    started = time.perf_counter()
    rng = random.Random(seed)
    nrng = np.random.default_rng(seed)
    now = timezone.now().replace(microsecond=0)
    t0 = now - timedelta(days=45)
    events: list[Event] = []
    with Progress(disable=not progress, transient=True) as bar, transaction.atomic():
        task = bar.add_task("Seeding the demo", total=6)
        forums = _forums(t0, events)
        bar.advance(task)
        users, memberships = _people(rng, forums, t0, events)
        bar.advance(task)
        issues = _issues(rng, forums, memberships, t0, now, events)
        bar.advance(task)
        supports = _supports(rng, nrng, issues, memberships, now, events)
        seed_contributions([i for i, _ in issues], memberships, now, events)
        bar.advance(task)
        events.sort(key=lambda e: e.time or now)
        append_many(events)
        bar.advance(task)
    steward = users[0]
    late = _steward_acts(rng, forums, steward, memberships)
    seed_conversation(issues[content.CONVERSATION["issue"]][0], seed)
    # A signed checkpoint from the start, so that a visitor can audit the demo's ledger
    # (`commonground ledger verify --url`) without waiting for a steward to publish one.
    publish_checkpoint()
    return Seeded(
        forums=len(forums),
        participants=len(users),
        memberships=len(memberships),
        issues=len(issues),
        supports=supports + late,
        ledger_entries=ledger_size(),  # the conversation's and stewards' acts included
        seconds=time.perf_counter() - started,
    )


def _forums(t0: datetime, events: list[Event]) -> dict[str, Forum]:
    forums: dict[str, Forum] = {}
    for spec in content.FORUMS:  # parents come before children in the content list
        parent = forums.get(spec["parent"]) if spec.get("parent") else None
        country = spec.get("country", "") or ""
        region = spec.get("region", "") or (region_of(country) or "" if country else "")
        forum = Forum.objects.create(
            slug=spec["slug"],
            name=spec["name"],
            level=spec["level"],
            parent=parent,
            country=country,
            region=region,
            description=spec.get("description", ""),
            created_at=t0,
        )
        forums[forum.slug] = forum
        events.append(
            Event(
                "forum.create",
                "forum",
                forum.slug,
                forum=forum.slug,
                time=t0,
                fields={
                    "name": forum.name,
                    "level": forum.level,
                    "parent": parent.slug if parent else None,
                    "country": country,
                    "region": region,
                },
            )
        )
        cycle = Cycle.objects.create(forum=forum, name="2027", opened_at=t0)
        ActiveTally.objects.bulk_create(
            ActiveTally(cycle=cycle, stakeholder_group=g) for g in GROUPS
        )
        PhaseChange.objects.create(cycle=cycle, to_phase=cycle.phase, changed_at=t0)
        events.append(
            Event(
                "cycle.open",
                "cycle",
                cycle.pk,
                forum=forum.slug,
                time=t0,
                fields={"name": "2027", "phase": cycle.phase},
            )
        )
    return forums


def _people(
    rng: random.Random, forums: dict[str, Forum], t0: datetime, events: list[Event]
) -> tuple[list[User], list[Membership]]:
    password = make_password(DEMO_PASSWORD)  # hashed once: hashing 600 times takes minutes
    by_region = _countries_by_region()
    national = {f.country: f for f in forums.values() if f.level == "national" and f.country}
    regional = {f.region: f for f in forums.values() if f.level == "regional"}
    global_forum = next(f for f in forums.values() if f.level == "global")
    youth = [f for f in forums.values() if f.level == "youth"]
    national_codes = sorted(national)

    specs: list[tuple[str, str, str, str]] = [  # email, name, group, country
        ("steward@demo.example.org", "Amina Diallo (Secretariat)", "intergovernmental", "CH"),
        ("civil@demo.example.org", "Wanjiru Kamau", "civil_society", "KE"),
        ("private@demo.example.org", "Rafael Souza", "private_sector", "BR"),
        ("gov@demo.example.org", "Claire Dubois", "government", "FR"),
    ]
    groups = list(GROUP_WEIGHTS)
    weights = list(GROUP_WEIGHTS.values())
    for i in range(PARTICIPANTS - len(specs)):
        group = rng.choices(groups, weights)[0]
        # Most people come from a country with a national forum, so those forums are lively.
        if rng.random() < 0.7:
            country = rng.choice(national_codes)
        else:
            country = rng.choice(by_region[rng.choice(REGIONS)])
        name = f"{rng.choice(content.FIRST_NAMES)} {rng.choice(content.LAST_NAMES)}"
        specs.append((f"participant{i + 1:04d}@demo.example.org", name, group, country))

    users = User.objects.bulk_create(
        User(
            email=email,
            display_name=name,
            password=password,
            date_joined=t0,
            name_is_public=rng.random() < 0.8,
        )
        for email, name, _, _ in specs
    )
    EmailAddress.objects.bulk_create(
        EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users
    )
    memberships: list[Membership] = []
    for user, (_, _, group, country) in zip(users, specs, strict=True):
        region = region_of(country) or "weog"
        joined = t0 + timedelta(minutes=rng.randint(10, 60 * 24 * 12))
        targets = [global_forum, regional[region]]
        if country in national:
            targets.append(national[country])
        if youth and rng.random() < 0.12:
            targets.append(youth[0])
        affiliation = rng.choice(content.AFFILIATIONS[group]) if rng.random() < 0.75 else ""
        for forum in targets:
            memberships.append(
                Membership(
                    forum=forum,
                    user=user,
                    stakeholder_group=group,
                    country=country,
                    region=region,
                    affiliation=affiliation,
                    verified=rng.random() < 0.45,
                    joined_at=joined,
                    verified_at=joined + timedelta(days=1),
                )
            )
    steward_user = users[0]
    for forum in forums.values():
        if not any(m.user is steward_user and m.forum is forum for m in memberships):
            memberships.append(
                Membership(
                    forum=forum,
                    user=steward_user,
                    stakeholder_group="intergovernmental",
                    country="CH",
                    region="weog",
                    joined_at=t0,
                    verified=True,
                    verified_at=t0,
                )
            )
    for m in memberships:
        if m.user is steward_user:
            m.role = Membership.Role.STEWARD
            m.verified, m.verified_at = True, t0
        if not m.verified:
            m.verified_at = None
    memberships = Membership.objects.bulk_create(memberships, batch_size=2000)
    for m in memberships:
        events.append(
            Event(
                "membership.join",
                "membership",
                m.pk,
                actor=m.user.public_id,
                forum=m.forum.slug,
                time=m.joined_at,
                fields={
                    "stakeholder_group": m.stakeholder_group,
                    "country": m.country,
                    "region": m.region,
                    "other_hats": [],
                },
            )
        )
        if m.role == Membership.Role.STEWARD:
            events.append(
                Event(
                    "membership.steward",
                    "membership",
                    m.pk,
                    forum=m.forum.slug,
                    time=m.joined_at,
                    fields={"role": "steward"},
                )
            )
        if m.verified and m.user is not steward_user:
            events.append(
                Event(
                    "membership.verify",
                    "membership",
                    m.pk,
                    actor=steward_user.public_id,
                    forum=m.forum.slug,
                    time=m.verified_at,
                    fields={"verified": True, "stakeholder_group": m.stakeholder_group},
                )
            )
    return users, memberships


def _topic_objects() -> dict[str, Topic]:
    topics: dict[str, Topic] = {}
    for number in range(1, 18):
        topics[sdg_slug(number)] = Topic(
            slug=sdg_slug(number), label=sdg_label(number), is_sdg=True
        )
    for slug in content.TOPICS:
        topics[slug] = Topic(slug=slug, label=slug.replace("-", " "))
    Topic.objects.bulk_create(topics.values())
    return {t.slug: t for t in Topic.objects.all()}


def _issues(
    rng: random.Random,
    forums: dict[str, Forum],
    memberships: list[Membership],
    t0: datetime,
    now: datetime,
    events: list[Event],
) -> list[tuple[Issue, dict[str, float]]]:
    topics = _topic_objects()
    members_of: dict[int, list[Membership]] = defaultdict(list)
    for m in memberships:
        if m.role != Membership.Role.STEWARD:
            members_of[m.forum_id].append(m)
    cycles = {c.forum_id: c for c in Cycle.objects.filter(is_open=True)}
    issues: list[tuple[Issue, dict[str, float]]] = []
    tags: list[tuple[int, list[str]]] = []
    for spec in content.ISSUES:
        forum = forums[spec["forum"]]
        appeal: dict[str, float] = dict(spec["appeal"])
        # The author comes from a group the issue appeals to.
        candidates = members_of[forum.pk]
        weights = [appeal.get(m.stakeholder_group, 0.0) ** 2 + 0.01 for m in candidates]
        author = rng.choices(candidates, weights)[0]
        raised = max(author.joined_at, t0 + timedelta(days=5)) + timedelta(
            minutes=rng.randint(30, 60 * 24 * 25)
        )
        raised = min(raised, now - timedelta(days=2))
        issue = Issue(
            cycle=cycles[forum.pk],
            forum=forum,
            author=author,
            title=spec["title"],
            description=spec["description"],
            description_html=render_markdown(spec["description"]),
            language=spec.get("lang", "en"),
            raised_at=raised,
            updated_at=raised,
        )
        slugs = normalize_topics(
            [*spec.get("topics", []), *(f"sdg-{n}" for n in spec.get("sdgs", []))]
        )
        issues.append((issue, appeal))
        tags.append((len(issues) - 1, slugs))
    Issue.objects.bulk_create([i for i, _ in issues])
    through = Issue.topics.through
    through.objects.bulk_create(
        through(issue_id=issues[index][0].pk, topic_id=topics[slug].pk)
        for index, slugs in tags
        for slug in slugs
        if slug in topics
    )
    for issue, _ in issues:
        slugs = next(s for idx, s in tags if issues[idx][0] is issue)
        events.append(
            Event(
                "issue.raise",
                "issue",
                issue.pk,
                actor=issue.author.user.public_id,
                forum=issue.forum.slug,
                time=issue.raised_at,
                fields={
                    "cycle": issue.cycle_id,
                    "title": issue.title,
                    "description": issue.description,
                    "topics": slugs,
                    "stakeholder_group": issue.author.stakeholder_group,
                },
            )
        )
    return issues


def _supports(
    rng: random.Random,
    nrng: np.random.Generator,
    issues: list[tuple[Issue, dict[str, float]]],
    memberships: list[Membership],
    now: datetime,
    events: list[Event],
) -> int:
    members_of: dict[int, list[Membership]] = defaultdict(list)
    for m in memberships:
        if m.role != Membership.Role.STEWARD:
            members_of[m.forum_id].append(m)
    # Heavy-tailed activity: a few members support a lot, most support a little.
    activity = {m.pk: float(nrng.pareto(2.0) + 0.3) for m in memberships}
    popularity = [float(nrng.lognormal(0.0, 0.6)) for _ in issues]
    weights: list[tuple[Issue, Membership, float]] = []
    for (issue, appeal), pop in zip(issues, popularity, strict=True):
        for m in members_of[issue.forum_id]:
            w = appeal.get(m.stakeholder_group, 0.0) ** 2 * activity[m.pk] * pop
            if w > 0 and m.pk != issue.author_id:
                weights.append((issue, m, w))
    # Scale so the expected number of supports hits the target.
    low, high = 0.0, 10.0
    for _ in range(40):
        mid = (low + high) / 2
        expected = sum(min(0.92, mid * w) for _, _, w in weights)
        low, high = (mid, high) if expected < TARGET_SUPPORTS else (low, mid)
    scale = (low + high) / 2
    rows: list[Support] = []
    for issue, m, w in weights:
        if rng.random() < min(0.92, scale * w):
            span = max(60, int((now - issue.raised_at).total_seconds()) - 3600)
            at = issue.raised_at + timedelta(seconds=rng.randint(60, span))
            rows.append(
                Support(
                    issue=issue,
                    membership=m,
                    cycle_id=issue.cycle_id,
                    stakeholder_group=m.stakeholder_group,
                    created_at=at,
                )
            )
    # The authors support their own issues too.
    for issue, _ in issues:
        rows.append(
            Support(
                issue=issue,
                membership=issue.author,
                cycle_id=issue.cycle_id,
                stakeholder_group=issue.author.stakeholder_group,
                created_at=issue.raised_at,
            )
        )
    Support.objects.bulk_create(rows, batch_size=5000)
    _write_tallies(rows, issues)
    for s in rows:
        events.append(
            Event(
                "support.add",
                "issue",
                s.issue_id,
                actor=s.membership.user.public_id,
                forum=s.issue.forum.slug,
                time=s.created_at,
                fields={"stakeholder_group": s.stakeholder_group},
            )
        )
    return len(rows)


def _write_tallies(rows: list[Support], issues: list[tuple[Issue, dict[str, float]]]) -> None:
    per_issue: dict[tuple[int, str], int] = defaultdict(int)
    totals: dict[int, int] = defaultdict(int)
    active: dict[tuple[int, str], set[int]] = defaultdict(set)
    for s in rows:
        per_issue[(s.issue_id, s.stakeholder_group)] += 1
        totals[s.issue_id] += 1
        active[(s.cycle_id, s.stakeholder_group)].add(s.membership_id)
    for issue, _ in issues:
        issue.support_count = totals[issue.pk]
        for g in GROUPS:
            setattr(issue, TALLY_FIELDS[g], per_issue[(issue.pk, g)])
    Issue.objects.bulk_update(
        [i for i, _ in issues], ["support_count", *TALLY_FIELDS.values()], batch_size=500
    )
    tallies = list(ActiveTally.objects.all())
    for t in tallies:
        t.count = len(active[(t.cycle_id, t.stakeholder_group)])
    ActiveTally.objects.bulk_update(tallies, ["count"])


def _steward_acts(
    rng: random.Random, forums: dict[str, Forum], steward: User, memberships: list[Membership]
) -> int:
    """Phase changes and agenda publications done through the services, as a steward would.

    The global forum publishes its agenda, receives a few more supports and
    publishes again, so the demo shows a publication with a diff.
    """
    late = 0
    for forum in forums.values():
        if forum.level in {"global", "regional"}:
            advance_cycle(steward, forum)  # into agenda setting
    global_forum = next(f for f in forums.values() if f.level == "global")
    publish_agenda(steward, global_forum)
    members = [m for m in memberships if m.forum_id == global_forum.pk and m.user_id != steward.pk]
    candidates = list(Issue.objects.filter(forum=global_forum).order_by("-support_count")[10:30])
    for issue in rng.sample(candidates, min(6, len(candidates))):
        for m in rng.sample(members, 25):
            _, created = support_issue(m.user, issue)
            late += int(created)
    publish_agenda(steward, global_forum)
    return late


__all__ = ["DEMO_LOGINS", "DEMO_PASSWORD", "Seeded", "seed_demo"]
_ = Any
