"""The ledger action of the agenda, and its builder."""

from __future__ import annotations

from enum import StrEnum

from commonground.ledger.services import Event
from commonground.ledger.vocabulary import builds, event
from commonground.participants.models import Membership
from commonground.recognition.models import AgendaPublication


class Action(StrEnum):
    AGENDA_PUBLISH = "agenda.publish"


@builds(
    Action.AGENDA_PUBLISH,
    object_type="agenda_publication",
    fields=("cycle", "number", "agenda"),
)
def agenda_published(publication: AgendaPublication, steward: Membership) -> Event:
    """A steward froze the live agenda as the cycle's next numbered publication."""
    return event(
        Action.AGENDA_PUBLISH,
        "agenda_publication",
        publication.pk,
        actor=steward.user.public_id,
        forum=steward.forum.slug,
        fields={
            "cycle": publication.cycle_id,
            "number": publication.number,
            "agenda": publication.agenda,
        },
    )
