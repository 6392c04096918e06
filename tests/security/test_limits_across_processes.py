"""Login and password-reset limits hold across server processes (issue 11.3).

Two ``commonground serve`` processes on one database take turns answering: each request
goes to the other process than the last. The limits are counted in the shared cache (the
database cache by default, Redis when configured), so the lockout comes at exactly the
tenth failed login whichever process counted them, the right password is refused after
it on both processes, and exactly five reset mails go out.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from django.core.cache import cache

from commonground.core.children import stop_children
from tests.conftest import PASSWORD, World
from tests.security.test_accounts import TOO_MANY_LOGINS, limit
from tests.servers import free_port, server_env, serving

pytestmark = pytest.mark.django_db(transaction=True)

LOGIN = "/accounts/login/"
RESET = "/accounts/password/reset/"


@pytest.fixture(params=["database", "redis"])
def cache_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The shared store the servers use: the default (database) or a Redis server."""
    if request.param == "database":
        yield ""
        return
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip(reason="redis-server is not installed")
    port = free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "redis-server did not start"
                time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        stop_children([process])


@pytest.fixture
def servers(world: World, settings: Any, tmp_path: Path, cache_url: str) -> Iterator[list[str]]:
    """Two server processes on the test database, with the file mail backend."""
    # The servers check passwords with the production hashers, not the tests' cheap one.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    for user in (world.member["civil_society"], world.member["government"]):
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    data = tmp_path / "data"
    env = server_env(
        data,
        COMMONGROUND_EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        COMMONGROUND_CACHE_URL=cache_url,
    )
    cache.clear()
    try:
        # One after the other: the first creates the data directory's secret key, which
        # both then sign sessions and CSRF tokens with, as two servers of one site do.
        with (
            serving(env, tmp_path / "first.log") as first,
            serving(env, tmp_path / "second.log") as second,
        ):
            yield [first, second]
    finally:
        cache.clear()  # the cache table is not flushed between tests like the models


def post_form(url: str, path: str, data: dict[str, str]) -> requests.Response:
    """GET the form (for its CSRF cookie), then POST it as a new visitor would."""
    with requests.Session() as browser:
        page = browser.get(url + path, timeout=30)
        assert page.status_code == 200
        token = browser.cookies["csrftoken"]
        return browser.post(
            url + path,
            data={**data, "csrfmiddlewaretoken": token},
            headers={"Referer": url + path},
            allow_redirects=False,
            timeout=30,
        )


def test_login_lockout_and_reset_limit_hold_across_two_server_processes(
    world: World, servers: list[str], tmp_path: Path
) -> None:
    email = world.member["civil_society"].email
    failures = limit("login_failed", "key")
    assert failures == 10
    # The right password gets in before any failure (so a refusal later is the lockout).
    assert post_form(servers[1], LOGIN, {"login": email, "password": PASSWORD}).status_code == 302
    for attempt in range(failures):
        answer = post_form(servers[attempt % 2], LOGIN, {"login": email, "password": "wrong!"})
        assert answer.status_code == 200, attempt
        assert TOO_MANY_LOGINS not in answer.text, attempt
    for url in servers:
        answer = post_form(url, LOGIN, {"login": email, "password": PASSWORD})
        assert answer.status_code == 429, url
        assert TOO_MANY_LOGINS in answer.text

    target = world.member["government"].email
    resets = limit("reset_password", "key")
    assert resets == 5
    statuses = [
        post_form(servers[attempt % 2], RESET, {"email": target}).status_code
        for attempt in range(resets + 2)
    ]
    assert statuses == [302] * resets + [429, 429]
    mails = "".join(p.read_text() for p in (tmp_path / "data" / "mail").glob("*.log"))
    assert mails.count(f"To: {target}") == resets
