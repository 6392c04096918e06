"""A reader's CSRF token, made as Django makes it at a fraction of the CPU.

Django's ``get_token`` masks the cookie's secret with a fresh 32-character mask on every
page (the BREACH defence: the token on a compressed page differs on each answer). It
draws the mask one character at a time (``get_random_string``: a ``SystemRandom`` draw,
so one ``os.urandom`` call, per character) and finds each character's place in the
alphabet with ``str.index``: about 60 µs per page, a sixth of an early read-cache hit.

Here the mask comes from one ``os.urandom`` call: the bytes of 248 and above are
dropped (248 = 4 x 62, the largest multiple of the alphabet's 62 characters below 256),
so each byte kept is uniform over 0-247 and its remainder by 62 uniform over the
alphabet, with no modulo bias; that is the distribution ``SystemRandom.choice`` gives,
from the same operating-system CSPRNG. The cipher is the same sum of positions modulo 62
as Django's, done through byte tables, and the token has the same 64 characters (mask
then cipher), which Django's ``CsrfViewMiddleware`` unmasks and checks as its own.
docs/security.md says why it is as strong as Django's.

``get_token`` keeps Django's bookkeeping exactly: it marks the cookie for renewal when the
request has a secret, and makes one (with the same generator) when it has none. The
``csrf`` context processor replaces Django's for ``{% csrf_token %}`` (settings lists it
after Django's built-in one, so its lazy token is the one templates see).
"""

from __future__ import annotations

import os
from operator import add
from typing import Any

from django.http import HttpRequest
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
from django.utils.functional import SimpleLazyObject

_SIZE = len(CSRF_ALLOWED_CHARS)  # 62
# Bytes at or above this are dropped so that every remainder by 62 has four bytes.
_LIMIT = 256 - 256 % _SIZE  # 248
_DROPPED = bytes(range(_LIMIT, 256))
# One call usually gives enough: 48 bytes keep fewer than 32 with a chance of about 4e-14.
_DRAW = 48
_REMAINDER = bytes(b % _SIZE for b in range(256))
# A position (0-61) to its character; a sum of two positions (0-122) to the character of
# its remainder; a character to its position (the secret is checked as alphanumeric).
_CHARACTER = bytes(ord(CSRF_ALLOWED_CHARS[b % _SIZE]) for b in range(256))
_POSITION = bytes(
    CSRF_ALLOWED_CHARS.index(chr(b)) if chr(b) in CSRF_ALLOWED_CHARS else 0 for b in range(256)
)


def _positions(length: int) -> bytes:
    """``length`` positions, each uniform over the alphabet, from the OS CSPRNG."""
    kept = os.urandom(_DRAW).translate(None, _DROPPED)
    while len(kept) < length:
        kept += os.urandom(_DRAW).translate(None, _DROPPED)
    return kept[:length].translate(_REMAINDER)


def new_secret() -> str:
    """A new CSRF cookie secret: 32 characters uniform over Django's alphabet."""
    return _positions(CSRF_SECRET_LENGTH).translate(_CHARACTER).decode("ascii")


def mask_secret(secret: str) -> str:
    """The 64-character token of ``secret`` under a fresh mask: the mask, then each of the
    secret's positions plus the mask's modulo 62 (Django's ``_mask_cipher_secret``)."""
    if len(secret) != CSRF_SECRET_LENGTH or not (secret.isascii() and secret.isalnum()):
        # Django's cookie check lets no other secret through; refuse one rather than
        # mask it into a token no check would accept.
        raise ValueError("a CSRF secret is 32 ASCII letters and digits")
    mask = _positions(CSRF_SECRET_LENGTH)
    sums = bytes(map(add, secret.encode("ascii").translate(_POSITION), mask))
    return (mask.translate(_CHARACTER) + sums.translate(_CHARACTER)).decode("ascii")


def get_token(request: HttpRequest) -> str:
    """The token for a form on this page, with Django's ``get_token`` bookkeeping: the
    request's secret is used and its cookie marked to be sent again (renewing its expiry),
    or a new secret is made and marked to be set."""
    meta = request.META
    if "CSRF_COOKIE" in meta:
        secret = meta["CSRF_COOKIE"]
        meta["CSRF_COOKIE_NEEDS_UPDATE"] = True
    else:
        secret = new_secret()
        meta["CSRF_COOKIE"] = secret
        meta["CSRF_COOKIE_NEEDS_UPDATE"] = True
    return mask_secret(secret)


def csrf(request: HttpRequest) -> dict[str, Any]:
    """Context processor: the page's token, made only when a template uses it (as
    Django's, whose side effect, the cookie set or renewed, must not follow every page)."""
    return {"csrf_token": SimpleLazyObject(lambda: get_token(request))}
