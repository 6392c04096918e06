"""Conversation pages: open one, vote statement by statement, add and moderate statements,
and the opinion map."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commonground.access.lookup import get_conversation, get_forum, get_issue, get_statement
from commonground.access.members import membership_of, require_member
from commonground.access.rules import can_review_statements, require_conversation_opener
from commonground.analysis.opinion_state import OpinionParams
from commonground.core.errors import ServiceError
from commonground.core.http import is_htmx, refusal, submit
from commonground.core.labels import group_label
from commonground.dialogue import services
from commonground.dialogue.charts import group_letter, group_marker, opinion_map_svg
from commonground.dialogue.forms import ConversationForm, StatementForm
from commonground.dialogue.models import Conversation, Statement
from commonground.dialogue.votes import votes_of
from commonground.participants.models import Membership
from commonground.stakeholders import GROUP_COLOURS


def conversation_index(request: HttpRequest, slug: str) -> HttpResponse:
    """The conversations of a forum, newest first."""
    try:
        forum = get_forum(slug)
    except ServiceError as error:
        return refusal(request, error)
    conversations = Conversation.objects.filter(forum=forum).select_related("issue")
    return render(
        request,
        "dialogue/conversation_list.html",
        {"forum": forum, "conversations": conversations},
    )


@login_required
def conversation_create(request: HttpRequest, pk: int) -> HttpResponse:
    """A steward or the issue's author opens a conversation on an issue."""
    try:
        issue = get_issue(pk)
        membership = require_member(request.user, issue.forum)
        require_conversation_opener(membership, issue)
    except ServiceError as error:
        return refusal(request, error)
    form = ConversationForm(request.POST or None, initial={"topic": issue.title})
    status = 200
    if request.method == "POST":
        conversation, status = submit(
            form,
            lambda data: services.open_conversation(
                request.user,
                issue,
                topic=data["topic"],
                description=data["description"],
                moderation=data["moderation"],
            ),
        )
        if conversation is not None:
            messages.success(request, _("The conversation is open. Add the first statements."))
            return redirect(conversation)
    return render(
        request,
        "dialogue/conversation_form.html",
        {"forum": issue.forum, "issue": issue, "form": form},
        status=status,
    )


def _card_context(
    request: HttpRequest, conversation: Conversation, membership: Membership | None
) -> dict[str, Any]:
    """The statement to vote on next, chosen by Polis's routing priority, and progress."""
    chosen = services.next_statement_for(conversation, membership)
    return {
        "conversation": conversation,
        "membership": membership,
        "statement": chosen.statement,
        "n_voted": chosen.voted,
        "n_statements": chosen.total,
        "progress": chosen.voted / chosen.total if chosen.total else 0,
        "my_votes": votes_of(conversation, membership),
    }


def conversation_vote(request: HttpRequest, pk: int) -> HttpResponse:
    """Vote on one statement at a time; add a statement; stewards moderate."""
    try:
        conversation = get_conversation(pk)
    except ServiceError as error:
        return refusal(request, error)
    membership = membership_of(request.user, conversation.forum)
    context = _card_context(request, conversation, membership)
    is_steward = can_review_statements(membership)
    pending = (
        Statement.objects.filter(
            conversation=conversation, status=Statement.Status.PENDING
        ).select_related("author__user")
        if is_steward
        else []
    )
    mine_pending = (
        Statement.objects.filter(
            conversation=conversation, status=Statement.Status.PENDING, author=membership
        ).count()
        if membership is not None
        else 0
    )
    context.update(
        form=StatementForm(),
        pending=pending,
        is_steward=is_steward,
        mine_pending=mine_pending,
        snapshot=services.latest_snapshot(conversation),
    )
    return render(request, "dialogue/conversation_vote.html", context)


