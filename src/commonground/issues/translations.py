"""Community translations of issues: add, edit by their author, hide and restore by a
steward, and the one a reader is shown (the shared mechanism is ``issues.translating``)."""

from __future__ import annotations

from commonground.access.members import AnyUser
from commonground.access.rules import require_not_merged
from commonground.issues import events, translating
from commonground.issues.models import Issue, IssueTranslation

ISSUE = translating.Kind(
    model=IssueTranslation,
    parent="issue",
    body="description",
    events=events.TRANSLATION_BUILDERS,
    check=require_not_merged,
)


def get_translation(translation_id: int) -> IssueTranslation:
    """The translation with this id (with its issue and forum), or NotFound."""
    translation: IssueTranslation = translating.get_translation(ISSUE, translation_id)
    return translation


def add_translation(
    user: AnyUser, issue: Issue, *, language: str, title: str, description: str
) -> IssueTranslation:
    """A member adds a community translation of the issue into another of the six
    languages; one per language (a second one is a Conflict naming the first)."""
    added: IssueTranslation = translating.add_translation(
        ISSUE, user, issue, language=language, title=title, body=description
    )
    return added


def edit_translation(
    user: AnyUser, translation: IssueTranslation, *, title: str, description: str
) -> IssueTranslation:
    """The member who added a translation changes its title and description."""
    edited: IssueTranslation = translating.edit_translation(
        ISSUE, user, translation, title=title, body=description
    )
    return edited


def moderate_translation(
    user: AnyUser, translation: IssueTranslation, *, hide: bool, reason: str
) -> IssueTranslation:
    """A steward of the issue's forum hides a translation (or restores a hidden one), with
    the reason; doing what is already done is a Conflict."""
    moderated: IssueTranslation = translating.moderate_translation(
        ISSUE, user, translation, hide=hide, reason=reason
    )
    return moderated


def visible_translations(issue: Issue, user: AnyUser) -> list[IssueTranslation]:
    """The issue's translations this user may see: hidden ones only to their author and
    the forum's stewards."""
    return translating.visible_translations(ISSUE, issue, user)


def shown_translation(issue: Issue, language: str) -> IssueTranslation | None:
    """The translation a reader of ``language`` is shown instead of the original."""
    shown: IssueTranslation | None = translating.shown_translation(issue, language)
    return shown
