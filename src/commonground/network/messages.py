"""Forwarding a published message up the forum tree (DESIGN 6b)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from commonground.access.members import AnyUser, require_steward
from commonground.access.rules import require_ancestor
from commonground.core.errors import Conflict
from commonground.forums.models import Forum
from commonground.network.models import Forward
from commonground.network.services import _make_forward, _notify, agenda_place
from commonground.outcomes.models import Message


def forward_message(user: AnyUser, message: Message, target: Forum) -> Forward:
    """A steward forwards a published (or referred) message to a forum above.

    The target gets an issue with the message's title and text, the topics and language
    of the issue it is about, and a forward record whose figures are that issue's on the
    latest published agenda (none if it is not on it). Refused like an issue's forward:
    403, 400 for a target not above, 409 for a message not published, one forwarded there
    already, or a target cycle that does not take issues.
    """
    issue = message.issue
    with transaction.atomic():
        steward = require_steward(user, message.forum)
        require_ancestor(message.forum, target)
        if not message.is_published:
            raise Conflict(_("Only a published message can be forwarded."))
        existing = Forward.objects.filter(
            source_instance="", source_forum=message.forum.slug,
            source_kind=Forward.Kind.MESSAGE, source_id=message.pk, target_forum=target,
        ).first()  # fmt: skip
        if existing is not None:
            raise Conflict(
                _("Message %(id)s was forwarded to %(target)s already: it is issue %(issue)s "
                  "there.") % {"id": message.pk, "target": target.name,
                               "issue": existing.target_issue_id}
            )  # fmt: skip
        forward, author = _make_forward(
            steward, target, issue, Forward.Kind.MESSAGE, message.pk, message.title,
            message.text, agenda_place(issue),
        )  # fmt: skip
    with transaction.atomic():
        _notify(forward, issue, forward.target_issue, author)
    return forward
