"""Drafting messages and their public comment: drafts, versions, the window, positions, replies.

Every function validates its input, authorizes through the access layer, changes state
inside one transaction and appends its ledger entry in that transaction. Free text goes
into the ledger by digest (docs/ledger.md), like contributions. ``now`` is the moment of
the act (the demo seeds a finished cycle with it; by default it is the current time).
The chair's acts are in ``outcomes.chairing``, referral and uptake in ``outcomes.followup``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from commonground.access.members import AnyUser, require_member, require_steward
from commonground.access.rules import (
    require_not_published,
    require_phase,
    require_window_open,
)
from commonground.core.errors import Conflict, InvalidInput, WrongPhase
from commonground.dialogue.models import Conversation
from commonground.forums.models import Cycle
from commonground.issues.models import Issue
from commonground.issues.services import issue_language
from commonground.ledger.services import append
from commonground.ledger.vocabulary import text_digests
from commonground.meetings.models import Report
from commonground.outcomes import events
from commonground.outcomes.models import (
    MAX_POSITION_TEXT,
    MAX_TEXT,
    MAX_TITLE,
    Message,
    MessageSettings,
    MessageVersion,
    Position,
    Reply,
)
from commonground.recognition.models import AgendaPublication


def settings_of(forum_id: int) -> MessageSettings:
    """The forum's message settings (created with the defaults on first use)."""
    settings, _created = MessageSettings.objects.get_or_create(forum_id=forum_id)
    return settings


def _clean_title(title: str) -> str:
    title = " ".join((title or "").split())
    if not title:
        raise InvalidInput(_("A message needs a title."))
    if len(title) > MAX_TITLE:
        raise InvalidInput(
            _("The title is %(n)s characters; the limit is %(max)s.")
            % {"n": len(title), "max": MAX_TITLE}
        )
    return title


def _clean_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise InvalidInput(_("A message needs a text."))
    if len(text) > MAX_TEXT:
        raise InvalidInput(
            _("The text is %(n)s characters; the limit is %(max)s.")
            % {"n": len(text), "max": MAX_TEXT}
        )
    return text


def agenda_issue_ids(cycle_id: int) -> set[int]:
    """The issues on the cycle's latest published agenda."""
    latest = AgendaPublication.objects.filter(cycle_id=cycle_id).order_by("-number").first()
    return {int(i) for i in latest.agenda} if latest else set()


def _conversations(issue: Issue, ids: Iterable[int]) -> list[Conversation]:
    wanted = sorted(set(ids))
    found = list(Conversation.objects.filter(pk__in=wanted, forum=issue.forum))
    missing = sorted(set(wanted) - {c.pk for c in found})
    if missing:
        raise InvalidInput(
            _("No conversation %(ids)s in this forum.")
            % {"ids": ", ".join(str(i) for i in missing)}
        )
    return found


def _reports(issue: Issue, ids: Iterable[int]) -> list[Report]:
    wanted = sorted(set(ids))
    found = list(Report.objects.filter(pk__in=wanted, session__forum=issue.forum))
    missing = sorted(set(wanted) - {r.pk for r in found})
    if missing:
        raise InvalidInput(
            _("No session report %(ids)s in this forum.")
            % {"ids": ", ".join(str(i) for i in missing)}
        )
    return found


