"""The API's documentation page: light, in the site's layout, every operation listed.

``/api/v1/docs`` is this page (a few kilobytes, readable on a phone, in the reader's
language, with the site's header and a way back); the interactive Swagger UI, which loads
about 2 MB of scripts, stays one link away at ``/api/v1/docs/interactive``.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from commonground.api.router import api

INTERACTIVE_DOCS_URL = "/api/v1/docs/interactive"
METHODS = ("get", "post", "put", "patch", "delete")


@cache
def _sections() -> list[dict[str, Any]]:
    """The operations by tag, in the order the document names them (built once a process)."""
    document = api.get_openapi_schema()
    sections: dict[str, list[dict[str, str]]] = {}
    for path, operations in document["paths"].items():
        for method in METHODS:
            operation = operations.get(method)
            if operation is None:
                continue
            tag = (operation.get("tags") or ["api"])[0]
            sections.setdefault(tag, []).append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "anchor": f"{INTERACTIVE_DOCS_URL}#/{tag}/{operation['operationId']}",
                }
            )
    return [{"tag": tag, "operations": ops} for tag, ops in sections.items()]


def api_docs(request: HttpRequest) -> HttpResponse:
    """Every operation of the API with its method, path and summary."""
    sections = _sections()
    context = {
        "sections": sections,
        "count": sum(len(section["operations"]) for section in sections),
        "interactive_url": INTERACTIVE_DOCS_URL,
        "title": api.title,
        "version": api.version,
    }
    return render(request, "api/docs.html", context)
