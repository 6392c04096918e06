"""The author's changes: edit or withdraw a signal, edit a solution, revise advice,
edit or delete a comment."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse

from commonground.access.lookup import get_visible_contribution
from commonground.access.members import AnyUser
from commonground.api.auth import AUTH, ApiRequest
from commonground.api.contributions.common import (
    ERRORS,
    LIMITED,
    AdviceId,
    CommentId,
    SignalId,
    SolutionId,
    router,
)
from commonground.api.contributions.schemas import (
    AdviceIn,
    AdviceOut,
    CommentOut,
    CommentPatch,
    SignalOut,
    SignalPatch,
    SolutionOut,
    SolutionPatch,
)
from commonground.api.contributions.serialize import (
    advice_out,
    advice_query,
    reloaded_comment,
    signal_out,
    solution_out,
)
from commonground.contributions import services
from commonground.contributions.models import Advice, Kind, Signal, Solution


def _own(kind: str, pk: int, user: AnyUser) -> Any:
    """A contribution the caller can see (else 404); the service checks authorship (403)."""
    return get_visible_contribution(kind, pk, user)


@router.patch(
    "/signals/{signal_id}",
    auth=AUTH,
    response={200: SignalOut, **LIMITED},
    summary="Change your signal",
)
def edit_signal(request: ApiRequest, signal_id: SignalId, payload: SignalPatch) -> dict[str, Any]:
    """The author changes jurisdiction, priority or statement; fields not sent stay."""
    signal = _own(Kind.SIGNAL, signal_id, request.auth)
    sent = payload.model_dump(exclude_unset=True, exclude_none=True)
    services.edit_signal(
        request.auth,
        signal,
        jurisdiction=sent.get("jurisdiction", signal.jurisdiction),
        priority=sent.get("priority", signal.priority),
        statement=sent.get("statement", signal.statement),
    )
    return signal_out(Signal.objects.select_related("author__user").get(pk=signal.pk))


@router.delete(
    "/signals/{signal_id}",
    auth=AUTH,
    response={204: None, **ERRORS},
    summary="Withdraw your signal",
)
def withdraw_signal(request: ApiRequest, signal_id: SignalId) -> HttpResponse:
    services.withdraw_signal(request.auth, _own(Kind.SIGNAL, signal_id, request.auth))
    return HttpResponse(status=204)


@router.patch(
    "/solutions/{solution_id}",
    auth=AUTH,
    response={200: SolutionOut, **LIMITED},
    summary="Change your solution",
)
def edit_solution(
    request: ApiRequest, solution_id: SolutionId, payload: SolutionPatch
) -> dict[str, Any]:
    """The author changes title, description, actors or language; fields not sent stay."""
    solution = _own(Kind.SOLUTION, solution_id, request.auth)
    sent = payload.model_dump(exclude_unset=True, exclude_none=True)
    services.edit_solution(
        request.auth,
        solution,
        title=sent.get("title", solution.title),
        description=sent.get("description", solution.description),
        actors=sent.get("actors", solution.actors),
        language=sent.get("language"),
    )
    fresh = Solution.objects.select_related("author__user").get(pk=solution.pk)
    advice = list(
        Advice.objects.filter(solution=fresh).only("solution_id", "feasibility", "hidden")
    )
    return solution_out(fresh, advice)


@router.put(
    "/advice/{advice_id}",
    auth=AUTH,
    response={200: AdviceOut, **LIMITED},
    summary="Revise your advice",
)
def revise_advice(request: ApiRequest, advice_id: AdviceId, payload: AdviceIn) -> dict[str, Any]:
    """The advisor sends the whole new version; every earlier version stays in ``revisions``."""
    advice = _own(Kind.ADVICE, advice_id, request.auth)
    services.revise_advice(request.auth, advice, **payload.model_dump())
    return advice_out(advice_query().get(pk=advice.pk))


@router.patch(
    "/comments/{comment_id}",
    auth=AUTH,
    response={200: CommentOut, **LIMITED},
    summary="Edit your comment",
)
def edit_comment(
    request: ApiRequest, comment_id: CommentId, payload: CommentPatch
) -> dict[str, Any]:
    comment = _own(Kind.COMMENT, comment_id, request.auth)
    sent = payload.model_dump(exclude_unset=True)
    services.edit_comment(
        request.auth,
        comment,
        body=sent.get("body") or comment.body,
        stance=sent.get("stance", comment.stance),
    )
    return reloaded_comment(comment)


@router.delete(
    "/comments/{comment_id}",
    auth=AUTH,
    response={204: None, **ERRORS},
    summary="Delete your comment",
)
def delete_comment(request: ApiRequest, comment_id: CommentId) -> HttpResponse:
    """The comment stays in its thread as deleted, without its text or author."""
    services.delete_comment(request.auth, _own(Kind.COMMENT, comment_id, request.auth))
    return HttpResponse(status=204)