def draft_message(
    user: AnyUser,
    issue: Issue,
    *,
    title: str,
    text: str,
    report_ids: Iterable[int] = (),
    conversation_ids: Iterable[int] = (),
    now: datetime | None = None,
    language: str | None = None,
) -> Message:
    """A steward drafts a message on an issue of the published agenda (version 1), written
    in ``language`` (one of the six; by default the steward's interface language).

    Several drafts per issue are allowed. The session reports and conversations it draws
    on (of the same forum) are linked both ways: their pages list the message.
    """
    title, text = _clean_title(title), _clean_text(text)
    language = issue_language(language)
    now = now or timezone.now()
    with transaction.atomic():
        steward = require_steward(user, issue.forum)
        cycle = Cycle.objects.get(pk=issue.cycle_id)  # as it is now, not as the issue was read
        require_phase(cycle, "draft_message")
        if issue.pk not in agenda_issue_ids(cycle.pk):
            raise Conflict(
                _("Issue %(id)s is not on the latest published agenda of %(cycle)s.")
                % {"id": issue.pk, "cycle": cycle.name}
            )
        conversations = _conversations(issue, conversation_ids)
        reports = _reports(issue, report_ids)
        message = Message.objects.create(
            forum=issue.forum,
            cycle=cycle,
            issue=issue,
            title=title,
            text=text,
            language=language,
            created_by=steward,
            created_at=now,
        )
        message.conversations.set(conversations)
        message.reports.set(reports)
        MessageVersion.objects.create(
            message=message, number=1, title=title, text=text, created_by=steward, created_at=now
        )
        append(
            events.message_drafted(
                message.pk,
                actor=steward.user.public_id,
                forum=issue.forum.slug,
                time=now,
                **{
                    "issue": issue.pk,
                    "cycle": cycle.pk,
                    "version": 1,
                    "conversations": sorted(c.pk for c in conversations),
                    "reports": sorted(r.pk for r in reports),
                    **text_digests(title=title, text=text),
                },
            )
        )
    return message


def locked_message(message: Message) -> Message:
    """The message re-read under a row lock, so concurrent acts on it apply one by one."""
    return (
        Message.objects.select_for_update()
        .select_related("forum", "cycle", "issue")
        .get(pk=message.pk)
    )


def revise_message(
    user: AnyUser,
    message: Message,
    *,
    title: str,
    text: str,
    note: str = "",
    now: datetime | None = None,
    language: str | None = None,
) -> MessageVersion:
    """A steward saves a new version of a draft or commented message (kept for the diff);
    ``language`` None keeps the one it is written in."""
    title, text = _clean_title(title), _clean_text(text)
    new_language = None if language is None else issue_language(language)
    note = " ".join((note or "").split())[:300]
    now = now or timezone.now()
    with transaction.atomic():
        message = locked_message(message)
        steward = require_steward(user, message.forum)
        require_phase(message.cycle, "draft_message")
        require_not_published(message)
        language = new_language or message.language
        if title == message.title and text == message.text and language == message.language:
            raise InvalidInput(_("Nothing changed: the title and text are those of the message."))
        message.version += 1
        message.title, message.text, message.language = title, text, language
        message.save(update_fields=["version", "title", "text", "language"])
        version = MessageVersion.objects.create(
            message=message,
            number=message.version,
            title=title,
            text=text,
            note=note,
            created_by=steward,
            created_at=now,
        )
        append(
            events.message_revised(
                message.pk,
                actor=steward.user.public_id,
                forum=message.forum.slug,
                time=now,
                **{
                    "version": message.version,
                    **text_digests(title=title, text=text, note=note),
                },
            )
        )
    return version


def open_comment_window(
    user: AnyUser,
    message: Message,
    *,
    opens_at: datetime,
    closes_at: datetime,
    now: datetime | None = None,
) -> Message:
    """A steward opens (or moves) the public comment window of an unpublished message.

    The window lasts at least the forum's ``message_comment_min_days`` days, closes in the
    future, and cannot be moved once it has closed (the positions are final then).
    """
    now = now or timezone.now()
    if timezone.is_naive(opens_at) or timezone.is_naive(closes_at):
        raise InvalidInput(_("Give the window's times with a time zone."))
    with transaction.atomic():
        message = locked_message(message)
        steward = require_steward(user, message.forum)
        require_phase(message.cycle, "comment_on_message")
        require_not_published(message)
        if message.window_has_closed(now):
            raise WrongPhase(_("The comment window has closed; it cannot be moved."))
        min_days = settings_of(message.forum_id).message_comment_min_days
        # Both rules depend on the clock and on the forum's settings, not on the request's
        # shape: a conflict with the present state (409), like the closed window above.
        if closes_at <= now:
            raise Conflict(_("The window must close in the future."))
        if closes_at - opens_at < timedelta(days=min_days):
            raise Conflict(
                ngettext(
                    "The comment window must last at least %(days)s day in this forum.",
                    "The comment window must last at least %(days)s days in this forum.",
                    min_days,
                )
                % {"days": min_days}
            )
        message.opens_at, message.closes_at = opens_at, closes_at
        message.state = Message.State.PUBLIC_COMMENT
        message.save(update_fields=["opens_at", "closes_at", "state"])
        append(
            events.comment_window_set(
                message.pk,
                actor=steward.user.public_id,
                forum=message.forum.slug,
                time=now,
                **{"opens_at": opens_at.isoformat(), "closes_at": closes_at.isoformat()},
            )
        )
    return message


