"""E-mail identity: one normal form, one validation and one confusable check for every path.

Every way an account gets an address (``commonground participant create``, the demo,
sign-up and adding an address through django-allauth, the admin) goes through
:func:`clean_email`, so ``ａ@probe.test`` (full-width) is ``a@probe.test`` everywhere and
``a@@x`` or ``<script>@x.test`` is refused everywhere.

Two addresses that look the same are one identity: each account stores the *skeleton* of
its address (Unicode TR39's idea: the string with every character replaced by the
prototype it is confusable with), unique in the database, so ``а@probe.test`` (Cyrillic
``а``) or ``pаypal.test`` cannot sit beside the Latin address they imitate. The
confusable pairs come from the ``confusable-homoglyphs`` package (Unicode's
confusables.txt as data), not from a list of our own.
"""

from __future__ import annotations

import unicodedata
from functools import cache

from confusable_homoglyphs import confusables
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils.translation import gettext as _

from commonground.core.errors import InvalidInput

MAX_EMAIL = 254
_validate = EmailValidator()
_MARKS = "\u200e\u200f"  # the data wraps right-to-left characters in direction marks


def normalize_email(raw: str) -> str:
    """The address as it is stored: NFKC (full-width and compatibility forms folded),
    trimmed, and lower-cased (logins are case-insensitive, so case never tells two
    accounts apart)."""
    return unicodedata.normalize("NFKC", raw or "").strip().lower()


def clean_email(raw: str) -> str:
    """Normalize and validate an address; refuses what is not one (InvalidInput)."""
    email = normalize_email(raw)
    shown = email[:80]
    if not email or len(email) > MAX_EMAIL:
        raise InvalidInput(_("'%(email)s' is not an e-mail address.") % {"email": shown})
    try:
        _validate(email)
    except ValidationError:
        raise InvalidInput(_("'%(email)s' is not an e-mail address.") % {"email": shown}) from None
    return email


@cache
def _prototype(char: str) -> str:
    """The character (or short string) ``char`` is confusable with, by Unicode's data."""
    entries = confusables.confusables_data.get(char)
    if not entries:
        return char
    if len(entries) > 1:
        return char  # many characters imitate this one: it is a prototype
    other = entries[0]["c"].strip(_MARKS)
    if len(other) != 1:
        return other  # a multi-character prototype, e.g. "m" -> "rn"
    back = [e["c"].strip(_MARKS) for e in confusables.confusables_data.get(other, [])]
    if back == [char]:
        return min(char, other)  # a pair that imitate only each other: one of them for both
    return other


def email_skeleton(email: str) -> str:
    """What the address looks like: equal for addresses a reader cannot tell apart."""
    text = unicodedata.normalize("NFD", normalize_email(email))
    mapped = "".join(_prototype(char) for char in text)
    return unicodedata.normalize("NFD", mapped)


def refuse_lookalike(email: str, *, exclude_user_id: int | None = None) -> None:
    """Refuse an address that is, or looks like, one an account already has (Conflict)."""
    from commonground.core.errors import Conflict
    from commonground.participants.models import User

    taken = User.objects.filter(email_skeleton=email_skeleton(email))
    if exclude_user_id is not None:
        taken = taken.exclude(pk=exclude_user_id)
    if taken.exists():
        raise Conflict(
            _("An account for %(email)s, or an address that looks the same, exists already.")
            % {"email": email[:80]}
        )
