"""The OpenAPI document lists every route, and the interactive docs are served."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
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


@pytest.fixture(scope="module")
def document(django_db_setup: None, django_db_blocker: Any) -> dict:
    """The document, fetched once for the module: building it takes seconds and no test
    changes what it describes. The request runs in a transaction rolled back at once, so
    whatever it writes (a cache row) is not left to the next test."""
    with django_db_blocker.unblock(), transaction.atomic():
        response = Client().get(f"{API}/openapi.json")
        transaction.set_rollback(True)
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


def _operations(document: dict) -> list[tuple[str, str, dict]]:
    return [
        (method, path, operation)
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
    ]


def test_operations_declare_422_for_typed_input_and_401_403_when_secured(
    document: dict,
) -> None:
    for method, path, operation in _operations(document):
        declared = set(operation["responses"])
        # Any text is a valid string parameter; numbers, choices and bodies can fail to parse.
        typed = [
            p["name"]
            for p in operation.get("parameters", [])
            if p["schema"].get("type") != "string"
            or set(p["schema"]) - {"type", "title", "description"}
        ]
        if typed or operation.get("requestBody"):
            assert "422" in declared, (method, path, declared)
        if operation.get("security"):
            assert "401" in declared, (method, path, declared)
            if method != "get":  # a session without its CSRF token is refused with 403
                assert "403" in declared, (method, path, declared)


def test_every_error_response_is_the_detail_shape(document: dict) -> None:
    for method, path, operation in _operations(document):
        for status, response in operation["responses"].items():
            if int(status) >= 400:
                schema = response["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/ErrorOut"}, (method, path, status)


def test_schema_names_are_not_shared_by_different_shapes(document: dict) -> None:
    # The forum's recognition settings and the agenda's once shared one component name,
    # so the document described one of them wrongly.
    forum = document["components"]["schemas"]["RecognitionSettingsOut"]["properties"]
    agenda = document["components"]["schemas"]["AgendaSettingsOut"]["properties"]
    assert "agenda_slots" in forum and "slots" in agenda


def test_created_records_link_to_the_operations_on_them(document: dict) -> None:
    created = document["paths"]["/api/v1/forums/{slug}/issues"]["post"]["responses"]["201"]
    links = {link["operationId"]: link["parameters"] for link in created["links"].values()}
    detail = document["paths"]["/api/v1/issues/{issue_id}"]["get"]["operationId"]
    profile = document["paths"]["/api/v1/participants/{public_id}"]["get"]["operationId"]
    assert links[detail] == {"path.issue_id": "$response.body#/id"}
    assert links[profile] == {"path.public_id": "$response.body#/author/id"}
    page = document["paths"]["/api/v1/forums/{slug}/issues"]["get"]["responses"]["200"]
    assert page["links"][detail]["parameters"] == {"path.issue_id": "$response.body#/items/0/id"}


def test_text_fields_state_that_nul_is_refused(document: dict) -> None:
    title = document["components"]["schemas"]["IssueIn"]["properties"]["title"]
    # Required text also declares that it is not blank (issue 11.17); either way NUL fails.
    assert title["pattern"] == "^[^\\u0000]*[^\\s\\u0000\\u001c-\\u001f][^\\u0000]*$"
    assert re.search(title["pattern"], "a title") and not re.search(title["pattern"], "a\x00")
    assert not re.search(title["pattern"], " \t ")
