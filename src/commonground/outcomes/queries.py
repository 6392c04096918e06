"""Reading messages: the public record of one message, its figures and its version diff.

The API's ``GET /api/v1/messages/{id}``, the pages and the outcome document all read a
message through ``message_record`` so they show the same thing.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from django.db.models import Count

from commonground.analysis.consensus import POSITIONS
from commonground.outcomes.chairing import current_designation, suggestion_of
from commonground.outcomes.models import Message, MessageVersion, Position, Referral, Uptake
from commonground.stakeholders import GROUPS


def positions_by_group(message: Message) -> dict[str, dict[str, int]]:
    """Counts of positions per stakeholder group, all six groups, all three positions."""
    table = {g: dict.fromkeys(POSITIONS, 0) for g in GROUPS}
    rows = (
        Position.objects.filter(message=message)
        .values("stakeholder_group", "position")
        .annotate(n=Count("id"))
    )
    for row in rows:
        table[row["stakeholder_group"]][row["position"]] = row["n"]
    return table


def position_rows(message: Message) -> list[Position]:
    return list(
        Position.objects.filter(message=message)
        .select_related("membership__user", "disposition")
        .prefetch_related("replies__author__user")
        .order_by("stakeholder_group", "created_at", "id")
    )


def objection_json(position: Position) -> dict[str, Any]:
    answer = getattr(position, "disposition", None)
    return {
        "id": position.pk,
        "stakeholder_group": position.stakeholder_group,
        "name": position.membership.user.public_name,
        "text": position.text,
        "version": position.version,
        "disposition": answer.disposition if answer else None,
        "reason": answer.reason if answer else "",
        "answered_by_version": answer.version if answer else None,
        "replies": [
            {"name": r.author.user.public_name, "text": r.text, "created_at": r.created_at}
            for r in position.replies.all()
        ],
    }


def referral_json(referral: Referral) -> dict[str, Any]:
    return {
        "id": referral.pk,
        "name": referral.name,
        "kind": referral.kind,
        "contact": referral.contact,
        "referred_at": referral.referred_at,
    }


def uptake_json(uptake: Uptake) -> dict[str, Any]:
    return {
        "id": uptake.pk,
        "body": uptake.body,
        "action": uptake.action,
        "summary": uptake.summary,
        "date": uptake.date,
        "url": uptake.url,
        "stakeholder_group": uptake.stakeholder_group,
        "recorded_by": uptake.membership.user.public_name,
        "recorded_at": uptake.recorded_at,
    }


def message_record(message: Message) -> dict[str, Any]:
    """The public record of a message (the API's message detail)."""
    rows = position_rows(message)
    designation = current_designation(message)
    suggestion = suggestion_of(message).as_json()
    return {
        "id": message.pk,
        "forum": message.forum.slug,
        "cycle": message.cycle.name,
        "state": message.state,
        "title": message.title,
        "text": message.text,
        "language": message.language,
        "version": message.version,
        "issue_id": message.issue_id,
        "report_ids": sorted(message.reports.values_list("pk", flat=True)),
        "conversation_ids": sorted(message.conversations.values_list("pk", flat=True)),
        "created_at": message.created_at,
        "published_at": message.published_at,
        "window": {"opens_at": message.opens_at, "closes_at": message.closes_at},
        "positions_by_group": positions_by_group(message),
        "suggested": suggestion,
        "designation": None
        if designation is None
        else {
            "level": designation.level,
            "rationale": designation.rationale,
            "minority_view": designation.minority_view,
            "suggested_level": designation.suggested_level,
            "designated_at": designation.designated_at,
        },
        "positions": [
            {
                "id": p.pk,
                "name": p.membership.user.public_name,
                "participant": p.membership.user.public_id,
                "stakeholder_group": p.stakeholder_group,
                "position": p.position,
                "text": p.text,
                "version": p.version,
                "updated_at": p.updated_at,
            }
            for p in rows
        ],
        "objections": [objection_json(p) for p in rows if p.is_objection],
        "referrals": [referral_json(r) for r in message.referrals.all()],
        "uptake": [uptake_json(u) for u in message.uptake.select_related("membership__user")],
    }


def message_summary(message: Message) -> dict[str, Any]:
    """One line of a forum's list of messages."""
    designation = current_designation(message)
    return {
        "id": message.pk,
        "state": message.state,
        "title": message.title,
        "version": message.version,
        "issue_id": message.issue_id,
        "cycle": message.cycle.name,
        "designation": designation.level if designation else None,
    }


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "same", "added", "removed"
    text: str


def version_diff(old: MessageVersion, new: MessageVersion) -> list[DiffLine]:
    """A line diff of two versions' titles and texts (title first)."""
    a = [f"# {old.title}", *old.text.splitlines()]
    b = [f"# {new.title}", *new.text.splitlines()]
    lines: list[DiffLine] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            lines.extend(DiffLine("same", t) for t in a[i1:i2])
            continue
        lines.extend(DiffLine("removed", t) for t in a[i1:i2])
        lines.extend(DiffLine("added", t) for t in b[j1:j2])
    return lines
