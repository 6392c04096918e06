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
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import numpy as np
from django.db import transaction
from django.utils import timezone
from rich.progress import Progress

from commonground.demo import content
from commonground.demo.contributions import seed_contributions
from commonground.demo.dialogue import seed_conversation
from commonground.demo.forums import seed_forums
from commonground.demo.issues import seed_issues
from commonground.demo.meetings import seed_sessions
from commonground.demo.network import seed_network, seed_nri
from commonground.demo.outcomes import seed_outcomes
from commonground.demo.people import DEMO_LOGINS, DEMO_PASSWORD, seed_people
from commonground.demo.supports import seed_supports
from commonground.demo.translations import seed_translations
from commonground.forums.models import Forum
from commonground.forums.services import advance_cycle
from commonground.issues.models import Issue
from commonground.issues.services import support_issue
from commonground.ledger.services import Event, append_many, ledger_size, publish_checkpoint
from commonground.participants.models import Membership, User
from commonground.recognition.services import publish_agenda


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
        forums = seed_forums(t0, events)
        bar.advance(task)
        users, memberships = seed_people(rng, forums, t0, events)
        bar.advance(task)
        issues = seed_issues(rng, forums, memberships, t0, now, events)
        bar.advance(task)
        supports = seed_supports(rng, nrng, issues, memberships, now, events)
        seed_contributions([i for i, _ in issues], memberships, now, events)
        bar.advance(task)
        events.sort(key=lambda e: e.time or now)
        append_many(events)
        bar.advance(task)
    steward = users[0]
    late = _steward_acts(rng, forums, steward, memberships, issues)
    seed_conversation(issues[content.CONVERSATION["issue"]][0], seed)
    global_forum = next(f for f in forums.values() if f.level == "global")
    seed_outcomes(global_forum, steward, rng, t0)
    seed_translations(global_forum, steward)  # after the messages: one is translated
    seed_sessions(global_forum, steward, rng)
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


def _steward_acts(
    rng: random.Random,
    forums: dict[str, Forum],
    steward: User,
    memberships: list[Membership],
    issues: list[Any],
) -> int:
    """Phase changes and agenda publications done through the services, as a steward would.

    The global forum publishes its agenda, receives a few more supports and
    publishes again, so the demo shows a publication with a diff.
    """
    late = 0
    for forum in forums.values():
        if forum.level in {"global", "regional"}:
            advance_cycle(steward, forum)  # into agenda setting
    # National and regional agendas published and forwarded up the tree before the global
    # forum publishes, so its agenda shows where its issues came from (demo/network.py).
    # Its own generator (a copy of the state), so the global forum's late supports below
    # draw the same as without the network.
    network_rng = random.Random()
    network_rng.setstate(rng.getstate())
    seed_network(network_rng, forums, steward, issues, memberships)
    seed_nri(forums, steward, timezone.now())
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
