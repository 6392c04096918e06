"""The pages' CSRF tokens (commonground.core.csrf): Django's format, accepted and refused
by Django's CsrfViewMiddleware as its own, masks uniform over the alphabet from the OS
CSPRNG, and the CSRF cookie set or renewed exactly when Django's ``get_token`` would."""

from __future__ import annotations

import os
import string
from collections import Counter
from collections.abc import Iterable
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.middleware import csrf as django_csrf
from django.test import Client, RequestFactory
from django.urls import reverse

from commonground.core import csrf
from commonground.issues.models import Issue
from tests.conftest import World

ALPHABET = string.ascii_letters + string.digits
CSRF = django_settings.CSRF_COOKIE_NAME
SECRET = "Secret0123456789abcdefghijKLMNOP"
# The chi-square statistic of 62 uniform categories (61 degrees of freedom) passes this
# bound but once in about a million runs (Wilson-Hilferty, z = 4.75); the remainder by 62
# of raw bytes, which favours the first eight characters by 5/4, exceeds it some 30 times
# over with the number of characters drawn below.
CHI_SQUARE_BOUND = 130.0
DRAWN = 64_000


def _page_token(html: bytes) -> str:
    return html.decode().split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]


def _chi_square(characters: Iterable[str]) -> float:
    counts = Counter(characters)
    assert set(counts) <= set(ALPHABET)
    total = sum(counts.values())
    expected = total / len(ALPHABET)
    return sum((counts[c] - expected) ** 2 / expected for c in ALPHABET)


def _member_with_page(world: World, issue: Issue) -> tuple[Client, str]:
    member = Client(enforce_csrf_checks=True)
    member.force_login(world.member["government"])
    page = member.get(reverse("issues:detail", args=[issue.pk]))
    assert page.status_code == 200
    return member, _page_token(page.content)


@pytest.mark.django_db
@pytest.mark.parametrize("carried_in", ["form field", "X-CSRFToken header"])
def test_a_pages_token_is_accepted_by_djangos_csrf_check_on_a_real_post(
    world: World, issue: Issue, carried_in: str
) -> None:
    member, token = _member_with_page(world, issue)
    url = reverse("issues:support", args=[issue.pk])
    if carried_in == "form field":
        answer = member.post(url, {"action": "support", "csrfmiddlewaretoken": token})
    else:
        answer = member.post(url, {"action": "support"}, HTTP_X_CSRFTOKEN=token)
    assert answer.status_code == 302
    issue.refresh_from_db()
    assert issue.support_count == 1


@pytest.mark.django_db
@pytest.mark.parametrize("tampered", ["mask", "cipher", "another secret's token"])
def test_a_tampered_token_is_refused_with_403_and_nothing_changes(
    world: World, issue: Issue, tampered: str
) -> None:
    member, token = _member_with_page(world, issue)
    at = 5 if tampered == "mask" else 40
    swapped = "a" if token[at] != "a" else "b"
    forged = token[:at] + swapped + token[at + 1 :]
    if tampered == "another secret's token":
        forged = csrf.mask_secret(SECRET)
    answer = member.post(
        reverse("issues:support", args=[issue.pk]),
        {"action": "support", "csrfmiddlewaretoken": forged},
    )
    assert answer.status_code == 403
    issue.refresh_from_db()
    assert issue.support_count == 0


