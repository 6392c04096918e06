"""The outcome document of a cycle ("<Forum> Messages <cycle>", HTML and PDF) and the
follow-up view with its Atom feed of uptake.

The document lists, per issue of the cycle's latest published agenda (in agenda order),
its recognition figures and every published or referred message with its designation,
rationale, minority view, objections with their dispositions and the reports it draws on.
The PDF is the same content laid out for print by WeasyPrint (a table of contents, page
numbers, the six group colours).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext as _

from commonground.access.lookup import get_forum
from commonground.core.errors import NotFound, ServiceError
from commonground.core.http import refusal
from commonground.core.labels import group_label
from commonground.core.markdown import render_markdown
from commonground.forums.models import Cycle, Forum
from commonground.issues.models import Issue
from commonground.outcomes.chairing import current_designation
from commonground.outcomes.models import Designation, Message, Position, Uptake
from commonground.recognition.models import AgendaPublication
from commonground.stakeholders import GROUP_COLOURS, GROUPS

PUBLIC_STATES = (Message.State.PUBLISHED, Message.State.REFERRED)


def get_cycle_named(forum: Forum, name: str) -> Cycle:
    cycle = Cycle.objects.filter(forum=forum, name=name).first()
    if cycle is None:
        raise NotFound(
            _("%(forum)s has no cycle %(cycle)s.") % {"forum": forum.name, "cycle": name[:60]}
        )
    return cycle


@dataclass
class MessageEntry:
    message: Message
    text_html: str
    designation: Designation | None
    objections: list[Position]
    reports: list[Any]
    referrals: list[Any]
    uptake: list[Uptake]


@dataclass
class IssueSection:
    issue: Issue
    rank: int | None
    figures: list[dict[str, Any]]
    breadth: int | None
    balanced_support: float | None
    entries: list[MessageEntry] = field(default_factory=list)

    @property
    def has_uptake(self) -> bool:
        return any(e.uptake for e in self.entries)


def _entry(message: Message) -> MessageEntry:
    objections = list(
        message.positions.filter(position=Position.Kind.OBJECT)
        .select_related("membership__user", "disposition")
        .order_by("stakeholder_group", "id")
    )
    return MessageEntry(
        message=message,
        text_html=render_markdown(message.text),
        designation=current_designation(message),
        objections=objections,
        reports=list(message.reports.select_related("session")),
        referrals=list(message.referrals.all()),
        uptake=list(message.uptake.select_related("membership__user")),
    )


def sections_of(cycle: Cycle) -> list[IssueSection]:
    """One section per agenda issue (agenda order), then any other issue with a message."""
    publication = AgendaPublication.objects.filter(cycle=cycle).order_by("-number").first()
    entries_by_issue: dict[int, dict[str, Any]] = {}
    order: list[int] = []
    if publication is not None:
        for entry in publication.entries:
            issue_id = int(entry["issue_id"])
            entries_by_issue[issue_id] = entry
            order.append(issue_id)
    published = Message.objects.filter(cycle=cycle, state__in=PUBLIC_STATES).order_by(
        "issue_id", "published_at", "id"
    )
    by_issue: dict[int, list[Message]] = {}
    for message in published:
        by_issue.setdefault(message.issue_id, []).append(message)
    order += [i for i in by_issue if i not in entries_by_issue]
    issues = Issue.objects.in_bulk(order)
    sections = []
    for issue_id in order:
        if issue_id not in issues:
            continue
        entry = entries_by_issue.get(issue_id, {})
        groups = entry.get("groups", {})
        figures = [
            {
                "group": g,
                "label": group_label(g),
                "supports": groups.get(g, {}).get("supports"),
            }
            for g in GROUPS
        ]
        sections.append(
            IssueSection(
                issue=issues[issue_id],
                rank=entry.get("rank"),
                figures=figures,
                breadth=entry.get("breadth"),
                balanced_support=entry.get("balanced_support"),
                entries=[_entry(m) for m in by_issue.get(issue_id, [])],
            )
        )
    return sections


def _context(forum: Forum, cycle: Cycle) -> dict[str, Any]:
    sections = sections_of(cycle)
    return {
        "forum": forum,
        "cycle": cycle,
        "title": _("%(forum)s Messages %(cycle)s") % {"forum": forum.name, "cycle": cycle.name},
        "sections": sections,
        "message_count": sum(len(s.entries) for s in sections),
        "taken_up": sum(1 for s in sections if s.has_uptake),
        "groups": [(g, group_label(g), GROUP_COLOURS[g]) for g in GROUPS],
    }


def document(request: HttpRequest, slug: str, cycle: str) -> HttpResponse:
    """The outcome document as a web page."""
    try:
        forum = get_forum(slug)
        context = _context(forum, get_cycle_named(forum, cycle))
    except ServiceError as error:
        return refusal(request, error)
    return render(request, "outcomes/document.html", context)


def render_pdf(forum: Forum, cycle: Cycle, base_url: str) -> bytes:
    """The outcome document as PDF bytes (WeasyPrint, imported here: it loads Pango)."""
    from weasyprint import HTML

    html = render_to_string("outcomes/document_print.html", _context(forum, cycle))
    return HTML(string=html, base_url=base_url).write_pdf()


def document_pdf(request: HttpRequest, slug: str, cycle: str) -> HttpResponse:
    """The outcome document as a PDF with a title page, contents and page numbers."""
    try:
        forum = get_forum(slug)
        found = get_cycle_named(forum, cycle)
    except ServiceError as error:
        return refusal(request, error)
    pdf = render_pdf(forum, found, request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{forum.slug}-messages-{found.pk}.pdf"'
    return response


def follow_up(request: HttpRequest, slug: str, cycle: str) -> HttpResponse:
    """Every agenda issue of the cycle with its messages, referrals and uptake records."""
    try:
        forum = get_forum(slug)
        context = _context(forum, get_cycle_named(forum, cycle))
    except ServiceError as error:
        return refusal(request, error)
    return render(request, "outcomes/follow_up.html", context)


class UptakeFeed(Feed):
    """Uptake records of a forum's cycle, newest first (Atom)."""

    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, slug: str, cycle: str) -> Cycle:
        forum = Forum.objects.filter(slug=slug).first()
        found = Cycle.objects.filter(forum=forum, name=cycle).first() if forum else None
        if found is None:
            raise Http404(_("No such cycle."))
        return found

    def title(self, obj: Cycle) -> str:
        return _("Uptake · %(forum)s %(cycle)s") % {"forum": obj.forum.name, "cycle": obj.name}

    def link(self, obj: Cycle) -> str:
        return reverse("outcomes:follow_up", args=[obj.forum.slug, obj.name])

    def subtitle(self, obj: Cycle) -> str:
        return _("What decision makers did with the forum's referred messages.")

    def items(self, obj: Cycle) -> list[Uptake]:
        rows = Uptake.objects.filter(message__cycle=obj).select_related("message")
        return list(rows.order_by("-recorded_at", "-id")[:100])

    def item_title(self, item: Uptake) -> str:
        return f"{item.body}: {item.get_action_display()} · {item.message.title}"

    def item_description(self, item: Uptake) -> str:
        # Plain text escaped here: feed readers render it outside the site's CSP.
        return escape(item.summary)

    def item_link(self, item: Uptake) -> str:
        return f"{item.message.get_absolute_url()}#uptake-{item.pk}"

    def item_pubdate(self, item: Uptake) -> datetime:
        return item.recorded_at

    def item_updateddate(self, item: Uptake) -> datetime:
        return item.recorded_at