@login_required
@require_POST
def vote(request: HttpRequest, pk: int) -> HttpResponse:
    """Record agree / disagree / pass on a statement; HTMX swaps the next card in place."""
    try:
        conversation = get_conversation(pk)
        statement = get_statement(conversation, request.POST.get("statement"))
        recorded, _created = services.cast_vote(
            request.user, statement, request.POST.get("vote", "")
        )
    except ServiceError as error:
        if is_htmx(request) and error.status < 404:
            membership = membership_of(request.user, conversation.forum)
            return render(
                request,
                "dialogue/includes/vote_card.html",
                {**_card_context(request, conversation, membership), "error": error.message},
                status=error.status,
            )
        return refusal(request, error)
    if is_htmx(request):
        # The next card says which vote was recorded; the list of the member's votes
        # follows out of band (open when the vote was changed from it).
        membership = membership_of(request.user, conversation.forum)
        context = _card_context(request, conversation, membership)
        context.update(recorded=recorded, open_votes=request.POST.get("from") == "my-votes")
        return render(request, "dialogue/includes/vote_update.html", context)
    messages.success(request, _("Vote recorded. You can change it under “Your votes”."))
    return redirect(conversation)


@login_required
@require_POST
def statement_add(request: HttpRequest, pk: int) -> HttpResponse:
    """A member adds a statement (pending under strict moderation)."""
    try:
        conversation = get_conversation(pk)
    except ServiceError as error:
        return refusal(request, error)
    form = StatementForm(request.POST)
    statement, status = submit(
        form, lambda data: services.add_statement(request.user, conversation, data["text"])
    )
    if statement is not None:
        if statement.status == Statement.Status.PENDING:
            messages.success(request, _("Thank you. A steward will review your statement."))
        else:
            messages.success(request, _("Your statement is added; others can now vote on it."))
        return redirect(conversation)
    membership = membership_of(request.user, conversation.forum)
    context = _card_context(request, conversation, membership)
    context.update(form=form, pending=[], is_steward=False, mine_pending=0)
    return render(request, "dialogue/conversation_vote.html", context, status=status)


@login_required
@require_POST
def statement_moderate(request: HttpRequest, pk: int, statement_pk: int) -> HttpResponse:
    """A steward accepts or rejects a statement."""
    try:
        conversation = get_conversation(pk)
        statement = get_statement(conversation, statement_pk)
        services.moderate_statement(request.user, statement, request.POST.get("decision", ""))
    except ServiceError as error:
        return refusal(request, error)
    messages.success(
        request, _("Statement %(lower)s.") % {"lower": statement.get_status_display().lower()}
    )
    return redirect(conversation)


