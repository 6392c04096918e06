"""The stewards' moderation queue page: reported contributions, acted on in place."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from commonground.access.lookup import get_contribution, get_forum
from commonground.contributions import moderation
from commonground.contributions.services import MAX_REASON, moderate
from commonground.core.errors import InvalidInput, ServiceError
from commonground.core.http import refusal

ACTIONS = {
    "hide": gettext_lazy("Hidden."),
    "restore": gettext_lazy("Restored."),
    "dismiss": gettext_lazy("Reports dismissed."),
}


class QueueActionForm(forms.Form):
    action = forms.ChoiceField(
        label=gettext_lazy("Action"),
        choices=[
            ("hide", gettext_lazy("Hide")),
            ("restore", gettext_lazy("Restore")),
            ("dismiss", gettext_lazy("Dismiss the reports")),
        ],
    )
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=MAX_REASON)


@login_required
def queue(request: HttpRequest, slug: str) -> HttpResponse:
    """Stewards: the contributions with open reports, most reported first."""
    try:
        forum = get_forum(slug)
        entries, total = moderation.open_reports(request.user, forum)
    except ServiceError as error:
        return refusal(request, error)
    return render(
        request,
        "contributions/queue.html",
        {"forum": forum, "entries": entries, "total": total, "limit": moderation.QUEUE_LIMIT},
    )


@login_required
@require_POST
def act(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Hide, restore or dismiss the reports of one contribution from the queue (POST)."""
    try:
        item = get_contribution(kind, pk)
        form = QueueActionForm(request.POST)
        if not form.is_valid():
            field, errors = next(iter(form.errors.items()))
            raise InvalidInput(f"{form.fields[field].label}: {errors[0]}")
        action, reason = form.cleaned_data["action"], form.cleaned_data["reason"]
        if action == "dismiss":
            moderation.dismiss_reports(request.user, kind, item, reason=reason)
        else:
            moderate(request.user, kind, item, hide=action == "hide", reason=reason)
    except ServiceError as error:
        return refusal(request, error)
    messages.success(request, str(ACTIONS[action]))
    return redirect("contributions:queue", slug=item.forum.slug)
