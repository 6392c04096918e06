"""Referral of published messages and the uptake decision makers record (the follow-up trail)."""

from __future__ import annotations

import re
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commonground.access.members import AnyUser, require_member, require_steward
from commonground.access.rules import require_phase, require_uptake_role
from commonground.contributions.services import settings_of
from commonground.core.errors import Conflict, InvalidInput, WrongPhase
from commonground.ledger.services import append
from commonground.ledger.vocabulary import text_digests
from commonground.outcomes import events
from commonground.outcomes.models import MAX_REASON, Message, Referral, Uptake
from commonground.outcomes.services import locked_message

MAX_NAME = 200
MAX_CONTACT = 300
MAX_URL = 500
# A link to the act: http or https and no white space (stated as is in the API's schema).
URL_PATTERN = r"^$|^https?://[^\s\u0000]+$"


def _one_line(value: str, what: str, limit: int, *, required: bool) -> str:
    value = " ".join((value or "").split())
    if required and not value:
        raise InvalidInput(_("Give the %(what)s.") % {"what": what})
    if len(value) > limit:
        raise InvalidInput(
            _("The %(what)s is limited to %(max)s characters.") % {"what": what, "max": limit}
        )
    return value


def refer_message(
    user: AnyUser,
    message: Message,
    *,
    name: str,
    kind: str,
    contact: str = "",
    now: datetime | None = None,
) -> Referral:
    """A steward refers a published message to a named body; the message is then referred."""
    name = _one_line(name, _("body's name"), MAX_NAME, required=True)
    contact = _one_line(contact, _("contact"), MAX_CONTACT, required=False)
    if kind not in Referral.Kind.values:
        raise InvalidInput(
            _("The kind is one of: %(kinds)s.") % {"kinds": ", ".join(Referral.Kind.values)}
        )
    now = now or timezone.now()
    with transaction.atomic():
        message = locked_message(message)
        steward = require_steward(user, message.forum)
        require_phase(message.cycle, "refer_message")
        if not message.is_published:
            raise WrongPhase(_("Only a published message can be referred."))
        referral = Referral.objects.create(
            message=message, name=name, kind=kind, contact=contact, referred_by=steward,
            referred_at=now,
        )  # fmt: skip
        if message.state != Message.State.REFERRED:
            message.state = Message.State.REFERRED
            message.referred_at = now
            message.save(update_fields=["state", "referred_at"])
        append(
            events.message_referred(
                referral.pk,
                actor=steward.user.public_id,
                forum=message.forum.slug,
                time=now,
                **{"message": message.pk, "name": name, "kind": kind, "contact": contact},
            )
        )
    return referral


def record_uptake(
    user: AnyUser,
    message: Message,
    *,
    body: str,
    action: str,
    summary: str,
    date: date,
    url: str = "",
    now: datetime | None = None,
) -> Uptake:
    """A government or intergovernmental member (verified when the forum asks it) records
    what their institution did with a referred message."""
    body = _one_line(body, _("institution"), MAX_NAME, required=True)
    summary = (summary or "").strip()
    if not summary:
        raise InvalidInput(_("Say in a summary what the institution did."))
    if len(summary) > MAX_REASON:
        raise InvalidInput(_("The summary is limited to %(max)s characters.") % {"max": MAX_REASON})
    if action not in Uptake.Action.values:
        raise InvalidInput(
            _("The action is one of: %(actions)s.") % {"actions": ", ".join(Uptake.Action.values)}
        )
    url = (url or "").strip()
    if url:
        if len(url) > MAX_URL:
            raise InvalidInput(_("The link is limited to %(max)s characters.") % {"max": MAX_URL})
        if not re.match(URL_PATTERN, url):
            raise InvalidInput(_("The link must be an http or https address."))
    now = now or timezone.now()
    if date > timezone.localdate(now):
        # Judged against today's date, which no schema can state: a conflict with the
        # present (409), as a wrong phase is, not malformed input.
        raise Conflict(_("The date of what the institution did cannot be in the future."))
    with transaction.atomic():
        message = locked_message(message)
        member = require_member(user, message.forum)
        # Read only: recording uptake does not create the forum's settings row.
        settings = settings_of(message.forum)
        require_uptake_role(member, message, settings)
        uptake = Uptake.objects.create(
            message=message,
            membership=member,
            stakeholder_group=member.stakeholder_group,
            body=body,
            action=action,
            summary=summary,
            date=date,
            url=url,
            recorded_at=now,
        )
        append(
            events.uptake_recorded(
                uptake.pk,
                actor=member.user.public_id,
                forum=message.forum.slug,
                time=now,
                **{
                    "message": message.pk,
                    "stakeholder_group": uptake.stakeholder_group,
                    "body": body,
                    "action": action,
                    "date": date.isoformat(),
                    "url": url,
                    **text_digests(summary=summary),
                },
            )
        )
    return uptake
