"""The ledger actions of accounts and memberships, and their builders.

``actor`` is the acting person's public id, or None for the operator.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from commonground.ledger.services import Event
from commonground.ledger.vocabulary import builds, event
from commonground.participants.models import Membership, User


class Action(StrEnum):
    MEMBERSHIP_VERIFY = "membership.verify"
    MEMBERSHIP_UNVERIFY = "membership.unverify"
    MEMBERSHIP_STEWARD = "membership.steward"
    PARTICIPANT_PROFILE = "participant.profile"


def _verification(
    action: Action, membership: Membership, actor: str | None, time: datetime | None
) -> Event:
    return event(
        action,
        "membership",
        membership.pk,
        actor=actor,
        forum=membership.forum.slug,
        time=time,
        fields={
            "verified": action == Action.MEMBERSHIP_VERIFY,
            "stakeholder_group": membership.stakeholder_group,
        },
    )


@builds(
    Action.MEMBERSHIP_VERIFY,
    object_type="membership",
    fields=("verified", "stakeholder_group"),
)
def verified(membership: Membership, actor: str | None, time: datetime | None = None) -> Event:
    """A steward verified a member's declared stakeholder group."""
    return _verification(Action.MEMBERSHIP_VERIFY, membership, actor, time)


@builds(
    Action.MEMBERSHIP_UNVERIFY,
    object_type="membership",
    fields=("verified", "stakeholder_group"),
)
def unverified(membership: Membership, actor: str | None, time: datetime | None = None) -> Event:
    """A steward withdrew the verification of a member's stakeholder group."""
    return _verification(Action.MEMBERSHIP_UNVERIFY, membership, actor, time)


@builds(Action.MEMBERSHIP_STEWARD, object_type="membership", fields=("role",))
def steward_granted(
    membership: Membership, actor: str | None, time: datetime | None = None
) -> Event:
    """A member was made a steward of the forum."""
    return event(
        Action.MEMBERSHIP_STEWARD,
        "membership",
        membership.pk,
        actor=actor,
        forum=membership.forum.slug,
        time=time,
        fields={"role": "steward"},
    )


@builds(Action.PARTICIPANT_PROFILE, object_type="participant", fields=("name", "name_is_public"))
def profile_changed(user: User) -> Event:
    """A person changed their public name or whether it is shown."""
    return event(
        Action.PARTICIPANT_PROFILE,
        "participant",
        user.public_id,
        actor=user.public_id,
        fields={"name": user.recorded_name, "name_is_public": user.name_is_public},
    )
