"""Pages of community translations: add one to an issue, edit it, hide or restore it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation as language_of_request
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commonground.access.lookup import get_issue
from commonground.access.members import membership_of
from commonground.access.rules import is_author
from commonground.core.errors import InvalidInput, NotAllowed, ServiceError
from commonground.core.http import refusal, submit
from commonground.issues import translations
from commonground.issues.forms import ModerateTranslationForm, TranslationForm


def _default_language(original: str) -> str:
    """The reader's interface language, unless the issue is written in it."""
    language = language_of_request.get_language() or ""
    return language if language != original else ""


@login_required
def translate(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a community translation of an issue into another of the six languages."""
    try:
        issue = get_issue(pk)
    except ServiceError as error:
        return refusal(request, error)
    form = TranslationForm(
        request.POST or None,
        original=issue.language,
        initial={
            "language": request.GET.get("language") or _default_language(issue.language),
            "title": issue.title,
            "description": issue.description,
        },
    )
    status = 200
    if request.method == "POST":
        added, status = submit(
            form,
            lambda data: translations.add_translation(
                request.user,
                issue,
                language=data["language"],
                title=data["title"],
                description=data["description"],
            ),
        )
        if added is not None:
            messages.success(request, _("Thank you: your translation is shown to its readers."))
            return redirect(issue)
    return render(
        request,
        "issues/translation_form.html",
        {"issue": issue, "forum": issue.forum, "form": form},
        status=status,
    )


@login_required
def translation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The member who added a translation edits it."""
    try:
        translation = translations.get_translation(pk)
    except ServiceError as error:
        return refusal(request, error)
    issue = translation.issue
    form = TranslationForm(
        request.POST or None,
        editing=True,
        initial={"title": translation.title, "description": translation.description},
    )
    status = 200
    if request.method == "POST":
        edited, status = submit(
            form,
            lambda data: translations.edit_translation(
                request.user, translation, title=data["title"], description=data["description"]
            ),
        )
        if edited is not None:
            messages.success(request, _("Translation updated."))
            return redirect(issue)
    elif not is_author(membership_of(request.user, issue.forum), translation):
        return refusal(request, NotAllowed(_("Only the author can change this translation.")))
    return render(
        request,
        "issues/translation_form.html",
        {"issue": issue, "forum": issue.forum, "form": form, "translation": translation},
        status=status,
    )


@login_required
@require_POST
def translation_moderate(request: HttpRequest, pk: int) -> HttpResponse:
    """A steward hides a translation (``action`` = hide) or restores it (restore)."""
    form = ModerateTranslationForm(request.POST)
    try:
        translation = translations.get_translation(pk)
        if not form.is_valid():
            return refusal(request, InvalidInput(_("Give the reason, for the moderation log.")))
        translations.moderate_translation(
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
    return redirect(translation.issue)
