"""Seed the demo's topics and issues of concern from ``demo/data/issues-*.toml``."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import datetime, timedelta

from commonground.core.markdown import render_markdown
from commonground.demo import content
from commonground.forums.models import Cycle, Forum
from commonground.issues import events as issue_events
from commonground.issues.models import Issue, Topic
from commonground.issues.sdgs import sdg_label, sdg_slug
from commonground.issues.services import normalize_topics
from commonground.ledger.services import Event
from commonground.participants.models import Membership


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


def seed_issues(
    rng: random.Random,
    forums: dict[str, Forum],
    memberships: list[Membership],
    t0: datetime,
    now: datetime,
    events: list[Event],
) -> list[tuple[Issue, dict[str, float]]]:
    """Create the topics and the issues; returns each issue with its appeal by group."""
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
        appeal: dict[str, float] = {group: rate for group, rate in spec["appeal"].items()}
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
        events.append(issue_events.issue_raised(issue, issue.author, slugs, issue.raised_at))
    return issues
