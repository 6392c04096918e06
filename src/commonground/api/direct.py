"""JSON written directly, without django-ninja's validation of the route's answer (issue 19).

django-ninja validates every answer against the route's response schema and dumps the
model again: for a record of the agenda (every issue's figures for six groups) that was
more application CPU than computing the agenda. A hot read route whose dict the server
builds itself, with the schema's field order and types, may answer it through
:func:`json_response`: the same encoder, content type and bytes as django-ninja's answer
(each such route has a test comparing the bytes with the validated answer's). The OpenAPI
document still describes the schema.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpResponse
from ninja.responses import NinjaJSONEncoder

CONTENT_TYPE = "application/json; charset=utf-8"


def json_response(data: Any, status: int = 200) -> HttpResponse:
    """``data`` as django-ninja writes a route's answer: its JSON encoder, its content type."""
    return HttpResponse(
        json.dumps(data, cls=NinjaJSONEncoder), status=status, content_type=CONTENT_TYPE
    )
