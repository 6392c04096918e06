"""Signal routes: governments' and IGOs' signals of concern on an issue."""

from __future__ import annotations

from typing import Any

from ninja import Status

from commonground.access.lookup import get_issue
from commonground.api.auth import AUTH, ApiRequest, optional_user
from commonground.api.contributions.common import ERRORS, LIMITED, router
from commonground.api.contributions.schemas import SignalIn, SignalOut
from commonground.api.contributions.serialize import shown, signal_out, viewer_of
from commonground.api.schemas import IssueId
from commonground.contributions import services
from commonground.contributions.models import Signal


@router.get(
    "/issues/{issue_id}/signals",
    response={200: list[SignalOut], **ERRORS},
    summary="Signals of concern on an issue",
)
def list_signals(request: ApiRequest, issue_id: IssueId) -> list[dict[str, Any]]:
    """Governments' and IGOs' signals of concern, oldest first (no weight in recognition)."""
    user = optional_user(request)
    issue = get_issue(issue_id)
    rows = Signal.objects.filter(issue=issue).select_related("author__user")
    return [signal_out(s) for s in shown(list(rows), viewer_of(user, issue))]


@router.post(
    "/issues/{issue_id}/signals",
    auth=AUTH,
    response={201: SignalOut, **LIMITED},
    summary="Signal concern about an issue",
)
def create_signal(
    request: ApiRequest, issue_id: IssueId, payload: SignalIn
) -> Status[dict[str, Any]]:
    """Government and intergovernmental members only; one signal per member per issue."""
    signal = services.signal_concern(request.auth, get_issue(issue_id), **payload.model_dump())
    return Status(201, signal_out(Signal.objects.select_related("author__user").get(pk=signal.pk)))
