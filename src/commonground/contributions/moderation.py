"""The stewards' moderation queue: contributions with open reports, and closing them.

A report stays open until a steward acts on its contribution: hides it, restores it (both
through ``services.moderate``, which closes the open reports) or dismisses the reports
with a reason (``dismiss_reports``, the contribution left as it is). Reporters are never
shown, not even to stewards; the queue shows counts, reasons and the reporters' notes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Count, Max, Min
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from commonground.access.lookup import CONTRIBUTION_MODELS
from commonground.access.members import AnyUser, require_steward
from commonground.contributions import events
from commonground.contributions.models import Kind, Report, ReportReason, Resolution
from commonground.core.errors import Conflict, InvalidInput
from commonground.forums.models import Forum
from commonground.ledger.services import append
from commonground.notifications.services import notify_stewards
from commonground.participants.models import Membership

MAX_REASON = 500
QUEUE_LIMIT = 200  # items shown at once; the count says how many wait in all


@dataclass
class QueueEntry:
    """One reported contribution: how often and why it was reported, and its state."""

    kind: str
    item: Any
    count: int
    first_reported: datetime
    last_reported: datetime
    reasons: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def issue_id(self) -> int:
        return int(self.item.solution.issue_id if self.kind == Kind.ADVICE else self.item.issue_id)

    @property
    def kind_label(self) -> str:
        return str(Kind(self.kind).label)

    @property
    def anchor(self) -> str:
        """Where the contribution sits on its issue's page."""
        if self.kind == Kind.SIGNAL:
            return "signals"
        if self.kind == Kind.ADVICE:
            return f"solution-{self.item.solution_id}"
        return f"{self.kind}-{self.item.pk}"

    @property
    def href(self) -> str:
        """The link to the contribution: a comment's own, which finds the page that shows
        it however long its discussion has grown (discussion_views.comment_link)."""
        if self.kind == Kind.COMMENT:
            return reverse("contributions:comment_link", args=[self.item.pk])
        return f"/issues/{self.issue_id}/#{self.anchor}"

    @property
    def excerpt(self) -> str:
        """The reported text, for the stewards who judge it (never shown to others here)."""
        item = self.item
        if self.kind == Kind.SIGNAL:
            return str(item.statement)
        if self.kind == Kind.SOLUTION:
            return f"{item.title}: {item.description}"
        if self.kind == Kind.ADVICE:
            return " ".join(t for t in (item.conditions, item.benefits, item.risks) if t)
        return "" if item.deleted_at else str(item.body)

    @property
    def reason_labels(self) -> list[tuple[str, int]]:
        return [(str(ReportReason(r).label), n) for r, n in self.reasons.items()]


def open_report_counts(forum: Forum) -> dict[tuple[str, int], int]:
    """Open reports per (kind, id) of the forum: what the flags on pages show stewards."""
    rows = (
        Report.objects.filter(forum=forum, resolved_at__isnull=True)
        .values_list("kind", "object_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {(kind, int(pk)): n for kind, pk, n in rows}


def open_reports(user: AnyUser, forum: Forum) -> tuple[list[QueueEntry], int]:
    """The forum's queue for a steward: reported contributions with open reports, the most
    reported first (then the latest reported), at most ``QUEUE_LIMIT``; and how many in all."""
    require_steward(user, forum)
    open_rows = Report.objects.filter(forum=forum, resolved_at__isnull=True)
    grouped = (
        open_rows.values("kind", "object_id")
        .annotate(n=Count("pk"), first=Min("created_at"), last=Max("created_at"))
        .order_by("-n", "-last", "kind", "object_id")
    )
    total = grouped.count()
    entries = {
        (row["kind"], row["object_id"]): QueueEntry(
            row["kind"], None, row["n"], row["first"], row["last"]
        )
        for row in grouped[:QUEUE_LIMIT]
    }
    by_kind: dict[str, list[int]] = {}
    for kind, pk in entries:
        by_kind.setdefault(kind, []).append(pk)
    for kind, ids in by_kind.items():
        model = CONTRIBUTION_MODELS[kind]
        related = ["author__user", "solution"] if kind == Kind.ADVICE else ["author__user"]
        for item in model.objects.filter(pk__in=ids).select_related(*related):
            entries[(kind, item.pk)].item = item
    details = open_rows.filter(object_id__in=[pk for _, pk in entries]).order_by("created_at")
    for kind, pk, reason, note in details.values_list("kind", "object_id", "reason", "note"):
        entry = entries.get((kind, pk))
        if entry is not None:
            entry.reasons[reason] = entry.reasons.get(reason, 0) + 1
            if note:
                entry.notes.append(note)
    # A report whose contribution is gone (deleted with its issue) has nothing to act on.
    return [e for e in entries.values() if e.item is not None], total


def close_open_reports(
    kind: str, item: Any, resolution: str, steward: Membership, reason: str
) -> int:
    """Close the contribution's open reports (inside the caller's transaction)."""
    return Report.objects.filter(kind=kind, object_id=item.pk, resolved_at__isnull=True).update(
        resolved_at=timezone.now(),
        resolution=resolution,
        resolved_by=steward,
        resolution_reason=reason,
    )


def dismiss_reports(user: AnyUser, kind: str, item: Any, *, reason: str) -> int:
    """A steward dismisses the open reports of a contribution, giving a reason, and leaves
    the contribution as it is (visible, or hidden if it was). Returns how many reports
    closed; the ledger records ``report.dismiss`` with the reason and that number."""
    with transaction.atomic():
        steward = require_steward(user, item.forum)  # first: others learn nothing more
        reason = (reason or "").strip()
        if not reason or len(reason) > MAX_REASON or "\x00" in reason:
            message = _("Give a reason of 1 to %(max)s characters.")
            raise InvalidInput(message % {"max": MAX_REASON})
        # Serialise with reports and moderation of the same contribution.
        item = type(item).objects.select_for_update().get(pk=item.pk)
        closed = close_open_reports(kind, item, Resolution.DISMISSED, steward, reason)
        if not closed:
            raise Conflict(_("This contribution has no open report."))
        append(events.reports_dismissed(kind, item, steward, reason, closed))
    return closed


def tell_stewards(kind: str, item: Any, issue: Any, reason: str, *, hidden: bool) -> None:
    """Tell the forum's stewards that a contribution was reported (once, when it enters the
    queue) or hidden automatically. Never the contribution's text nor the reporter."""
    opened = Report.objects.filter(kind=kind, object_id=item.pk, resolved_at__isnull=True)
    if not hidden and opened.count() != 1:
        return

    def text() -> str:  # in each steward's language
        values = {"kind": Kind(kind).label, "title": issue.title[:120]}
        if hidden:
            return _("%(kind)s on “%(title)s” was hidden automatically after reports.") % values
        values["reason"] = str(ReportReason(reason).label).lower()
        return _("%(kind)s on “%(title)s” was reported (%(reason)s).") % values

    notify_stewards(item.forum, issue, kind="report", object_id=item.pk, text=text)
