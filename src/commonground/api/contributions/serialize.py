"""Contributions as the API shows them, and the visibility filter every list applies."""

from __future__ import annotations

from typing import Any

from commonground.access.lookup import get_visible_contribution
from commonground.access.members import AnyUser, membership_of
from commonground.access.rules import can_see
from commonground.api.serializers import author_of
from commonground.contributions.models import Advice, Comment, Kind, Signal, Solution
from commonground.issues.models import Issue


def viewer_of(user: AnyUser, issue: Issue) -> Any:
    return membership_of(user, issue.forum)


def shown(items: list[Any], viewer: Any) -> list[Any]:
    return [item for item in items if can_see(item, viewer)]


def common_fields(item: Any) -> dict[str, Any]:
    return {
        "id": item.pk,
        "author": author_of(item.author),
        "created_at": item.created_at,
        "updated_at": item.updated_at,
        "hidden": item.hidden,
    }


def signal_out(s: Signal) -> dict[str, Any]:
    return {
        **common_fields(s),
        "issue": s.issue_id,
        "jurisdiction": s.jurisdiction,
        "priority": s.priority,
        "statement": s.statement,
        "statement_html": s.statement_html,
    }


def solution_out(s: Solution, advice: list[Advice]) -> dict[str, Any]:
    counts = {
        value: 0 for value in ("feasible", "feasible_with_conditions", "not_feasible", "unclear")
    }
    for a in advice:
        if a.solution_id == s.pk and not a.hidden:
            counts[a.feasibility] += 1
    return {
        **common_fields(s),
        "issue": s.issue_id,
        "title": s.title,
        "description": s.description,
        "description_html": s.description_html,
        "actors": list(s.actors),
        "language": s.language,
        "feasibility": counts,
    }


def advice_out(a: Advice) -> dict[str, Any]:
    fields = ("feasibility", "conditions", "benefits", "risks", "affected_groups", "evidence")
    return {
        **common_fields(a),
        "solution": a.solution_id,
        **{f: getattr(a, f) for f in fields},
        "revisions": [
            {"number": r.number, "created_at": r.created_at, **{f: getattr(r, f) for f in fields}}
            for r in a.revisions.all()
        ],
    }


def comment_out(c: Comment) -> dict[str, Any]:
    deleted = c.is_deleted
    return {
        **common_fields(c),
        "author": None if deleted else author_of(c.author),
        "issue": c.issue_id,
        "solution": c.solution_id,
        "parent": c.parent_id,
        "body": c.body,
        "body_html": c.body_html,
        "stance": c.stance or None,
        "deleted": deleted,
    }


def visible_solution(solution_id: int, user: AnyUser) -> Solution:
    solution: Solution = get_visible_contribution(Kind.SOLUTION, solution_id, user)
    return solution


def advice_query() -> Any:
    return Advice.objects.select_related("author__user").prefetch_related("revisions")


def reloaded_comment(comment: Comment) -> dict[str, Any]:
    """A comment as the API shows it, re-read with its author after a write."""
    return comment_out(Comment.objects.select_related("author__user").get(pk=comment.pk))
