"""Network pages: forward and merge (with confirmation), dismiss a suggestion, the coherence
view of an issue and the network view of a forum. They parse input and call services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commonground.access.lookup import get_cycle, get_forum, get_issue, get_message
from commonground.access.members import can_steward, membership_of
from commonground.access.rules import can_forward_message
from commonground.core.errors import InvalidInput, NotAllowed, ServiceError
from commonground.core.http import refusal
from commonground.core.labels import group_label
from commonground.forums.models import Level
from commonground.network.coherence import coherence_chain
from commonground.network.drawing import chain_svg, regions_svg
from commonground.network.merge import merge_issues
from commonground.network.messages import forward_message as forward_message_to
from commonground.network.nri import REPORT_FIELDS, add_team_member, file_annual_report, listing
from commonground.network.queries import issue_network, message_forward_targets, network_view
from commonground.network.services import forward_issue
from commonground.network.similar import dismiss_suggestion
from commonground.stakeholders import GROUPS


def _issue_id(value: str | None) -> int:
    try:
        return int(str(value).strip().lstrip("#"))
    except ValueError:
        raise InvalidInput(_("Give the number of an issue.")) from None


@login_required
def forward(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the confirmation, with the forums above; POST: forward to the chosen one."""
    try:
        issue = get_issue(pk)
        net = issue_network(issue, request.user)
        if request.method == "POST":
            record = forward_issue(request.user, issue, get_forum(request.POST.get("to", "")))
            messages.success(
                request,
                _("Forwarded to %(forum)s: this is the issue there.")
                % {"forum": record.target_forum.name},
            )
            return redirect("issues:detail", pk=record.target_issue_id)
        if not net.is_steward:
            raise NotAllowed(
                _("Only a steward of %(forum)s can forward its issues.")
                % {"forum": issue.forum.name}
            )
    except ServiceError as error:
        return refusal(request, error)
    return render(request, "network/forward.html", {"issue": issue, "net": net})


@login_required
def forward_message(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the confirmation, with the forums above; POST: forward the published message."""
    try:
        message = get_message(pk)
        if request.method == "POST":
            target = get_forum(request.POST.get("to", ""))
            record = forward_message_to(request.user, message, target)
            messages.success(
                request,
                _("Forwarded to %(forum)s: this is the issue there.")
                % {"forum": record.target_forum.name},
            )
            return redirect("issues:detail", pk=record.target_issue_id)
        if not can_forward_message(membership_of(request.user, message.forum), message):
            raise NotAllowed(
                _("Only a steward of %(forum)s can forward its published messages upward.")
                % {"forum": message.forum.name}
            )
    except ServiceError as error:
        return refusal(request, error)
    context = {"message": message, "targets": message_forward_targets(message)}
    return render(request, "network/forward_message.html", context)


@login_required
def merge(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: choose the issue to merge into (suggestions of the same forum first); POST: merge."""
    try:
        issue = get_issue(pk)
        net = issue_network(issue, request.user)
        if request.method == "POST":
            # The chosen suggestion, or the number typed below the list (it comes last).
            chosen = [v for v in request.POST.getlist("into") if v.strip()]
            into = get_issue(_issue_id(chosen[-1] if chosen else None))
            record = merge_issues(request.user, issue, into)
            messages.success(
                request,
                _("Merged: %(moved)s supports moved, %(dup)s members supported both.")
                % {"moved": record.supports_moved, "dup": record.supports_deduplicated},
            )
            return redirect("issues:detail", pk=into.pk)
        if not net.can_merge:
            raise NotAllowed(
                _("Only a steward of %(forum)s can merge its issues, while its cycle still "
                  "takes supports.") % {"forum": issue.forum.name}
            )  # fmt: skip
    except ServiceError as error:
        return refusal(request, error)
    same_forum = [s for s in net.similar if s.issue.forum_id == issue.forum_id]
    return render(request, "network/merge.html", {"issue": issue, "candidates": same_forum})


@login_required
@require_POST
def dismiss(request: HttpRequest, pk: int, other: int) -> HttpResponse:
    """A steward dismisses a suggested similar issue."""
    try:
        dismiss_suggestion(request.user, get_issue(pk), get_issue(other))
    except ServiceError as error:
        return refusal(request, error)
    messages.success(request, _("The suggestion is dismissed."))
    return redirect("issues:detail", pk=pk)


def coherence(request: HttpRequest, pk: int) -> HttpResponse:
    """The issue's chain across levels, as a picture and as a list."""
    try:
        issue = get_issue(pk)
    except ServiceError as error:
        return refusal(request, error)
    chain = coherence_chain(issue)
    # The chain keeps the level's code; the page names it in the reader's language.
    names = dict(Level.choices)
    levels = [(names.get(level, level), nodes) for level, nodes in chain.levels()]
    return render(
        request,
        "network/coherence.html",
        {"issue": issue, "chain": chain, "levels": levels, "svg": chain_svg(chain)},
    )


def forum_network(request: HttpRequest, slug: str) -> HttpResponse:
    """The forum's agenda issues and the forums below they came from, by UN region."""
    try:
        forum = get_forum(slug)
    except ServiceError as error:
        return refusal(request, error)
    view = network_view(forum)
    svg = regions_svg(
        view["region_counts"], _("Forums below that raised this agenda's issues, by UN region")
    )
    return render(request, "network/forum_network.html", {"forum": forum, "view": view, "svg": svg})


def nri(request: HttpRequest, slug: str) -> HttpResponse:
    """The forum's NRI listing; stewards add team members and file annual reports (POST)."""
    try:
        forum = get_forum(slug)
        if request.method == "POST":
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if request.POST.get("action") == "report":
                cycle = get_cycle(forum, _issue_id(request.POST.get("cycle")))
                file_annual_report(
                    request.user, cycle, **{k: request.POST.get(k, "") for k in REPORT_FIELDS}
                )
                messages.success(request, _("The annual report is filed."))
            else:
                add_team_member(
                    request.user, forum, name=request.POST.get("name", ""),
                    stakeholder_group=request.POST.get("stakeholder_group", ""),
                    role=request.POST.get("role", ""),
                    coordinator=request.POST.get("coordinator") == "on",
                )  # fmt: skip
                messages.success(request, _("The team member is added."))
            return redirect("network:nri", slug=forum.slug)
    except ServiceError as error:
        return refusal(request, error)
    status = listing(forum)
    membership = membership_of(request.user, forum)
    reported = {r.cycle_id for r in status.reports}
    context = {
        "forum": forum,
        "status": status,
        "is_steward": can_steward(membership),
        "groups": [(g, group_label(g)) for g in GROUPS],
        "unreported": [c for c in forum.cycles.filter(is_open=False) if c.pk not in reported],
        "report_fields": REPORT_FIELDS,
    }
    return render(request, "network/nri.html", context)
