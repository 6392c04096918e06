"""Community translations, one mechanism for the three kinds that carry them: issues,
solutions and messages.

A member adds a translation of the object's title and body (an issue's or a solution's
description, a message's text) into another of the six languages, one per object and
language; the member who added it edits it; a steward of the object's forum hides it or
restores it, with the reason. Readers of that language are shown it instead of the
original, marked as a community translation with a link to the original.

Each kind is a :class:`Kind`: its model (a ``CommunityTranslation``), the name of the
translated object's field and of the body field, the ledger builders of its four
actions (made by :func:`translation_builders`) and what refuses a translation of the
object (a merged issue). The apps keep their own thin service modules
(``issues.translations``, ``contributions.services.translations``,
``outcomes.translations``) that name their kind.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _

from commonground.access.members import AnyUser, membership_of, require_member, require_steward
from commonground.access.rules import can_see, require_author
from commonground.core.errors import Conflict, InvalidInput, NotFound
from commonground.core.markdown import render_markdown
from commonground.issues.models import CommunityTranslation, source_digest
from commonground.ledger.services import Event, append
from commonground.ledger.vocabulary import builds, event, text_digests
from commonground.participants.models import Membership

MAX_REASON = 500
MAX_TITLE = 200

Builder = Callable[..., Event]


@dataclass(frozen=True)
class Builders:
    """The ledger builders of one kind's four actions."""

    added: Builder
    edited: Builder
    hidden: Builder
    restored: Builder


@dataclass(frozen=True)
class Kind:
    """One kind of translated object and how its translations are stored and recorded."""

    model: type[Any]  # a CommunityTranslation subclass (typed loosely: fields vary by kind)
    parent: str  # the translation's field naming the translated object
    body: str  # the translated body: "description" or "text" (rendered into body + "_html")
    events: Builders
    check: Callable[[Any], None] = lambda parent: None  # refuses an object taking none

    @property
    def body_max(self) -> int:
        return int(getattr(self.model._meta.get_field(self.body), "max_length", 0) or 0)


def translation_builders(
    add: StrEnum,
    edit: StrEnum,
    hide: StrEnum,
    restore: StrEnum,
    *,
    object_type: str,
    parent: str,
    body: str,
    module: str,
    digest: bool = True,
) -> Builders:
    """Register the ledger builders of a kind's four actions (declared in the app's
    ``events`` module ``module``): ``add`` carries the object, language, title and body;
    ``edit`` the title and body; ``hide`` and ``restore`` the reason.

    A translation can be hidden, so its title and body go in by digest (``title_sha256``,
    docs/ledger.md "Free text by digest"); issue translations, recorded before this rule
    with the text itself, keep doing so (``digest=False``): the ledger's fields are a
    contract."""

    def texts(translation: Any) -> dict[str, str]:
        plain = {"title": translation.title, body: getattr(translation, body)}
        return text_digests(**plain) if digest else plain

    def by(
        action: StrEnum,
        translation: Any,
        member: Membership,
        fields: dict[str, Any],
        time: datetime | None = None,
    ) -> Event:
        # Each of the four is a member's act on the translation, in the member's forum.
        return event(
            action,
            object_type,
            translation.pk,
            actor=member.user.public_id,
            forum=member.forum.slug,
            fields=fields,
            time=time,
        )

    def added(translation: Any, author: Membership) -> Event:
        fields = {parent: getattr(translation, f"{parent}_id"), "language": translation.language}
        return by(
            add, translation, author, {**fields, **texts(translation)}, translation.created_at
        )

    def edited(translation: Any, author: Membership) -> Event:
        return by(edit, translation, author, texts(translation), translation.updated_at)

    def hidden(translation: Any, steward: Membership) -> Event:
        return by(hide, translation, steward, {"reason": translation.hidden_reason})

    def restored(translation: Any, steward: Membership, reason: str) -> Event:
        return by(restore, translation, steward, {"reason": reason})

    article = "an" if parent[0] in "aeiou" else "a"
    docs = {
        added: f"A member added a community translation of {article} {parent} into another "
        "language.",
        edited: f"The member who added a translation changed its title or {body}.",
        hidden: "A steward hid a community translation, with the reason.",
        restored: "A steward restored a hidden community translation, with the reason.",
    }
    for builder, doc in docs.items():
        # The vocabulary names the app by the builder's module: the app declaring it.
        builder.__module__, builder.__doc__ = module, doc
    text_fields = ("title_sha256", f"{body}_sha256") if digest else ("title", body)
    fields = (parent, "language", *text_fields)
    return Builders(
        added=builds(add, object_type=object_type, fields=fields)(added),
        edited=builds(edit, object_type=object_type, fields=text_fields)(edited),
        hidden=builds(hide, object_type=object_type, fields=("reason",))(hidden),
        restored=builds(restore, object_type=object_type, fields=("reason",))(restored),
    )


