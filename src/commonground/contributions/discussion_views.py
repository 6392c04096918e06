"""The earlier comments of a long discussion, and the link that finds any comment.

The issue page shows the latest threads of each discussion (commonground.contributions.
discussion); "Show N earlier comments" links here: a page of its own without JavaScript,
and with it (htmx) the same threads as a fragment that takes the link's place on the
issue page. ``comment_link`` is where every link to one comment points (notifications,
feeds, the moderation queue): it sends the reader to the page that shows it to them.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from commonground.access.lookup import get_contribution, get_issue, get_visible_contribution
from commonground.access.members import can_steward, membership_of
from commonground.access.rules import can_contribute, is_author
from commonground.contributions import discussion
from commonground.contributions.forms import CommentForm, ReportForm
from commonground.contributions.models import Comment, Kind, Solution, Stance
from commonground.contributions.moderation import open_report_counts
from commonground.contributions.section_read import with_authors
from commonground.core.errors import InvalidInput, NotFound, ServiceError
from commonground.core.http import is_htmx, refusal
from commonground.issues.models import Issue
from commonground.participants.models import Membership

STANCE_LABELS = dict(Stance.choices)


def _comments(issue: Issue, ids: list[int], viewer: Membership | None) -> list[Any]:
    """The comments ``ids`` with what the comment template shows (as on the issue page:
    the viewer's own, stance labels, the stewards' open-report flags)."""
    comments: list[Any] = with_authors(Comment, issue.pk, ids)
    reported = open_report_counts(issue.forum) if can_steward(viewer) else {}
    for c in comments:
        c.mine = is_author(viewer, c)
        c.stance_label = STANCE_LABELS.get(c.stance, "")
        c.open_reports = reported.get(("comment", c.pk), 0)
    return comments


def _before(request: HttpRequest) -> int | None:
    raw = request.GET.get("before")
    if raw is None or raw == "":
        return None
    if not raw.isdigit():
        raise InvalidInput(_("before: a comment's number, like 47."))
    return int(raw)


def _earlier(request: HttpRequest, issue: Issue, solution: Solution | None) -> HttpResponse:
    viewer = membership_of(request.user, issue.forum)
    target = solution.pk if solution is not None else None
    # Only the window's comments are read in full, found from the discussion's outline
    # (as the issue page's are: a long discussion's page costs what its window does).
    rows = [row for row in discussion.outline(issue.pk) if row.solution_id == target]
    found = discussion.sketch(rows, viewer)
    before = _before(request)
    if before is None:  # the threads just before the latest (what the issue page shows)
        end = len(found) - discussion.THREADS_SHOWN
    else:
        found_end = discussion.end_before(rows, found, before)
        if found_end is None:
            raise NotFound(_("No comment %(id)s starts a thread here.") % {"id": before})
        end = found_end
    planned = discussion.plan(found, end)
    window = discussion.shown(_comments(issue, planned.ids, viewer), viewer, planned)
    active = can_contribute(viewer, issue.cycle)
    target_url = "solution" if solution is not None else "issue"
    context = {
        "issue": issue,
        "solution": solution,
        "target": solution if solution is not None else issue,
        "target_url": target_url,
        "discussion": window,
        "before": before,
        "later_url": (
            discussion.discussion_url(issue.pk, solution.pk if solution else None, window.later)
            if window.later is not None
            else None
        ),
        "back_url": issue.get_absolute_url()
        + (f"#solution-{solution.pk}" if solution is not None else "#discussion"),
        "viewer": viewer,
        "active": active,
        "is_steward": can_steward(viewer),
        "comment_form": CommentForm(auto_id="id_comment_%s") if active else None,
        "report_form": ReportForm(auto_id=False),
        "stances": Stance.choices,
        "loaded": discussion.comment_count(window.threads),
    }
    if is_htmx(request):
        return render(request, "contributions/includes/earlier_fragment.html", context)
    return render(request, "contributions/discussion.html", context)


def issue_discussion(request: HttpRequest, pk: int) -> HttpResponse:
    """The threads of an issue's own discussion before a given one (``?before=``)."""
    try:
        return _earlier(request, get_issue(pk), None)
    except ServiceError as error:
        return refusal(request, error)


def solution_discussion(request: HttpRequest, pk: int) -> HttpResponse:
    """The threads of a solution's discussion before a given one (``?before=``)."""
    try:
        solution = get_visible_contribution(Kind.SOLUTION, pk, request.user)
        return _earlier(request, solution.issue, solution)
    except ServiceError as error:
        return refusal(request, error)


def comment_link(request: HttpRequest, pk: int) -> HttpResponse:
    """Where one comment is shown to this reader: the issue page while its thread is among
    the latest, else the discussion page that holds it (``discussion.location``)."""
    try:
        comment = get_contribution(Kind.COMMENT, pk)
    except ServiceError as error:
        return refusal(request, error)
    return redirect(discussion.location(comment, membership_of(request.user, comment.forum)))
