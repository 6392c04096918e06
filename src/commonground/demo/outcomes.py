"""The global forum's finished earlier cycle (2026): agenda issues, messages at each
consensus level with positions, objections and their dispositions, designations,
referrals and uptake, all through the services (``demo/data/messages.toml``).

The cycle is opened, moved through its phases and closed through the services while the
current cycle is set aside for a moment (one cycle may be open at a time), and its dates
are then moved into the past so that the timeline reads as a year that has ended.
"""

from __future__ import annotations

import random
import tomllib
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from django.db import transaction

from commonground.forums.models import Cycle, Forum, PhaseChange
from commonground.forums.services import advance_cycle, open_cycle
from commonground.issues.services import raise_issue, support_issue
from commonground.outcomes import chairing, followup, services
from commonground.outcomes.models import Message
from commonground.participants.models import Membership, User
from commonground.recognition.services import publish_agenda
from commonground.stakeholders import GROUPS

DATA = Path(__file__).parent / "data" / "messages.toml"
POSITIONS = ("support", "can_live_with", "object")
DAY = timedelta(days=1)


def load() -> dict[str, Any]:
    with DATA.open("rb") as handle:
        return tomllib.load(handle)


def _members_by_group(forum: Forum, steward: User) -> dict[str, list[Membership]]:
    rows = (
        Membership.objects.filter(forum=forum, status="active")
        .exclude(user=steward)
        .select_related("user")
        .order_by("pk")
    )
    groups: dict[str, list[Membership]] = {g: [] for g in GROUPS}
    for m in rows:
        groups[m.stakeholder_group].append(m)
    return groups


def seed_outcomes(forum: Forum, steward: User, rng: random.Random, before: datetime) -> int:
    """Seed the finished cycle; returns the number of messages. ``before`` is when the
    current cycle opened: the earlier cycle ends a few days before it."""
    data = load()
    groups = _members_by_group(forum, steward)
    current = Cycle.objects.get(forum=forum, is_open=True)
    with transaction.atomic():
        Cycle.objects.filter(pk=current.pk).update(is_open=False)
        cycle = open_cycle(steward, forum, data["cycle"])
        issues = []
        for entry in data["message"]:
            author = rng.choice(groups["civil_society"])
            issue = raise_issue(
                author.user, forum, title=entry["issue"], description=entry["issue_description"],
                topics=entry["topics"],
            )  # fmt: skip
            # Drawn to by every group, so each issue is recognized on its merits.
            for group in GROUPS:
                for m in rng.sample(groups[group], 3):
                    support_issue(m.user, issue)
            issues.append(issue)
        advance_cycle(steward, forum)  # agenda setting
        publish_agenda(steward, forum)
        for _ in range(4):  # call for sessions, evaluation, forum, messages
            advance_cycle(steward, forum)
        start = before - 120 * DAY
        for k, (entry, issue) in enumerate(zip(data["message"], issues, strict=True)):
            _seed_message(entry, issue, steward, groups, rng, start + k * DAY)
        advance_cycle(steward, forum)  # follow-up
        for k, (entry, message) in enumerate(
            zip(data["message"], Message.objects.filter(cycle=cycle).order_by("pk"), strict=True)
        ):
            _follow_up(entry, message, steward, groups, start + (20 + k) * DAY, before)
        advance_cycle(steward, forum)  # the cycle closes
        _move_into_the_past(cycle, start - 200 * DAY, before - 3 * DAY)
        Cycle.objects.filter(pk=current.pk).update(is_open=True)
    return len(data["message"])


def _seed_message(
    entry: dict[str, Any],
    issue: Any,
    steward: User,
    groups: dict[str, list[Membership]],
    rng: random.Random,
    t: datetime,
) -> None:
    message = services.draft_message(
        steward, issue, title=entry["title"], text=entry["text"], now=t
    )
    opens, closes = t + DAY, t + 11 * DAY
    services.open_comment_window(steward, message, opens_at=opens, closes_at=closes, now=t)
    texts = entry["objections"]
    objections = 0
    for group in GROUPS:
        counts = entry["positions"].get(group, [0, 0, 0])
        members = rng.sample(groups[group], sum(counts))
        kinds = [p for p, n in zip(POSITIONS, counts, strict=True) for _ in range(n)]
        for member, kind in zip(members, kinds, strict=True):
            text = ""
            if kind == "object":
                text = texts[objections % len(texts)]["text"]
                objections += 1
            services.record_position(
                member.user, message, position=kind, text=text, now=opens + 2 * DAY
            )
    if entry["revised_text"]:
        services.revise_message(
            steward, message, title=entry["title"], text=entry["revised_text"],
            note="Answers the objection.", now=opens + 5 * DAY,
        )  # fmt: skip
    after = closes + DAY
    for k, objection in enumerate(message.positions.filter(position="object").order_by("pk")):
        answer = texts[k % len(texts)]
        chairing.record_disposition(
            steward, objection, disposition=answer["disposition"], reason=answer["reason"],
            now=after,
        )  # fmt: skip
    chairing.designate(
        steward, message, level=entry["level"], rationale=entry["rationale"],
        minority_view=entry["minority_view"], now=after,
    )  # fmt: skip
    chairing.publish_message(steward, message, now=after)


def _follow_up(
    entry: dict[str, Any],
    message: Message,
    steward: User,
    groups: dict[str, list[Membership]],
    t: datetime,
    before: datetime,
) -> None:
    for referral in entry["referrals"]:
        followup.refer_message(steward, message, now=t, **referral)
    for k, record in enumerate(entry["uptake"]):
        member = groups[record["group"]][k]
        when = min(t + record["days"] * DAY, before - 4 * DAY)
        followup.record_uptake(
            member.user, message, body=record["body"], action=record["action"],
            summary=record["summary"], date=date.fromordinal(when.toordinal()),
            url=record["url"], now=when,
        )  # fmt: skip


def _move_into_the_past(cycle: Cycle, opened: datetime, closed: datetime) -> None:
    Cycle.objects.filter(pk=cycle.pk).update(opened_at=opened, closed_at=closed)
    changes = list(PhaseChange.objects.filter(cycle=cycle).order_by("pk"))
    step = (closed - opened) / max(1, len(changes) - 1)
    for k, change in enumerate(changes):
        PhaseChange.objects.filter(pk=change.pk).update(changed_at=opened + k * step)
