"""The pages of a forward to a forum on another instance, of an issue or of a published
message: choose the forum, see the deliveries with their state and reason. They parse
input and call the services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from commonground.access.lookup import get_issue, get_message
from commonground.access.members import can_steward, membership_of
from commonground.access.rules import can_forward_message
from commonground.core.errors import NotAllowed, ServiceError
from commonground.core.http import refusal
from commonground.federation.models import Delivery
from commonground.federation.queries import remote_forward_panel
from commonground.federation.sending import forward_message_remote, forward_remote


def _forwarded(request: HttpRequest, delivery: Delivery) -> None:
    messages.success(
        request,
        _("Forwarded to %(url)s: the delivery is %(state)s.")
        % {"url": delivery.target_url, "state": delivery.get_state_display()},
    )


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
            _forwarded(request, forward_remote(request.user, issue, request.POST.get("to", "")))
            return redirect("deliveries:forward_remote", pk=issue.pk)
    except ServiceError as error:
        return refusal(request, error)
    panel = remote_forward_panel(issue, request.user)
    context = {"issue": issue, "panel": panel, "back": issue.get_absolute_url()}
    return render(request, "federation/forward_remote.html", context)


@login_required
def forward_message_remote_page(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the forums above on other instances and this message's deliveries; POST:
    forward the published message to the chosen one."""
    try:
        message = get_message(pk)
        if not can_forward_message(membership_of(request.user, message.forum), message):
            raise NotAllowed(
                _("Only a steward of %(forum)s can forward its published messages upward.")
                % {"forum": message.forum.name}
            )
        if request.method == "POST":
            to = request.POST.get("to", "")
            _forwarded(request, forward_message_remote(request.user, message, to))
            return redirect("deliveries:forward_message_remote", pk=message.pk)
    except ServiceError as error:
        return refusal(request, error)
    panel = remote_forward_panel(message.issue, request.user, message)
    back = reverse("outcomes:message", args=[message.pk])
    context = {"issue": message.issue, "message": message, "panel": panel, "back": back}
    return render(request, "federation/forward_remote.html", context)
