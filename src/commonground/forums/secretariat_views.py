"""The secretariat's pages: create a forum in the tree, open a cycle in a forum."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from commonground.access.lookup import get_forum
from commonground.access.members import AnyUser, require_run_forum
from commonground.core.errors import NotAllowed, ServiceError
from commonground.core.http import refusal, submit
from commonground.forums.forms import CycleForm, ForumCreateForm
from commonground.forums.models import Forum
from commonground.forums.services import create_forum, open_cycle
from commonground.participants.models import Membership, User


def parents_for(user: AnyUser) -> list[Forum]:
    """The forums the person may create forums under: all for a superuser, else those they
    steward."""
    if user.is_superuser:
        return list(Forum.objects.order_by("name"))
    if not isinstance(user, User):
        return []  # an anonymous visitor stewards nothing
    stewarded = Membership.objects.filter(
        user=user, role=Membership.Role.STEWARD, status=Membership.Status.ACTIVE
    ).values("forum")
    return list(Forum.objects.filter(pk__in=stewarded).order_by("name"))


@login_required
def create(request: HttpRequest) -> HttpResponse:
    """A superuser, or a steward under a forum they steward, creates a forum."""
    parents = parents_for(request.user)
    if not request.user.is_superuser and not parents:
        error = NotAllowed(_("Only a superuser or a forum's steward can create forums."))
        return refusal(request, error)
    form = ForumCreateForm(
        request.POST or None,
        parents=[(f.slug, f"{f.name} ({f.get_level_display()})") for f in parents],
        top=bool(request.user.is_superuser),
    )
    status = 200
    if request.method == "POST":
        forum, status = submit(form, lambda data: create_forum(request.user, **data))
        if forum is not None:
            messages.success(request, _("The forum %(name)s exists now.") % {"name": forum.name})
            return redirect(forum)
    return render(request, "forums/create.html", {"form": form}, status=status)


@login_required
def new_cycle(request: HttpRequest, slug: str) -> HttpResponse:
    """The forum's stewards or a superuser open a cycle with a call for issues."""
    try:
        forum = get_forum(slug)
        require_run_forum(request.user, forum)
    except ServiceError as error:
        return refusal(request, error)
    form = CycleForm(request.POST or None)
    status = 200
    if request.method == "POST":
        cycle, status = submit(form, lambda data: open_cycle(request.user, forum, data["name"]))
        if cycle is not None:
            done = _("The cycle %(cycle)s is open with a call for issues.")
            messages.success(request, done % {"cycle": cycle.name})
            return redirect(forum)
    context = {"forum": forum, "form": form, "open": forum.open_cycle}
    return render(request, "forums/new_cycle.html", context, status=status)
