"""Common Ground's django-allauth adapter: how accounts are signed up, limited and mailed."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.http import HttpRequest
from django.utils.translation import gettext as _

from commonground.core.errors import InvalidInput
from commonground.participants import emails
from commonground.participants.models import User


class AccountAdapter(DefaultAccountAdapter):
    """allauth's adapter with the site's own rules for e-mail identity and limits."""

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        # allauth keys the failed-login count by the request's host and the e-mail. The
        # host is the client's to choose (any Host header matching ALLOWED_HOSTS, with any
        # port), so every variant would get ten more tries: count by the e-mail alone.
        login = credentials.get("email", credentials.get("username", "")) or ""
        return f"login:{login.strip().lower()}"

    def clean_email(self, email: str) -> str:
        """Sign-up and added addresses: the same normal form, validation and look-alike
        check as ``commonground participant create`` (participants/emails.py)."""
        email = super().clean_email(email)
        try:
            email = emails.clean_email(email)
        except InvalidInput as error:
            raise forms.ValidationError(error.message) from None
        # The very same address is allauth's to answer (without telling whether it has an
        # account); a different address that looks the same is refused here.
        skeleton = emails.email_skeleton(email)
        if User.objects.filter(email_skeleton=skeleton).exclude(email=email).exists():
            raise forms.ValidationError(
                _("This address looks the same as another account's address; use another one.")
            )
        return email