@pytest.mark.django_db
def test_pages_get_their_token_without_djangos_per_character_mask(
    world: World, issue: Issue, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refused(secret: str) -> str:
        raise AssertionError("Django's mask was drawn")

    monkeypatch.setattr(django_csrf, "_mask_cipher_secret", refused)
    _member, token = _member_with_page(world, issue)
    assert len(token) == 64
    anonymous = Client().get(reverse("issues:detail", args=[issue.pk]))
    assert anonymous.status_code == 200 and CSRF in anonymous.cookies


def test_a_token_has_djangos_format_and_unmasks_to_its_secret() -> None:
    token = csrf.mask_secret(SECRET)
    django_csrf._check_token_format(token)  # raises InvalidTokenFormat otherwise
    assert len(token) == django_csrf.CSRF_TOKEN_LENGTH == 64
    assert django_csrf._unmask_cipher_token(token) == SECRET
    assert django_csrf._does_token_match(token, SECRET)
    assert not django_csrf._does_token_match(token, SECRET[:-1] + "Q")


def test_a_new_secret_has_djangos_format() -> None:
    secret = csrf.new_secret()
    django_csrf._check_token_format(secret)
    assert len(secret) == django_csrf.CSRF_SECRET_LENGTH == 32


@pytest.mark.parametrize("secret", ["short", SECRET[:-1] + "-", SECRET[:-1] + "é", SECRET + "A"])
def test_a_secret_outside_djangos_format_is_refused(secret: str) -> None:
    with pytest.raises(ValueError):
        csrf.mask_secret(secret)


def test_two_tokens_of_one_secret_differ_and_both_unmask_to_it() -> None:
    first, second = csrf.mask_secret(SECRET), csrf.mask_secret(SECRET)
    assert first != second and first[:32] != second[:32]
    assert django_csrf._unmask_cipher_token(first) == SECRET
    assert django_csrf._unmask_cipher_token(second) == SECRET
    assert csrf.new_secret() != csrf.new_secret()


def test_the_masks_characters_are_uniform_over_the_alphabet() -> None:
    masks = "".join(csrf.mask_secret(SECRET)[:32] for _ in range(DRAWN // 32))
    assert _chi_square(masks) < CHI_SQUARE_BOUND
    secrets = "".join(csrf.new_secret() for _ in range(DRAWN // 32))
    assert _chi_square(secrets) < CHI_SQUARE_BOUND


def test_the_bound_refuses_a_mask_taken_modulo_62_without_rejection() -> None:
    """One past the boundary: the same bytes, their remainder taken without dropping the
    bytes of 248 and above, fail the bound the masks above pass."""
    biased = (ALPHABET[b % len(ALPHABET)] for b in os.urandom(DRAWN))
    assert _chi_square(biased) > CHI_SQUARE_BOUND


@pytest.mark.parametrize("cookie", [None, SECRET])
def test_get_token_keeps_djangos_cookie_bookkeeping(cookie: str | None) -> None:
    ours, djangos = RequestFactory().get("/"), RequestFactory().get("/")
    for request in (ours, djangos):
        if cookie is not None:
            request.META["CSRF_COOKIE"] = cookie
    mine, theirs = csrf.get_token(ours), django_csrf.get_token(djangos)
    assert set(ours.META) == set(djangos.META)
    assert ours.META["CSRF_COOKIE_NEEDS_UPDATE"] is djangos.META["CSRF_COOKIE_NEEDS_UPDATE"] is True
    if cookie is not None:
        assert ours.META["CSRF_COOKIE"] == djangos.META["CSRF_COOKIE"] == cookie
    secret = ours.META["CSRF_COOKIE"]
    assert django_csrf._unmask_cipher_token(mine) == secret
    assert django_csrf._unmask_cipher_token(theirs) == djangos.META["CSRF_COOKIE"]


def _cookies_set(settings: Any, ours: bool, url: str, cookie: str) -> dict[str, str]:
    """The CSRF cookie a GET of ``url`` sets (its value), with our context processor or
    with Django's alone."""
    processors = settings.TEMPLATES[0]["OPTIONS"]["context_processors"]
    if not ours:
        templates = [{**settings.TEMPLATES[0]}]
        templates[0]["OPTIONS"] = {
            **templates[0]["OPTIONS"],
            "context_processors": [p for p in processors if p != "commonground.core.csrf.csrf"],
        }
        settings.TEMPLATES = templates
    client = Client()
    if cookie:
        client.cookies[CSRF] = cookie
    answer = client.get(url)
    assert answer.status_code == 200
    return {name: morsel.value for name, morsel in answer.cookies.items() if name == CSRF}


@pytest.mark.django_db
@pytest.mark.parametrize("cookie", ["", SECRET, "not a secret"])
@pytest.mark.parametrize("page", ["issue page", "api forums"])
def test_the_csrf_cookie_is_set_or_renewed_exactly_when_djangos_would_be(
    world: World, issue: Issue, settings: Any, cookie: str, page: str
) -> None:
    url = reverse("issues:detail", args=[issue.pk]) if page == "issue page" else "/api/v1/forums"
    ours = _cookies_set(settings, True, url, cookie)
    djangos = _cookies_set(settings, False, url, cookie)
    assert set(ours) == set(djangos)
    if page == "issue page":
        assert CSRF in ours  # the page has forms: set, or renewed
    else:  # no form: only a malformed cookie is replaced (by the middleware, both ways)
        assert bool(ours) == (cookie == "not a secret")
    if cookie == SECRET and ours:
        assert ours[CSRF] == djangos[CSRF] == SECRET  # renewed, not replaced
    if ours and cookie != SECRET:
        django_csrf._check_token_format(ours[CSRF])
        assert ours[CSRF] != djangos[CSRF]  # each a new secret of its own
