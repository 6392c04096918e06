"""Light on slow links (issue 17.6): every main page at most 100 KB on the wire.

Against ``commonground serve`` (gunicorn) with the static files collected as in
production: hashed names, Brotli and gzip copies, far-future cache lifetimes; pages
compressed with gzip. Each page is a first visit (a fresh browser context, nothing cached).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client
from playwright.sync_api import Browser

from commonground.participants.models import User
from tests.browser.conftest import PHONE, Site
from tests.browser.pagecheck import load
from tests.servers import server_env, serving

pytestmark = [pytest.mark.browser, pytest.mark.scenario, pytest.mark.django_db(transaction=True)]

BUDGET = 100_000


def _session(user: User) -> str:
    client = Client()
    client.force_login(user)
    key = client.cookies["sessionid"].value
    assert SessionStore(key).exists(key)
    return key


def test_every_main_page_weighs_at_most_100_kb_with_compression(
    site: Site, browser: Browser, tmp_path: Path
) -> None:
    env = server_env(tmp_path, COMMONGROUND_STATIC="collected")
    sessions: dict[int, str] = {}
    heavy: list[str] = []
    weights: dict[str, int] = {}
    with serving(env, tmp_path / "server.log") as url:
        pages = [*site.pages(), ("API docs", "/api/v1/docs", None)]
        for name, path, user in pages:
            context = browser.new_context(base_url=url, viewport=PHONE)
            if user is not None:
                key = sessions.setdefault(user.pk, _session(user))
                context.add_cookies([{"name": "sessionid", "value": key, "url": url}])
            try:
                page = context.new_page()
                loaded = load(page, path)
                assert loaded.status == 200, f"{name} ({path}) answered {loaded.status}"
                weights[name] = loaded.transferred
                if loaded.transferred > BUDGET:
                    heavy.append(f"{name} ({path}): {loaded.transferred:,} bytes")
            finally:
                context.close()
    assert not heavy, "\n".join(heavy)
    # The budget is not met by accident of an empty page: pages and their files arrived.
    assert min(weights.values()) > 10_000, weights
