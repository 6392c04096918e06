"""Network routes (docs/network.md): forward an issue up the forum tree, merge issues."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Status

from commonground.access.lookup import get_cycle, get_forum, get_issue
from commonground.api.auth import AUTH, ApiRequest
from commonground.api.network_schemas import (
    AnnualReportIn,
    AnnualReportOut,
    CoherenceOut,
    DeliveryQueuedOut,
    DismissIn,
    ForwardIn,
    ForwardOut,
    MergeIn,
    MergeOut,
    NriDetailOut,
    SimilarOut,
    TeamMemberIn,
    TeamMemberOut,
)
from commonground.api.schemas import WRITE_ERRORS, IssueId, errors
from commonground.core.errors import NotFound
from commonground.federation.sending import forward_message_remote, forward_remote
from commonground.issues.models import Issue
from commonground.network.coherence import coherence_chain
from commonground.network.merge import merge_issues
from commonground.network.messages import forward_message
from commonground.network.models import AnnualReport, TeamMember
from commonground.network.nri import (
    REPORT_FIELDS,
    add_team_member,
    file_annual_report,
    listing,
    remove_team_member,
)
from commonground.network.provenance import forwarded_to, provenance_item, provenance_of
from commonground.network.services import forward_issue
from commonground.network.similar import dismiss_suggestion, similar_issues
from commonground.outcomes.models import Message

router = Router(tags=["network"])

ERRORS = errors(*WRITE_ERRORS)


def network_fields(issue: Issue) -> dict[str, Any]:
    """What the issue detail adds: where the issue came from, where it went, its merge."""
    return {
        "provenance": provenance_of(issue),
        "forwarded_to": forwarded_to(issue),
        "merged_into": issue.merged_into_id,
    }


@router.post(
    "/issues/{issue_id}/forward",
    auth=AUTH,
    response={201: ForwardOut, 202: DeliveryQueuedOut, **ERRORS},
    summary="Forward an agenda issue to a forum above",
)
def forward(request: ApiRequest, issue_id: IssueId, payload: ForwardIn) -> Status[dict[str, Any]]:
    """A steward forwards an issue of the forum's latest published agenda to its regional
    or the global forum: 201 with the new issue's id there and the frozen provenance.
    ``to`` the full URL of a forum on a peer instance (docs/federation.md): 202 with the
    delivery, sent signed in the background (``GET /deliveries/{delivery_id}``).

    403 for a non-steward; 400 when the target is not above the forum; 404 for an unknown
    slug or a URL that is not a known forum on a pinned peer; 409 when the issue is not on
    the latest published agenda, was forwarded there already (the message names the
    existing issue), or the target's cycle is closed or no longer takes issues.
    """
    issue = get_issue(issue_id)
    if payload.to.startswith(("http://", "https://")):
        queued = forward_remote(request.auth, issue, payload.to)
        return Status(202, {"delivery_id": queued.public_id, "state": queued.state})
    target = get_forum(payload.to)
    record = forward_issue(request.auth, issue, target)
    return Status(201, {"issue_id": record.target_issue_id, "provenance": provenance_item(record)})


@router.post(
    "/messages/{message_id}/forward",
    auth=AUTH,
    response={201: ForwardOut, 202: DeliveryQueuedOut, **ERRORS},
    summary="Forward a published message to a forum above",
)
def forward_msg(request: ApiRequest, message_id: int, payload: ForwardIn) -> Status[dict[str, Any]]:
    """A steward forwards a published message to the regional or global forum: 201 with the
    new issue there and the frozen provenance (``message_id`` set). ``to`` the full URL of
    a forum on a peer instance: 202 with the delivery, sent signed in the background, as
    an issue's (docs/federation.md). Refusals as for an issue's forward; 409 also for a
    message that is not published."""
    message = (
        Message.objects.select_related("forum", "issue__forum", "issue__cycle")
        .filter(pk=message_id)
        .first()
    )
    if message is None:
        raise NotFound(_("No message %(id)s.") % {"id": message_id})
    if payload.to.startswith(("http://", "https://")):
        queued = forward_message_remote(request.auth, message, payload.to)
        return Status(202, {"delivery_id": queued.public_id, "state": queued.state})
    record = forward_message(request.auth, message, get_forum(payload.to))
    return Status(201, {"issue_id": record.target_issue_id, "provenance": provenance_item(record)})


@router.post(
    "/issues/{issue_id}/merge",
    auth=AUTH,
    response={200: MergeOut, **ERRORS},
    summary="Merge this issue into another of the same forum",
)
def merge(request: ApiRequest, issue_id: IssueId, payload: MergeIn) -> dict[str, Any]:
    """A steward merges this issue (B) into ``into`` (A): B's provenance, topics, solutions,
    comments, signals and supports move to A, one support per member; B redirects to A.

    403 for a non-steward; 400 for issues of different forums or cycles, or an issue
    merged into itself; 409 when either was merged already or the cycle no longer takes
    supports.
    """
    issue = get_issue(issue_id)
    into = get_issue(payload.into)
    record = merge_issues(request.auth, issue, into)
    count = Issue.objects.filter(pk=into.pk).values_list("support_count", flat=True).get()
    return {
        "issue": issue.pk,
        "merged_into": into.pk,
        "supports_moved": record.supports_moved,
        "supports_deduplicated": record.supports_deduplicated,
        "support_count": count,
    }


@router.get(
    "/issues/{issue_id}/similar",
    response={200: list[SimilarOut], **errors(401, 404, 422)},
    summary="Likely duplicates across the forum tree and languages",
)
def similar(request: ApiRequest, issue_id: IssueId) -> list[dict[str, Any]]:
    """Issues of the same forum, its ancestors and its descendants that look like the same
    concern, in any language, best first (TF-IDF on character n-grams, cosine score)."""
    issue = get_issue(issue_id)
    return [
        {"issue_id": s.issue.pk, "forum": s.issue.forum.slug, "language": s.issue.language,
         "title": s.issue.title, "score": round(s.score, 4)}
        for s in similar_issues(issue)
    ]  # fmt: skip


@router.post(
    "/issues/{issue_id}/similar/dismiss",
    auth=AUTH,
    response={204: None, **ERRORS},
    summary="Dismiss a suggested similar issue",
)
def dismiss(request: ApiRequest, issue_id: IssueId, payload: DismissIn) -> HttpResponse:
    """A steward of the issue's forum says the suggested issue is not the same concern; it
    is no longer suggested for this issue (nor this issue for it)."""
    issue = get_issue(issue_id)
    dismiss_suggestion(request.auth, issue, get_issue(payload.issue_id))
    return HttpResponse(status=204)


@router.get(
    "/issues/{issue_id}/coherence",
    response={200: CoherenceOut, **errors(401, 404, 422)},
    summary="The issue's chain across levels",
)
def coherence(request: ApiRequest, issue_id: IssueId) -> dict[str, Any]:
    """Every issue linked to this one by forwards (up the tree) and merges (within a forum),
    each with its rank and B on its forum's latest published agenda, its sessions, messages,
    referrals and uptake; edges in time order."""
    return coherence_chain(get_issue(issue_id)).to_json()


def _team_out(member: TeamMember) -> dict[str, Any]:
    return {
        "id": member.pk,
        "name": member.name,
        "stakeholder_group": member.stakeholder_group,
        "role": member.role,
        "coordinator": member.is_coordinator,
    }


def _report_out(report: AnnualReport) -> dict[str, Any]:
    return {
        "cycle": report.cycle_id,
        "cycle_name": report.cycle.name,
        **{k: getattr(report, k) for k in REPORT_FIELDS},
        "filed_at": report.filed_at,
    }


@router.get(
    "/forums/{slug}/nri",
    response={200: NriDetailOut, **errors(401, 404, 422)},
    summary="The forum's NRI listing: team, coordinator, annual reports",
)
def nri_detail(request: ApiRequest, slug: str) -> dict[str, Any]:
    """Whether the forum is listed as an NRI and what it misses (``team_groups``,
    ``coordinator``, ``annual_report``), its organizing team and its annual reports."""
    status = listing(get_forum(slug))
    return {
        **status.to_json(),
        "team": [_team_out(m) for m in status.team],
        "annual_reports": [_report_out(r) for r in status.reports],
    }


@router.post(
    "/forums/{slug}/team",
    auth=AUTH,
    response={201: TeamMemberOut, **ERRORS},
    summary="Add a member of the organizing team",
)
def team_add(request: ApiRequest, slug: str, payload: TeamMemberIn) -> Status[dict[str, Any]]:
    """A steward adds a team member with a role; ``coordinator`` makes them the one
    coordinator (replacing any other)."""
    member = add_team_member(
        request.auth, get_forum(slug), name=payload.name,
        stakeholder_group=payload.stakeholder_group, role=payload.role,
        coordinator=payload.coordinator,
    )  # fmt: skip
    return Status(201, _team_out(member))


@router.delete(
    "/forums/{slug}/team/{member_id}",
    auth=AUTH,
    response={204: None, **ERRORS},
    summary="Remove a member of the organizing team",
)
def team_remove(request: ApiRequest, slug: str, member_id: int) -> HttpResponse:
    remove_team_member(request.auth, get_forum(slug), member_id)
    return HttpResponse(status=204)


@router.post(
    "/forums/{slug}/cycles/{cycle_id}/annual-report",
    auth=AUTH,
    response={201: AnnualReportOut, **ERRORS},
    summary="File the annual report of a cycle",
)
def report_file(
    request: ApiRequest, slug: str, cycle_id: int, payload: AnnualReportIn
) -> Status[dict[str, Any]]:
    """A steward files the annual report of one of the forum's cycles (once: 409 after)."""
    forum = get_forum(slug)
    report = file_annual_report(request.auth, get_cycle(forum, cycle_id), **payload.model_dump())
    return Status(201, _report_out(report))
