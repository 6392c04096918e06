"""The anonymous issue record from one statement is the ORM path's record, byte for byte.

On PostgreSQL ``GET /api/v1/issues/<id>`` for an anonymous reader is one prepared statement
and JSON written without django-ninja's validation (commonground.api.issue_record); members
and SQLite take the ORM path. Whatever an issue carries (community translations visible,
hidden, stale and shown in the reader's language; a pseudonymous author; forwards that
brought it and that took it further; a merge; solutions; supports and their withdrawal),
the bytes, status and headers are those of the ORM path, in every interface language.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from commonground.api import issue_record
from commonground.contributions.services import propose_solution
from commonground.issues.models import Issue
from commonground.issues.services import edit_issue, raise_issue, support_issue, withdraw_support
from commonground.issues.translations import add_translation, moderate_translation
from commonground.network.merge import merge_issues
from commonground.network.services import forward_issue
from commonground.participants.services import create_api_token, update_profile
from tests.network.conftest import Network

pytestmark = pytest.mark.django_db

LANGUAGES = ("en", "fr", "es", "ar", "zh-hans", "ru")


@pytest.fixture(autouse=True)
def no_page_cache(settings: Any) -> None:
    """Every read renders (a stored page would answer the second read with the first's bytes)."""
    settings.COMMONGROUND_READ_CACHE_SECONDS = 0


def _read(issue_id: int, language: str, **headers: str) -> Any:
    return Client().get(f"/api/v1/issues/{issue_id}", HTTP_ACCEPT_LANGUAGE=language, **headers)


def _orm_read(monkeypatch: pytest.MonkeyPatch, issue_id: int, language: str, **headers: str) -> Any:
    with monkeypatch.context() as patched:
        patched.setattr(issue_record, "available", lambda using: False)
        return _read(issue_id, language, **headers)


def _same(monkeypatch: pytest.MonkeyPatch, issue_id: int) -> None:
    for language in LANGUAGES:
        fast, orm = _read(issue_id, language), _orm_read(monkeypatch, issue_id, language)
        assert fast.status_code == orm.status_code
        assert fast.content == orm.content, language
        assert list(fast.items()) == list(orm.items())


def _rich(network: Network) -> tuple[Issue, Issue]:
    """Kenya's agenda issue forwarded to Africa (provenance there, forwarded_to here), with
    translations (one hidden, one stale, one by a pseudonymous member), a solution, and
    supports of several groups one of which withdrawn."""
    world = network.world
    kenya_issue = network.on_agenda
    update_profile(world.member["government"], display_name="Gita", name_is_public=False, bio="")
    add_translation(
        world.member["government"], kenya_issue, language="fr",
        title="Connectivité rurale abordable", description="Les villages paient *plus*.",
    )  # fmt: skip
    hidden = add_translation(
        world.member["private_sector"], kenya_issue, language="es",
        title="Conectividad rural", description="Los pueblos pagan más.",
    )  # fmt: skip
    moderate_translation(world.steward, hidden, hide=True, reason="Off topic.")
    add_translation(
        world.member["academic_technical"], kenya_issue, language="ru",
        title="Доступная связь", description="Деревни платят больше.",
    )  # fmt: skip
    propose_solution(
        world.member["academic_technical"], kenya_issue, title="Community networks",
        description="Let villages run their own.", language="en",
    )  # fmt: skip
    forward = forward_issue(world.steward, kenya_issue, network.africa)
    africa_issue = Issue.objects.get(pk=forward.target_issue_id)
    support_issue(network.africa_steward, africa_issue)
    return kenya_issue, africa_issue


def test_an_issue_with_translations_forwards_and_solutions_reads_the_same(
    network: Network, monkeypatch: pytest.MonkeyPatch
) -> None:
    kenya_issue, africa_issue = _rich(network)
    withdraw_support(network.world.member["government"], kenya_issue)
    _same(monkeypatch, kenya_issue.pk)
    _same(monkeypatch, africa_issue.pk)
    body = _read(kenya_issue.pk, "fr").json()
    # What the comparison covers is there: the hidden translation is not listed for an
    # anonymous reader, the French one is shown to a French reader, the forward is listed.
    assert [t["language"] for t in body["translations"]] == ["fr", "ru"]
    assert body["translation"]["language"] == "fr"
    assert body["forwarded_to"] == [{"forum": "africa-igf", "issue_id": africa_issue.pk}]
    assert _read(africa_issue.pk, "en").json()["provenance"][0]["forum"] == "kenya-igf"


def test_a_stale_translation_and_an_edited_issue_read_the_same(
    network: Network, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = network.world
    issue = raise_issue(
        world.member["civil_society"], world.forum, title="Open data", description="Publish it.",
        topics=["SDG 16", "data"],
    )  # fmt: skip
    add_translation(
        world.member["government"], issue, language="ar", title="البيانات المفتوحة",
        description="انشرها.",
    )  # fmt: skip
    edit_issue(
        world.member["civil_society"], issue, title="Open data, now",
        description="Publish it **now**.", topics=["data"],
    )  # fmt: skip
    _same(monkeypatch, issue.pk)
    assert _read(issue.pk, "ar").json()["translation"]["stale"] is True


def test_a_merged_issue_and_its_target_read_the_same(
    network: Network, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = network.world
    a = raise_issue(world.member["government"], world.forum, title="A", description="One.")
    b = raise_issue(world.member["private_sector"], world.forum, title="B", description="Two.")
    support_issue(world.member["civil_society"], b)
    merge_issues(world.steward, b, a)
    _same(monkeypatch, a.pk)
    _same(monkeypatch, b.pk)
    assert _read(b.pk, "en").json()["merged_into"] == a.pk


def test_an_unknown_issue_is_the_same_404(monkeypatch: pytest.MonkeyPatch, db: None) -> None:
    _same(monkeypatch, 987654)
    assert _read(987654, "en").status_code == 404


def test_members_read_their_own_view(network: Network, monkeypatch: pytest.MonkeyPatch) -> None:
    """A member who added a translation that was hidden still sees it listed, and whether
    they support the issue: the member's record is not the anonymous one."""
    kenya_issue, _ = _rich(network)
    world = network.world
    auth = {
        "HTTP_AUTHORIZATION": f"Bearer {create_api_token(world.member['private_sector'], 't')[1]}"
    }
    mine = _read(kenya_issue.pk, "en", **auth).json()
    assert [t["language"] for t in mine["translations"]] == ["es", "fr", "ru"]
    assert mine["supported_by_me"] is False
    anonymous = _read(kenya_issue.pk, "en").json()
    assert [t["language"] for t in anonymous["translations"]] == ["fr", "ru"]
    assert anonymous["supported_by_me"] is None


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the one-statement record is PostgreSQL's"
)
def test_on_postgresql_an_anonymous_record_is_one_statement(
    network: Network, monkeypatch: pytest.MonkeyPatch
) -> None:
    kenya_issue, _ = _rich(network)
    _read(kenya_issue.pk, "en")  # the session prepares it on first use
    with CaptureQueriesContext(connection) as fast:
        _read(kenya_issue.pk, "en")
    with CaptureQueriesContext(connection) as orm:
        _orm_read(monkeypatch, kenya_issue.pk, "en")
    assert len(fast.captured_queries) == 1
    assert len(orm.captured_queries) > 1
