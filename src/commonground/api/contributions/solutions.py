"""Solution routes: the envisaged solutions to an issue."""

from __future__ import annotations

from typing import Any

from ninja import Status

from commonground.access.lookup import get_issue
from commonground.api.auth import AUTH, ApiRequest, optional_user
from commonground.api.contributions.common import ERRORS, LIMITED, router
from commonground.api.contributions.schemas import SolutionIn, SolutionOut
from commonground.api.contributions.serialize import shown, solution_out, viewer_of
from commonground.api.schemas import IssueId
from commonground.contributions import services
from commonground.contributions.models import Advice, Solution


@router.get(
    "/issues/{issue_id}/solutions",
    response={200: list[SolutionOut], **ERRORS},
    summary="Envisaged solutions to an issue",
)
def list_solutions(request: ApiRequest, issue_id: IssueId) -> list[dict[str, Any]]:
    """Solutions with the number of technical assessments per feasibility rating."""
    user = optional_user(request)
    issue = get_issue(issue_id)
    viewer = viewer_of(user, issue)
    rows = shown(list(Solution.objects.filter(issue=issue).select_related("author__user")), viewer)
    advice = list(
        Advice.objects.filter(solution__issue=issue).only("solution_id", "feasibility", "hidden")
    )
    return [solution_out(s, advice) for s in rows]


@router.post(
    "/issues/{issue_id}/solutions",
    auth=AUTH,
    response={201: SolutionOut, **LIMITED},
    summary="Propose a solution",
)
def create_solution(
    request: ApiRequest, issue_id: IssueId, payload: SolutionIn
) -> Status[dict[str, Any]]:
    """Any member of the issue's forum may propose an envisaged solution."""
    solution = services.propose_solution(request.auth, get_issue(issue_id), **payload.model_dump())
    solution = Solution.objects.select_related("author__user").get(pk=solution.pk)
    return Status(201, solution_out(solution, []))
