"""Comment routes: the discussion of an issue or a solution, and reports."""

from __future__ import annotations

from typing import Any

from ninja import Status

from commonground.access.lookup import get_issue, get_visible_contribution
from commonground.access.members import AnyUser
from commonground.api.auth import AUTH, ApiRequest, optional_user
from commonground.api.contributions.common import ERRORS, LIMITED, CommentId, SolutionId, router
from commonground.api.contributions.schemas import CommentIn, CommentOut, ReportIn, ReportOut
from commonground.api.contributions.serialize import (
    comment_out,
    reloaded_comment,
    shown,
    viewer_of,
    visible_solution,
)
from commonground.api.schemas import IssueId
from commonground.contributions import services
from commonground.contributions.models import Comment, Kind
from commonground.issues.models import Issue


def _comments(user: AnyUser, forum_issue: Issue, **target: Any) -> list[dict[str, Any]]:
    viewer = viewer_of(user, forum_issue)
    rows = (
        Comment.objects.filter(**target).select_related("author__user").order_by("created_at", "id")
    )
    return [comment_out(c) for c in shown(list(rows), viewer)]


@router.get(
    "/issues/{issue_id}/comments",
    response={200: list[CommentOut], **ERRORS},
    summary="Comments on an issue",
)
def list_issue_comments(request: ApiRequest, issue_id: IssueId) -> list[dict[str, Any]]:
    """The discussion of the issue itself (not its solutions), oldest first."""
    user = optional_user(request)
    issue = get_issue(issue_id)
    return _comments(user, issue, issue=issue, solution__isnull=True)


@router.get(
    "/solutions/{solution_id}/comments",
    response={200: list[CommentOut], **ERRORS},
    summary="Comments on a solution",
)
def list_solution_comments(request: ApiRequest, solution_id: SolutionId) -> list[dict[str, Any]]:
    user = optional_user(request)
    solution = visible_solution(solution_id, user)
    return _comments(user, solution.issue, solution=solution)


@router.post(
    "/issues/{issue_id}/comments",
    auth=AUTH,
    response={201: CommentOut, **LIMITED},
    summary="Comment on an issue",
)
def create_issue_comment(
    request: ApiRequest, issue_id: IssueId, payload: CommentIn
) -> Status[dict[str, Any]]:
    """Any member; ``parent`` makes it a reply to a top-level comment on the same issue."""
    comment = services.comment_on_issue(request.auth, issue_id, **payload.model_dump())
    # The service's comment has every field and its author with the user: no re-read.
    return Status(201, comment_out(comment))


@router.post(
    "/solutions/{solution_id}/comments",
    auth=AUTH,
    response={201: CommentOut, **LIMITED},
    summary="Comment on a solution",
)
def create_solution_comment(
    request: ApiRequest, solution_id: SolutionId, payload: CommentIn
) -> Status[dict[str, Any]]:
    """Any member; ``parent`` makes it a reply to a top-level comment on the same solution."""
    solution = visible_solution(solution_id, request.auth)
    comment = services.add_comment(request.auth, solution=solution, **payload.model_dump())
    return Status(201, reloaded_comment(comment))


@router.post(
    "/comments/{comment_id}/reports",
    auth=AUTH,
    response={201: ReportOut, **LIMITED},
    summary="Report a comment",
)
def report_comment(
    request: ApiRequest, comment_id: CommentId, payload: ReportIn
) -> Status[dict[str, Any]]:
    """One report per member per comment; enough distinct reporters hide it."""
    comment = get_visible_contribution(Kind.COMMENT, comment_id, request.auth)
    created, hidden = services.report(request.auth, Kind.COMMENT, comment, **payload.model_dump())
    return Status(
        201, {"id": created.pk, "comment": comment.pk, "reason": created.reason, "hidden": hidden}
    )
