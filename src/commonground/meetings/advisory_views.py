"""Advisory group pages: its composition (public, with a chart), the steward's appointment
form, and an advisory member's blind queue with scoring and conflict forms."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commonground.access.lookup import get_forum, get_session
from commonground.access.members import membership_of, require_member
from commonground.access.rules import can_appoint_advisory_group, can_score_sessions
from commonground.core.errors import InvalidInput, ServiceError
from commonground.core.http import refusal
from commonground.meetings.models import ReasonCode, Score
from commonground.meetings.services import advisory
from commonground.meetings.services.common import settings_of

# ---------------------------------------------------------------- advisory group and queue


def advisory_group(request: HttpRequest, slug: str) -> HttpResponse:
    """The advisory group's composition (public, with a chart); stewards appoint it."""
    try:
        forum = get_forum(slug)
    except ServiceError as error:
        return refusal(request, error)
    membership = membership_of(request.user, forum)
    may_appoint = can_appoint_advisory_group(membership)
    status = 200
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect("account_login")
        ids = request.POST.get("members", "").split()
        try:
            advisory.set_advisory_group(request.user, forum, ids)
            messages.success(request, _("The advisory group is appointed."))
            return redirect("meetings:advisory", forum.slug)
        except ServiceError as error:
            messages.error(request, error.message)
            status = error.status
    members = advisory.advisory_members(forum)
    seats = advisory.seats_by_group(members)
    settings = settings_of(forum)
    counted = sum(n for g, n in seats.items() if g != "intergovernmental")
    return render(
        request,
        "meetings/advisory_group.html",
        {
            "forum": forum,
            "members": members,
            "seats": seats,
            "counted": counted,
            "settings": settings,
            "technical": seats["internet_institution"] + seats["academic_technical"],
            "may_appoint": may_appoint,
            "member_ids": "\n".join(m.user.public_id for m in members),
        },
        status=status,
    )


@login_required
def queue(request: HttpRequest, slug: str) -> HttpResponse:
    """An advisory member's blind queue with a scoring form per proposal."""
    try:
        forum = get_forum(slug)
        member = require_member(request.user, forum)
        cycle = forum.cycles.filter(is_open=True).first()
        if cycle is None or not can_score_sessions(member, cycle):
            raise InvalidInput(_("Advisory group members score proposals during evaluation."))
    except ServiceError as error:
        return refusal(request, error)
    sessions = list(advisory.queue_for(member, cycle))
    scores = {s.session_id: s for s in Score.objects.filter(member=member, session__in=sessions)}
    scored, total = advisory.progress_of(member, cycle)
    return render(
        request,
        "meetings/queue.html",
        {
            "forum": forum,
            "cycle": cycle,
            "items": [(s, scores.get(s.pk), _values(scores.get(s.pk))) for s in sessions],
            "scored": scored,
            "total": total,
            "threshold": settings_of(forum).reason_required_at_or_below,
            "criteria": [
                ("relevance", _("Relevance")),
                ("content", _("Content")),
                ("interaction", _("Interaction")),
                ("diversity", _("Diversity")),
            ],
            "reasons": ReasonCode.choices,
        },
    )


def _values(score: Score | None) -> dict[str, str]:
    """A score's criteria as the texts the form's options carry (empty without a score)."""
    if score is None:
        return {}
    return {
        name: str(getattr(score, name))
        for name in ("relevance", "content", "interaction", "diversity")
    }


@login_required
@require_POST
def score(request: HttpRequest, session_id: int) -> HttpResponse:
    try:
        session = get_session(session_id)
        values: dict[str, Any] = {}
        for name in ("relevance", "content", "interaction", "diversity"):
            raw = request.POST.get(name, "")
            values[name] = int(raw) if raw.isdigit() else raw
        advisory.score_session(
            request.user,
            session,
            {
                **values,
                "reason_code": request.POST.get("reason_code", ""),
                "comment": request.POST.get("comment", ""),
            },
        )
        messages.success(request, _("Score saved for “%(title)s”.") % {"title": session.title})
    except ServiceError as error:
        return refusal(request, error)
    return redirect("meetings:queue", session.forum.slug)


@login_required
@require_POST
def conflict(request: HttpRequest, session_id: int) -> HttpResponse:
    try:
        session = get_session(session_id)
        advisory.declare_conflict(request.user, session)
        messages.success(request, _("Conflict declared: the proposal left your queue."))
    except ServiceError as error:
        return refusal(request, error)
    return redirect("meetings:queue", session.forum.slug)
