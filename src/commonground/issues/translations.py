"""Community translations of issues: add, edit by their author, hide and restore by a
steward, and the one a reader is shown."""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _

from commonground.access.members import AnyUser, membership_of, require_member, require_steward
from commonground.access.rules import can_see, require_author, require_not_merged
from commonground.core.errors import Conflict, InvalidInput, NotFound
from commonground.core.markdown import render_markdown
from commonground.issues import events
from commonground.issues.models import Issue, IssueTranslation
from commonground.issues.services import _clean_text
from commonground.ledger.services import append

MAX_REASON = 500


def _language_name(code: str) -> str:
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


def _translation_language(issue: Issue, language: str) -> str:
    codes = [code for code, _name in settings.LANGUAGES]
    language = (language or "").strip()
    if language not in codes:
        raise InvalidInput(
            _("Unknown language '%(language)s'; choose one of %(choices)s.")
            % {"language": language[:20], "choices": ", ".join(codes)}
        )
    if language == issue.language:
        # The request fits the schema but conflicts with the issue's own language.
        raise Conflict(
            _("The issue is written in %(language)s; a translation is into another language.")
            % {"language": _language_name(language)}
        )
    return language


def _reason(reason: str) -> str:
    reason = " ".join((reason or "").split())
    if not reason:
        raise InvalidInput(_("Give the reason, for the moderation log."))
    if len(reason) > MAX_REASON:
        raise InvalidInput(_("The reason is limited to %(max)s characters.") % {"max": MAX_REASON})
    return reason


def get_translation(translation_id: int) -> IssueTranslation:
    """The translation with this id (with its issue and forum), or NotFound."""
    translation = (
        IssueTranslation.objects.select_related("issue", "issue__forum", "author__user")
        .filter(pk=translation_id)
        .first()
    )
    if translation is None:
        raise NotFound(_("No translation %(id)s.") % {"id": translation_id})
    return translation


def add_translation(
    user: AnyUser, issue: Issue, *, language: str, title: str, description: str
) -> IssueTranslation:
    """A member adds a community translation of the issue into another of the six
    languages; one per language (a second one is a Conflict naming the first)."""
    language = _translation_language(issue, language)
    title, description = _clean_text(title, description)
    with transaction.atomic():
        membership = require_member(user, issue.forum)
        require_not_merged(issue)
        existing = IssueTranslation.objects.filter(issue=issue, language=language).first()
        if existing is not None:
            raise Conflict(_existing_message(existing))
        now = timezone.now()
        try:
            with transaction.atomic():
                translation = IssueTranslation.objects.create(
                    issue=issue,
                    language=language,
                    title=title,
                    description=description,
                    description_html=render_markdown(description),
                    author=membership,
                    created_at=now,
                    updated_at=now,
                )
        except IntegrityError:
            existing = IssueTranslation.objects.get(issue=issue, language=language)
            raise Conflict(_existing_message(existing)) from None
        append(events.translation_added(translation, membership))
    return translation


def _existing_message(existing: IssueTranslation) -> str:
    return _(
        "This issue already has a translation into %(language)s (translation %(id)s); "
        "its author can edit it."
    ) % {"language": _language_name(existing.language), "id": existing.pk}


def edit_translation(
    user: AnyUser, translation: IssueTranslation, *, title: str, description: str
) -> IssueTranslation:
    """The member who added a translation changes its title and description."""
    title, description = _clean_text(title, description)
    with transaction.atomic():
        membership = require_member(user, translation.issue.forum)
        require_author(membership, translation, _("translation"))
        translation.title = title
        translation.description = description
        translation.description_html = render_markdown(description)
        translation.updated_at = timezone.now()
        translation.save(update_fields=["title", "description", "description_html", "updated_at"])
        append(events.translation_edited(translation, membership))
    return translation


def moderate_translation(
    user: AnyUser, translation: IssueTranslation, *, hide: bool, reason: str
) -> IssueTranslation:
    """A steward of the issue's forum hides a translation (or restores a hidden one), with
    the reason; doing what is already done is a Conflict."""
    reason = _reason(reason)
    with transaction.atomic():
        steward = require_steward(user, translation.issue.forum)
        if translation.hidden == hide:
            raise Conflict(
                _("This translation is already hidden.")
                if hide
                else _("This translation is not hidden.")
            )
        translation.hidden = hide
        translation.hidden_at = timezone.now() if hide else None
        translation.hidden_reason = reason if hide else ""
        translation.save(update_fields=["hidden", "hidden_at", "hidden_reason"])
        if hide:
            append(events.translation_hidden(translation, steward))
        else:
            append(events.translation_restored(translation, steward, reason))
    return translation


def visible_translations(issue: Issue, user: AnyUser) -> list[IssueTranslation]:
    """The issue's translations this user may see: hidden ones only to their author and
    the forum's stewards."""
    membership = membership_of(user, issue.forum)
    translations = issue.translations.select_related("author__user").order_by("language", "id")
    return [t for t in translations if can_see(t, membership)]


def shown_translation(issue: Issue, language: str) -> IssueTranslation | None:
    """The translation a reader of ``language`` is shown instead of the original: visible
    to everyone (not hidden), in their language, when the issue is written in another."""
    if not language or language == issue.language:
        return None
    return (
        issue.translations.select_related("author__user")
        .filter(language=language, hidden=False)
        .first()
    )