def language_name(code: str) -> str:
    """The language's name in the reader's language (the code itself if unknown)."""
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


def _language(parent: Any, language: str) -> str:
    codes = [code for code, _name in settings.LANGUAGES]
    language = (language or "").strip()
    if language not in codes:
        raise InvalidInput(
            _("Unknown language '%(language)s'; choose one of %(choices)s.")
            % {"language": language[:20], "choices": ", ".join(codes)}
        )
    if language == parent.language:
        # The request fits the schema but conflicts with the original's language.
        raise Conflict(
            _("The original is written in %(language)s; a translation is into another language.")
            % {"language": language_name(language)}
        )
    return language


def _texts(kind: Kind, title: str, body: str) -> tuple[str, str]:
    title = " ".join((title or "").split())
    body = (body or "").strip()
    if not title:
        raise InvalidInput(_("A translation needs a title."))
    if len(title) > MAX_TITLE:
        raise InvalidInput(
            _("The title is %(length)s characters; the limit is %(max_title)s.")
            % {"length": len(title), "max_title": MAX_TITLE}
        )
    if not body:
        raise InvalidInput(_("A translation needs the translated text."))
    if len(body) > kind.body_max:
        raise InvalidInput(
            _("The translated text is limited to %(max)s characters.") % {"max": kind.body_max}
        )
    return title, body


def _reason(reason: str) -> str:
    reason = " ".join((reason or "").split())
    if not reason:
        raise InvalidInput(_("Give the reason, for the moderation log."))
    if len(reason) > MAX_REASON:
        raise InvalidInput(_("The reason is limited to %(max)s characters.") % {"max": MAX_REASON})
    return reason


def _existing(existing: CommunityTranslation) -> Conflict:
    return Conflict(
        _(
            "There is already a translation into %(language)s (translation %(id)s); "
            "its author can edit it."
        )
        % {"language": language_name(existing.language), "id": existing.pk}
    )


def _set_body(kind: Kind, translation: Any, parent: Any, body: str, now: datetime) -> None:
    setattr(translation, kind.body, body)
    setattr(translation, f"{kind.body}_html", render_markdown(body))
    translation.updated_at = now
    # Added or edited now: it translates the original as it is now (no longer stale).
    translation.source_sha256 = source_digest(parent, kind.body)


def parent_of(kind: Kind, translation: Any) -> Any:
    """The translated object."""
    return getattr(translation, kind.parent)


def get_translation(kind: Kind, translation_id: int) -> Any:
    """The translation of this kind with this id (with its object and forum), or NotFound."""
    translation = (
        kind.model._default_manager.select_related(
            kind.parent, f"{kind.parent}__forum", "author__user"
        )
        .filter(pk=translation_id)
        .first()
    )
    if translation is None:
        raise NotFound(_("No translation %(id)s.") % {"id": translation_id})
    return translation


