"""Shared personas: one participant per stakeholder group, a steward, an outsider, anonymous.

Every test that needs people takes them from here, so rules are always checked
against the same cast: ``member["civil_society"]`` is Cecile of civil society,
``steward`` runs the forum, ``outsider`` has an account but joined nothing.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from hypothesis import settings as hypothesis_settings

from commonground.forums.models import Cycle, Forum
from commonground.forums.services import create_forum, join_forum, open_cycle
from commonground.issues.models import Issue
from commonground.issues.services import raise_issue
from commonground.participants.models import Membership, User
from commonground.participants.services import create_account, grant_steward
from commonground.stakeholders import GROUPS

PASSWORD = "correct-horse-battery-staple"
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# One persona per group, with a country in a different UN region where possible.
PERSONAS: dict[str, tuple[str, str]] = {
    "government": ("gita.government@example.org", "KE"),
    "intergovernmental": ("ines.igo@example.org", "CH"),
    "internet_institution": ("ivan.internet@example.org", "UA"),
    "private_sector": ("paula.private@example.org", "BR"),
    "civil_society": ("cecile.civil@example.org", "SN"),
    "academic_technical": ("arjun.academic@example.org", "IN"),
}


# Hypothesis fails an example that takes over 200 ms by default: a wall-clock limit, which a
# loaded machine (CI runs two legs on two cores) crosses without any fault in the code.
hypothesis_settings.register_profile("commonground", deadline=None)
hypothesis_settings.load_profile("commonground")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """CI runs the suite twice at once, on SQLite and on PostgreSQL; what behaves the same
    on both databases runs in one leg only, so the whole run stays well under its limit.

    - Scenario tests (slow walks through a whole feature) and browser tests (pages in
      Chromium) run in the SQLite leg: the PostgreSQL leg sets
      COMMONGROUND_SKIP_DATABASE_INDEPENDENT=1.
    - The Schemathesis conformance run (marker ``conformance``) is two runs, the longest
      tests of the suite: the member's (writes) runs in the PostgreSQL leg, the production
      store, and the anonymous caller's in the SQLite leg (COMMONGROUND_CI_LEG=sqlite), so
      neither leg waits for both.
    - Tests that touch no database (``_uses_no_database``) run in the SQLite leg only.

    A plain ``uv run pytest`` sets neither and runs everything.
    """
    if os.environ.get("COMMONGROUND_SKIP_DATABASE_INDEPENDENT") == "1":
        once = pytest.mark.skip(reason="scenario or browser test; run in CI's SQLite leg")
        for item in items:
            if item.get_closest_marker("scenario") or item.get_closest_marker("browser"):
                item.add_marker(once)
        no_database = pytest.mark.skip(reason="uses no database; run in CI's SQLite leg")
        for item in items:
            if _uses_no_database(item):
                item.add_marker(no_database)
    leg = os.environ.get("COMMONGROUND_CI_LEG")
    if leg == "sqlite" or os.environ.get("COMMONGROUND_SKIP_DATABASE_INDEPENDENT") == "1":
        elsewhere = "member" if leg == "sqlite" else "anonymous"
        other_leg = "PostgreSQL" if leg == "sqlite" else "SQLite"
        there = pytest.mark.skip(reason=f"conformance run as {elsewhere}; in CI's {other_leg} leg")
        for item in items:
            params = getattr(item, "callspec", None)
            identity = params.params.get("identity") if params is not None else None
            if item.get_closest_marker("conformance") and identity == elsewhere:
                item.add_marker(there)


DATABASE_FIXTURES = {
    "db", "transactional_db", "live_server", "django_db_reset_sequences",
    "django_db_serialized_rollback", "django_db_setup",
}  # fmt: skip
# A module that starts processes or reads the environment may reach the database through
# DATABASE_URL without any database fixture: its tests run in both legs.
REACHES_OUT = ("subprocess", "Popen", "os.environ", "DATABASE", "connection", "servers")


def _uses_no_database(item: pytest.Item) -> bool:
    """True when ``item`` can behave the same on both databases: it requests no database
    fixture (pytest-django refuses queries without one), is not marked for the database or
    PostgreSQL, and its module neither starts processes nor reads the environment."""
    if DATABASE_FIXTURES & set(getattr(item, "fixturenames", ())):
        return False
    # A fixture of ours that unblocks the database itself (pytest-django's own, named
    # with a leading underscore, request the blocker for every test).
    definitions = getattr(getattr(item, "_fixtureinfo", None), "name2fixturedefs", {})
    for name, defs in definitions.items():
        if not name.startswith("_") and any("django_db_blocker" in d.argnames for d in defs):
            return False
    if any(item.get_closest_marker(m) for m in ("django_db", "postgres", "crash")):
        return False
    source = getattr(item, "module", None)
    path = getattr(source, "__file__", None)
    if path is None:
        return False
    with open(path, encoding="utf-8") as module:
        text = module.read()
    return not any(word in text for word in REACHES_OUT)


@pytest.fixture(autouse=True, scope="session")
def flush_may_empty_the_ledger() -> Any:
    """Between transactional tests Django empties every table; on SQLite that is a DELETE,
    which the ledger's triggers refuse except inside ``resetting()`` (ledger/guard.py)."""
    from django.db.backends.sqlite3.base import DatabaseWrapper

    from commonground.ledger.guard import resetting

    DatabaseOperations = DatabaseWrapper.ops_class

    original = DatabaseOperations.execute_sql_flush

    def execute_sql_flush(self: Any, sql_list: list[str]) -> None:
        with resetting():
            original(self, sql_list)

    DatabaseOperations.execute_sql_flush = execute_sql_flush  # type: ignore[method-assign]
    yield
    DatabaseOperations.execute_sql_flush = original  # type: ignore[method-assign]


