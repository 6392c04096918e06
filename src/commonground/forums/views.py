"""Forum pages: home with the forum tree, forum overview, joining, stewardship."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commonground.access.lookup import get_forum, get_membership
from commonground.access.members import can_run_forum, membership_of, require_steward
from commonground.access.phases import PHASES, next_phase, phase_label
from commonground.core.errors import InvalidInput, NotFound, ServiceError, WrongPhase
from commonground.core.http import refusal, submit
from commonground.forums import forum_settings, phase_changes, services, stats
from commonground.forums.forms import ForumSettingsForm, JoinForm
from commonground.forums.models import Cycle, Forum
from commonground.forums.secretariat_views import parents_for
from commonground.forums.services import join_forum
from commonground.participants.models import Membership
from commonground.participants.services import set_verified


def _forums_with_cycles() -> list[Forum]:
    return list(
        Forum.objects.annotate(member_count=Count("memberships", distinct=True)).prefetch_related(
            Prefetch("cycles", queryset=Cycle.objects.filter(is_open=True), to_attr="_open_cycles")
        )
    )


def home(request: HttpRequest) -> HttpResponse:
    """What the forum network is, the forum tree, and recently raised and top issues."""
    forums = _forums_with_cycles()
    children: dict[int | None, list[Forum]] = {}
    for forum in forums:
        children.setdefault(forum.parent_id, []).append(forum)
    for siblings in children.values():
        siblings.sort(key=lambda f: (f.level != "youth", f.name))

    def tree(parent_id: int | None) -> list[tuple[Forum, list[Any]]]:
        return [(f, tree(f.pk)) for f in children.get(parent_id, [])]

    return render(
        request,
        "forums/home.html",
        {
            "tree": tree(None),
            "forum_count": len(forums),
            "member_total": Membership.objects.count(),
            "can_create_forum": request.user.is_authenticated
            and (request.user.is_superuser or bool(parents_for(request.user))),
        },
    )


def forum_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A forum: its place in the tree, its cycle and phase, who takes part, top issues."""
    try:
        forum = get_forum(slug)
    except NotFound as error:
        return refusal(request, error)
    cycle = forum.cycles.filter(is_open=True).first()
    membership = membership_of(request.user, forum)
    context = {
        "forum": forum,
        "ancestors": forum.ancestors(),
        "children": forum.children.order_by("name"),
        "cycle": cycle,
        "membership": membership,
        "members": stats.member_counts(forum),
        "phases": [(p, phase_label(p)) for p in PHASES],
        "past_cycles": forum.cycles.filter(is_open=False)[:5],
        "can_run": can_run_forum(request.user, forum),
    }
    if cycle is not None:
        following = next_phase(cycle.phase)
        context.update(
            next_phase_label=phase_label(following) if following else None,
            phase_index=PHASES.index(cycle.phase),
            timeline=cycle.phase_changes.select_related("changed_by"),
        )
    return render(request, "forums/forum_detail.html", context)


@login_required
def join(request: HttpRequest, slug: str) -> HttpResponse:
    """Join a forum, declaring a stakeholder group and country."""
    try:
        forum = get_forum(slug)
    except NotFound as error:
        return refusal(request, error)
    if membership_of(request.user, forum) is not None:
        messages.info(request, _("You are already a member of %(name)s.") % {"name": forum.name})
        return redirect(forum)
    form = JoinForm(request.POST or None)
    status = 200
    if request.method == "POST":
        joined, status = submit(form, lambda data: join_forum(request.user, forum, **data))
        if joined is not None:
            messages.success(request, _("Welcome to %(name)s.") % {"name": forum.name})
            return redirect(forum)
    return render(request, "forums/join.html", {"forum": forum, "form": form}, status=status)


