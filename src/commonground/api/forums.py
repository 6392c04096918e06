"""Forum routes: the forum tree, one forum, its cycles, its issues, joining it."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from ninja import Query, Router, Status

from commonground.access.lookup import get_cycle, get_forum, issue_queryset
from commonground.api.auth import AUTH, ApiRequest, optional_user
from commonground.api.schemas import (
    WRITE_ERRORS,
    CycleOut,
    ErrorOut,
    ForumDetailOut,
    ForumOut,
    IssueFilters,
    IssueIn,
    IssueOut,
    IssuePage,
    JoinIn,
    OwnMembershipOut,
    errors,
)
from commonground.api.serializers import (
    forum_summary,
    issue_out,
    issues_out,
    membership_out,
    open_cycles_prefetch,
    query_text,
    zero_groups,
    zero_regions,
)
from commonground.core.errors import InvalidInput
from commonground.forums.models import Cycle, Forum, PhaseChange
from commonground.forums.services import join_forum
from commonground.issues.models import Issue
from commonground.issues.queries import text_matching_ids
from commonground.issues.services import normalize_topics, raise_issue
from commonground.network.nri import listing
from commonground.participants.models import Membership

router = Router(tags=["forums"])

ERRORS = errors(*WRITE_ERRORS)


def _breakdown(rows: QuerySet[Any], group_key: str, region_key: str) -> dict[str, Any]:
    """Totals by group and by region from one grouped query over both columns."""
    by_group, by_region, total = zero_groups(), zero_regions(), 0
    for row in rows.values(group_key, region_key).annotate(n=Count("pk")).order_by():
        by_group[row[group_key]] = by_group.get(row[group_key], 0) + row["n"]
        if row[region_key] in by_region:
            by_region[row[region_key]] += row["n"]
        total += row["n"]
    return {"total": total, "by_group": by_group, "by_region": by_region}


@router.get("/forums", response=list[ForumOut], summary="List all forums")
def list_forums(request: ApiRequest) -> list[dict[str, Any]]:
    """Every forum of the network (the tree: each names its parent), by slug."""
    forums = Forum.objects.select_related("parent", "remote_parent__remote").prefetch_related(
        open_cycles_prefetch()
    )
    return [forum_summary(forum) for forum in forums.order_by("slug")]


@router.get("/forums/{slug}", response={200: ForumDetailOut, 404: ErrorOut}, summary="One forum")
def forum_detail(request: ApiRequest, slug: str) -> dict[str, Any]:
    """A forum with its children, open cycle, and public counts of who takes part.

    ``inputs`` counts the issues raised in the open cycle by the author's declared
    stakeholder group and region; ``members`` counts the forum's active members.
    """
    forum = get_forum(slug)
    cycle = forum.open_cycle
    issues = Issue.objects.filter(cycle=cycle) if cycle else Issue.objects.none()
    members = Membership.objects.filter(forum=forum, status=Membership.Status.ACTIVE)
    return {
        **forum_summary(forum),
        "description": forum.description,
        "children": list(forum.children.order_by("slug").values_list("slug", flat=True)),
        "ancestors": [f.slug for f in forum.ancestors()],
        "recognition": {
            "min_groups": forum.min_groups,
            "min_supporters": forum.min_supporters,
            "min_share": forum.min_share,
            "agenda_slots": forum.agenda_slots,
        },
        "inputs": {
            "cycle": cycle.pk if cycle else None,
            **_breakdown(issues, "author__stakeholder_group", "author__region"),
        },
        "members": _breakdown(members, "stakeholder_group", "region"),
        "nri": listing(forum).to_json(),
    }


@router.get(
    "/forums/{slug}/cycles",
    response={200: list[CycleOut], 404: ErrorOut},
    summary="A forum's cycles with their phase history",
)
def forum_cycles(request: ApiRequest, slug: str) -> list[dict[str, Any]]:
    """Every cycle of the forum, newest first, each with its timeline of phase changes."""
    forum = get_forum(slug)
    history = PhaseChange.objects.select_related("changed_by").order_by("changed_at", "id")
    cycles = (
        Cycle.objects.filter(forum=forum)
        .annotate(issue_count=Count("issues"))
        .prefetch_related(Prefetch("phase_changes", queryset=history))
        .order_by("-opened_at", "-id")
    )
    return [
        {
            "id": cycle.pk,
            "forum": forum.slug,
            "name": cycle.name,
            "phase": cycle.phase,
            "phase_label": cycle.phase_label,
            "is_open": cycle.is_open,
            "opened_at": cycle.opened_at,
            "closed_at": cycle.closed_at,
            "issue_count": cycle.issue_count,
            "phase_history": [
                {
                    "from_phase": change.from_phase or None,
                    "to_phase": change.to_phase,
                    "changed_at": change.changed_at,
                    "changed_by": change.changed_by.public_id if change.changed_by else None,
                    "reason": change.reason,
                }
                for change in cycle.phase_changes.all()
            ],
        }
        for cycle in cycles
    ]


@router.get(
    "/forums/{slug}/issues",
    response={200: IssuePage, 400: ErrorOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="A forum's issues, filtered and paginated",
)
def forum_issues(request: ApiRequest, slug: str, filters: Query[IssueFilters]) -> dict[str, Any]:
    """Issues of the forum, most supported first (ties: earliest raised) or newest first."""
    user = optional_user(request)
    forum = get_forum(slug)
    issues = issue_queryset().filter(forum=forum)
    if filters.cycle is not None:
        issues = issues.filter(cycle=get_cycle(forum, filters.cycle))
    for word in query_text("q", filters.q).split():
        # Each word in the original or in a community translation that is not hidden, the
        # rule of the pages' search (issues.queries.text_matching_ids).
        issues = issues.filter(pk__in=text_matching_ids(Issue, word, "description"))
    topic = query_text("topic", filters.topic)
    try:
        topic_slugs = normalize_topics([topic])
    except InvalidInput:
        # A topic no issue can have ("SDG 18", no letters or digits) filters out every
        # issue: an empty page, as for any other topic nobody used (issue 11.17).
        topic_slugs = [""]
    if topic_slugs:
        issues = issues.filter(topics__slug=topic_slugs[0])
    if filters.group is not None:
        issues = issues.filter(author__stakeholder_group=filters.group)
    if filters.region is not None:
        issues = issues.filter(author__region=filters.region)
    if filters.sort == "newest":
        issues = issues.order_by("-raised_at", "-id")
    else:
        issues = issues.order_by("-support_count", "raised_at", "id")
    count = issues.count()
    limit, offset = filters.limit, filters.offset
    page = issues[offset : offset + limit]
    return {"count": count, "limit": limit, "offset": offset, "items": issues_out(page, user)}


@router.post(
    "/forums/{slug}/issues",
    auth=AUTH,
    response={201: IssueOut, **ERRORS},
    summary="Raise an issue of concern",
)
def create_issue(request: ApiRequest, slug: str, payload: IssueIn) -> Status[dict[str, Any]]:
    """A member raises an issue in the forum's open cycle (call for issues, agenda setting)."""
    forum = get_forum(slug)
    issue = raise_issue(
        request.auth, forum, title=payload.title, description=payload.description,
        topics=payload.topics, language=payload.language,
    )  # fmt: skip
    return Status(201, issue_out(issue, request.auth))


@router.post(
    "/forums/{slug}/join",
    auth=AUTH,
    response={201: OwnMembershipOut, **ERRORS},
    summary="Join a forum, declaring a stakeholder group",
)
def join(request: ApiRequest, slug: str, payload: JoinIn) -> Status[dict[str, Any]]:
    """Join the forum wearing one declared stakeholder-group hat (starts unverified)."""
    forum = get_forum(slug)
    membership = join_forum(
        request.auth, forum, stakeholder_group=payload.stakeholder_group,
        country=payload.country, affiliation=payload.affiliation,
        other_hats=list(payload.other_hats),
    )  # fmt: skip
    return Status(201, membership_out(membership, own=True, issues_raised=0))
