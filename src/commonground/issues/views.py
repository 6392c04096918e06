"""Issue pages: list with search and filters, raise, edit, detail and support."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commonground.access.lookup import get_forum, get_forum_and_open_cycle, get_issue
from commonground.access.members import membership_of
from commonground.access.rules import (
    can_act_in_phase,
    can_edit_issue,
    can_open_conversation,
    is_author,
)
from commonground.core.errors import NotAllowed, ServiceError
from commonground.core.http import is_htmx, paginate, refusal, submit
from commonground.issues import services
from commonground.issues.forms import IssueForm
from commonground.issues.list_read import IssueListRead
from commonground.issues.models import TALLY_FIELDS, Issue, Topic
from commonground.issues.queries import (
    IssueFilters,
    supported_ids,
    tallies_for,
)
from commonground.issues.translation_views import reader_context
from commonground.participants.models import Membership
from commonground.stakeholders import GROUPS, REGIONS


def issue_index(request: HttpRequest, slug: str) -> HttpResponse:
    """The issues of a forum's open cycle with search, filters and sorts."""
    try:
        forum, cycle, _version = get_forum_and_open_cycle(slug)
    except ServiceError as error:
        return refusal(request, error)
    filters = IssueFilters.from_params(request.GET.dict())
    # Read by hand (issues.list_read): the list renders again after every support.
    page = paginate(request, IssueListRead(cycle, filters))  # type: ignore[arg-type]
    ids = [i.pk for i in page]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "issues/issue_list.html",
        {
            "forum": forum,
            "cycle": cycle,
            "page": page,
            "filters": filters,
            # Each issue's tally columns as read with it (one statement, one snapshot).
            "tallies": {i.pk: i.tallies for i in page},
            "supported": supported_ids(request.user, ids),
            "topics": Topic.objects.filter(issues__cycle=cycle)
            .distinct()
            .order_by("-is_sdg", "slug"),
            "groups": GROUPS,
            "regions": REGIONS,
            "query": query.urlencode(),
            "membership": membership_of(request.user, forum),
            "can_raise": can_act_in_phase(cycle, "raise_issue"),
        },
    )


@login_required
def issue_create(request: HttpRequest, slug: str) -> HttpResponse:
    """Raise an issue of concern in the forum's open cycle."""
    try:
        forum = get_forum(slug)
    except ServiceError as error:
        return refusal(request, error)
    form = IssueForm(request.POST or None, initial={"language": services.issue_language(None)})
    status = 200
    if request.method == "POST":
        issue, status = submit(
            form,
            lambda data: services.raise_issue(
                request.user,
                forum,
                title=data["title"],
                description=data["description"],
                topics=form.topic_list(),
                language=data.get("language") or None,
            ),
        )
        if issue is not None:
            messages.success(request, _("Your issue is raised. Others can now support it."))
            return redirect(issue)
    return render(request, "issues/issue_form.html", {"forum": forum, "form": form}, status=status)


@login_required
def issue_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The author edits their issue while the cycle allows it."""
    try:
        issue = get_issue(pk)
    except ServiceError as error:
        return refusal(request, error)
    initial = {
        "title": issue.title,
        "description": issue.description,
        "topics": ", ".join(t.slug for t in issue.topics.all()),
        "language": issue.language,
    }
    form = IssueForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        edited, status = submit(
            form,
            lambda data: services.edit_issue(
                request.user,
                issue,
                title=data["title"],
                description=data["description"],
                topics=form.topic_list(),
                language=data.get("language") or None,
            ),
        )
        if edited is not None:
            messages.success(request, _("Issue updated."))
            return redirect(issue)
    elif not is_author(membership_of(request.user, issue.forum), issue):
        return refusal(request, NotAllowed(_("Only the author can edit this issue.")))
    return render(
        request,
        "issues/issue_form.html",
        {"forum": issue.forum, "form": form, "issue": issue},
        status=status,
    )


def _support_context(
    request: HttpRequest, issue: Issue, tallies_read: bool = False
) -> dict[str, Any]:
    """What the support panel shows. ``tallies_read``: the issue's tally columns were read
    with it (the issue page's read), so they are shown as read; after a support the issue
    read before it is re-read for them."""
    if tallies_read:
        tallies = {group: getattr(issue, TALLY_FIELDS[group]) for group in GROUPS}
    else:
        tallies = tallies_for([issue.pk]).get(issue.pk, dict.fromkeys(GROUPS, 0))
    return {
        "issue": issue,
        "tallies": tallies,
        "supported": issue.pk in supported_ids(request.user, [issue.pk]),
        "membership": membership_of(request.user, issue.forum),
        "can_support": can_act_in_phase(issue.cycle, "support_issue"),
    }


def _translation_context(
    request: HttpRequest, issue: Issue, membership: Membership | None
) -> dict[str, Any]:
    """The community translation into the reader's language (``translation_views``); a
    merged issue takes no new translation."""
    context = reader_context(request, issue, membership)
    context["can_translate"] = context["can_translate"] and issue.merged_into_id is None
    return context


def issue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An issue: description, support by group, recognition status and its reason."""
    try:
        issue = get_issue(pk)
    except ServiceError as error:
        return refusal(request, error)
    if issue.merged_into_id is not None and "stay" not in request.GET:
        # A merged issue lives on in the one it was merged into; ?stay shows its own page.
        return redirect(
            f"{reverse('issues:detail', args=[issue.merged_into_id])}?merged_from={issue.pk}"
        )
    context = _support_context(request, issue, tallies_read=True)
    context.update(
        **_translation_context(request, issue, context["membership"]),
        topics=issue.topics.all(),
        can_edit=can_edit_issue(context["membership"], issue),
        can_open_conversation=can_open_conversation(context["membership"], issue),
    )
    return render(request, "issues/issue_detail.html", context)


@login_required
@require_POST
def support(request: HttpRequest, pk: int) -> HttpResponse:
    """Support or withdraw (``action`` = support | withdraw); HTMX swaps the panel in place."""
    try:
        issue = get_issue(pk)
        if request.POST.get("action") == "withdraw":
            services.withdraw_support(request.user, issue)
        else:
            services.support_issue(request.user, issue)
    except ServiceError as error:
        if is_htmx(request):
            return render(
                request,
                "issues/includes/support_panel.html",
                {**_support_context(request, issue), "error": error.message},
                status=error.status,
            )
        return refusal(request, error)
    issue.refresh_from_db(fields=["support_count"])
    if is_htmx(request):
        # The panel, plus out-of-band swaps of the status, the recognition table and
        # the chart: everything on the page the support changed, from one rendering.
        return render(
            request, "issues/includes/support_update.html", _support_context(request, issue)
        )
    return redirect(issue)
