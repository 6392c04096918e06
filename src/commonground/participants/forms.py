"""The sign-up form's own part (allauth's ACCOUNT_SIGNUP_FORM_CLASS): the name to show."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from commonground.participants.emails import normalize_email
from commonground.participants.models import User


class SignupDetailsForm(forms.Form):
    """Asked at sign-up besides the e-mail and password: the display name.

    allauth builds its sign-up form on top of this one, so the e-mail is normalized here
    (NFKC, lower case) before allauth's field validates it, as ``participant create`` does:
    ``ａ@probe.test`` signs up as ``a@probe.test``.
    """

    display_name = forms.CharField(
        label=_("Your name"),
        max_length=120,
        help_text=_("Shown with what you write; you can keep it private later in your account."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.is_bound and "email" in self.data:
            data = self.data.copy()  # type: ignore[attr-defined]  # a QueryDict; stubs: Mapping
            data["email"] = normalize_email(str(data["email"]))
            self.data = data

    def clean_display_name(self) -> str:
        name = " ".join(self.cleaned_data["display_name"].split())
        if not name:
            raise forms.ValidationError(_("Please give the name to show."))
        return name

    def signup(self, request: HttpRequest, user: User) -> None:
        """Called by allauth once the account exists: keep the name given."""
        user.display_name = self.cleaned_data["display_name"]
        user.save(update_fields=["display_name"])
