"""Session pages: the list, the proposal form with its live screening, one session (with
its decision, schedule and report forms), the advisory group and the blind queue."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commonground.access.lookup import get_forum, get_session
from commonground.access.members import can_steward, membership_of, require_member
from commonground.access.rules import (
    can_decide_sessions,
    can_edit_session,
    can_file_report,
    can_propose_session,
    can_schedule_sessions,
    can_see_proposer,
    is_advisory_member,
)
from commonground.core.errors import InvalidInput, ServiceError
from commonground.core.http import refusal
from commonground.core.labels import group_label
from commonground.forums.models import Cycle, Forum
from commonground.issues.models import Issue
from commonground.meetings.models import Format, Gender, ReasonCode, Report, Session
from commonground.meetings.services import proposals, reports, schedule, selection
from commonground.meetings.services.common import agenda_issue_ids, settings_of
from commonground.stakeholders import GROUPS

FORM_SPEAKERS = 6


def current_cycle(forum: Forum, request: HttpRequest) -> Cycle | None:
    """The cycle a page shows: ``?cycle=ID``; else the open cycle once it has sessions;
    else the latest cycle that has any; else the open cycle, else the latest."""
    wanted = request.GET.get("cycle", "")
    cycles = forum.cycles.all()
    if wanted.isdigit():
        found = cycles.filter(pk=int(wanted)).first()
        if found is not None:
            return found
    open_cycle = cycles.filter(is_open=True).first()
    if open_cycle is not None and open_cycle.sessions.exists():
        return open_cycle
    with_sessions = cycles.filter(sessions__isnull=False).order_by("-opened_at").first()
    return with_sessions or open_cycle or cycles.order_by("-opened_at").first()


def _choices() -> dict[str, Any]:
    return {
        "formats": Format.choices,
        "genders": Gender.choices,
        "groups": [(g, group_label(g)) for g in GROUPS],
        "reasons": ReasonCode.choices,
    }


# ---------------------------------------------------------------- the list


def session_list(request: HttpRequest, slug: str) -> HttpResponse:
    """The proposals of a cycle (withdrawn ones left out), with what the viewer may do."""
    try:
        forum = get_forum(slug)
    except ServiceError as error:
        return refusal(request, error)
    cycle = current_cycle(forum, request)
    membership = membership_of(request.user, forum)
    rows = []
    if cycle is not None:
        rows = list(
            Session.objects.filter(cycle=cycle)
            .exclude(status=Session.Status.WITHDRAWN)
            .select_related("proposer__user", "cycle")
            .prefetch_related("issues")
        )
    mine = [s for s in rows if membership is not None and s.proposer_id == membership.pk]
    return render(
        request,
        "meetings/session_list.html",
        {
            "forum": forum,
            "cycle": cycle,
            "sessions": rows,
            "mine": mine,
            "may_propose": cycle is not None and can_propose_session(membership, cycle),
            "is_advisor": is_advisory_member(membership),
            "is_steward": can_steward(membership),
        },
    )


# ---------------------------------------------------------------- the proposal form


def proposal_data(post: QueryDict) -> dict[str, Any]:
    """The form's fields as the service's proposal fields (empty speaker rows dropped)."""
    issue_ids = []
    for value in post.getlist("issue_ids"):
        if not value.isdigit():
            raise InvalidInput(_("Choose agenda issues from the list."))
        issue_ids.append(int(value))
    speakers = []
    for i in range(FORM_SPEAKERS):
        name = post.get(f"speaker-{i}-name", "").strip()
        if not name:
            continue
        speakers.append(
            {
                "name": name,
                "stakeholder_group": post.get(f"speaker-{i}-group", ""),
                "gender": post.get(f"speaker-{i}-gender", "") or "undisclosed",
                "country": post.get(f"speaker-{i}-country", ""),
                "confirmed": f"speaker-{i}-confirmed" in post,
                "onsite": f"speaker-{i}-onsite" in post,
            }
        )
    return {
        "title": post.get("title", ""),
        "format": post.get("format", ""),
        "description": post.get("description", ""),
        "issue_ids": issue_ids,
        "policy_questions": post.getlist("policy_question"),
        "moderator": {"name": post.get("moderator_name", "")},
        "rapporteur": {
            "name": post.get("rapporteur_name", ""),
            "participant_id": post.get("rapporteur_id", "").strip() or None,
        },
        "speakers": speakers,
    }


def _values_of(session: Session | None, data: dict[str, Any] | None) -> dict[str, Any]:
    """What the form shows: the posted data, else the stored proposal, else blanks."""
    if data is None and session is not None:
        draft = proposals.draft_of(session)
        data = {
            "title": draft.title,
            "format": draft.format,
            "description": draft.description,
            "issue_ids": draft.issue_ids,
            "policy_questions": draft.policy_questions,
            "moderator": draft.moderator,
            "rapporteur": {
                "name": draft.rapporteur_name,
                "participant_id": draft.rapporteur.user.public_id if draft.rapporteur else "",
            },
            "speakers": [s.__dict__ for s in draft.speakers],
        }
    data = data or {}
    questions = list(data.get("policy_questions", []))
    speakers = list(data.get("speakers", []))
    return {
        **data,
        "questions": [*questions, "", "", ""][: max(3, len(questions))],
        "speaker_rows": (speakers + [{}] * FORM_SPEAKERS)[:FORM_SPEAKERS],
    }


def _form(
    request: HttpRequest,
    forum: Forum,
    cycle: Cycle,
    session: Session | None,
    data: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    screening = None
    problem = ""
    if request.user.is_authenticated:
        try:
            screening = proposals.preview_screening(request.user, forum, data or {}, session)
        except ServiceError as error:
            problem = error.message
    issues = Issue.objects.filter(pk__in=agenda_issue_ids(cycle)).order_by("title")
    return render(
        request,
        "meetings/session_form.html",
        {
            "forum": forum,
            "cycle": cycle,
            "session": session,
            "values": _values_of(session, data),
            "issues": issues,
            "screening": screening,
            "problem": problem,
            **_choices(),
        },
        status=status,
    )


@login_required
def propose(request: HttpRequest, slug: str) -> HttpResponse:
    """Propose a session: the form, its live screening, and saving it."""
    try:
        forum = get_forum(slug)
        member = require_member(request.user, forum)
        cycle = forum.cycles.filter(is_open=True).first()
        if cycle is None or not can_propose_session(member, cycle):
            raise InvalidInput(_("Sessions are proposed during the call for sessions."))
    except ServiceError as error:
        return refusal(request, error)
    if request.method != "POST":
        return _form(request, forum, cycle, None)
    try:
        data = proposal_data(request.POST)
        session, screening = proposals.propose_session(request.user, forum, data)
    except ServiceError as error:
        messages.error(request, error.message)
        return _form(request, forum, cycle, None, request_data(request), error.status)
    if screening.passed:
        messages.success(request, _("Your proposal is saved and passes every screening rule."))
    else:
        messages.warning(
            request, _("Your proposal is saved; fix what screening names before the call closes.")
        )
    return redirect("meetings:detail", session.pk)


def request_data(request: HttpRequest) -> dict[str, Any] | None:
    """The posted form as proposal data, or None when it cannot be read at all."""
    try:
        return proposal_data(request.POST)
    except ServiceError:
        return None


@login_required
def edit(request: HttpRequest, session_id: int) -> HttpResponse:
    try:
        session = get_session(session_id)
        member = require_member(request.user, session.forum)
        if not can_edit_session(member, session):
            raise InvalidInput(_("Only the proposer edits a proposal, during the call."))
    except ServiceError as error:
        return refusal(request, error)
    if request.method != "POST":
        return _form(request, session.forum, session.cycle, session)
    try:
        proposals.edit_session(request.user, session, proposal_data(request.POST))
    except ServiceError as error:
        messages.error(request, error.message)
        return _form(
            request, session.forum, session.cycle, session, request_data(request), error.status
        )
    messages.success(request, _("Your proposal is saved."))
    return redirect("meetings:detail", session.pk)


@login_required
def screen(request: HttpRequest, slug: str) -> HttpResponse:
    """The live screening panel (HTMX GET with the form's fields): nothing is saved."""
    session = None
    status = 200
    try:
        forum = get_forum(slug)
        if request.GET.get("session_id", "").isdigit():
            session = get_session(request.GET["session_id"])
        screening = proposals.preview_screening(
            request.user, forum, proposal_data(request.GET), session
        )
        problem = ""
    except ServiceError as error:
        screening, problem = None, error.message
        status = error.status if error.status in (401, 403, 404) else 200
    return render(
        request,
        "meetings/includes/screening.html",
        {"screening": screening, "problem": problem},
        status=status,
    )


@login_required
@require_POST
def withdraw(request: HttpRequest, session_id: int) -> HttpResponse:
    try:
        session = get_session(session_id)
        proposals.withdraw_session(request.user, session)
    except ServiceError as error:
        return refusal(request, error)
    messages.success(request, _("Your proposal is withdrawn."))
    return redirect("meetings:list", session.forum.slug)


# ---------------------------------------------------------------- one session


def detail(request: HttpRequest, session_id: int) -> HttpResponse:
    """One session: the proposal, its screening, decision, slot and report, and the forms
    the viewer may use."""
    try:
        session = get_session(session_id)
    except ServiceError as error:
        return refusal(request, error)
    membership = membership_of(request.user, session.forum)
    report = Report.objects.filter(session=session).select_related("author__user").first()
    is_proposer = membership is not None and session.proposer_id == membership.pk
    screening = None
    if session.status == Session.Status.SUBMITTED and (is_proposer or can_steward(membership)):
        screening = proposals.screening_of(session)
    started = session.starts_at is not None and session.starts_at <= timezone.now()
    return render(
        request,
        "meetings/session_detail.html",
        {
            "forum": session.forum,
            "session": session,
            "speakers": session.speakers.all(),
            "issues": session.issues.all(),
            "show_proposer": can_see_proposer(membership, session),
            "screening": screening,
            "failures": [
                proposals.rule_text(code, proposals.screening_settings(settings_of(session.forum)))
                for code in session.screening_failures
            ],
            "report": report,
            "overdue": report is None and reports.is_overdue(session),
            "due": reports.due_at(session),
            "may_edit": can_edit_session(membership, session),
            "may_decide": can_decide_sessions(membership, session.cycle)
            and session.status == Session.Status.SCREENED_IN,
            "may_schedule": session.is_selected
            and (can_schedule_sessions(membership, session.cycle) or can_steward(membership)),
            "may_report": can_file_report(membership, session) and started,
            "decisions": [
                (v, label) for v, label in Session._meta.get_field("decision").choices or []
            ],
            **_choices(),
        },
    )


def _back(session: Session) -> HttpResponse:
    return redirect("meetings:detail", session.pk)


@login_required
@require_POST
def decide(request: HttpRequest, session_id: int) -> HttpResponse:
    try:
        session = get_session(session_id)
    except ServiceError as error:
        return refusal(request, error)
    try:
        merge = request.POST.get("merge_with", "").strip()
        selection.decide_session(
            request.user,
            session,
            {
                "decision": request.POST.get("decision"),
                "merge_with": int(merge) if merge.isdigit() else (merge or None),
                "reason": request.POST.get("reason", ""),
            },
        )
        messages.success(request, _("Decision saved."))
    except ServiceError as error:
        return refusal(request, error)
    if request.POST.get("next") == "ranking":
        return redirect("meetings:ranking", session.forum.slug)
    return _back(session)


def _moment(value: str) -> datetime:
    """A datetime-local value, read in the site's time zone."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidInput(_("Give the start as a date and time.")) from None
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


@login_required
@require_POST
def schedule_view(request: HttpRequest, session_id: int) -> HttpResponse:
    try:
        session = get_session(session_id)
        duration = request.POST.get("duration_minutes", "")
        schedule.schedule_session(
            request.user,
            session,
            room=request.POST.get("room", ""),
            starts_at=_moment(request.POST.get("starts_at", "")),
            duration_minutes=int(duration) if duration.isdigit() else -1,
        )
    except ServiceError as error:
        return refusal(request, error)
    messages.success(request, _("The session is scheduled."))
    return _back(session)


def _number(value: str, what: str) -> int:
    if not value.strip():
        return 0
    if not value.strip().isdigit():
        raise InvalidInput(_("%(what)s is a whole number.") % {"what": what})
    return int(value)


@login_required
@require_POST
def report_view(request: HttpRequest, session_id: int) -> HttpResponse:
    try:
        session = get_session(session_id)
        share = request.POST.get("women_percent", "").strip()
        if share and not share.isdigit():
            raise InvalidInput(_("The share of women is a whole percentage."))
        reports.file_report(
            request.user,
            session,
            {
                "key_takeaways": request.POST.getlist("key_takeaway"),
                "calls_to_action": request.POST.get("calls_to_action", "").splitlines(),
                "attendance": {
                    "onsite": _number(request.POST.get("onsite", ""), _("Onsite")),
                    "online": _number(request.POST.get("online", ""), _("Online")),
                    "women_share": int(share) / 100 if share else None,
                },
            },
        )
    except ServiceError as error:
        return refusal(request, error)
    messages.success(request, _("The report is filed."))
    return _back(session)
