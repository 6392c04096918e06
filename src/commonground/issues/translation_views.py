"""Pages of community translations: add one to an issue (a solution, a message), edit it,
hide or restore it. One set of views for the three kinds, each described by a ``Pages``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import translation as language_of_request
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from commonground.access.lookup import get_issue
from commonground.access.members import can_steward, can_take_part, membership_of
from commonground.access.rules import is_author
from commonground.core.errors import InvalidInput, NotAllowed, ServiceError
from commonground.core.http import refusal, submit
from commonground.core.markdown import render_markdown
from commonground.issues import translating
from commonground.issues.forms import ModerateTranslationForm, TranslationForm
from commonground.issues.translations import ISSUE
from commonground.participants.models import Membership


@dataclass(frozen=True)
class Pages:
    """How the pages of one kind's translations find the original and where they go back."""

    kind: translating.Kind
    get: Callable[[HttpRequest, int], Any]  # the original, as its reader may see it
    back: Callable[[Any], str]  # the original's place on its page
    heading: str | Promise  # the add page's title
    body_label: str | Promise  # the translated body's label in the form


def _default_language(original: str) -> str:
    """The reader's interface language, unless the original is written in it."""
    language = language_of_request.get_language() or ""
    return language if language != original else ""


def _render(
    request: HttpRequest, pages: Pages, original: Any, form: Any, status: int, **more: Any
) -> HttpResponse:
    body = pages.kind.body
    # Issues and solutions keep their rendered body; a message renders its text when shown.
    html = getattr(original, f"{body}_html", None) or render_markdown(getattr(original, body))
    context = {
        "original": original,
        "original_html": html,
        "forum": original.forum,
        "back_url": pages.back(original),
        "heading": pages.heading,
        "form": form,
        **more,
    }
    return render(request, "issues/translation_form.html", context, status=status)


def reader_context(
    request: HttpRequest, original: Any, membership: Membership | None
) -> dict[str, Any]:
    """The community translation into the reader's language, shown instead of the original
    unless ``?original=1`` asks for the original; what the reader may do with it."""
    available = translating.shown_translation(original, language_of_request.get_language() or "")
    reading_original = available is not None and "original" in request.GET
    return {
        "translation": None if reading_original else available,
        "available_translation": available,
        "can_translate": can_take_part(membership),
        "can_moderate_translation": can_steward(membership),
        "translation_is_mine": available is not None and is_author(membership, available),
    }


def add_page(request: HttpRequest, pk: int, pages: Pages) -> HttpResponse:
    """Add a community translation into another of the six languages."""
    try:
        original = pages.get(request, pk)
    except ServiceError as error:
        return refusal(request, error)
    body = pages.kind.body
    form = TranslationForm(
        request.POST or None,
        original=original.language,
        body=body,
        body_label=pages.body_label,
        body_max=pages.kind.body_max,
        initial={
            "language": request.GET.get("language") or _default_language(original.language),
            "title": original.title,
            body: getattr(original, body),
        },
    )
    status = 200
    if request.method == "POST":
        added, status = submit(
            form,
            lambda data: translating.add_translation(
                pages.kind,
                request.user,
                original,
                language=data["language"],
                title=data["title"],
                body=data[body],
            ),
        )
        if added is not None:
            messages.success(request, _("Thank you: your translation is shown to its readers."))
            return redirect(pages.back(original))
    return _render(request, pages, original, form, status)


def edit_page(request: HttpRequest, pk: int, pages: Pages) -> HttpResponse:
    """The member who added a translation edits it."""
    kind = pages.kind
    try:
        translation = translating.get_translation(kind, pk)
    except ServiceError as error:
        return refusal(request, error)
    original = translating.parent_of(kind, translation)
    form = TranslationForm(
        request.POST or None,
        editing=True,
        body=kind.body,
        body_label=pages.body_label,
        body_max=kind.body_max,
        initial={"title": translation.title, kind.body: getattr(translation, kind.body)},
    )
    status = 200
    if request.method == "POST":
        edited, status = submit(
            form,
            lambda data: translating.edit_translation(
                kind, request.user, translation, title=data["title"], body=data[kind.body]
            ),
        )
        if edited is not None:
            messages.success(request, _("Translation updated."))
            return redirect(pages.back(original))
    elif not is_author(membership_of(request.user, original.forum), translation):
        return refusal(request, NotAllowed(_("Only the author can change this translation.")))
    return _render(request, pages, original, form, status, translation=translation)


def moderate_page(request: HttpRequest, pk: int, pages: Pages) -> HttpResponse:
    """A steward hides a translation (``action`` = hide) or restores it (restore)."""
    form = ModerateTranslationForm(request.POST)
    try:
        translation = translating.get_translation(pages.kind, pk)
        if not form.is_valid():
            return refusal(request, InvalidInput(_("Give the reason, for the moderation log.")))
        translating.moderate_translation(
            pages.kind,
            request.user,
            translation,
            hide=form.cleaned_data["action"] == "hide",
            reason=form.cleaned_data["reason"],
        )
    except ServiceError as error:
        return refusal(request, error)
    messages.success(
        request,
        _("The translation is hidden.")
        if translation.hidden
        else _("The translation is restored."),
    )
    return redirect(pages.back(translating.parent_of(pages.kind, translation)))


def views_of(pages: Pages) -> tuple[Callable[..., HttpResponse], ...]:
    """The add, edit and moderate views of one kind, for its URLconf."""

    @login_required
    def add(request: HttpRequest, pk: int) -> HttpResponse:
        """GET shows the form; POST adds the translation."""
        return add_page(request, pk, pages)

    @login_required
    def edit(request: HttpRequest, pk: int) -> HttpResponse:
        """GET shows the form to its author; POST saves the change."""
        return edit_page(request, pk, pages)

    @login_required
    @require_POST
    def moderate(request: HttpRequest, pk: int) -> HttpResponse:
        """POST only: hide or restore, with the reason."""
        return moderate_page(request, pk, pages)

    return add, edit, moderate


def translation_urls(
    views: ModuleType, parent: str, translations: str, name: str = ""
) -> list[URLPattern]:
    """The URLs of one kind's translation pages (``views``: the module holding its
    ``translate``, ``translation_edit`` and ``translation_moderate``): add at
    ``PARENT/<pk>/translate/``, edit and moderate at ``TRANSLATIONS/<pk>/edit/`` and
    ``.../moderate/``; their names start with ``name``."""
    return [
        path(f"{parent}/<int:pk>/translate/", views.translate, name=f"{name}translate"),
        path(
            f"{translations}/<int:pk>/edit/",
            views.translation_edit,
            name=f"{name}translation_edit",
        ),
        path(
            f"{translations}/<int:pk>/moderate/",
            views.translation_moderate,
            name=f"{name}translation_moderate",
        ),
    ]


ISSUE_PAGES = Pages(
    kind=ISSUE,
    get=lambda request, pk: get_issue(pk),
    back=lambda issue: issue.get_absolute_url(),
    heading=gettext_lazy("Translate this issue"),
    body_label=gettext_lazy("Description"),
)

translate, translation_edit, translation_moderate = views_of(ISSUE_PAGES)
