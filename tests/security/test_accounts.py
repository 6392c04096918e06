"""Login and password-reset rate limits, and the session rules around logging in and out."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.test import Client

from tests.conftest import PASSWORD, World

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
RESET = "/accounts/password/reset/"
CHANGE = "/accounts/password/change/"
LOGOUT = "/accounts/logout/"
TOO_MANY_LOGINS = "Too many failed login attempts. Try again later."


def limit(action: str, per: str) -> int:
    """The configured amount of one of ACCOUNT_RATE_LIMITS' rates ("ip" or "key")."""
    for rate in settings.ACCOUNT_RATE_LIMITS[action].split(","):
        amount, _, who = rate.split("/")
        if who == per:
            return int(amount)
    raise LookupError(f"{action} has no per-{per} limit")


@pytest.fixture(autouse=True)
def fresh_limits() -> Any:
    cache.clear()
    yield
    cache.clear()


def from_ip(ip: str) -> Client:
    return Client(REMOTE_ADDR=ip)


def is_signed_in(client: Client) -> bool:
    response = client.get("/account/")
    return response.status_code == 200


def test_limits_are_configured() -> None:
    assert limit("login_failed", "ip") == 20
    assert limit("login_failed", "key") == 10
    assert limit("reset_password", "ip") == 20
    assert limit("reset_password", "key") == 5


def test_failed_logins_per_email_are_limited_across_ips(world: World) -> None:
    email = world.member["civil_society"].email
    for attempt in range(limit("login_failed", "key")):
        response = from_ip(f"10.0.{attempt}.1").post(LOGIN, {"login": email, "password": "wrong"})
        assert response.status_code == 200 and TOO_MANY_LOGINS not in response.content.decode()
    client = from_ip("10.9.9.9")
    response = client.post(LOGIN, {"login": email, "password": PASSWORD})
    assert response.status_code == 429
    assert TOO_MANY_LOGINS in response.content.decode()
    assert not is_signed_in(client)


def test_failed_logins_per_ip_are_limited(world: World) -> None:
    client = from_ip("10.1.1.1")
    for attempt in range(limit("login_failed", "ip")):
        response = client.post(LOGIN, {"login": f"nobody{attempt}@example.org", "password": "x"})
        assert response.status_code == 200
    response = client.post(LOGIN, {"login": world.member["government"].email, "password": PASSWORD})
    assert response.status_code == 429
    assert TOO_MANY_LOGINS in response.content.decode()
    assert from_ip("10.1.1.2").post(
        LOGIN, {"login": world.member["government"].email, "password": PASSWORD}
    ).status_code == 302  # fmt: skip


def test_password_reset_per_email_is_limited_across_ips(world: World) -> None:
    email = world.member["civil_society"].email
    for attempt in range(limit("reset_password", "key")):
        assert from_ip(f"10.2.{attempt}.1").post(RESET, {"email": email}).status_code == 302
    response = from_ip("10.2.9.9").post(RESET, {"email": email})
    assert response.status_code == 429
    assert "Too many requests" in response.content.decode() or "too many" in (
        response.content.decode().lower()
    )


def test_password_reset_per_ip_is_limited(world: World) -> None:
    client = from_ip("10.3.3.3")
    for attempt in range(limit("reset_password", "ip")):
        assert client.post(RESET, {"email": f"someone{attempt}@example.org"}).status_code == 302
    response = client.post(RESET, {"email": world.member["government"].email})
    assert response.status_code == 429
    assert "too many" in response.content.decode().lower()


def test_password_reset_answers_the_same_for_known_and_unknown_emails(world: World) -> None:
    known = from_ip("10.4.0.1").post(RESET, {"email": world.member["civil_society"].email})
    unknown = from_ip("10.4.0.2").post(RESET, {"email": "nobody-here@example.org"})
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    known_page = from_ip("10.4.0.1").get(known["Location"]).content
    unknown_page = from_ip("10.4.0.2").get(unknown["Location"]).content
    # The header's language form carries a CSRF token, masked anew for every response.
    token = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"')
    assert token.sub(b"", known_page) == token.sub(b"", unknown_page)
    # Over the limit, too, the answer does not tell whether the account exists.
    for email in (world.member["civil_society"].email, "nobody-here@example.org"):
        for _ in range(limit("reset_password", "key")):
            from_ip("10.4.1.1").post(RESET, {"email": email})
    over_known = from_ip("10.4.2.1").post(RESET, {"email": world.member["civil_society"].email})
    over_unknown = from_ip("10.4.2.2").post(RESET, {"email": "nobody-here@example.org"})
    assert over_known.status_code == over_unknown.status_code == 429
    assert over_known.content == over_unknown.content


def test_session_key_rotates_on_login(world: World) -> None:
    client = Client()
    session = client.session
    session["before_login"] = True
    session.save()
    before = session.session_key
    client.cookies[settings.SESSION_COOKIE_NAME] = before
    response = client.post(
        LOGIN, {"login": world.member["civil_society"].email, "password": PASSWORD}
    )
    assert response.status_code == 302
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after and after != before
    assert not Session.objects.filter(session_key=before).exists()
    assert is_signed_in(client)


def test_logout_ends_the_session_on_the_server(world: World) -> None:
    client = Client()
    client.post(LOGIN, {"login": world.member["civil_society"].email, "password": PASSWORD})
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert is_signed_in(client)
    assert client.post(LOGOUT).status_code == 302
    assert not Session.objects.filter(session_key=key).exists()
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = key
    assert not is_signed_in(replay)


def test_password_change_ends_other_sessions(world: World) -> None:
    assert settings.ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE is True
    email = world.member["civil_society"].email
    here, elsewhere = Client(), Client()
    for client in (here, elsewhere):
        client.post(LOGIN, {"login": email, "password": PASSWORD})
        assert is_signed_in(client)
    new = "a-brand-new-long-passphrase"
    response = here.post(CHANGE, {"oldpassword": PASSWORD, "password1": new, "password2": new})
    assert response.status_code == 302
    assert not is_signed_in(elsewhere)
    assert not is_signed_in(here)
    fresh = Client()
    fresh.post(LOGIN, {"login": email, "password": new})
    assert is_signed_in(fresh)


def test_failed_logins_per_email_are_limited_whatever_the_host_header(world: World) -> None:
    # The Host header is the client's: varying it (or its port) must not buy more tries.
    email = world.member["civil_society"].email
    hosts = ["127.0.0.1", "localhost", "testserver", "127.0.0.1:1", "localhost:2"]
    for attempt in range(limit("login_failed", "key")):
        client = Client(REMOTE_ADDR=f"10.0.{attempt}.1", HTTP_HOST=hosts[attempt % len(hosts)])
        response = client.post(LOGIN, {"login": email, "password": "wrong"})
        assert response.status_code == 200 and TOO_MANY_LOGINS not in response.content.decode()
    for host in hosts:
        client = Client(REMOTE_ADDR="10.9.9.9", HTTP_HOST=host)
        response = client.post(LOGIN, {"login": email, "password": PASSWORD})
        assert response.status_code == 429, host
        assert not is_signed_in(client)
