"""The OpenAPI document lists every route, and the interactive docs are served."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client

from tests.api.conftest import API

ROUTES = {
    ("get", "/api/v1/forums"),
    ("get", "/api/v1/forums/{slug}"),
    ("get", "/api/v1/forums/{slug}/cycles"),
    ("get", "/api/v1/forums/{slug}/issues"),
    ("post", "/api/v1/forums/{slug}/issues"),
    ("post", "/api/v1/forums/{slug}/join"),
    ("get", "/api/v1/issues/{issue_id}"),
    ("patch", "/api/v1/issues/{issue_id}"),
    ("post", "/api/v1/issues/{issue_id}/support"),
    ("delete", "/api/v1/issues/{issue_id}/support"),
    ("get", "/api/v1/participants/{public_id}"),
    ("get", "/api/v1/me"),
}
WRITES = {route for route in ROUTES if route[0] != "get"} | {("get", "/api/v1/me")}


@pytest.fixture
def document(db: None) -> dict:
    response = Client().get(f"{API}/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_openapi_document_lists_every_route(document: dict) -> None:
    listed = {
        (method, path) for path, operations in document["paths"].items() for method in operations
    }
    assert listed >= ROUTES, ROUTES - listed
    assert document["info"]["title"] == "Common Ground API"


def test_openapi_document_declares_bearer_and_session_auth_on_writes(document: dict) -> None:
    schemes = document["components"]["securitySchemes"]
    assert {"type": "http", "scheme": "bearer"}.items() <= schemes["BearerTokenAuth"].items()
    assert schemes["SessionCsrfAuth"]["in"] == "cookie"
    for method, path in WRITES:
        security = document["paths"][path][method]["security"]
        assert {"BearerTokenAuth": []} in security
        assert {"SessionCsrfAuth": []} in security


def test_openapi_document_shows_input_limits(document: dict) -> None:
    issue_in = document["components"]["schemas"]["IssueIn"]
    assert issue_in["properties"]["title"]["maxLength"] == 200
    assert issue_in["properties"]["description"]["maxLength"] == 20_000
    assert issue_in["properties"]["topics"]["maxItems"] == 6
    assert issue_in["properties"]["topics"]["items"]["maxLength"] == 60
    assert issue_in["additionalProperties"] is False


def test_interactive_docs_are_served(db: None) -> None:
    response = Client().get(f"{API}/docs")
    assert response.status_code == 200
    assert b"openapi.json" in response.content


def test_docs_api_md_describes_every_route() -> None:
    text = (Path(__file__).parents[2] / "docs" / "api.md").read_text()
    for method, path in ROUTES:
        short = path.removeprefix("/api/v1").replace("{issue_id}", "{id}")
        assert f"### {method.upper()} {short}" in text, (method, short)
