"""The API documentation page (issue 17.5 and 17.6): light, in the site's layout, complete.

``/api/v1/docs`` lists every operation of the OpenAPI document under the site's header
with a way back, in the reader's language, under the site's content security policy; the
interactive Swagger UI (about 2 MB) is one link away at ``/api/v1/docs/interactive``.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_the_docs_page_lists_every_operation_of_the_openapi_document_in_the_site_layout() -> None:
    client = Client()
    document = client.get("/api/v1/openapi.json").json()
    expected = {
        (method.upper(), path)
        for path, operations in document["paths"].items()
        for method in operations
    }
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    listed = set(re.findall(r'<code class="api-method">(\w+)</code> <a href="[^"]*" dir="ltr">'
                            r'<code class="wrap-anywhere">([^<]+)</code>', html))  # fmt: skip
    assert listed == expected
    assert 'class="site-header"' in html and 'href="/"' in html  # the header and a way back
    assert 'href="/api/v1/docs/interactive"' in html and 'href="/api/v1/openapi.json"' in html
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert len(response.content) < 100_000


def test_the_docs_page_speaks_the_readers_language() -> None:
    response = Client(headers={"accept-language": "ar"}).get("/api/v1/docs")
    assert re.search(r'<html lang="ar" dir="rtl">', response.content.decode())


def test_the_interactive_docs_stay_one_link_away() -> None:
    response = Client().get("/api/v1/docs/interactive")
    assert response.status_code == 200
    assert b"swagger-ui" in response.content
    assert "Content-Security-Policy" not in response  # it loads its own scripts
