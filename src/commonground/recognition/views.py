"""Agenda pages: the live agenda with its reasons, publication, and published snapshots."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from commonground.access.lookup import get_forum, get_forum_and_open_cycle, open_cycle_of
from commonground.access.members import can_steward, membership_of, require_steward
from commonground.access.rules import can_publish_agenda, require_phase
from commonground.core.errors import InvalidInput, NotFound, ServiceError
from commonground.core.http import refusal
from commonground.core.labels import group_label
from commonground.recognition.models import AgendaPublication
from commonground.recognition.reasons import published_reason, reason_text
from commonground.recognition.services import live_agenda, publish_agenda, recent_publications
from commonground.stakeholders import GROUPS

CLOSE_LIST_LENGTH = 15


def agenda(request: HttpRequest, slug: str) -> HttpResponse:
    """The live agenda: recognized issues in rank order, why, and who is close."""
    try:
        forum, cycle, version = get_forum_and_open_cycle(slug)
    except ServiceError as error:
        return refusal(request, error)
    live = live_agenda(cycle, version)
    result = live.result
    by_raw = request.GET.get("order") == "raw"
    rows = [
        int(r)
        for r in (result.raw_count_order()[: live.settings.slots] if by_raw else result.agenda)
    ]
    close_rows = [int(r) for r in result.close_to_recognition(CLOSE_LIST_LENGTH)]
    titles = live.titles(rows + close_rows)
    labels = {g: group_label(g) for g in GROUPS}  # once a render, not once an entry

    def entry(row: int) -> dict[str, Any]:
        data = result.issue_dict(int(row))
        data["title"] = titles[int(row)]
        data["id"] = live.issue_ids[int(row)]
        data["total"] = int(result.supports[int(row)].sum())
        data["reason_text"] = reason_text(result.reason_parts(int(row)))
        data["group_rows"] = [{"group": g, "label": labels[g], **data["groups"][g]} for g in GROUPS]
        return data

    close = [{**entry(int(row)), "missing": result.missing(int(row))} for row in close_rows]
    membership = membership_of(request.user, forum)
    silent = [labels[g] for i, g in enumerate(GROUPS) if result.active[i] == 0]
    return render(
        request,
        "recognition/agenda.html",
        {
            "forum": forum,
            "cycle": cycle,
            "settings": live.settings,
            "by_raw": by_raw,
            "entries": [entry(r) for r in rows],
            "close": close,
            "recognized_count": int(result.recognized.sum()),
            "issue_count": len(live.issue_ids),
            "active": dict(zip(GROUPS, (int(a) for a in result.active), strict=True)),
            "silent_groups": silent,
            "is_steward": can_steward(membership),
            "can_publish": can_publish_agenda(membership, cycle),
            "publications": recent_publications(cycle),
        },
    )


@login_required
def publish(request: HttpRequest, slug: str) -> HttpResponse:
    """Stewards publish (freeze) the live agenda: first a page showing exactly what will be
    frozen (GET), then the publication (POST from that page, naming that agenda)."""
    try:
        forum = get_forum(slug)
        require_steward(request.user, forum)
        cycle = open_cycle_of(forum)
        if request.method == "POST":
            expected = [i for i in request.POST.get("agenda", "").split(",") if i]
            if "agenda" not in request.POST:
                raise InvalidInput(_("Confirm the publication on its confirmation page."))
            publication = publish_agenda(request.user, forum, expected_agenda=expected)
            done = _("Agenda #%(number)s is published.") % {"number": publication.number}
            messages.success(request, done)
            return redirect("recognition:publication", slug=slug, number=publication.number)
        require_phase(cycle, "publish_agenda")
    except ServiceError as error:
        return refusal(request, error)
    live = live_agenda(cycle)
    rows = [int(r) for r in live.result.agenda]
    titles = live.titles(rows)
    last = cycle.publications.order_by("-number").first()
    context = {
        "forum": forum,
        "cycle": cycle,
        "number": (last.number + 1) if last else 1,
        "entries": [(live.issue_ids[r], titles[r]) for r in rows],
        "agenda": ",".join(str(live.issue_ids[r]) for r in rows),
        "settings": live.settings,
    }
    return render(request, "recognition/publish.html", context)


def publication_diff(
    current: AgendaPublication, previous: AgendaPublication | None
) -> dict[str, list[dict[str, Any]]]:
    """What changed since the previous publication: added, removed and moved issues."""
    if previous is None:
        return {"added": [], "removed": [], "moved": []}
    before = {str(e["issue_id"]): e for e in previous.entries}
    after = {str(e["issue_id"]): e for e in current.entries}
    return {
        "added": [after[i] for i in current.agenda if i not in before],
        "removed": [before[i] for i in previous.agenda if i not in after],
        "moved": [
            {**after[i], "previous_rank": before[i]["rank"]}
            for i in current.agenda
            if i in before and before[i]["rank"] != after[i]["rank"]
        ],
    }


def publication(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """A published agenda snapshot, readable forever, with its diff to the previous one."""
    try:
        forum = get_forum(slug)
        snapshot = (
            AgendaPublication.objects.select_related("cycle")
            .filter(cycle__forum=forum, number=number)
            .order_by("-cycle__opened_at")
            .first()
        )
        if snapshot is None:
            raise NotFound(
                _("%(name)s has no published agenda #%(number)s.")
                % {"name": forum.name, "number": number}
            )
    except ServiceError as error:
        return refusal(request, error)
    previous = snapshot.cycle.publications.filter(number__lt=snapshot.number).first()
    for item in snapshot.entries:
        item["reason_text"] = reason_text(published_reason(item, snapshot.settings))
        item["group_rows"] = [
            {"group": g, "label": group_label(g), **item["groups"][g]} for g in GROUPS
        ]
    return render(
        request,
        "recognition/publication.html",
        {
            "forum": forum,
            "snapshot": snapshot,
            "previous": previous,
            "diff": publication_diff(snapshot, previous),
            "all": snapshot.cycle.publications.all(),
        },
    )
