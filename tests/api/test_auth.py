"""Authentication: bearer tokens, the session with CSRF, and clear 401s."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from commonground.issues.models import Issue, Support
from commonground.participants.models import ApiToken, User
from commonground.participants.services import create_api_token, revoke_api_token
from tests.api.conftest import API, send, snapshot
from tests.conftest import World

pytestmark = pytest.mark.django_db

# A CSRF secret as Django keeps it in the cookie: 32 letters and digits.
CSRF_SECRET = "abcdefghijklmnopqrstuvwxyzABCDEF"


def test_bearer_token_authenticates_and_records_its_last_use(world: World, issue: Issue) -> None:
    token, key = create_api_token(world.member["government"], "script")
    assert token.last_used_at is None
    response = Client().post(f"{API}/issues/{issue.pk}/support", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 201
    assert Support.objects.filter(issue=issue, membership__user=world.member["government"]).exists()
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_token_is_stored_only_as_its_sha256(world: World) -> None:
    token, key = create_api_token(world.member["government"])
    assert key not in {token.key_hash, token.prefix, token.name}
    assert token.key_hash == ApiToken.hash_key(key)
    assert len(token.key_hash) == 64


def test_bearer_scheme_name_is_case_insensitive(world: World) -> None:
    _, key = create_api_token(world.member["government"])
    response = Client().get(f"{API}/me", HTTP_AUTHORIZATION=f"bearer {key}")
    assert response.status_code == 200


@pytest.mark.parametrize(
    "header",
    ["Bearer cg_wrong", "Bearer ", "Bearer " + "x" * 500, "Bearer cg_a b c"],
)
def test_wrong_token_is_401_on_writes_and_reads(world: World, issue: Issue, header: str) -> None:
    before = snapshot()
    for method, path in (
        ("POST", f"/issues/{issue.pk}/support"),
        ("GET", "/me"),
        ("GET", f"/issues/{issue.pk}"),
        ("GET", "/forums/kenya-igf/issues"),
    ):
        response = send(Client(), method, path, headers={"HTTP_AUTHORIZATION": header})
        assert response.status_code == 401, (method, path)
        assert response.json() == {"detail": "The API token is wrong or has been revoked."}
    assert snapshot() == before


def test_revoked_token_is_401(world: World, issue: Issue) -> None:
    token, key = create_api_token(world.member["government"])
    revoke_api_token(world.member["government"], token.pk)
    response = Client().post(f"{API}/issues/{issue.pk}/support", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 401
    assert not Support.objects.exists()


def test_token_of_a_deactivated_account_is_401(world: World) -> None:
    _, key = create_api_token(world.member["government"])
    User.objects.filter(pk=world.member["government"].pk).update(is_active=False)
    response = Client().get(f"{API}/me", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 401


def test_other_authorization_schemes_are_not_accepted(world: World) -> None:
    _, key = create_api_token(world.member["government"])
    for header in (f"Token {key}", f"Basic {key}", key):
        response = Client().get(f"{API}/me", HTTP_AUTHORIZATION=header)
        assert response.status_code == 401, header
        assert "Authentication required" in response.json()["detail"]


def test_session_post_without_csrf_token_is_403_and_changes_nothing(
    world: World, issue: Issue
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.member["government"])
    before = snapshot()
    for method, path, body in (
        ("POST", f"/issues/{issue.pk}/support", None),
        ("DELETE", f"/issues/{issue.pk}/support", None),
        ("PATCH", f"/issues/{issue.pk}", {"title": "x"}),
        ("POST", "/forums/kenya-igf/issues", {"title": "t", "description": "d"}),
        ("POST", "/forums/africa-igf/join", {"stakeholder_group": "government", "country": "KE"}),
    ):
        response = send(client, method, path, body)
        assert response.status_code == 403, path
        assert response.json()["detail"].startswith("CSRF check failed")
    client.cookies["csrftoken"] = CSRF_SECRET
    response = send(
        client, "POST", f"/issues/{issue.pk}/support", headers={"HTTP_X_CSRFTOKEN": "wrong" * 8}
    )
    assert response.status_code == 403
    assert snapshot() == before


def test_session_post_with_csrf_token_works(world: World, issue: Issue) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.member["private_sector"])
    client.cookies["csrftoken"] = CSRF_SECRET
    response = send(
        client, "POST", f"/issues/{issue.pk}/support", headers={"HTTP_X_CSRFTOKEN": CSRF_SECRET}
    )
    assert response.status_code == 201, response.content
    assert response.json()["supports_by_group"]["private_sector"] == 1


def test_session_reads_need_no_csrf_token(world: World, issue: Issue) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.member["government"])
    assert client.get(f"{API}/me").status_code == 200
    assert client.get(f"{API}/issues/{issue.pk}").json()["supported_by_me"] is False


def test_bearer_post_needs_no_csrf_token(world: World, issue: Issue) -> None:
    _, key = create_api_token(world.member["government"])
    client = Client(enforce_csrf_checks=True)
    response = client.post(f"{API}/issues/{issue.pk}/support", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 201


def test_anonymous_post_is_401_even_when_csrf_is_enforced(world: World, issue: Issue) -> None:
    response = Client(enforce_csrf_checks=True).post(f"{API}/issues/{issue.pk}/support")
    assert response.status_code == 401
    assert "Authentication required" in response.json()["detail"]


def test_me_needs_authentication(world: World) -> None:
    response = Client().get(f"{API}/me")
    assert response.status_code == 401
    assert "Authentication required" in response.json()["detail"]


def test_wrong_token_is_401_on_every_public_read(world: World, issue: Issue) -> None:
    # Every GET of the OpenAPI document, public or not, with its path filled with real
    # records: a present but wrong token never reads as anonymous (issue 11.2).
    document = Client().get(f"{API}/openapi.json").json()
    known = {"slug": world.forum.slug, "issue_id": str(issue.pk), "public_id": "p000000000000"}
    paths = []
    for path, operations in document["paths"].items():
        if "get" in operations:
            paths.append(re.sub(r"\{(\w+)\}", lambda m: known.get(m[1], "1"), path))
    assert f"{API}/forums" in paths and f"{API}/ledger/entries" in paths
    for path in paths:
        for header in ("Bearer cg_wrong", "Bearer", "bearer  "):
            response = Client().get(path, HTTP_AUTHORIZATION=header)
            assert response.status_code == 401, (path, header, response.status_code)
            assert response.json() == {"detail": "The API token is wrong or has been revoked."}
            assert response["WWW-Authenticate"] == 'Bearer realm="api"'
