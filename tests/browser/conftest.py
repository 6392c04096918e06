"""Browser tests: Playwright for Python driving Debian's Chromium against ``live_server``.

Playwright's own browser download cannot work here, so the tests launch the system
Chromium at ``/usr/bin/chromium``. Without it they are skipped, except under ``CI=true``
where a missing browser is a failure: CI must never pass by silently skipping them.

``live_server`` runs Django in a thread of this process, so ``django.core.mail.outbox``
(the locmem backend pytest-django installs) holds the e-mails the site sends, and the
test can create people with the services and read results from the same database.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client
from django.urls import reverse
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Request,
    Response,
    sync_playwright,
)

from commonground.contributions.services import add_comment, report
from commonground.forums.models import Forum
from commonground.forums.services import advance_cycle, update_recognition_settings
from commonground.issues.models import Issue
from commonground.issues.services import raise_issue, support_issue
from commonground.participants.models import User
from commonground.recognition.services import publish_agenda
from tests.conftest import World

# Playwright's sync API runs an asyncio event loop in the test's (main) thread for as long
# as Playwright is started. Django refuses synchronous ORM calls from a thread with a
# running event loop (SynchronousOnlyOperation), because in an async server such a call
# would block every other request. Here the loop only carries Playwright's messages to
# the browser, while the test's own ORM calls (creating personas, checking results) are
# plain blocking code between browser steps, so the guard is a false alarm. Django reads
# the variable at each ORM call; the loop lives as long as the browser fixture, which is
# scoped to this package so that the tests outside it never run beside a live loop.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
DESKTOP = {"width": 1280, "height": 1000}
PHONE = {"width": 390, "height": 844}


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    reason = f"{CHROMIUM} is missing (apt-get install chromium); the browser tests need it"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason}, and CI=true must not skip them", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """One Chromium for the browser tests; each test opens its own contexts (cookies, storage)."""
    _require_chromium()
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


@dataclass
class Visitor:
    """One browser context with one page, and every problem the browser reported on it.

    ``problems`` collects console errors (CSP violations and failed loads are logged
    there), uncaught page errors, failed requests and HTTP errors for sub-resources.
    """

    context: BrowserContext
    page: Page
    base_url: str
    problems: list[str] = field(default_factory=list)

    def goto(self, path: str, *, status: int = 200) -> None:
        response = self.page.goto(path)
        assert response is not None, f"no response for {path}"
        assert response.status == status, f"{path} answered {response.status}, not {status}"

    def log_in(self, email: str, password: str) -> None:
        """Log in through the login page, as a person would."""
        self.goto("/accounts/login/")
        self.page.get_by_label("Email").fill(email)
        self.page.get_by_label("Password").fill(password)
        with self.page.expect_navigation():
            self.page.get_by_role("button", name="Sign In").click()
        assert self.page.get_by_role("button", name="Log out").is_visible(), (
            f"login as {email} failed: {self.page.url}"
        )

    def act_as(self, user: User) -> None:
        """Start a logged-in session without the login page (for tests about other pages)."""
        client = Client()
        client.force_login(user)
        session_key = client.cookies["sessionid"].value
        assert SessionStore(session_key).exists(session_key)
        self.context.add_cookies(
            [{"name": "sessionid", "value": session_key, "url": self.base_url}]
        )


@pytest.fixture
def visit(browser: Browser, live_server: Any, settings: Any) -> Iterator[Callable[..., Visitor]]:
    """Open a fresh browser context on the live server: ``visit(viewport=..., **options)``."""
    # Links in e-mails are absolute on the site's public address; here that is the live
    # server, so a confirmation link from the outbox leads back to it.
    settings.COMMONGROUND_SITE_URL = live_server.url
    contexts: list[BrowserContext] = []

    def open_visitor(viewport: dict[str, int] | None = None, **options: Any) -> Visitor:
        context = browser.new_context(
            base_url=live_server.url, viewport=viewport or DESKTOP, **options
        )
        context.set_default_timeout(30_000)
        contexts.append(context)
        page = context.new_page()
        visitor = Visitor(context, page, live_server.url)
        record = visitor.problems.append

        def on_console(message: ConsoleMessage) -> None:
            if message.type == "error":
                record(f"console error: {message.text}")

        def on_response(response: Response) -> None:
            # The page's own status is checked by goto(); here: its styles, scripts, icons.
            if response.status >= 400 and response.request.resource_type != "document":
                record(f"HTTP {response.status}: {response.url}")

        def on_request_failed(request: Request) -> None:
            # ERR_ABORTED is the browser cancelling a late load (often the favicon) because
            # the test moved on to the next page; a blocked or missing file shows otherwise.
            if request.failure != "net::ERR_ABORTED":
                record(f"request failed: {request.url} {request.failure}")

        page.on("console", on_console)
        page.on("response", on_response)
        page.on("pageerror", lambda error: record(f"page error: {error}"))
        page.on("requestfailed", on_request_failed)
        return visitor

    yield open_visitor
    for context in contexts:
        context.close()


@dataclass
class Site:
    """The personas' forum with content on every main page.

    Recognition needs one supporter per group here (the forum has one persona per
    group), so an issue backed by four groups is recognized and on the agenda, which
    is then published once.
    """

    world: World
    recognized: Issue
    candidate: Issue

    @property
    def forum(self) -> Forum:
        return self.world.forum

    def pages(self) -> list[tuple[str, str, User | None]]:
        """(name, path, who looks) for the main pages."""
        world, slug = self.world, self.world.forum.slug
        member = world.member["civil_society"]
        return [
            ("home", "/", None),
            ("forum", f"/forums/{slug}/", member),
            ("issue list", f"/forums/{slug}/issues/", member),
            ("issue", self.recognized.get_absolute_url(), member),
            ("agenda", f"/forums/{slug}/agenda/", None),
            ("published agenda", f"/forums/{slug}/agenda/published/1/", None),
            ("join form", f"/forums/{slug}/join/", world.outsider),
            ("raise an issue", f"/forums/{slug}/issues/new/", member),
            ("login", "/accounts/login/", None),
            ("signup", "/accounts/signup/", None),
            ("account", "/account/", member),
            ("profile", f"/people/{member.public_id}/", None),
            ("forum settings", f"/forums/{slug}/settings/", world.steward),
            ("moderation queue", f"/forums/{slug}/moderation/queue/", world.steward),
            ("next phase", f"/forums/{slug}/advance/", world.steward),
            ("phase correction", f"/forums/{slug}/phase-correction/", world.steward),
            ("publish the agenda", reverse("recognition:publish", args=[slug]), world.steward),
            ("create a forum", "/forums/new/", world.steward),
            ("open a cycle", f"/forums/{slug}/cycles/new/", world.steward),
        ]


def tour(
    visit: Callable[..., Visitor], site: Site, **options: Any
) -> Iterator[tuple[str, str, Visitor]]:
    """(name, path, visitor) for every main page, one logged-in visitor per person."""
    visitors: dict[int | None, Visitor] = {}
    for name, path, user in site.pages():
        key = user.pk if user is not None else None
        if key not in visitors:
            visitors[key] = visit(**options)
            if user is not None:
                visitors[key].act_as(user)
        yield name, path, visitors[key]


@pytest.fixture
def site(world: World) -> Site:
    update_recognition_settings(
        None, world.forum, min_groups=3, min_supporters=1, min_share=0.05, agenda_slots=20
    )
    recognized = raise_issue(
        world.member["civil_society"],
        world.forum,
        title="Community networks lack spectrum access",
        description="Rural **community networks** cannot get licences for unused spectrum.\n\n"
        "- who is affected: villages without operators\n- what would help: a light licence",
        topics=["connectivity", "SDG 9"],
    )
    candidate = raise_issue(
        world.member["government"],
        world.forum,
        title="Cross-border data flows for small businesses",
        description="Small firms cannot tell which rules apply when their data crosses borders.",
        topics=["data protection"],
    )
    for group in ("civil_society", "private_sector", "academic_technical", "government"):
        support_issue(world.member[group], recognized)
    support_issue(world.member["government"], candidate)
    advance_cycle(None, world.forum)  # agenda setting: supports still count, publishing allowed
    publish_agenda(world.steward, world.forum)
    # A reported comment, so that the stewards' moderation queue has an entry.
    comment = add_comment(world.member["private_sector"], issue=recognized, body="Buy now!")
    report(world.member["government"], "comment", comment, reason="spam", note="Advert.")
    return Site(world, recognized, candidate)
