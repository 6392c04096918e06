"""The federation's pages: ``/.well-known/commonground``, creating a forum under a forum on
another instance, and a steward's block of a forum on another instance (docs/federation.md)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from commonground.access.lookup import get_forum
from commonground.access.members import require_run_forum
from commonground.core.errors import ServiceError
from commonground.core.http import refusal, submit
from commonground.federation.identity import well_known_document
from commonground.federation.lookup import get_remote_child
from commonground.federation.remote import create_forum_under_remote_parent, set_blocked
from commonground.forums.forms import ForumCreateForm


@require_safe
def well_known(request: HttpRequest) -> JsonResponse:
    """This instance's URL, name, key and forums, for peers to pin (JSON)."""
    response = JsonResponse(well_known_document())
    response["Access-Control-Allow-Origin"] = "*"
    return response


class RemoteParentForumForm(ForumCreateForm):
    """A new forum whose parent is the forum at ``parent_url`` on a pinned peer."""

    parent_url = forms.URLField(
        label=gettext_lazy("Address of the forum above, on another instance"),
        max_length=300,
        assume_scheme="https",
        help_text=gettext_lazy("e.g. https://igf.example.org/forums/igf/"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, parents=[], top=True, **kwargs)
        del self.fields["parent"]


@login_required
def create_forum(request: HttpRequest) -> HttpResponse:
    """A superuser creates a forum under a forum on another instance."""
    try:
        require_run_forum(request.user, None)
    except ServiceError as error:
        return refusal(request, error)
    form = RemoteParentForumForm(request.POST or None)
    status = 200
    if request.method == "POST":
        forum, status = submit(
            form, lambda data: create_forum_under_remote_parent(request.user, **data)
        )
        if forum is not None:
            messages.success(request, _("The forum %(name)s exists now.") % {"name": forum.name})
            return redirect(forum)
    return render(request, "federation/create_forum.html", {"form": form}, status=status)


@login_required
@require_POST
def block(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A steward of the forum blocks (or unblocks) a forum on another instance."""
    try:
        forum = get_forum(slug)
        child = set_blocked(
            request.user, get_remote_child(forum, pk), request.POST.get("blocked") == "1"
        )
    except ServiceError as error:
        return refusal(request, error)
    if child.blocked:
        done = _("Forwards from %(url)s to this forum are refused from now on.")
    else:
        done = _("Forwards from %(url)s to this forum are accepted again.")
    messages.success(request, done % {"url": child.remote.url})
    return redirect(forum)
