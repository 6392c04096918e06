"""Contribution pages: forms posted from the issue page, edit pages, moderation and settings.

Every view parses its form and calls one service; a refusal is rendered with its
4xx status and message. Everything works without JavaScript: forms post and
redirect back to the issue, to the contribution's anchor.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commonground.access.lookup import (
    get_contribution,
    get_forum,
    get_issue,
    get_visible_contribution,
)
from commonground.access.members import can_steward, membership_of, require_steward
from commonground.contributions import discussion, services
from commonground.contributions.forms import (
    AdviceForm,
    CommentForm,
    ModerateForm,
    ReportForm,
    SignalForm,
    SolutionForm,
    SuspendForm,
)
from commonground.contributions.models import (
    Advice,
    Comment,
    Kind,
    ModerationAction,
    Signal,
    Solution,
)
from commonground.contributions.translation_log import translation_actions
from commonground.core.errors import InvalidInput, NotAllowed, NotFound, ServiceError
from commonground.core.http import paginate, refusal
from commonground.issues.models import Issue
from commonground.participants.models import Membership


def _visible(request: HttpRequest, kind: str, pk: int) -> Any:
    """The contribution, or NotFound when it is hidden from the caller."""
    return get_visible_contribution(kind, pk, request.user)


def _valid(form: forms.Form) -> dict[str, Any]:
    """The cleaned data, or InvalidInput naming the first problem."""
    if form.is_valid():
        return form.cleaned_data
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        raise InvalidInput(f"{label}: {errors[0]}" if label else str(errors[0]))
    raise InvalidInput(_("Check your input."))


def _back(issue_id: int, anchor: str) -> HttpResponse:
    return redirect(f"/issues/{issue_id}/#{anchor}")


def _back_to_comment(request: HttpRequest, comment: Comment) -> HttpResponse:
    """To the page that shows the comment to this member: the issue page, or the earlier
    comments' page once its thread is no longer among the latest (discussion.location)."""
    return redirect(discussion.location(comment, membership_of(request.user, comment.forum)))


@login_required
@require_POST
def signal_save(request: HttpRequest, pk: int) -> HttpResponse:
    """Signal concern about the issue, or change one's signal."""
    try:
        issue = get_issue(pk)
        data = _valid(SignalForm(request.POST))
        membership = membership_of(request.user, issue.forum)
        own = Signal.objects.filter(issue=issue, author=membership).first() if membership else None
        if own is None:
            services.signal_concern(request.user, issue, **data)
            messages.success(request, _("Your signal of concern is recorded."))
        else:
            services.edit_signal(request.user, own, **data)
            messages.success(request, _("Your signal is updated."))
    except ServiceError as error:
        return refusal(request, error)
    return _back(issue.pk, "signals")


@login_required
@require_POST
def signal_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        signal = _visible(request, Kind.SIGNAL, pk)
        services.withdraw_signal(request.user, signal)
    except ServiceError as error:
        return refusal(request, error)
    messages.success(request, _("Your signal is withdrawn."))
    return _back(signal.issue_id, "signals")


