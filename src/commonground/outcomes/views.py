"""Message pages: the forum's messages, drafting, the message with its comment, the chair's
acts and the follow-up, and the version diff. Each form posts to one action that calls one
service and comes back to the message page (a refusal is shown there with its status)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commonground.access.lookup import get_forum, get_issue, get_message, get_objection
from commonground.access.members import membership_of
from commonground.access.rules import (
    can_chair_message,
    can_draft_message,
    can_forward_message,
    can_record_uptake,
    can_refer_message,
    can_revise_message,
    can_take_position,
)
from commonground.contributions.services import settings_of
from commonground.core.charts import Bar, bar_chart
from commonground.core.errors import InvalidInput, ServiceError
from commonground.core.http import refusal
from commonground.core.labels import group_label
from commonground.core.markdown import render_markdown
from commonground.issues.translation_views import reader_context
from commonground.outcomes import chairing, followup, services
from commonground.outcomes.chairing import current_designation, missing_for_publish
from commonground.outcomes.models import Designation, Disposition, Message, Referral, Uptake
from commonground.outcomes.queries import position_rows, positions_by_group, version_diff
from commonground.stakeholders import GROUP_COLOURS, GROUPS


def forum_messages(request: HttpRequest, slug: str) -> HttpResponse:
    """A forum's messages, newest cycle first, with the draft form for stewards."""
    try:
        forum = get_forum(slug)
    except ServiceError as error:
        return refusal(request, error)
    membership = membership_of(request.user, forum)
    cycle = forum.open_cycle
    items = Message.objects.filter(forum=forum).select_related("cycle", "issue")
    agenda = []
    if cycle is not None and can_draft_message(membership, cycle):
        ids = services.agenda_issue_ids(cycle.pk)
        agenda = list(cycle.issues.filter(pk__in=ids).order_by("title"))
    cycles = forum.cycles.filter(messages__state__in=["published", "referred"]).distinct()
    return render(
        request,
        "outcomes/forum_messages.html",
        {"forum": forum, "items": items, "agenda": agenda, "cycles": cycles},
    )


@login_required
@require_POST
def draft(request: HttpRequest, slug: str) -> HttpResponse:
    """A steward drafts a message on an agenda issue."""
    try:
        chosen = request.POST.get("issue", "")
        # An id is a whole number (a 64-bit one): anything else is no issue of this forum.
        if not (chosen.isascii() and chosen.isdigit() and len(chosen) <= 18):
            raise InvalidInput(_("Choose an issue of this forum."))
        issue = get_issue(int(chosen))
        if issue.forum.slug != slug:
            raise InvalidInput(_("Choose an issue of this forum."))
        message = services.draft_message(
            request.user,
            issue,
            title=request.POST.get("title", ""),
            text=request.POST.get("text", ""),
            language=request.POST.get("language") or None,
        )
    except ServiceError as error:
        return refusal(request, error)
    flash.success(request, _("The draft is saved as version 1."))
    return redirect(message)


def _chart(counts: dict[str, dict[str, int]]) -> Any:
    bars = []
    for group in GROUPS:
        row = counts[group]
        total = sum(row.values())
        note = (
            _("%(s)s support, %(c)s can live with it, %(o)s object")
            % {"s": row["support"], "c": row["can_live_with"], "o": row["object"]}
            if total
            else _("no position")
        )
        share = (row["support"] + row["can_live_with"]) / total if total else 0.0
        bars.append(Bar(str(group_label(group)), round(100 * share, 1), GROUP_COLOURS[group], note))
    return bar_chart(
        bars, title=_("Share of each group's positions that support or can live with it")
    )


def message_page(request: HttpRequest, pk: int, status: int = 200, error: str = "") -> HttpResponse:
    """The message: text, versions, window, positions by group with the suggested level,
    objections with dispositions and replies, designation, referrals and uptake, and the
    forms the visitor may use."""
    try:
        message = get_message(pk)
    except ServiceError as failure:
        return refusal(request, failure)
    membership = membership_of(request.user, message.forum)
    now = timezone.now()
    counts = positions_by_group(message)
    suggestion = chairing.suggestion_of(message)
    rows = position_rows(message)
    mine = next((p for p in rows if membership and p.membership_id == membership.pk), None)
    # Read only: a page or a refusal must not create the forum's settings row.
    settings = settings_of(message.forum)
    context = {
        "forum": message.forum,
        "message": message,
        "text_html": render_markdown(message.text),
        **reader_context(request, message, membership),
        "versions": list(message.versions.all()),
        "counts": [(g, group_label(g), counts[g]) for g in GROUPS],
        "chart": _chart(counts),
        "suggestion": suggestion,
        "suggested_label": Designation.Level(suggestion.level).label,
        "left_out": [group_label(g) for g in suggestion.groups_left_out],
        "minority": [group_label(g) for g in suggestion.minority_groups],
        "positions": rows,
        "objections": [p for p in rows if p.is_objection],
        "mine": mine,
        "designation": current_designation(message),
        "missing": missing_for_publish(message, now) if not message.is_published else [],
        "referrals": list(message.referrals.all()),
        "uptake": list(message.uptake.select_related("membership__user")),
        "reports": list(message.reports.select_related("session")),
        "conversations": list(message.conversations.all()),
        "may_revise": can_revise_message(membership, message),
        "may_window": can_revise_message(membership, message)
        and not message.window_has_closed(now),
        "may_position": can_take_position(membership, message, now),
        "may_chair": can_chair_message(membership, message),
        "may_refer": can_refer_message(membership, message),
        "may_forward": can_forward_message(membership, message),
        "may_uptake": can_record_uptake(membership, message, settings),
        "window_closed": message.window_has_closed(now),
        "levels": Designation.Level.choices,
        "dispositions": Disposition.Kind.choices,
        "referral_kinds": Referral.Kind.choices,
        "uptake_actions": Uptake.Action.choices,
        "error": error,
        "today": timezone.localdate(),
    }
    return render(request, "outcomes/message.html", context, status=status)


