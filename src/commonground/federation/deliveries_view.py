"""The page of a forward to a forum on another instance: choose the forum, see the
deliveries with their state and reason. It parses input and calls the service."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from commonground.access.lookup import get_issue
from commonground.access.members import can_steward, membership_of
from commonground.core.errors import NotAllowed, ServiceError
from commonground.core.http import refusal
from commonground.federation.queries import remote_forward_panel
from commonground.federation.sending import forward_remote


@login_required
def forward_remote_page(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the forums above on other instances and this issue's deliveries; POST: forward."""
    try:
        issue = get_issue(pk)
        if not can_steward(membership_of(request.user, issue.forum)):
            raise NotAllowed(
                _("Only a steward of %(forum)s can forward its issues.")
                % {"forum": issue.forum.name}
            )
        if request.method == "POST":
            delivery = forward_remote(request.user, issue, request.POST.get("to", ""))
            messages.success(
                request,
                _("Forwarded to %(url)s: the delivery is %(state)s.")
                % {"url": delivery.target_url, "state": delivery.get_state_display()},
            )
            return redirect("deliveries:forward_remote", pk=issue.pk)
    except ServiceError as error:
        return refusal(request, error)
    panel = remote_forward_panel(issue, request.user)
    return render(request, "federation/forward_remote.html", {"issue": issue, "panel": panel})