@login_required
@require_POST
def solution_create(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        issue = get_issue(pk)
        form = SolutionForm(request.POST)
        data = _valid(form)
        solution = services.propose_solution(
            request.user,
            issue,
            title=data["title"],
            description=data["description"],
            actors=form.actor_list(),
            language=data.get("language") or None,
        )
    except ServiceError as error:
        return refusal(request, error)
    messages.success(request, _("Your solution is proposed."))
    return _back(issue.pk, f"solution-{solution.pk}")


@login_required
def solution_edit(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        solution = _visible(request, Kind.SOLUTION, pk)
        membership = membership_of(request.user, solution.forum)
        if membership is None or membership.pk != solution.author_id:
            raise NotAllowed(_("Only the author can change this solution."))
    except ServiceError as error:
        return refusal(request, error)
    initial = {
        "title": solution.title,
        "description": solution.description,
        "actors": "\n".join(solution.actors),
        "language": solution.language,
    }
    form = SolutionForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        try:
            data = _valid(form)
            services.edit_solution(
                request.user,
                solution,
                title=data["title"],
                description=data["description"],
                actors=form.actor_list(),
                language=data.get("language") or None,
            )
        except ServiceError as error:
            form.add_error(None, error.message)
            status = error.status
        else:
            messages.success(request, _("Solution updated."))
            return _back(solution.issue_id, f"solution-{solution.pk}")
    return render(
        request,
        "contributions/edit.html",
        {"form": form, "title": "Edit your solution", "issue": solution.issue},
        status=status,
    )


@login_required
@require_POST
def advice_save(request: HttpRequest, pk: int) -> HttpResponse:
    """Give advice on a solution, or revise one's advice (each version is kept)."""
    try:
        solution = _visible(request, Kind.SOLUTION, pk)
        form = AdviceForm(request.POST)
        _valid(form)
        fields = form.service_fields()
        membership = membership_of(request.user, solution.forum)
        own = (
            Advice.objects.filter(solution=solution, author=membership).first()
            if membership
            else None
        )
        if own is None:
            services.give_advice(request.user, solution, **fields)  # type: ignore[arg-type]
            messages.success(request, _("Your advice is recorded."))
        else:
            services.revise_advice(request.user, own, **fields)  # type: ignore[arg-type]
            messages.success(
                request, _("Your advice is revised; the earlier version stays visible.")
            )
    except ServiceError as error:
        return refusal(request, error)
    return _back(solution.issue_id, f"solution-{solution.pk}")


def _comment(request: HttpRequest, issue: Issue | None, solution: Solution | None) -> HttpResponse:
    try:
        data = _valid(CommentForm(request.POST))
        comment = services.add_comment(
            request.user,
            issue=issue,
            solution=solution,
            body=data["body"],
            stance=data["stance"],
            parent=data["parent"],
        )
    except ServiceError as error:
        return refusal(request, error)
    messages.success(request, _("Your comment is posted."))
    return _back_to_comment(request, comment)


@login_required
@require_POST
def issue_comment(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        issue = get_issue(pk)
    except ServiceError as error:
        return refusal(request, error)
    return _comment(request, issue, None)


@login_required
@require_POST
def solution_comment(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        solution = _visible(request, Kind.SOLUTION, pk)
    except ServiceError as error:
        return refusal(request, error)
    return _comment(request, None, solution)


def _own_comment(request: HttpRequest, pk: int) -> Comment:
    comment = _visible(request, Kind.COMMENT, pk)
    membership = membership_of(request.user, comment.forum)
    if membership is None or membership.pk != comment.author_id:
        raise NotAllowed(_("Only the author can change this comment."))
    return comment


@login_required
def comment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        comment = _own_comment(request, pk)
    except ServiceError as error:
        return refusal(request, error)
    form = CommentForm(
        request.POST or None, initial={"body": comment.body, "stance": comment.stance}
    )
    status = 200
    if request.method == "POST":
        try:
            data = _valid(form)
            services.edit_comment(request.user, comment, body=data["body"], stance=data["stance"])
        except ServiceError as error:
            form.add_error(None, error.message)
            status = error.status
        else:
            messages.success(request, _("Comment updated."))
            return _back_to_comment(request, comment)
    return render(
        request,
        "contributions/edit.html",
        {"form": form, "title": "Edit your comment", "issue": comment.issue},
        status=status,
    )


@login_required
@require_POST
def comment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        comment = _own_comment(request, pk)
        services.delete_comment(request.user, comment)
    except ServiceError as error:
        return refusal(request, error)
    messages.success(request, _("Comment deleted."))
    return _back_to_comment(request, comment)


def _anchor(kind: str, item: Any) -> str:
    if kind == Kind.SIGNAL:
        return "signals"
    if kind == Kind.ADVICE:
        return f"solution-{item.solution_id}"
    return f"{kind}-{item.pk}"


@login_required
@require_POST
def report_view(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Report a contribution to the stewards; enough distinct reports hide it."""
    try:
        item = _visible(request, kind, pk)
        data = _valid(ReportForm(request.POST))
        _report, hidden = services.report(request.user, kind, item, **data)
    except ServiceError as error:
        return refusal(request, error)
    if hidden:
        messages.success(request, _("Thank you. Enough members reported it, so it is now hidden."))
    else:
        messages.success(request, _("Thank you. The stewards will look at your report."))
    if kind == Kind.COMMENT:
        return _back_to_comment(request, item)
    return _back(services.issue_id_of(kind, item), _anchor(kind, item))


@login_required
@require_POST
def moderate_view(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Stewards hide or restore a contribution with a public reason."""
    try:
        item = get_contribution(kind, pk)
        data = _valid(ModerateForm(request.POST))
        services.moderate(
            request.user, kind, item, hide=data["action"] == "hide", reason=data["reason"]
        )
    except ServiceError as error:
        return refusal(request, error)
    messages.success(request, "Hidden." if data["action"] == "hide" else "Restored.")
    if kind == Kind.COMMENT:
        return _back_to_comment(request, item)
    return _back(services.issue_id_of(kind, item), _anchor(kind, item))


def moderation_log(request: HttpRequest, slug: str) -> HttpResponse:
    """The public moderation log: what was hidden or restored, when and why (never reporters)."""
    try:
        forum = get_forum(slug)
    except ServiceError as error:
        return refusal(request, error)
    actions = ModerationAction.objects.filter(forum=forum).select_related("issue")
    membership = membership_of(request.user, forum)
    is_steward = can_steward(membership)
    context: dict[str, Any] = {
        "forum": forum,
        "page": paginate(request, actions, per_page=50),
        "translation_actions": translation_actions(forum),
        "is_steward": is_steward,
        "settings": services.settings_of(forum),
    }
    if is_steward:
        context["suspended"] = (
            Membership.objects.filter(forum=forum, status=Membership.Status.SUSPENDED)
            .select_related("user")
            .order_by("pk")
        )
        context["suspend_form"] = SuspendForm()
    return render(request, "contributions/moderation_log.html", context)


@login_required
@require_POST
def suspend_view(request: HttpRequest, slug: str) -> HttpResponse:
    """Stewards suspend a member or lift a suspension."""
    try:
        forum = get_forum(slug)
        require_steward(request.user, forum)
        data = _valid(SuspendForm(request.POST))
        target = (
            Membership.objects.filter(forum=forum, user__public_id=data["participant"].strip())
            .select_related("user", "forum")
            .first()
        )
        if target is None:
            raise NotFound(
                _("No member of %(name)s has the public id '%(data)s'.")
                % {"name": forum.name, "data": data["participant"]}
            )
        suspended = data["action"] == "suspend"
        services.set_suspended(request.user, target, suspended=suspended, reason=data["reason"])
    except ServiceError as error:
        return refusal(request, error)
    state = "suspended" if suspended else "active again"
    messages.success(
        request,
        _("%(public_name)s is %(state)s.")
        % {"public_name": target.user.public_name, "state": state},
    )
    return redirect("contributions:moderation", slug=slug)


def settings_view(request: HttpRequest, slug: str) -> HttpResponse:
    """The contribution settings are on the forum's settings page now (kept for old links)."""
    return redirect("forums:settings", slug=slug, permanent=True)
