"""Issue routes: read one issue, edit it, support it and withdraw support."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Router

from commonground.access.lookup import get_issue
from commonground.api import issue_record
from commonground.api.auth import AUTH, ApiRequest, optional_user
from commonground.api.direct import json_response
from commonground.api.network import network_fields
from commonground.api.network_schemas import IssueDetailOut
from commonground.api.schemas import (
    WRITE_ERRORS,
    IssueId,
    IssueOut,
    IssuePatch,
    SupportOut,
    errors,
)
from commonground.api.serializers import issue_out, issues_out
from commonground.api.translations import translation_out
from commonground.core.errors import NotFound
from commonground.issues.services import (
    counts_after,
    edit_issue,
    support_issue,
    withdraw_support,
)
from commonground.issues.support_sql import counts as support_counts
from commonground.issues.translations import visible_translations

router = Router(tags=["issues"])

ERRORS = errors(*WRITE_ERRORS)


@router.get(
    "/issues/{issue_id}",
    response={200: IssueDetailOut, **errors(401, 404, 422)},
    summary="One issue",
)
def issue_detail(request: ApiRequest, issue_id: IssueId) -> dict[str, Any] | HttpResponse:
    """An issue with its author, topics, support count and supports by stakeholder group.

    ``supported_by_me`` tells an authenticated caller whether they support it.
    ``provenance`` lists the forwards that brought it from forums below (figures frozen
    when forwarded), ``forwarded_to`` where it went, ``merged_into`` the issue it was
    merged into (null if none). ``translations`` are the community translations into
    other languages (hidden ones only to their author and the forum's stewards).
    """
    user = optional_user(request)
    using = issue_record.reads_from()
    if not user.is_authenticated and issue_record.available(using):
        # One prepared statement and the JSON written directly (commonground.api.issue_record).
        data = issue_record.record(issue_id, get_language() or "", using)
        if data is None:
            raise NotFound(_("No issue %(id)s.") % {"id": issue_id})
        return json_response(data)
    issue = get_issue(issue_id)
    translations = [translation_out(t) for t in visible_translations(issue, user)]
    # issues_out, not issue_out: the issue was read a line above, no need to read it again.
    return {**issues_out([issue], user)[0], **network_fields(issue), "translations": translations}


@router.patch(
    "/issues/{issue_id}",
    auth=AUTH,
    response={200: IssueOut, **ERRORS},
    summary="Edit your issue",
)
def issue_edit(request: ApiRequest, issue_id: IssueId, payload: IssuePatch) -> dict[str, Any]:
    """The author changes title, description, topics or language; fields not sent stay as
    they are."""
    issue = get_issue(issue_id)
    sent = payload.model_dump(exclude_unset=True, exclude_none=True)
    topics = sent.get("topics")
    if topics is None:
        topics = [topic.slug for topic in issue.topics.all()]
    edit_issue(
        request.auth, issue,
        title=sent.get("title", issue.title),
        description=sent.get("description", issue.description),
        topics=topics, language=sent.get("language"),
    )  # fmt: skip
    return issue_out(issue, request.auth)


def _support_state(
    issue_id: int, supported: bool, counted: tuple[int, dict[str, int]] | None = None
) -> dict[str, Any]:
    """The issue's count and tallies after the change: as the service read them with it,
    else in one query."""
    count, by_group = counted or support_counts(issue_id)
    return {
        "issue": issue_id,
        "support_count": count,
        "supports_by_group": by_group,
        "supported_by_me": supported,
    }


@router.post(
    "/issues/{issue_id}/support",
    auth=AUTH,
    response={200: SupportOut, 201: SupportOut, **ERRORS},
    summary="Support an issue (draw attention to it)",
)
def support(request: ApiRequest, issue_id: IssueId) -> HttpResponse:
    """Support the issue: 201 when the support is new, 200 when it existed already.

    One support per participant per issue; repeating the request changes nothing.
    """
    support_, created = support_issue(request.auth, issue_id)
    state = _support_state(issue_id, True, counts_after(support_))
    # The answer as django-ninja renders ``SupportOut`` (same keys in the schema's order,
    # same JSON text), written directly: validating these plain ints against the schema was
    # about 0.1 ms of a support's CPU (docs/performance.md). The schema still documents it.
    return json_response(state, status=201 if created else 200)


@router.delete(
    "/issues/{issue_id}/support",
    auth=AUTH,
    response={204: None, **ERRORS},
    summary="Withdraw your support",
)
def unsupport(request: ApiRequest, issue_id: IssueId) -> HttpResponse:
    """Withdraw the caller's support: 204, or 404 when there was none."""
    if not withdraw_support(request.auth, issue_id):
        raise NotFound(_("You do not support this issue, so there is no support to withdraw."))
    return HttpResponse(status=204)