def add_translation(
    kind: Kind, user: AnyUser, parent: Any, *, language: str, title: str, body: str
) -> Any:
    """A member adds a community translation into another of the six languages; one per
    object and language (a second one is a Conflict naming the first)."""
    language = _language(parent, language)
    title, body = _texts(kind, title, body)
    manager = kind.model._default_manager
    with transaction.atomic():
        membership = require_member(user, parent.forum)
        kind.check(parent)
        same = {kind.parent: parent, "language": language}
        existing = manager.filter(**same).first()
        if existing is not None:
            raise _existing(existing)
        now = timezone.now()
        translation = kind.model(**same, title=title, author=membership, created_at=now)
        _set_body(kind, translation, parent, body, now)
        try:
            with transaction.atomic():
                translation.save(force_insert=True)
        except IntegrityError:
            raise _existing(manager.get(**same)) from None
        append(kind.events.added(translation, membership))
    return translation


def edit_translation(kind: Kind, user: AnyUser, translation: Any, *, title: str, body: str) -> Any:
    """The member who added a translation changes its title and body."""
    title, body = _texts(kind, title, body)
    with transaction.atomic():
        membership = require_member(user, parent_of(kind, translation).forum)
        require_author(membership, translation, _("translation"))
        # The original as it is now (a revision may have landed since the page was read).
        parent = parent_of(kind, translation)
        parent.refresh_from_db(fields=["title", kind.body])
        translation.title = title
        _set_body(kind, translation, parent, body, timezone.now())
        changed = ["title", kind.body, f"{kind.body}_html", "updated_at", "source_sha256"]
        translation.save(update_fields=changed)
        append(kind.events.edited(translation, membership))
    return translation


def moderate_translation(
    kind: Kind, user: AnyUser, translation: Any, *, hide: bool, reason: str
) -> Any:
    """A steward of the object's forum hides a translation (or restores a hidden one), with
    the reason; doing what is already done is a Conflict."""
    reason = _reason(reason)
    with transaction.atomic():
        steward = require_steward(user, parent_of(kind, translation).forum)
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
            append(kind.events.hidden(translation, steward))
        else:
            append(kind.events.restored(translation, steward, reason))
    return translation


def visible_translations(kind: Kind, parent: Any, user: AnyUser) -> list[Any]:
    """The object's translations this user may see: hidden ones only to their author and
    the forum's stewards."""
    membership = membership_of(user, parent.forum)
    translations = parent.translations.select_related("author__user").order_by("language", "id")
    return [t for t in translations if can_see(t, membership)]


def shown_translation(parent: Any, language: str) -> Any | None:
    """The translation a reader of ``language`` is shown instead of the original: visible
    to everyone (not hidden), in their language, when the original is in another."""
    if not language or language == parent.language:
        return None
    return (
        parent.translations.select_related("author__user")
        .filter(language=language, hidden=False)
        .first()
    )


def shown_translations(kind: Kind, parents: list[Any], language: str) -> dict[int, Any]:
    """The translations readers of ``language`` are shown instead of these objects'
    originals, by object id, in one query (a list of solutions on an issue page)."""
    ids = [p.pk for p in parents if p.language != language]
    if not language or not ids:
        return {}
    rows = kind.model._default_manager.select_related("author__user").filter(
        **{f"{kind.parent}_id__in": ids}, language=language, hidden=False
    )
    by_id = {p.pk: p for p in parents}
    shown = {}
    for t in rows:
        parent_id = getattr(t, f"{kind.parent}_id")
        setattr(t, kind.parent, by_id[parent_id])  # its staleness reads it: no query each
        shown[parent_id] = t
    return shown


def mark_shown_translations(
    kind: Kind, parents: list[Any], language: str, reading_original: bool
) -> None:
    """Set on each object what a reader of ``language`` sees of its community translation
    (one query for the list): ``available_translation``, the visible one into that
    language, and ``translation``, the one shown instead of the original (none when the
    reader asked for the original, ``?original=1``). Lists and pages mark it alike."""
    available = shown_translations(kind, parents, language)
    for parent in parents:
        shown = available.get(parent.pk)
        parent.available_translation = shown
        parent.translation = None if reading_original else shown
