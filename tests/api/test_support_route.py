"""The support route's short path and the token lane answer as django-ninja and the whole
middleware stack do, byte for byte (docs/architecture.md, "Hot paths written by hand").

Each scenario runs twice on the same issue and members: once on the site as configured
(``api.support_route`` before ninja's pattern, ``api.token_lane``'s middleware), once with
Django's own session, authentication and messages middleware and the URLconf
without the short path (this module's ``urlpatterns``), i.e. as before both. The statuses,
headers and bodies must be the same, and so must the rows and ledger entries written.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.test import Client, RequestFactory, override_settings
from django.urls import include, path, resolve

import commonground.urls as site_urls
from commonground.api.support_route import support_route
from commonground.api.token_lane import takes_token_lane
from commonground.issues.models import Issue, Support
from commonground.ledger.models import LedgerEntry
from commonground.participants.models import User
from tests.api.conftest import API, bearer
from tests.conftest import World

pytestmark = pytest.mark.django_db

# The site's URLconf without the short path: every support request goes to ninja's view.
urlpatterns = [
    path("", include([p for p in site_urls.urlpatterns if p.callback is not support_route]))
]

LANE = "commonground.api.token_lane."
DJANGOS = {
    "SessionMiddleware": "django.contrib.sessions.middleware.SessionMiddleware",
    "AuthenticationMiddleware": "django.contrib.auth.middleware.AuthenticationMiddleware",
    "MessageMiddleware": "django.contrib.messages.middleware.MessageMiddleware",
    "LocaleMiddleware": "django.middleware.locale.LocaleMiddleware",
}
DJANGO_MIDDLEWARE = [
    DJANGOS[name.removeprefix(LANE)] if name.startswith(LANE) else name
    for name in settings.MIDDLEWARE
]

Call = tuple[str, str, dict[str, str], Client]


def _answer(response: Any) -> tuple[int, list[tuple[str, str]], bytes]:
    return response.status_code, sorted(response.items()), response.content


def _run(calls: list[Call]) -> list[tuple[int, list[tuple[str, str]], bytes]]:
    answers = []
    for method, url, headers, client in calls:
        answers.append(_answer(getattr(client, method)(url, **headers)))
    return answers


def _both_ways(calls: Callable[[], list[Call]]) -> tuple[list[Any], list[Any]]:
    """The answers on the site as configured, then as before the short path and the lane,
    each from the same starting state (every scenario leaves the supports as it found them)."""
    before = (Support.objects.count(), LedgerEntry.objects.count())
    short = _run(calls())
    short_writes = (Support.objects.count(), LedgerEntry.objects.count())
    with override_settings(ROOT_URLCONF=__name__, MIDDLEWARE=DJANGO_MIDDLEWARE):
        assert resolve(f"{API}/issues/1/support").func is not support_route
        ninja = _run(calls())
    after = (Support.objects.count(), LedgerEntry.objects.count())
    # The same writes both ways: rows back where they were, as many ledger entries each time.
    assert short_writes[0] == before[0] == after[0]
    assert short_writes[1] - before[1] == after[1] - short_writes[1]
    return short, ninja


def test_a_bearer_support_and_withdrawal_answer_as_ninja_does(world: World, issue: Issue) -> None:
    member = world.member["government"]
    other = world.member["private_sector"]
    url = f"{API}/issues/{issue.pk}/support"

    def calls() -> list[Call]:
        auth, client = bearer(member), Client()
        french = {**bearer(other), "HTTP_ACCEPT_LANGUAGE": "fr"}
        return [
            ("post", url, auth, client),  # 201, new
            ("post", url, auth, client),  # 200, existed
            ("post", url, french, client),  # 201 in French
            ("delete", url, auth, client),  # 204
            ("delete", url, auth, client),  # 404: nothing to withdraw
            ("delete", url, french, client),  # 204
            ("delete", url, french, client),  # 404 in French
        ]

    short, ninja = _both_ways(calls)
    assert [status for status, _, _ in short] == [201, 200, 201, 204, 404, 204, 404]
    assert short == ninja


def test_refusals_and_odd_requests_on_the_support_path_answer_as_ninja_does(
    world: World, issue: Issue
) -> None:
    member = world.member["government"]
    member.language = "es"
    member.save(update_fields=["language"])

    def calls() -> list[Call]:
        auth, outsider, client = bearer(member), bearer(world.outsider), Client()
        session = Client(enforce_csrf_checks=True)
        session.force_login(world.member["civil_society"])
        return [
            ("post", f"{API}/issues/{issue.pk + 1000}/support", auth, client),  # no such issue
            ("post", f"{API}/issues/{issue.pk}/support", outsider, client),  # not a member
            ("post", f"{API}/issues/0/support", auth, client),  # below the id's range
            ("post", f"{API}/issues/9223372036854775808/support", auth, client),  # past it
            ("post", f"{API}/issues/00{issue.pk}/support", auth, client),  # leading zeros
            ("delete", f"{API}/issues/00{issue.pk}/support", auth, client),
            ("post", f"{API}/issues/x{issue.pk}/support", auth, client),  # not a number
            ("put", f"{API}/issues/{issue.pk}/support", auth, client),  # 405
            ("post", f"{API}/issues/{issue.pk}/support", {}, client),  # no caller: 401
            ("post", f"{API}/issues/{issue.pk}/support", {}, session),  # session without CSRF
            (
                "post",
                f"{API}/issues/{issue.pk}/support",
                {"HTTP_AUTHORIZATION": "Bearer x"},
                client,
            ),
            ("post", f"{API}/issues/{issue.pk}/support", {"HTTP_AUTHORIZATION": "Basic x"}, client),
        ]

    short, ninja = _both_ways(calls)
    statuses = [status for status, _, _ in short]
    assert statuses == [404, 403, 422, 422, 201, 204, 422, 405, 401, 403, 401, 401]
    assert short == ninja


def test_a_member_language_answers_in_that_language_on_the_short_path(
    world: World, issue: Issue
) -> None:
    member: User = world.member["government"]
    member.language = "fr"
    member.save(update_fields=["language"])
    response = Client().delete(f"{API}/issues/{issue.pk}/support", **bearer(member))
    assert response.status_code == 404
    assert response["Content-Language"] == "fr"


# Accept-Language values and the language Django's LocaleMiddleware picks for each: exact,
# regional, a script variant, weights, unsupported, wildcard, empty, malformed, oversized.
ACCEPTED = {
    "fr": "fr",
    "es-ES,es;q=0.9": "es",
    "zh-CN": "zh-hans",
    "ar;q=0.5, ru;q=0.9": "ru",
    "de-DE, de;q=0.9": "en",
    "de, *;q=0.5, fr;q=0.1": "en",
    "*": "en",
    "": "en",
    "??;;,": "en",
    "fr-" + "x" * 300: "en",
}


def test_a_token_request_answers_in_its_accepted_language_as_djangos_locale_middleware_does(
    world: World, issue: Issue
) -> None:
    """The token lane's locale middleware works a request's language out of its
    Accept-Language once per header value: the same messages, Content-Language and Vary as
    Django's, header by header, and a language cookie still wins over the header."""
    member = world.member["government"]
    url = f"{API}/issues/{issue.pk}/support"

    def calls() -> list[Call]:
        auth, client = bearer(member), Client()
        with_cookie = Client()
        with_cookie.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
        done: list[Call] = []
        for accepted in ACCEPTED:
            asking = {**auth, "HTTP_ACCEPT_LANGUAGE": accepted}
            done.append(("delete", url, asking, client))  # 404: nothing to withdraw
            done.append(("get", f"{API}/issues/{issue.pk}", asking, client))  # a read
        done.append(("delete", url, {**auth, "HTTP_ACCEPT_LANGUAGE": "fr"}, with_cookie))
        return done

    short, ninja = _both_ways(calls)
    assert short == ninja
    withdrawals = short[0:-1:2]
    assert [status for status, _, _ in withdrawals] == [404] * len(ACCEPTED)
    languages = [dict(headers)["Content-Language"] for _, headers, _ in withdrawals]
    assert languages == list(ACCEPTED.values())
    assert all("Accept-Language" in dict(headers)["Vary"] for _, headers, _ in short)
    english, french = withdrawals[list(ACCEPTED).index("")][2], withdrawals[0][2]
    assert english != french  # the refusal's message itself is translated
    assert dict(short[-1][1])["Content-Language"] == "ru"  # the cookie over the header


def test_only_an_api_request_with_a_bearer_token_takes_the_token_lane() -> None:
    factory = RequestFactory()
    token = {"HTTP_AUTHORIZATION": "Bearer abc"}
    assert takes_token_lane(factory.post(f"{API}/issues/1/support", **token))
    assert takes_token_lane(factory.post(f"{API}/issues/1/support", HTTP_AUTHORIZATION="Bearer "))
    assert not takes_token_lane(factory.post(f"{API}/issues/1/support"))
    assert not takes_token_lane(
        factory.post(f"{API}/issues/1/support", HTTP_AUTHORIZATION="Basic a")
    )
    assert not takes_token_lane(factory.post("/issues/1/support/", **token))


def test_the_support_path_resolves_to_the_short_path_first() -> None:
    assert resolve(f"{API}/issues/7/support").func is support_route
    assert resolve(f"{API}/issues/7").func is not support_route
