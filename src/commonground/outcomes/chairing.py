"""The chair's acts on a message: dispositions, the designation, publishing (docs/consensus.md).

The suggested level is ``analysis.consensus.suggest`` over the message's positions with
the forum's thresholds; the chair designates a level with a rationale, answers every
objection, and publishes once nothing is missing. Each act appends its ledger entry in its
transaction; a disposition notifies the objector.
"""

from __future__ import annotations

from datetime import datetime
from fractions import Fraction

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from commonground.access.members import AnyUser, require_steward
from commonground.access.rules import require_phase
from commonground.analysis.consensus import ConsensusSettings, Suggestion, counts_of, suggest
from commonground.core.errors import Conflict, InvalidInput, WrongPhase
from commonground.ledger.services import append
from commonground.ledger.vocabulary import text_digests
from commonground.notifications import email
from commonground.notifications.models import Notification
from commonground.outcomes import events
from commonground.outcomes.models import (
    MAX_RATIONALE,
    MAX_REASON,
    Designation,
    Disposition,
    Message,
    MessageSettings,
    Position,
)
from commonground.outcomes.services import locked_message, settings_of
from commonground.participants.models import Membership


def consensus_settings(settings: MessageSettings) -> ConsensusSettings:
    """The forum's thresholds for the pure function (exact decimals as text)."""
    return ConsensusSettings(
        consensus_max_mean=str(settings.consensus_max_mean),
        consensus_max_group=str(settings.consensus_max_group),
        strong_support_min=str(settings.strong_support_min),
        minority_group_min=str(settings.minority_group_min),
    )


def suggestion_of(message: Message) -> Suggestion:
    """The suggested designation from the message's current positions."""
    pairs = list(
        Position.objects.filter(message=message).values_list("stakeholder_group", "position")
    )
    return suggest(counts_of(pairs), consensus_settings(settings_of(message.forum_id)))


def current_designation(message: Message) -> Designation | None:
    return message.designations.order_by("-designated_at", "-id").first()


def _require_chair(message: Message, user: AnyUser) -> Membership:
    steward = require_steward(user, message.forum)
    require_phase(message.cycle, "chair_message")
    if message.is_published:
        raise WrongPhase(_("This message is published and frozen."))
    if message.state != Message.State.PUBLIC_COMMENT:
        raise WrongPhase(_("Open the message's comment window first."))
    return steward


def record_disposition(
    user: AnyUser,
    objection: Position,
    *,
    disposition: str,
    reason: str = "",
    now: datetime | None = None,
) -> Disposition:
    """A steward answers an objection: ``accepted`` (links the version that answers it),
    ``rejected`` or ``tradeoff_acknowledged`` (both with a reason). The objector is
    notified. A later answer replaces the earlier one."""
    if disposition not in Disposition.Kind.values:
        raise InvalidInput(_("A disposition is 'accepted', 'rejected' or 'tradeoff_acknowledged'."))
    reason = (reason or "").strip()
    if len(reason) > MAX_REASON:
        raise InvalidInput(_("The reason is limited to %(max)s characters.") % {"max": MAX_REASON})
    if disposition != Disposition.Kind.ACCEPTED and not reason:
        raise InvalidInput(_("A rejected objection or an acknowledged trade-off needs a reason."))
    now = now or timezone.now()
    with transaction.atomic():
        message = locked_message(objection.message)
        steward = _require_chair(message, user)
        objection = Position.objects.select_related("membership__user").get(pk=objection.pk)
        if objection.position != Position.Kind.OBJECT:
            raise Conflict(_("This position is no longer an objection."))
        version = None
        if disposition == Disposition.Kind.ACCEPTED:
            if message.version <= objection.version:
                raise Conflict(
                    _(
                        "The objection was made on version %(v)s, the current one: save a new "
                        "version of the text first; an accepted objection links the version "
                        "that answers it."
                    )
                    % {"v": objection.version}
                )
            version = message.version
        Disposition.objects.filter(objection=objection).delete()
        answer = Disposition.objects.create(
            objection=objection,
            disposition=disposition,
            reason=reason,
            version=version,
            decided_by=steward,
            decided_at=now,
        )
        append(
            events.disposition_recorded(
                objection.pk,
                actor=steward.user.public_id,
                forum=message.forum.slug,
                time=now,
                **{
                    "message": message.pk,
                    "disposition": disposition,
                    "version": version,
                    **text_digests(reason=reason),
                },
            )
        )
        label = Disposition.Kind(disposition).label
        note = Notification.objects.create(
            recipient=objection.membership,
            issue=message.issue,
            kind="message",
            object_id=message.pk,
            text=(
                _("A steward answered your objection to “%(title)s”: %(disposition)s.")
                % {"title": message.title[:200], "disposition": label}
            )[:300],
            created_at=now,
        )
        email.queue_immediate([note])
    return answer


