"""The ledger actions of forums and cycles, and their builders.

``actor`` is the acting person's public id, or None for the operator (the CLI, the
demo's setup).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from commonground.forums.models import Cycle, Forum
from commonground.ledger.services import Event
from commonground.ledger.vocabulary import builds, event
from commonground.participants.models import Membership


class Action(StrEnum):
    FORUM_CREATE = "forum.create"
    FORUM_SETTINGS = "forum.settings"
    CYCLE_OPEN = "cycle.open"
    CYCLE_ADVANCE = "cycle.advance"
    CYCLE_CORRECT = "cycle.correct"
    CYCLE_CLOSE = "cycle.close"
    MEMBERSHIP_JOIN = "membership.join"


def _settings_fields() -> tuple[str, ...]:
    # Read late: the settings module builds its entries with this module's builder.
    from commonground.forums.forum_settings import SETTINGS

    return tuple(f"{s.name}_sha256" if s.multiline else s.name for s in SETTINGS)


@builds(
    Action.FORUM_CREATE,
    object_type="forum",
    fields=("name", "level", "parent", "country", "region"),
)
def forum_created(forum: Forum, actor: str | None, time: datetime | None = None) -> Event:
    """A forum was created (by the operator or a superuser)."""
    return event(
        Action.FORUM_CREATE,
        "forum",
        forum.slug,
        actor=actor,
        forum=forum.slug,
        time=time,
        fields={
            "name": forum.name,
            "level": forum.level,
            "parent": forum.parent.slug if forum.parent is not None else None,
            "country": forum.country,
            "region": forum.region,
        },
    )


@builds(Action.FORUM_SETTINGS, object_type="forum", fields=_settings_fields, some_of=True)
def settings_changed(forum: Forum, actor: str | None, fields: dict[str, Any]) -> Event:
    """A steward changed some of the forum's settings (the changed ones are recorded)."""
    return event(
        Action.FORUM_SETTINGS, "forum", forum.slug, actor=actor, forum=forum.slug, fields=fields
    )


@builds(Action.CYCLE_OPEN, object_type="cycle", fields=("name", "phase"))
def cycle_opened(cycle: Cycle, actor: str | None, time: datetime | None = None) -> Event:
    """A forum opened a cycle, in its first phase."""
    return event(
        Action.CYCLE_OPEN,
        "cycle",
        cycle.pk,
        actor=actor,
        forum=cycle.forum.slug,
        time=time,
        fields={"name": cycle.name, "phase": cycle.phase},
    )


@builds(Action.CYCLE_ADVANCE, object_type="cycle", fields=("from", "to"))
def cycle_advanced(cycle: Cycle, actor: str | None, before: str) -> Event:
    """The open cycle moved on to its next phase."""
    return event(
        Action.CYCLE_ADVANCE,
        "cycle",
        cycle.pk,
        actor=actor,
        forum=cycle.forum.slug,
        fields={"from": before, "to": cycle.phase},
    )


@builds(Action.CYCLE_CORRECT, object_type="cycle", fields=("from", "to", "reason"))
def cycle_corrected(cycle: Cycle, actor: str | None, before: str, reason: str) -> Event:
    """A steward moved the open cycle back to an earlier phase, with a public reason."""
    return event(
        Action.CYCLE_CORRECT,
        "cycle",
        cycle.pk,
        actor=actor,
        forum=cycle.forum.slug,
        fields={"from": before, "to": cycle.phase, "reason": reason},
    )


@builds(Action.CYCLE_CLOSE, object_type="cycle", fields=("phase",))
def cycle_closed(cycle: Cycle, actor: str | None, phase: str) -> Event:
    """The cycle closed after its last phase."""
    return event(
        Action.CYCLE_CLOSE,
        "cycle",
        cycle.pk,
        actor=actor,
        forum=cycle.forum.slug,
        fields={"phase": phase},
    )


@builds(
    Action.MEMBERSHIP_JOIN,
    object_type="membership",
    fields=("stakeholder_group", "country", "region", "other_hats"),
)
def member_joined(membership: Membership, time: datetime | None = None) -> Event:
    """A person joined a forum wearing a declared stakeholder-group hat."""
    return event(
        Action.MEMBERSHIP_JOIN,
        "membership",
        membership.pk,
        actor=membership.user.public_id,
        forum=membership.forum.slug,
        time=time,
        fields={
            "stakeholder_group": membership.stakeholder_group,
            "country": membership.country,
            "region": membership.region,
            "other_hats": list(membership.other_hats),
        },
    )