def record_position(
    user: AnyUser,
    message: Message,
    *,
    position: str,
    text: str = "",
    now: datetime | None = None,
) -> Position:
    """A member records (or changes) their one position while the window is open.

    An objection must say what the member cannot live with. A changed objection is a new
    objection: its earlier disposition, if any, no longer answers it and is removed.
    """
    if position not in Position.Kind.values:
        raise InvalidInput(_("A position is 'support', 'can_live_with' or 'object'."))
    text = (text or "").strip()
    if len(text) > MAX_POSITION_TEXT:
        raise InvalidInput(
            _("The text is limited to %(max)s characters.") % {"max": MAX_POSITION_TEXT}
        )
    if position == Position.Kind.OBJECT and not text:
        raise InvalidInput(_("An objection must say what you cannot live with."))
    now = now or timezone.now()
    with transaction.atomic():
        message = locked_message(message)
        member = require_member(user, message.forum, lock=True)
        require_phase(message.cycle, "comment_on_message")
        require_window_open(message, now)
        current = Position.objects.filter(message=message, membership=member).first()
        if current is None:
            try:
                with transaction.atomic():
                    current = Position.objects.create(
                        message=message,
                        membership=member,
                        stakeholder_group=member.stakeholder_group,
                        position=position,
                        text=text,
                        version=message.version,
                        created_at=now,
                        updated_at=now,
                    )
            except IntegrityError:
                raise Conflict(_("Your position was recorded by another request.")) from None
        else:
            if current.position == position and current.text == text:
                return current
            if hasattr(current, "disposition"):
                current.disposition.delete()
            current.position, current.text = position, text
            current.stakeholder_group = member.stakeholder_group
            current.version, current.updated_at = message.version, now
            current.save()
        append(
            events.position_recorded(
                current.pk,
                actor=member.user.public_id,
                forum=message.forum.slug,
                time=now,
                **{
                    "message": message.pk,
                    "stakeholder_group": current.stakeholder_group,
                    "position": position,
                    "version": message.version,
                    **text_digests(text=text),
                },
            )
        )
    return current


def reply_to_objection(
    user: AnyUser, objection: Position, *, text: str, now: datetime | None = None
) -> Reply:
    """A member replies to an objection while the comment window is open."""
    text = (text or "").strip()
    if not text:
        raise InvalidInput(_("A reply needs a text."))
    if len(text) > MAX_POSITION_TEXT:
        raise InvalidInput(
            _("The text is limited to %(max)s characters.") % {"max": MAX_POSITION_TEXT}
        )
    now = now or timezone.now()
    with transaction.atomic():
        message = locked_message(objection.message)
        member = require_member(user, message.forum)
        require_window_open(message, now)
        reply = Reply.objects.create(objection=objection, author=member, text=text, created_at=now)
        append(
            events.objection_replied(
                reply.pk,
                actor=member.user.public_id,
                forum=message.forum.slug,
                time=now,
                **{
                    "message": message.pk,
                    "objection": objection.pk,
                    **text_digests(text=text),
                },
            )
        )
    return reply
