"""Moderation: the forum's contribution settings, reports, hiding and restoring, suspension."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commonground.access.members import AnyUser, require_member, require_steward
from commonground.contributions import events
from commonground.contributions import moderation as queue
from commonground.contributions.models import (
    Comment,
    ContributionSettings,
    ModerationAction,
    Report,
    ReportReason,
    Resolution,
)
from commonground.contributions.services.common import (
    MAX_NOTE,
    MAX_REASON,
    MODELS,
    _text,
    issue_id_of,
    settings_of,
    visible_to,
)
from commonground.core.errors import Conflict, InvalidInput, NotAllowed, NotFound
from commonground.forums import forum_settings
from commonground.forums.models import Forum
from commonground.issues.models import Issue
from commonground.ledger.services import append
from commonground.notifications import limits
from commonground.participants.models import Membership


def update_settings(
    user: AnyUser, forum: Forum, *, verified_required: bool, report_threshold: int
) -> ContributionSettings:
    """A steward changes whether signals and advice need a verified group, and the threshold
    (through the forum's one settings service, ``forums.forum_settings``)."""
    forum_settings.update_settings(
        user,
        forum,
        {
            "verified_required_for_signals_and_advice": bool(verified_required),
            "report_threshold": report_threshold,
        },
    )
    return settings_of(forum)


def _set_hidden(
    kind: str, item: Any, hidden: bool, reason: str, steward: Membership | None
) -> ModerationAction:
    now = timezone.now()
    type(item).objects.filter(pk=item.pk).update(
        hidden=hidden, hidden_at=now if hidden else None, hidden_reason=reason if hidden else ""
    )
    item.hidden, item.hidden_at, item.hidden_reason = hidden, now if hidden else None, reason
    action = ModerationAction.objects.create(
        forum_id=item.forum_id,
        kind=kind,
        object_id=item.pk,
        issue_id=issue_id_of(kind, item),
        action=ModerationAction.Action.HIDE if hidden else ModerationAction.Action.RESTORE,
        automatic=steward is None,
        reason=reason,
        steward=steward,
        created_at=now,
    )
    append((events.hidden if hidden else events.restored)(kind, item, steward, reason, now))
    return action


def report(
    user: AnyUser, kind: str, item: Any, *, reason: str, note: str = ""
) -> tuple[Report, bool]:
    """A member reports a contribution; returns the report and whether it hid the item.

    One report per member per item. When the distinct reporters reach the forum's
    threshold the item is hidden automatically (once: after a steward restores
    it, further reports do not hide it again; the steward can). The ledger
    records the report without the reporter, who is never shown publicly.
    """
    if reason not in ReportReason.values:
        raise InvalidInput(
            _("Unknown reason '%(reason)s'; choose one of %(choices)s.")
            % {"reason": reason[:20], "choices": ", ".join(ReportReason)}
        )
    note = _text(note, "note", MAX_NOTE, required=False)
    with transaction.atomic():
        model = MODELS[kind]
        membership = require_member(user, item.forum, lock=True)
        item = model.objects.select_for_update().select_related("forum").get(pk=item.pk)
        if not visible_to(item, membership):
            raise NotFound(_("There is no such contribution."))
        if item.author_id == membership.pk:
            raise NotAllowed(_("You cannot report your own contribution."))
        if isinstance(item, Comment) and item.is_deleted:
            raise Conflict(_("This comment was deleted."))
        limits.consume(membership, "reports_per_hour")
        try:
            with transaction.atomic():
                created = Report.objects.create(
                    forum_id=item.forum_id,
                    kind=kind,
                    object_id=item.pk,
                    reporter=membership,
                    reason=reason,
                    note=note,
                )
        except IntegrityError:
            raise Conflict(_("You have reported this already.")) from None
        append(events.report_added(kind, item, reason, created.created_at))
        issue = Issue.objects.get(pk=issue_id_of(kind, item))
        queue.tell_stewards(kind, item, issue, reason, hidden=False)
        hid = False
        count = Report.objects.filter(kind=kind, object_id=item.pk).count()
        threshold = settings_of(item.forum).report_threshold
        if not item.hidden and count == threshold:
            reasons = Report.objects.filter(kind=kind, object_id=item.pk).values_list(
                "reason", flat=True
            )
            labels = sorted({ReportReason(r).label.lower() for r in reasons})
            _set_hidden(
                kind,
                item,
                True,
                f"Reported by {count} members ({', '.join(labels)}).",
                None,
            )
            queue.tell_stewards(kind, item, issue, reason, hidden=True)
            hid = True
    return created, hid


def moderate(user: AnyUser, kind: str, item: Any, *, hide: bool, reason: str) -> ModerationAction:
    """A steward hides or restores a contribution, giving the public reason; its open
    reports close (the moderation queue, ``contributions.moderation``)."""
    with transaction.atomic():
        steward = require_steward(user, item.forum)  # first: others learn nothing more
        reason = _text(reason, "reason", MAX_REASON)
        item = MODELS[kind].objects.select_for_update().select_related("forum").get(pk=item.pk)
        if item.hidden == hide:
            raise Conflict("It is hidden already." if hide else "It is not hidden.")
        action = _set_hidden(kind, item, hide, reason, steward)
        resolution = Resolution.HIDDEN if hide else Resolution.RESTORED
        queue.close_open_reports(kind, item, resolution, steward, reason)
        return action


def set_suspended(
    user: AnyUser, membership: Membership, *, suspended: bool, reason: str
) -> Membership:
    """A steward suspends a member (no more contributions, supports or issues) or lifts it."""
    with transaction.atomic():
        steward = require_steward(user, membership.forum)  # first: others learn nothing more
        reason = _text(reason, "reason", MAX_REASON)
        membership = (
            Membership.objects.select_for_update()
            .select_related("forum", "user")
            .get(pk=membership.pk)
        )
        if membership.pk == steward.pk:
            raise InvalidInput(_("You cannot suspend yourself."))
        if suspended and membership.is_steward:
            raise NotAllowed(_("A steward cannot be suspended; withdraw the stewardship first."))
        target = Membership.Status.SUSPENDED if suspended else Membership.Status.ACTIVE
        if membership.status == target:
            raise Conflict(
                "The member is suspended already." if suspended else "The member is not suspended."
            )
        membership.status = target
        membership.save(update_fields=["status"])
        append((events.suspended if suspended else events.unsuspended)(membership, steward, reason))
    return membership