def _map_context(conversation: Conversation, membership: Membership | None) -> dict[str, Any]:
    snapshot = services.latest_snapshot(conversation)
    if snapshot is not None:
        doc = snapshot.result
    else:
        # No map saved yet: a small conversation gets one computed in memory (this GET
        # still writes nothing); a large one waits for the background task.
        preview = services.preview_opinion_map(conversation)
        if preview is None:
            return {"snapshot": None, "has_map": False}
        doc = preview
    ids: set[int] = set()
    for group in doc["groups"]:
        ids.update(r["statement"] for r in group["representative"])
    ids.update(int(s) for s in doc["statements"])
    texts = dict(
        Statement.objects.filter(conversation=conversation, pk__in=ids).values_list("id", "text")
    )
    sic_groups = doc["cross"]["stakeholder_groups"]
    groups = []
    for group in doc["groups"]:
        g = group["id"]
        make_up = [
            {
                "group": name,
                "count": count,
                "share": count / group["size"] if group["size"] else 0.0,
                "colour": GROUP_COLOURS.get(name, "#777777"),
            }
            for name, count in group["stakeholders"].items()
            if count
        ]
        groups.append(
            {
                "id": g,
                "letter": group_letter(g),
                "marker": group_marker(g),
                "size": group["size"],
                "unknown": group["unknown_stakeholder"],
                "make_up": make_up,
                "representative": [
                    {**r, "text": texts.get(r["statement"], "")} for r in group["representative"]
                ],
            }
        )
    statements = sorted(
        (
            {"id": int(sid), "text": texts.get(int(sid), ""), **row}
            for sid, row in doc["statements"].items()
            if not row.get("moderated_out")
        ),
        key=lambda s: -s["gic"],
    )
    consensus = {
        d: [{**c, "text": texts.get(c["statement"], "")} for c in doc["consensus"][d]]
        for d in ("agree", "disagree")
    }
    cross_rows = []
    for g, counts in enumerate(doc["cross"]["counts"]):
        cells = [
            {
                "count": counts[j],
                "share_row": doc["cross"]["share_of_opinion_group"][g][j],
                "share_col": doc["cross"]["share_of_stakeholder_group"][g][j],
            }
            for j in range(len(sic_groups))
        ]
        cross_rows.append({"letter": group_letter(g), "cells": cells, "total": sum(counts)})
    column_totals = [sum(row[j] for row in doc["cross"]["counts"]) for j in range(len(sic_groups))]
    highlight = None
    if membership is not None:
        key = services.member_key(membership)
        keys = doc.get("point_keys", [])
        highlight = keys.index(key) if key in keys else None
    return {
        "snapshot": snapshot,
        "has_map": True,
        "preview": snapshot is None,
        "n_statements": snapshot.statements if snapshot is not None else len(doc["statements"]),
        "doc": doc,
        "svg": opinion_map_svg(
            doc["points"], [g["size"] for g in doc["groups"]], highlight=highlight
        ),
        "groups": groups,
        "statements": statements,
        "consensus": consensus,
        "cross_groups": [{"group": name, "label": group_label(name)} for name in sic_groups],
        "cross_rows": cross_rows,
        "cross_column_totals": column_totals,
        "cross_total": sum(column_totals),
        "in_map_member": highlight is not None,
    }


def conversation_map(request: HttpRequest, pk: int) -> HttpResponse:
    """The opinion map: groups, what each stands for, consensus, and the cross view.

    A GET only reads: it shows the latest saved map with its time, and says when newer
    votes are waiting for the background recompute (``services.schedule_recompute``).
    """
    try:
        conversation = get_conversation(pk)
    except ServiceError as error:
        return refusal(request, error)
    membership = membership_of(request.user, conversation.forum)
    context = _map_context(conversation, membership)
    context["conversation"] = conversation
    context["status"] = services.map_status(conversation, context.get("snapshot"))
    context["now"] = timezone.now()
    if membership is not None and not context.get("in_map_member"):
        context["placement"] = _placement(conversation, membership)
    return render(request, "dialogue/conversation_map.html", context)


def _placement(conversation: Conversation, membership: Membership) -> dict[str, int]:
    """Why a member is not on the map yet: the engine places participants who voted on
    at least ``min_votes`` statements (fewer while the conversation has fewer)."""
    accepted = Statement.objects.filter(
        conversation=conversation, status=Statement.Status.ACCEPTED
    ).count()
    voted = len(votes_of(conversation, membership))
    threshold = min(OpinionParams().min_votes, accepted)
    return {"voted": voted, "threshold": threshold, "needed": max(0, threshold - voted)}


def map_poll(request: HttpRequest, pk: int) -> HttpResponse:
    """Polled by the map page while a recompute is pending: 204 while it still is, and
    an ``HX-Refresh`` (the page reloads itself) once a newer map is saved or nothing is
    pending any more. ``since`` is the id of the map the page shows (0 for none)."""
    try:
        conversation = get_conversation(pk)
    except ServiceError as error:
        return refusal(request, error)
    snapshot = services.latest_snapshot(conversation)
    shown = request.GET.get("since", "0")
    current = str(snapshot.pk) if snapshot is not None else "0"
    if services.map_status(conversation, snapshot).recomputing and current == shown:
        return HttpResponse(status=204)
    if not is_htmx(request):
        return redirect("dialogue:map", pk=conversation.pk)
    response = HttpResponse(status=200)
    response["HX-Refresh"] = "true"
    return response
