"""Common Ground's django-allauth adapter: how accounts are signed up, limited and mailed."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.conf import settings
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext as _

from commonground.core.errors import InvalidInput
from commonground.participants import emails
from commonground.participants.models import User


class AccountAdapter(DefaultAccountAdapter):
    """allauth's adapter with the site's own rules for e-mail identity, limits and mail."""

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        # allauth names the site after the request's host ("127.0.0.1:8731"); the mails
        # carry the site's configured name and public address instead.
        site = SimpleNamespace(
            name=settings.COMMONGROUND_SITE_NAME,
            domain=urlsplit(settings.COMMONGROUND_SITE_URL).netloc,
        )
        # In the recipient's chosen language; otherwise the request's (the visitor signing up).
        language = User.objects.filter(email=email).values_list("language", flat=True).first()
        with translation.override(language or translation.get_language()):
            super().send_mail(template_prefix, email, {**context, "current_site": site})

    @staticmethod
    def _on_site(url: str) -> str:
        """The link on the site's public address, not on the Host the request named: a
        Host header is the client's, and a reset link must not lead anywhere else."""
        parts, site = urlsplit(url), urlsplit(settings.COMMONGROUND_SITE_URL)
        path = site.path.rstrip("/") + parts.path
        return urlunsplit((site.scheme, site.netloc, path, parts.query, parts.fragment))

    def get_email_confirmation_url(self, request: HttpRequest, emailconfirmation: Any) -> str:
        return self._on_site(super().get_email_confirmation_url(request, emailconfirmation))

    def get_reset_password_from_key_url(self, key: str) -> str:
        return self._on_site(super().get_reset_password_from_key_url(key))

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