def designate(
    user: AnyUser,
    message: Message,
    *,
    level: str,
    rationale: str,
    minority_view: str = "",
    now: datetime | None = None,
) -> Designation:
    """The chair designates the level after the window has closed, with a rationale.

    The suggestion at that moment is stored beside it; when they differ the rationale is
    what explains why (the page shows both). A minority view cannot accompany full
    consensus. A later designation replaces the earlier one until the message is published.
    """
    if level not in Designation.Level.values:
        raise InvalidInput(
            _(
                "A level is 'full_consensus', 'consensus', "
                "'strong_support_significant_opposition' or 'divergence'."
            )
        )
    rationale = (rationale or "").strip()
    minority_view = (minority_view or "").strip()
    if len(rationale) > MAX_RATIONALE or len(minority_view) > MAX_RATIONALE:
        raise InvalidInput(
            _("The rationale and the minority view are limited to %(max)s characters each.")
            % {"max": MAX_RATIONALE}
        )
    if minority_view and level == Designation.Level.FULL_CONSENSUS:
        raise InvalidInput(_("Full consensus has no minority view."))
    now = now or timezone.now()
    with transaction.atomic():
        message = locked_message(message)
        steward = _require_chair(message, user)
        if not message.window_has_closed(now):
            raise WrongPhase(_("The level is designated after the comment window closes."))
        suggestion = suggestion_of(message)
        if not rationale:
            if level != suggestion.level:
                raise InvalidInput(
                    _(
                        "The designation differs from the suggested level (%(suggested)s): "
                        "the rationale must say why."
                    )
                    % {"suggested": Designation.Level(suggestion.level).label}
                )
            raise InvalidInput(_("A designation needs a written rationale."))
        designation = Designation.objects.create(
            message=message,
            level=level,
            rationale=rationale,
            minority_view=minority_view,
            suggested_level=suggestion.level,
            suggested_minority_groups=list(suggestion.minority_groups),
            designated_by=steward,
            designated_at=now,
        )
        figures = suggestion.as_json()

        def exact(value: Fraction | None) -> str | None:
            return None if value is None else str(value)  # "1/3": exact, no float

        append(
            events.level_designated(
                message.pk,
                actor=steward.user.public_id,
                forum=message.forum.slug,
                time=now,
                **{
                    "designation": designation.pk,
                    "level": level,
                    "suggested": {
                        "level": suggestion.level,
                        "minority_groups": figures["minority_groups"],
                        "O": exact(suggestion.mean_o),
                        "A": exact(suggestion.mean_a),
                    },
                    **text_digests(rationale=rationale, minority_view=minority_view),
                },
            )
        )
    return designation


def missing_for_publish(message: Message, now: datetime | None = None) -> list[str]:
    """What stands between the message and publishing, in words (empty when nothing)."""
    now = now or timezone.now()
    missing: list[str] = []
    if message.state == Message.State.DRAFT:
        missing.append(_("the comment window has not been opened"))
    elif not message.window_has_closed(now):
        missing.append(_("the comment window is still open"))
    unanswered = Position.objects.filter(
        message=message, position=Position.Kind.OBJECT, disposition__isnull=True
    ).count()
    if unanswered:
        missing.append(
            ngettext(
                "%(n)s objection without a disposition",
                "%(n)s objections without a disposition",
                unanswered,
            )
            % {"n": unanswered}
        )
    if current_designation(message) is None:
        missing.append(_("no designation"))
    return missing


def publish_message(user: AnyUser, message: Message, *, now: datetime | None = None) -> Message:
    """A steward publishes a message; refused (409) naming everything that is missing."""
    now = now or timezone.now()
    with transaction.atomic():
        message = locked_message(message)
        steward = require_steward(user, message.forum)
        require_phase(message.cycle, "chair_message")
        if message.is_published:
            raise Conflict(_("This message is already published."))
        missing = missing_for_publish(message, now)
        if missing:
            raise Conflict(
                _("This message cannot be published yet: %(missing)s.")
                % {"missing": "; ".join(missing)}
            )
        designation = current_designation(message)
        assert designation is not None
        message.state = Message.State.PUBLISHED
        message.published_at = now
        message.save(update_fields=["state", "published_at"])
        append(
            events.message_published(
                message.pk,
                actor=steward.user.public_id,
                forum=message.forum.slug,
                time=now,
                **{
                    "version": message.version,
                    "designation": designation.pk,
                    "level": designation.level,
                    **text_digests(title=message.title, text=message.text),
                },
            )
        )
    return message
