"""The member's notifications page (with the e-mail setting) and the Follow button."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from commonground.access.lookup import get_issue
from commonground.access.members import require_user
from commonground.core.errors import ServiceError
from commonground.core.http import paginate, refusal
from commonground.notifications import email, services
from commonground.notifications.models import EmailSetting, Notification


@login_required
@require_POST
def follow(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow an issue (``action`` = follow | unfollow) to hear of new contributions."""
    try:
        issue = get_issue(pk)
        following = request.POST.get("action", "follow") != "unfollow"
        services.follow_issue(request.user, issue, following)
    except ServiceError as error:
        return refusal(request, error)
    if following:
        messages.success(
            request, _("You follow this issue: new contributions appear in your notifications.")
        )
    else:
        messages.success(request, _("You no longer follow this issue."))
    return redirect(f"{issue.get_absolute_url()}#discussion")


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    """The signed-in member's notifications across forums and their e-mail setting.

    POST ``email`` = immediate | daily | off changes the e-mail setting; any other POST
    marks every notification read.
    """
    if request.method == "POST" and "email" in request.POST:
        try:
            setting = email.set_mode(request.user, request.POST["email"])
        except ServiceError as error:
            return refusal(request, error)
        messages.success(
            request,
            _("E-mail notifications: %(mode)s.") % {"mode": setting.get_mode_display().lower()},
        )
        return redirect("notifications:index")
    if request.method == "POST":
        count = services.mark_notifications_read(request.user)
        messages.success(
            request,
            ngettext(
                "%(count)d notification marked read.", "%(count)d notifications marked read.", count
            )
            % {"count": count},
        )
        return redirect("notifications:index")
    user = require_user(request.user)  # login_required: never anonymous here
    rows = Notification.objects.filter(recipient__user=user).select_related("issue__forum")
    return render(
        request,
        "notifications/index.html",
        {
            "page": paginate(request, rows, per_page=50),
            "unread": rows.filter(read_at=None).count(),
            "email_mode": email.mode_of(request.user),
            "email_modes": EmailSetting.Mode.choices,
        },
    )