@login_required
def members(request: HttpRequest, slug: str) -> HttpResponse:
    """Stewards: the join requests and members, with their declared groups to verify."""
    try:
        forum = get_forum(slug)
        require_steward(request.user, forum)
    except ServiceError as error:
        return refusal(request, error)
    pending = forum.memberships.filter(verified=False).select_related("user").order_by("-joined_at")
    verified = (
        forum.memberships.filter(verified=True).select_related("user").order_by("-verified_at")
    )
    return render(
        request,
        "forums/members.html",
        {
            "forum": forum,
            "pending": pending[:200],
            "verified": verified[:200],
            "pending_count": pending.count(),
        },
    )


@login_required
@require_POST
def verify(request: HttpRequest, slug: str, membership_id: int) -> HttpResponse:
    try:
        forum = get_forum(slug)
        membership = get_membership(forum, membership_id)
        set_verified(request.user, membership, request.POST.get("verified", "1") == "1")
    except ServiceError as error:
        return refusal(request, error)
    messages.success(
        request, _("Updated %(public_name)s.") % {"public_name": membership.user.public_name}
    )
    return redirect("forums:members", slug=slug)


@login_required
def advance(request: HttpRequest, slug: str) -> HttpResponse:
    """Stewards move the open cycle on: first a page naming the next phase and what it opens
    and closes (GET), then the step itself (POST from that page, naming the phase)."""
    try:
        forum = get_forum(slug)
        require_steward(request.user, forum)
        step = phase_changes.planned_advance(forum)
        if request.method == "POST":
            expected = request.POST.get("to", "")
            if not expected:
                raise InvalidInput(_("Confirm the step on its confirmation page."))
            cycle = services.advance_cycle(request.user, forum, expected=expected)
            if cycle.is_open:
                done = _("The cycle %(cycle)s is now in %(phase)s.")
            else:
                done = _("The cycle %(cycle)s is closed.")
            messages.success(request, done % {"cycle": cycle.name, "phase": cycle.phase_label})
            return redirect("forums:detail", slug=slug)
    except ServiceError as error:
        return refusal(request, error)
    return render(request, "forums/advance.html", {"forum": forum, "step": step})


@login_required
def correct(request: HttpRequest, slug: str) -> HttpResponse:
    """Stewards move the open cycle back to an earlier phase it was moved on from by mistake,
    saying why (GET: the choice; POST: the correction)."""
    try:
        forum = get_forum(slug)
        require_steward(request.user, forum)
        cycle = forum.cycles.filter(is_open=True).first()
        if cycle is None:
            raise WrongPhase(_("%(forum)s has no open cycle.") % {"forum": forum.name})
        if request.method == "POST":
            cycle = phase_changes.correct_phase(
                request.user, forum, request.POST.get("to", ""), request.POST.get("reason", "")
            )
            done = _("The cycle %(cycle)s is back in %(phase)s.")
            messages.success(request, done % {"cycle": cycle.name, "phase": cycle.phase_label})
            return redirect("forums:detail", slug=slug)
    except ServiceError as error:
        return refusal(request, error)
    context = {"forum": forum, "cycle": cycle, "choices": phase_changes.earlier_phases(cycle)}
    return render(request, "forums/correct.html", context)


@login_required
def settings_view(request: HttpRequest, slug: str) -> HttpResponse:
    """Stewards edit the forum's settings (every one of ``forum_settings.SETTINGS``)."""
    try:
        forum = get_forum(slug)
        require_steward(request.user, forum)
    except ServiceError as error:
        return refusal(request, error)
    initial = forum_settings.current(forum)
    form = ForumSettingsForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":

        def save(data: dict[str, Any]) -> bool:
            changes = {k: v for k, v in data.items() if v != initial[k]}
            if changes:
                forum_settings.update_settings(request.user, forum, changes)
            return bool(changes)

        saved, status = submit(form, save)
        if saved is not None:
            messages.success(request, _("Settings saved.") if saved else _("Nothing changed."))
            return redirect("forums:settings", slug=slug)
    return render(request, "forums/settings.html", {"forum": forum, "form": form}, status=status)
