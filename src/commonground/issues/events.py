"""The ledger actions of issues and their support, and their builders."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from commonground.issues.models import Issue
from commonground.issues.translating import translation_builders
from commonground.ledger.services import Event
from commonground.ledger.vocabulary import builds, event
from commonground.participants.models import Membership


class Action(StrEnum):
    ISSUE_RAISE = "issue.raise"
    ISSUE_EDIT = "issue.edit"
    SUPPORT_ADD = "support.add"
    SUPPORT_WITHDRAW = "support.withdraw"
    TRANSLATION_ADD = "translation.add"
    TRANSLATION_EDIT = "translation.edit"
    TRANSLATION_HIDE = "translation.hide"
    TRANSLATION_RESTORE = "translation.restore"


@builds(
    Action.ISSUE_RAISE,
    object_type="issue",
    fields=("cycle", "title", "description", "topics", "stakeholder_group"),
)
def issue_raised(issue: Issue, author: Membership, topics: list[str], time: datetime) -> Event:
    """A member raised an issue in the forum's open cycle."""
    return event(
        Action.ISSUE_RAISE,
        "issue",
        issue.pk,
        actor=author.user.public_id,
        forum=issue.forum.slug,
        time=time,
        fields={
            "cycle": issue.cycle_id,
            "title": issue.title,
            "description": issue.description,
            "topics": topics,
            "stakeholder_group": author.stakeholder_group,
        },
    )


@builds(Action.ISSUE_EDIT, object_type="issue", fields=("title", "description", "topics"))
def issue_edited(issue: Issue, author: Membership, topics: list[str]) -> Event:
    """The author changed their issue's title, description or topics."""
    return event(
        Action.ISSUE_EDIT,
        "issue",
        issue.pk,
        actor=author.user.public_id,
        forum=issue.forum.slug,
        fields={"title": issue.title, "description": issue.description, "topics": topics},
    )


@builds(Action.SUPPORT_ADD, object_type="issue", fields=("stakeholder_group",))
def support_added(
    issue_id: int, supporter: Membership, group: str, forum: str, time: datetime
) -> Event:
    """A member supported an issue (counted in their stakeholder group)."""
    return event(
        Action.SUPPORT_ADD,
        "issue",
        issue_id,
        actor=supporter.user.public_id,
        forum=forum,
        time=time,
        fields={"stakeholder_group": group},
    )


@builds(Action.SUPPORT_WITHDRAW, object_type="issue", fields=("stakeholder_group",))
def support_withdrawn(issue_id: int, supporter: Membership, group: str, forum: str) -> Event:
    """A member withdrew their support of an issue."""
    return event(
        Action.SUPPORT_WITHDRAW,
        "issue",
        issue_id,
        actor=supporter.user.public_id,
        forum=forum,
        fields={"stakeholder_group": group},
    )


# Community translations of issues: the builders shared by the three translated kinds.
_translations = translation_builders(
    Action.TRANSLATION_ADD,
    Action.TRANSLATION_EDIT,
    Action.TRANSLATION_HIDE,
    Action.TRANSLATION_RESTORE,
    object_type="translation",
    parent="issue",
    body="description",
    module=__name__,
    digest=False,  # recorded with the text itself before the digest rule (see translating)
)
translation_added = _translations.added
translation_edited = _translations.edited
translation_hidden = _translations.hidden
translation_restored = _translations.restored
TRANSLATION_BUILDERS = _translations
