"""The ledger actions of messages (docs/consensus.md), and their builders.

Every builder takes the object's id, the acting participant's id, the forum's slug, the
time of the act (the demo dates its acts) and the entry's fields as keywords; the
registry checks them against the declaration. Free text goes in by digest
(``*_sha256``, docs/ledger.md).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from commonground.issues.translating import translation_builders
from commonground.ledger.services import Event
from commonground.ledger.vocabulary import builds, event


class Action(StrEnum):
    MESSAGE_DRAFT = "message.draft"
    MESSAGE_REVISE = "message.revise"
    MESSAGE_WINDOW = "message.window"
    MESSAGE_POSITION = "message.position"
    MESSAGE_REPLY = "message.reply"
    MESSAGE_DISPOSITION = "message.disposition"
    MESSAGE_DESIGNATE = "message.designate"
    MESSAGE_PUBLISH = "message.publish"
    MESSAGE_REFER = "message.refer"
    MESSAGE_UPTAKE = "message.uptake"
    MESSAGE_TRANSLATION_ADD = "message_translation.add"
    MESSAGE_TRANSLATION_EDIT = "message_translation.edit"
    MESSAGE_TRANSLATION_HIDE = "message_translation.hide"
    MESSAGE_TRANSLATION_RESTORE = "message_translation.restore"


def _make(
    action: Action,
    object_type: str,
    object_id: int,
    actor: str | None,
    forum: str,
    time: datetime | None,
    fields: dict[str, Any],
) -> Event:
    return event(action, object_type, object_id, actor=actor, forum=forum, fields=fields, time=time)


@builds(
    Action.MESSAGE_DRAFT,
    object_type="message",
    fields=("issue", "cycle", "version", "conversations", "reports", "title_sha256", "text_sha256"),
)
def message_drafted(
    message_id: int, *, actor: str | None, forum: str, time: datetime | None = None, **fields: Any
) -> Event:
    """A steward drafted a message on an agenda issue (version 1)."""
    return _make(Action.MESSAGE_DRAFT, "message", message_id, actor, forum, time, fields)


@builds(
    Action.MESSAGE_REVISE,
    object_type="message",
    fields=("version", "title_sha256", "text_sha256", "note_sha256"),
)
def message_revised(
    message_id: int, *, actor: str | None, forum: str, time: datetime | None = None, **fields: Any
) -> Event:
    """A steward saved a new version of a message's title and text."""
    return _make(Action.MESSAGE_REVISE, "message", message_id, actor, forum, time, fields)


@builds(Action.MESSAGE_WINDOW, object_type="message", fields=("opens_at", "closes_at"))
def comment_window_set(
    message_id: int, *, actor: str | None, forum: str, time: datetime | None = None, **fields: Any
) -> Event:
    """A steward opened (or moved) a message's public comment window."""
    return _make(Action.MESSAGE_WINDOW, "message", message_id, actor, forum, time, fields)


@builds(
    Action.MESSAGE_POSITION,
    object_type="message_position",
    fields=("message", "stakeholder_group", "position", "version", "text_sha256"),
)
def position_recorded(
    position_id: int, *, actor: str | None, forum: str, time: datetime | None = None, **fields: Any
) -> Event:
    """A member recorded or changed their position on a message."""
    return _make(
        Action.MESSAGE_POSITION, "message_position", position_id, actor, forum, time, fields
    )


@builds(
    Action.MESSAGE_REPLY,
    object_type="message_reply",
    fields=("message", "objection", "text_sha256"),
)
def objection_replied(
    reply_id: int, *, actor: str | None, forum: str, time: datetime | None = None, **fields: Any
) -> Event:
    """A member replied to an objection."""
    return _make(Action.MESSAGE_REPLY, "message_reply", reply_id, actor, forum, time, fields)


@builds(
    Action.MESSAGE_DISPOSITION,
    object_type="message_position",
    fields=("message", "disposition", "version", "reason_sha256"),
)
def disposition_recorded(
    objection_id: int, *, actor: str | None, forum: str, time: datetime | None = None, **fields: Any
) -> Event:
    """A steward answered an objection (accepted, rejected or trade-off acknowledged)."""
    return _make(
        Action.MESSAGE_DISPOSITION, "message_position", objection_id, actor, forum, time, fields
    )


@builds(
    Action.MESSAGE_DESIGNATE,
    object_type="message",
    fields=("designation", "level", "suggested", "rationale_sha256", "minority_view_sha256"),
)
def level_designated(
    message_id: int, *, actor: str | None, forum: str, time: datetime | None = None, **fields: Any
) -> Event:
    """The chair designated a message's consensus level, beside the suggested one.

    ``designation`` is the designation's id (entries before it was added have none: the
    fold matches those by message and time)."""
    return _make(Action.MESSAGE_DESIGNATE, "message", message_id, actor, forum, time, fields)


@builds(
    Action.MESSAGE_PUBLISH,
    object_type="message",
    fields=("version", "designation", "level", "title_sha256", "text_sha256"),
)
def message_published(
    message_id: int, *, actor: str | None, forum: str, time: datetime | None = None, **fields: Any
) -> Event:
    """A steward published a message (frozen from then on)."""
    return _make(Action.MESSAGE_PUBLISH, "message", message_id, actor, forum, time, fields)


@builds(
    Action.MESSAGE_REFER,
    object_type="message_referral",
    fields=("message", "name", "kind", "contact"),
)
def message_referred(
    referral_id: int, *, actor: str | None, forum: str, time: datetime | None = None, **fields: Any
) -> Event:
    """A steward referred a published message to a named body."""
    return _make(Action.MESSAGE_REFER, "message_referral", referral_id, actor, forum, time, fields)


@builds(
    Action.MESSAGE_UPTAKE,
    object_type="message_uptake",
    fields=("message", "stakeholder_group", "body", "action", "date", "url", "summary_sha256"),
)
def uptake_recorded(
    uptake_id: int, *, actor: str | None, forum: str, time: datetime | None = None, **fields: Any
) -> Event:
    """A decision maker recorded what their institution did with a referred message."""
    return _make(Action.MESSAGE_UPTAKE, "message_uptake", uptake_id, actor, forum, time, fields)


# Community translations of messages (the mechanism is shared with issues and solutions).
MESSAGE_TRANSLATION_BUILDERS = translation_builders(
    Action.MESSAGE_TRANSLATION_ADD,
    Action.MESSAGE_TRANSLATION_EDIT,
    Action.MESSAGE_TRANSLATION_HIDE,
    Action.MESSAGE_TRANSLATION_RESTORE,
    object_type="message_translation",
    parent="message",
    body="text",
    module=__name__,
)
