"""Participant pages: public profiles and the account page with API tokens."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from commonground.access.lookup import get_participant
from commonground.access.members import require_user
from commonground.core.errors import ServiceError
from commonground.core.http import refusal
from commonground.core.middleware import carries_secret
from commonground.participants.services import (
    create_api_token,
    revoke_api_token,
    set_language,
    update_profile,
)


def profile(request: HttpRequest, public_id: str) -> HttpResponse:
    """A participant's public profile: name or pseudonym, hats, issues raised. Never the e-mail."""
    try:
        person = get_participant(public_id)
    except ServiceError as error:
        return refusal(request, error)
    return render(
        request,
        "participants/profile.html",
        {
            "person": person,
            "memberships": person.memberships.select_related("forum").order_by("forum__name"),
        },
    )


@login_required
def account(request: HttpRequest) -> HttpResponse:
    """The user's own settings: public name, interface language and API tokens."""
    account = require_user(request.user)  # login_required: never anonymous here
    new_key = None
    if request.method == "POST":
        try:
            if request.POST.get("form") == "profile":
                update_profile(
                    request.user,
                    display_name=request.POST.get("display_name", ""),
                    name_is_public=request.POST.get("name_is_public") == "on",
                    bio=request.POST.get("bio", ""),
                )
                messages.success(request, _("Profile saved."))
                return redirect("participants:account")
            if request.POST.get("form") == "language":
                set_language(request.user, request.POST.get("language", ""))
                # Reply in the language just chosen; the cookie keeps it after logging out.
                response = redirect("participants:account")
                if account.language:
                    response.set_cookie(
                        settings.LANGUAGE_COOKIE_NAME, account.language, samesite="Lax"
                    )
                with translation.override(account.language or None):
                    messages.success(request, _("Language saved."))
                return response
            _token, new_key = create_api_token(request.user, request.POST.get("name", "API token"))
        except ServiceError as error:
            return refusal(request, error)
    response = render(
        request,
        "participants/account.html",
        {
            "tokens": account.api_tokens.order_by("-created_at"),
            "new_key": new_key,
            "memberships": account.memberships.select_related("forum"),
        },
    )
    return carries_secret(response) if new_key else response


@login_required
@require_POST
def revoke_token(request: HttpRequest, token_id: int) -> HttpResponse:
    try:
        revoke_api_token(request.user, token_id)
    except ServiceError as error:
        return refusal(request, error)
    messages.success(request, _("Token revoked."))
    return redirect("participants:account")


@require_POST
def choose_language(request: HttpRequest) -> HttpResponse:
    """The header's language switch: Django's ``set_language`` (the ``django_language``
    cookie, back to the same page) and, for a signed-in member, the profile's language."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        set_language(request.user, language)
    return response
