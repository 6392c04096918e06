"""Seed the demo's supports: heavy-tailed activity, drawn from each issue's appeal."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import datetime, timedelta

import numpy as np

from commonground.issues import events as issue_events
from commonground.issues.models import TALLY_FIELDS, TALLY_SHARDS, ActiveTally, Issue, Support
from commonground.issues.tallies import make_shards
from commonground.ledger.services import Event
from commonground.participants.models import Membership
from commonground.stakeholders import GROUPS

TARGET_SUPPORTS = 20_000


def seed_supports(
    rng: random.Random,
    nrng: np.random.Generator,
    issues: list[tuple[Issue, dict[str, float]]],
    memberships: list[Membership],
    now: datetime,
    events: list[Event],
) -> int:
    """Create about ``TARGET_SUPPORTS`` supports and their tallies; returns how many."""
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
            issue_events.support_added(
                s.issue_id, s.membership, s.stakeholder_group, s.issue.forum.slug, s.created_at
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
    # Rebuilt per shard: each member counts in their membership's shard.
    ActiveTally.objects.all().delete()
    per_shard: dict[tuple[int, str, int], int] = defaultdict(int)
    for (cycle_id, group), members in active.items():
        for membership_id in members:
            per_shard[(cycle_id, group, membership_id % TALLY_SHARDS)] += 1
    ActiveTally.objects.bulk_create(
        ActiveTally(cycle_id=c, stakeholder_group=g, shard=shard, count=n)
        for (c, g, shard), n in per_shard.items()
    )
    # The shards that count no one, at 0, as the cycle's opening made them.
    for cycle_id in {issue.cycle_id for issue, _ in issues}:
        make_shards(cycle_id)