def _act(
    request: HttpRequest, pk: int, action: Callable[[Message], object], done: str
) -> HttpResponse:
    """Run one service on the message; success comes back with a note, a refusal is shown
    on the message page with its status and message."""
    try:
        message = get_message(pk)
    except ServiceError as error:
        return refusal(request, error)
    try:
        action(message)
    except ServiceError as error:
        return message_page(request, pk, status=error.status, error=error.message)
    flash.success(request, done)
    return redirect(message)


def _moment(text: str) -> datetime:
    moment = parse_datetime((text or "").strip())
    if moment is None:
        raise InvalidInput(_("Give the date and time as YYYY-MM-DD HH:MM."))
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _day(text: str) -> date:
    try:
        day = parse_date((text or "").strip())
    except ValueError:
        day = None
    if day is None:
        raise InvalidInput(_("Give the date as YYYY-MM-DD."))
    return day


@login_required
@require_POST
def revise(request: HttpRequest, pk: int) -> HttpResponse:
    post = request.POST
    return _act(
        request,
        pk,
        lambda m: services.revise_message(
            request.user,
            m,
            title=post.get("title", ""),
            text=post.get("text", ""),
            note=post.get("note", ""),
            language=post.get("language") or None,
        ),
        _("A new version is saved."),
    )


@login_required
@require_POST
def window(request: HttpRequest, pk: int) -> HttpResponse:
    post = request.POST
    return _act(
        request,
        pk,
        lambda m: services.open_comment_window(
            request.user,
            m,
            opens_at=_moment(post.get("opens_at", "")),
            closes_at=_moment(post.get("closes_at", "")),
        ),
        _("The comment window is set."),
    )


@login_required
@require_POST
def position(request: HttpRequest, pk: int) -> HttpResponse:
    post = request.POST
    return _act(
        request,
        pk,
        lambda m: services.record_position(
            request.user, m, position=post.get("position", ""), text=post.get("text", "")
        ),
        _("Your position is recorded. You may change it until the window closes."),
    )


@login_required
@require_POST
def reply(request: HttpRequest, pk: int, objection_pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda m: services.reply_to_objection(
            request.user, get_objection(m, objection_pk), text=request.POST.get("text", "")
        ),
        _("Your reply is posted."),
    )


@login_required
@require_POST
def disposition(request: HttpRequest, pk: int, objection_pk: int) -> HttpResponse:
    post = request.POST
    return _act(
        request,
        pk,
        lambda m: chairing.record_disposition(
            request.user,
            get_objection(m, objection_pk),
            disposition=post.get("disposition", ""),
            reason=post.get("reason", ""),
        ),
        _("The disposition is recorded and the objector notified."),
    )


@login_required
@require_POST
def designate(request: HttpRequest, pk: int) -> HttpResponse:
    post = request.POST
    return _act(
        request,
        pk,
        lambda m: chairing.designate(
            request.user,
            m,
            level=post.get("level", ""),
            rationale=post.get("rationale", ""),
            minority_view=post.get("minority_view", ""),
        ),
        _("The designation is recorded."),
    )


@login_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda m: chairing.publish_message(request.user, m),
        _("The message is published."),
    )


@login_required
@require_POST
def refer(request: HttpRequest, pk: int) -> HttpResponse:
    post = request.POST
    return _act(
        request,
        pk,
        lambda m: followup.refer_message(
            request.user,
            m,
            name=post.get("name", ""),
            kind=post.get("kind", ""),
            contact=post.get("contact", ""),
        ),
        _("The message is referred."),
    )


@login_required
@require_POST
def uptake(request: HttpRequest, pk: int) -> HttpResponse:
    post = request.POST
    return _act(
        request,
        pk,
        lambda m: followup.record_uptake(
            request.user,
            m,
            body=post.get("body", ""),
            action=post.get("action", ""),
            summary=post.get("summary", ""),
            date=_day(post.get("date", "")),
            url=post.get("url", ""),
        ),
        _("The uptake is recorded in the follow-up trail."),
    )


def diff(request: HttpRequest, pk: int) -> HttpResponse:
    """The line diff between two versions (``?from=1&to=2``; default: the last two)."""
    try:
        message = get_message(pk)
        versions = {v.number: v for v in message.versions.all()}
        last = max(versions)
        try:
            a = int(request.GET.get("from", last - 1 if last > 1 else 1))
            b = int(request.GET.get("to", last))
        except ValueError:
            raise InvalidInput(_("Versions are numbers.")) from None
        if a not in versions or b not in versions:
            raise InvalidInput(_("This message has versions 1 to %(last)s.") % {"last": last})
    except ServiceError as error:
        return refusal(request, error)
    return render(
        request,
        "outcomes/diff.html",
        {
            "forum": message.forum,
            "message": message,
            "old": versions[a],
            "new": versions[b],
            "lines": version_diff(versions[a], versions[b]),
            "versions": list(versions.values()),
        },
    )
