"""Comment routes: the discussion of an issue or a solution, and reports."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from ninja import Query, Status

from commonground.access.lookup import get_issue, get_visible_contribution
from commonground.access.members import AnyUser
from commonground.api.auth import AUTH, ApiRequest, optional_user
from commonground.api.contributions.common import ERRORS, LIMITED, CommentId, SolutionId, router
from commonground.api.contributions.schemas import (
    CommentIn,
    CommentOut,
    CommentPage,
    CommentPageQuery,
    ReportIn,
    ReportOut,
)
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


def _comments(
    user: AnyUser, forum_issue: Issue, page: CommentPageQuery, **target: Any
) -> dict[str, Any]:
    """A page of the discussion, oldest first, counting only what the caller may see: a
    hidden comment for its author and the stewards (``access.rules.can_see``, in SQL)."""
    viewer = viewer_of(user, forum_issue)
    rows = Comment.objects.filter(**target)
    if viewer is None:
        rows = rows.filter(hidden=False)
    elif not viewer.is_steward:
        rows = rows.filter(Q(hidden=False) | Q(author_id=viewer.pk))
    count = rows.count()
    limit, offset = page.limit, page.offset
    found = rows.select_related("author__user").order_by("created_at", "id")[
        offset : offset + limit
    ]
    # The SQL above is can_see's rule; checked again here, so the two cannot drift apart.
    items = [comment_out(c) for c in shown(list(found), viewer)]
    return {"count": count, "limit": limit, "offset": offset, "items": items}


@router.get(
    "/issues/{issue_id}/comments",
    response={200: CommentPage, **ERRORS},
    summary="Comments on an issue, paginated",
)
def list_issue_comments(
    request: ApiRequest, issue_id: IssueId, page: Query[CommentPageQuery]
) -> dict[str, Any]:
    """The discussion of the issue itself (not its solutions), oldest first."""
    user = optional_user(request)
    issue = get_issue(issue_id)
    return _comments(user, issue, page, issue=issue, solution__isnull=True)


@router.get(
    "/solutions/{solution_id}/comments",
    response={200: CommentPage, **ERRORS},
    summary="Comments on a solution, paginated",
)
def list_solution_comments(
    request: ApiRequest, solution_id: SolutionId, page: Query[CommentPageQuery]
) -> dict[str, Any]:
    """The discussion of a solution, oldest first."""
    user = optional_user(request)
    solution = visible_solution(solution_id, user)
    return _comments(user, solution.issue, page, solution=solution)


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
