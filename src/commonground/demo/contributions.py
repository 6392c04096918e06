"""Seed the demo's signals, solutions, advice and comments from ``demo/data/*.toml``.

Called by ``demo.seed.seed_demo`` inside its transaction, after the supports:
rows are bulk-created and one ledger event per row is added to the demo's event
list, which the seeder sorts by time and appends with ``append_many``, so the
ledger reads as if each contribution had gone through the services.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta

from commonground.contributions import events as built
from commonground.contributions.models import Advice, AdviceRevision, Comment, Signal, Solution
from commonground.core.markdown import render_markdown
from commonground.demo import content
from commonground.issues.models import Issue
from commonground.ledger.services import Event
from commonground.participants.models import Membership

ADVICE_FIELDS = ("feasibility", "conditions", "benefits", "risks", "affected_groups", "evidence")


def _after(rng: random.Random, start: datetime, now: datetime) -> datetime:
    span = max(60, int((now - start).total_seconds()) - 60)
    return start + timedelta(seconds=rng.randint(30, span))


def seed_contributions(
    issues: Sequence[Issue],
    memberships: Sequence[Membership],
    now: datetime,
    events: list[Event],
    seed: int = 2027,
) -> dict[str, int]:
    """Create the demo contributions; ``issues`` are in ``content.ISSUES`` order.

    Authors are drawn from the issue's forum with the stakeholder group the
    content names (signals: a government of the named country when there is
    one); returns how many rows of each kind were made.
    """
    rng = random.Random(seed)
    by_group: dict[tuple[int, str], list[Membership]] = defaultdict(list)
    members_of: dict[int, list[Membership]] = defaultdict(list)
    for m in memberships:
        if m.role != Membership.Role.STEWARD:
            by_group[(m.forum_id, m.stakeholder_group)].append(m)
            members_of[m.forum_id].append(m)

    def pick(forum_id: int, group: str, taken: set[int], country: str = "") -> Membership | None:
        pool = [m for m in by_group[(forum_id, group)] if m.pk not in taken]
        local = [m for m in pool if country and m.country == country]
        return rng.choice(local or pool) if pool else None

    signals: list[Signal] = []
    signalled: dict[int, set[int]] = defaultdict(set)
    for spec in content.SIGNALS:
        issue = issues[spec["issue"]]
        author = pick(issue.forum_id, spec["group"], signalled[issue.pk], spec["jurisdiction"])
        if author is None:
            continue
        signalled[issue.pk].add(author.pk)
        at = _after(rng, issue.raised_at, now)
        signals.append(
            Signal(
                issue=issue,
                forum_id=issue.forum_id,
                author=author,
                jurisdiction=spec["jurisdiction"],
                priority=spec["priority"],
                statement=spec["statement"],
                statement_html=render_markdown(spec["statement"]),
                created_at=at,
                updated_at=at,
            )
        )
    Signal.objects.bulk_create(signals)

    solutions: list[Solution | None] = []
    for spec in content.SOLUTIONS:
        issue = issues[spec["issue"]]
        pool = members_of[issue.forum_id]
        if not pool:
            solutions.append(None)
            continue
        at = _after(rng, issue.raised_at, now)
        solutions.append(
            Solution(
                issue=issue,
                forum_id=issue.forum_id,
                author=rng.choice(pool),
                title=spec["title"],
                description=spec["description"],
                description_html=render_markdown(spec["description"]),
                actors=list(spec["actors"]),
                created_at=at,
                updated_at=at,
            )
        )
    Solution.objects.bulk_create([s for s in solutions if s is not None])

    advice: list[Advice] = []
    advised: dict[int, set[int]] = defaultdict(set)
    for spec in content.ADVICE:
        solution = solutions[spec["solution"]]
        if solution is None:
            continue
        author = None
        for group in rng.sample(["academic_technical", "internet_institution"], 2):
            author = author or pick(solution.forum_id, group, advised[solution.pk])
        if author is None:
            continue
        advised[solution.pk].add(author.pk)
        at = _after(rng, solution.created_at, now)
        advice.append(
            Advice(
                solution=solution,
                forum_id=solution.forum_id,
                author=author,
                feasibility=spec["feasibility"],
                conditions=spec["conditions"],
                benefits=spec["benefits"],
                risks=spec["risks"],
                affected_groups=list(spec["affected_groups"]),
                evidence=list(spec["evidence"]),
                created_at=at,
                updated_at=at,
            )
        )
    Advice.objects.bulk_create(advice)
    AdviceRevision.objects.bulk_create(
        AdviceRevision(
            advice=a,
            number=1,
            feasibility=a.feasibility,
            conditions=a.conditions,
            benefits=a.benefits,
            risks=a.risks,
            affected_groups=a.affected_groups,
            evidence=a.evidence,
            created_at=a.created_at,
        )
        for a in advice
    )

    # Top-level comments first (replies need their parent's id), then the replies.
    comments: list[Comment | None] = []
    for spec in content.COMMENTS:
        issue = issues[spec["issue"]]
        author = pick(issue.forum_id, spec["group"], set())
        parent = comments[spec["parent"]] if spec["parent"] is not None else None
        if author is None or (spec["parent"] is not None and parent is None):
            comments.append(None)
            continue
        start = parent.created_at if parent is not None else issue.raised_at
        at = _after(rng, start, now)
        comment = Comment(
            issue=issue,
            forum_id=issue.forum_id,
            author=author,
            body=spec["body"],
            body_html=render_markdown(spec["body"]),
            stance=spec["stance"] or "",
            created_at=at,
            updated_at=at,
        )
        comment.parent = parent
        comments.append(comment)
    made = [c for c in comments if c is not None]
    Comment.objects.bulk_create([c for c in made if c.parent is None])
    for c in made:
        if c.parent is not None:
            c.parent_id = c.parent.pk
    Comment.objects.bulk_create([c for c in made if c.parent is not None])

    slug = {i.forum_id: i.forum.slug for i in issues}
    for s in signals:
        events.append(built.signal_added(s, s.author, slug[s.forum_id]))
    for sol in (s for s in solutions if s is not None):
        events.append(built.solution_proposed(sol, sol.author, slug[sol.forum_id]))
    for a in advice:
        events.append(built.advice_given(a, a.author, slug[a.forum_id]))
    for c in made:
        events.append(built.comment_added(c, c.author, slug[c.forum_id]))
    return {
        "signals": len(signals),
        "solutions": sum(1 for s in solutions if s is not None),
        "advice": len(advice),
        "comments": len(made),
    }
