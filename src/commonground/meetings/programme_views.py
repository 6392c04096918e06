"""The steward's ranking page, the programme (page and iCalendar feed) and the balance
dashboard of the programme."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from icalendar import Calendar, Event

from commonground.access.lookup import get_forum
from commonground.access.members import membership_of, require_steward
from commonground.access.rules import can_decide_sessions, can_publish_selection
from commonground.core.charts import Bar, bar_chart
from commonground.core.errors import InvalidInput, ServiceError
from commonground.core.http import refusal
from commonground.core.labels import group_label
from commonground.forums.models import Cycle, Forum
from commonground.issues.models import Issue
from commonground.meetings.models import Decision, Format, SelectionPublication, Session
from commonground.meetings.services import reports, selection
from commonground.meetings.services.common import agenda_issue_ids
from commonground.meetings.views import current_cycle
from commonground.stakeholders import GROUPS, REGIONS, region_of

GENDER_COLOUR = "#5f6b7a"


# ---------------------------------------------------------------- ranking and selection


@login_required
def ranking(request: HttpRequest, slug: str) -> HttpResponse:
    """Screened-in proposals by mean score, with spread, merges and a decision form each."""
    try:
        forum = get_forum(slug)
        steward = require_steward(request.user, forum)
        cycle = forum.cycles.filter(is_open=True).first()
        if cycle is None:
            raise InvalidInput(_("%(forum)s has no open cycle.") % {"forum": forum.name})
    except ServiceError as error:
        return refusal(request, error)
    sessions = {s.pk: s for s in Session.objects.filter(cycle=cycle).select_related("merge_with")}
    rows = [(r, sessions[r.id]) for r in selection.ranking(cycle)]
    return render(
        request,
        "meetings/ranking.html",
        {
            "forum": forum,
            "cycle": cycle,
            "rows": rows,
            "may_decide": can_decide_sessions(steward, cycle),
            "may_publish": can_publish_selection(steward, cycle),
            "decisions": Decision.choices,
            "publications": cycle.selection_publications.all()[:10],
        },
    )


@login_required
@require_POST
def publish(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        forum = get_forum(slug)
        publication = selection.publish_selection(request.user, forum)
    except ServiceError as error:
        return refusal(request, error)
    messages.success(
        request, _("Selection #%(number)s is published.") % {"number": publication.number}
    )
    return redirect("meetings:selection", slug)


def published_selection(request: HttpRequest, slug: str) -> HttpResponse:
    """The published selections of the forum, newest first, each with what changed."""
    try:
        forum = get_forum(slug)
    except ServiceError as error:
        return refusal(request, error)
    publications = [
        (p, selection.selection_diff(p))
        for p in forum_publications(forum).select_related("cycle", "published_by")[:20]
    ]
    return render(
        request, "meetings/selection.html", {"forum": forum, "publications": publications}
    )


def forum_publications(forum: Forum) -> QuerySet[SelectionPublication]:
    return SelectionPublication.objects.filter(cycle__forum=forum).order_by("-published_at")


# ---------------------------------------------------------------- the programme


def scheduled(cycle: Cycle) -> QuerySet[Session]:
    return (
        Session.objects.filter(cycle=cycle, starts_at__isnull=False)
        .select_related("report", "forum")
        .prefetch_related("issues", "speakers")
        .order_by("starts_at", "room", "id")
    )


def _filtered(request: HttpRequest, rows: QuerySet[Session]) -> tuple[QuerySet[Session], dict]:
    chosen = {
        "issue": request.GET.get("issue", ""),
        "format": request.GET.get("format", ""),
        "group": request.GET.get("group", ""),
    }
    if chosen["issue"].isdigit():
        rows = rows.filter(issues__pk=int(chosen["issue"]))
    if chosen["format"] in Format.values:
        rows = rows.filter(format=chosen["format"])
    if chosen["group"] in GROUPS:
        rows = rows.filter(speakers__stakeholder_group=chosen["group"]).distinct()
    return rows, chosen


def programme(request: HttpRequest, slug: str) -> HttpResponse:
    """The programme by day and room, with filters and the late-report flags."""
    try:
        forum = get_forum(slug)
    except ServiceError as error:
        return refusal(request, error)
    cycle = current_cycle(forum, request)
    days: dict[date, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    chosen: dict[str, str] = {}
    issues: list[Issue] = []
    if cycle is not None:
        rows, chosen = _filtered(request, scheduled(cycle))
        now = timezone.now()
        for session in rows:
            local = timezone.localtime(session.starts_at)
            report = getattr(session, "report", None)
            days[local.date()][session.room].append(
                {
                    "session": session,
                    "starts": local,
                    "ends": timezone.localtime(session.ends_at),
                    "report": report,
                    "overdue": report is None and reports.is_overdue(session, now),
                }
            )
        issues = list(Issue.objects.filter(pk__in=agenda_issue_ids(cycle)).order_by("title"))
    return render(
        request,
        "meetings/programme.html",
        {
            "forum": forum,
            "cycle": cycle,
            "days": [
                (day, sorted(rooms.items(), key=lambda kv: kv[0].casefold()))
                for day, rooms in sorted(days.items())
            ],
            "chosen": chosen,
            "issues": issues,
            "formats": Format.choices,
            "groups": [(g, group_label(g)) for g in GROUPS],
        },
    )


def programme_ics(request: HttpRequest, slug: str) -> HttpResponse:
    """The programme as an iCalendar feed (RFC 5545), one event per scheduled session."""
    try:
        forum = get_forum(slug)
    except ServiceError as error:
        return refusal(request, error)
    cycle = current_cycle(forum, request)
    calendar = Calendar()
    calendar.add("prodid", "-//Common Ground//Programme//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", _("Programme of %(forum)s") % {"forum": forum.name})
    stamp = timezone.now()
    for session in scheduled(cycle) if cycle is not None else []:
        event = Event()
        event.add("uid", f"session-{session.pk}@{forum.slug}.commonground")
        event.add("dtstamp", stamp)
        event.add("dtstart", session.starts_at)
        event.add("dtend", session.ends_at)
        event.add("summary", session.title)
        event.add("location", session.room)
        speakers = ", ".join(s.name for s in session.speakers.all())
        event.add(
            "description",
            f"{session.get_format_display()}. "
            + _("Speakers: %(speakers)s") % {"speakers": speakers},
        )
        event.add("url", request.build_absolute_uri(f"/sessions/{session.pk}/"))
        calendar.add_component(event)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{forum.slug}-programme.ics"'
    return response


# ---------------------------------------------------------------- balance dashboard


def balance(request: HttpRequest, slug: str) -> HttpResponse:
    """Who speaks in the selected sessions (by group, region, gender) and how the
    sessions cover the agenda's issues; issues with no session stand out."""
    try:
        forum = get_forum(slug)
    except ServiceError as error:
        return refusal(request, error)
    cycle = current_cycle(forum, request)
    sessions = []
    if cycle is not None:
        sessions = list(
            Session.objects.filter(
                cycle=cycle, decision__in=(Decision.APPROVED, Decision.APPROVED_IF_MERGED)
            ).prefetch_related("speakers", "issues")
        )
    speakers = [s for session in sessions for s in session.speakers.all()]
    by_group = Counter(s.stakeholder_group for s in speakers)
    by_region = Counter(region_of(s.country) or "" for s in speakers if s.country)
    by_gender = Counter(s.get_gender_display() for s in speakers)
    per_issue = Counter(i.pk for session in sessions for i in session.issues.all())
    agenda = Issue.objects.filter(pk__in=agenda_issue_ids(cycle)) if cycle else Issue.objects.none()
    agenda = sorted(agenda, key=lambda i: (-per_issue.get(i.pk, 0), i.title))
    return render(
        request,
        "meetings/balance.html",
        {
            "forum": forum,
            "cycle": cycle,
            "session_count": len(sessions),
            "speaker_count": len(speakers),
            "by_group": {g: by_group.get(g, 0) for g in GROUPS},
            "by_region": {r: by_region.get(r, 0) for r in REGIONS},
            "gender_chart": bar_chart(
                [Bar(label, n, GENDER_COLOUR) for label, n in by_gender.most_common()],
                title=_("Speakers by gender"),
            ),
            "issue_chart": bar_chart(
                [Bar(i.title, per_issue.get(i.pk, 0), "#0072B2") for i in agenda],
                title=_("Sessions per agenda issue"),
            ),
            "uncovered": [i for i in agenda if not per_issue.get(i.pk)],
            "membership": membership_of(request.user, forum),
        },
    )
