"""Advice routes: technical assessments of a solution."""

from __future__ import annotations

from typing import Any

from ninja import Status

from commonground.access.members import membership_of
from commonground.api.auth import AUTH, ApiRequest, optional_user
from commonground.api.contributions.common import ERRORS, LIMITED, SolutionId, router
from commonground.api.contributions.schemas import AdviceIn, AdviceOut
from commonground.api.contributions.serialize import (
    advice_out,
    advice_query,
    shown,
    visible_solution,
)
from commonground.contributions import services


@router.get(
    "/solutions/{solution_id}/advice",
    response={200: list[AdviceOut], **ERRORS},
    summary="Technical advice on a solution",
)
def list_advice(request: ApiRequest, solution_id: SolutionId) -> list[dict[str, Any]]:
    """Every assessment of the solution with its full revision history."""
    user = optional_user(request)
    solution = visible_solution(solution_id, user)
    rows = shown(
        list(advice_query().filter(solution=solution)), membership_of(user, solution.forum)
    )
    return [advice_out(a) for a in rows]


@router.post(
    "/solutions/{solution_id}/advice",
    auth=AUTH,
    response={201: AdviceOut, **LIMITED},
    summary="Give technical advice on a solution",
)
def create_advice(
    request: ApiRequest, solution_id: SolutionId, payload: AdviceIn
) -> Status[dict[str, Any]]:
    """Academic & technical community and Internet institution members only; one per solution."""
    advice = services.give_advice(
        request.auth, visible_solution(solution_id, request.auth), **payload.model_dump()
    )
    return Status(201, advice_out(advice_query().get(pk=advice.pk)))
