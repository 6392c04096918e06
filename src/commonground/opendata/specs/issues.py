"""Specs of topics, issues, their topics and their supports."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from commonground.core.markdown import render_markdown
from commonground.issues.models import (
    TALLY_FIELDS,
    TALLY_SHARDS,
    ActiveTally,
    Issue,
    Support,
    Topic,
)
from commonground.issues.tallies import make_shards
from commonground.opendata import resources as r
from commonground.opendata.specs.base import (
    BATCH,
    CHUNK,
    Exporting,
    Importing,
    Row,
    TableSpec,
    pick,
)
from commonground.stakeholders import GROUPS


def _export_topics(at: Exporting) -> Iterable[Sequence[Any]]:
    return (
        Topic.objects.filter(issues__forum=at.forum)
        .distinct()
        .order_by("slug")
        .values_list("slug", "label", "is_sdg")
        .iterator(chunk_size=CHUNK)
    )


def _load_topics(rows: list[Row], into: Importing) -> None:
    """Topics are shared by the instance's forums: only those it lacks are added (the
    importer has refused a package whose topic differs from one of the same slug)."""
    existing = set(Topic.objects.values_list("slug", flat=True))
    Topic.objects.bulk_create(
        [Topic(**pick(t, "slug", "label", "is_sdg")) for t in rows if t["slug"] not in existing]
    )


def _load_issues(rows: list[Row], into: Importing) -> None:
    """The tallies are derived data: recounted from the supports, as the services keep them."""
    per_issue: dict[int, Counter[str]] = defaultdict(Counter)
    for s in into.tables["supports"]:
        per_issue[s["issue_id"]][s["stakeholder_group"]] += 1
    issues = []
    for i in rows:
        counts = per_issue[i["id"]]
        issues.append(
            Issue(
                pk=i["id"],
                forum=into.the_forum,
                author=into.member[i["raised_by"]],
                description_html=render_markdown(i["description"]),
                support_count=sum(counts.values()),
                **pick(i, "cycle_id", "title", "description", "language"),
                **pick(i, "raised_at", "updated_at"),
                **{TALLY_FIELDS[g]: counts[g] for g in GROUPS},
            )
        )
    Issue.objects.bulk_create(issues, batch_size=BATCH)


def _export_issue_topics(at: Exporting) -> Iterable[Sequence[Any]]:
    return (
        Issue.topics.through.objects.filter(issue__forum=at.forum)
        .order_by("issue_id", "topic__slug")
        .values_list("issue_id", "topic__slug")
        .iterator(chunk_size=CHUNK)
    )


def _load_issue_topics(rows: list[Row], into: Importing) -> None:
    topic_pk = dict(Topic.objects.values_list("slug", "pk"))
    through = Issue.topics.through
    through.objects.bulk_create(
        [through(issue_id=t["issue_id"], topic_id=topic_pk[t["topic"]]) for t in rows],
        batch_size=BATCH,
    )


def _load_supports(rows: list[Row], into: Importing) -> None:
    """The supports, and each cycle's count of active supporters per group (derived)."""
    Support.objects.bulk_create(
        [
            Support(
                pk=s["id"],
                membership=into.member[s["participant_id"]],
                **pick(s, "issue_id", "cycle_id", "stakeholder_group", "created_at"),
            )
            for s in rows
        ],
        batch_size=BATCH,
    )
    # Active members per cycle, group and shard: each in their membership's shard, where
    # their later withdrawals subtract (commonground.issues.tallies).
    active: dict[tuple[int, str, int], set[str]] = defaultdict(set)
    for s in rows:
        shard = into.member[s["participant_id"]].pk % TALLY_SHARDS
        active[(s["cycle_id"], s["stakeholder_group"], shard)].add(s["participant_id"])
    ActiveTally.objects.bulk_create(
        [
            ActiveTally(cycle_id=cycle, stakeholder_group=group, shard=shard, count=len(members))
            for (cycle, group, shard), members in active.items()
        ]
    )
    # The shards that count no one, at 0, as a cycle's opening makes them.
    for cycle_id in {s["cycle_id"] for s in rows}:
        make_shards(cycle_id)


TOPICS = TableSpec(r.TOPICS, Topic, export=_export_topics, load=_load_topics, keeps_ids=False)

ISSUES = TableSpec(
    r.ISSUES,
    Issue,
    (
        "pk",
        "cycle_id",
        "title",
        "description",
        "language",
        "author__user__public_id",
        "raised_at",
        "updated_at",
    ),
    query=lambda forum: Issue.objects.filter(forum=forum),
    load=_load_issues,
)

ISSUE_TOPICS = TableSpec(
    r.ISSUE_TOPICS,
    Issue.topics.through,
    export=_export_issue_topics,
    load=_load_issue_topics,
    keeps_ids=False,
)

SUPPORTS = TableSpec(
    r.SUPPORTS,
    Support,
    (
        "pk",
        "membership__user__public_id",
        "issue_id",
        "cycle_id",
        "stakeholder_group",
        "created_at",
    ),
    query=lambda forum: Support.objects.filter(issue__forum=forum),
    load=_load_supports,
)