@dataclass
class World:
    """A national forum with an open cycle and the cast of personas."""

    forum: Forum
    cycle: Cycle
    member: dict[str, User]
    membership: dict[str, Membership]
    steward: User
    outsider: User

    def client_for(self, user: User | None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client


@pytest.fixture(autouse=True)
def default_language_between_tests() -> Any:
    """Django's LocaleMiddleware activates each request's language in the thread and never
    deactivates it: every test starts (and ends) in the site's default language, so a test
    that browsed in Chinese leaves no Chinese to the next one's services and CLI."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    """The personas' passwords are hashed with a cheap hasher: PBKDF2's rounds cost a
    fraction of a second per account, and no test is about the hasher."""
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture(autouse=True)
def current_reads_for_anonymous_readers(settings: Any) -> Any:
    """Tests read right after the change they make, often anonymously: they run without the
    read cache's staleness window (tests/web/test_read_cache.py checks the window itself),
    and no test sees the pages another test's world left in this process's memory."""
    from commonground.core.read_cache_middleware import forget

    settings.COMMONGROUND_READ_STALE_SECONDS = 0
    forget()
    yield
    forget()


@pytest.fixture
def issue(world: World) -> Issue:
    """An issue raised by the civil-society persona in the open cycle."""
    return raise_issue(
        world.member["civil_society"],
        world.forum,
        title="Affordable rural connectivity",
        description="Villages pay **more** for less bandwidth.",
        topics=["SDG 9", "access"],
    )


def make_user(email: str, name: str = "") -> User:
    return create_account(email, PASSWORD, display_name=name or email.split("@")[0])


@pytest.fixture
def world(db: None) -> World:
    return build_world()


def build_world() -> World:
    """The world of the ``world`` fixture, for fixtures that build it once for a module."""
    global_forum = create_forum(None, slug="igf", name="Global IGF", level="global")
    regional = create_forum(
        None,
        slug="africa-igf",
        name="Africa IGF",
        level="regional",
        parent="igf",
        region="african",
    )
    forum = create_forum(
        None,
        slug="kenya-igf",
        name="Kenya IGF",
        level="national",
        parent=regional.slug,
        country="KE",
    )
    assert global_forum.pk
    cycle = open_cycle(None, forum, "2027")
    members: dict[str, User] = {}
    memberships: dict[str, Membership] = {}
    for group in GROUPS:
        email, country = PERSONAS[group]
        user = make_user(email)
        members[group] = user
        memberships[group] = join_forum(user, forum, stakeholder_group=group, country=country)
    steward = make_user("sam.steward@example.org", "Sam Steward")
    grant_steward(None, join_forum(steward, forum, stakeholder_group="civil_society", country="KE"))
    outsider = make_user("olga.outsider@example.org", "Olga Outsider")
    return World(forum, cycle, members, memberships, steward, outsider)


@pytest.fixture
def anonymous() -> Client:
    return Client()


@pytest.fixture
def client_for(world: World) -> Callable[[User | None], Client]:
    return world.client_for
