"""The API object; routes are added by the modules beside this one.

Importing this module registers every route (see the bottom). Errors of any kind
leave as JSON ``{"detail": "<message>"}`` with a 4xx status: service refusals
keep their status and message, validation errors become a 422 with a readable
message (and the per-field ``errors``), and a missing login is a 401.
"""

import copy
import re
from collections import defaultdict
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext, ngettext
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.schema import OpenAPISchema

from commonground.api.auth import NO_AUTH_MESSAGE
from commonground.api.middleware import body_too_large
from commonground.core.errors import ServiceError

# A response property that names another resource: its value is that resource's path id.
REFERENCES = {"author": "participants"}

# Route packages that were once one module: their operations keep that module's ids.
SPLIT_ROUTE_MODULES = ("commonground.api.contributions",)


def _resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _first_item(document: dict[str, Any], schema: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """Where a response body holds one record: itself, its first element, or a page's first."""
    schema = _resolve(document, schema)
    if schema.get("type") == "array":
        return "/0", _resolve(document, schema.get("items", {}))
    items = schema.get("properties", {}).get("items", {})
    if items.get("type") == "array":  # a page: {"count": ..., "items": [...]}
        return "/items/0", _resolve(document, items.get("items", {}))
    return "", schema


def add_links(document: dict[str, Any], root: str) -> None:
    """Add OpenAPI links from the responses that return records to the operations on them.

    A response of ``.../issues`` (a created issue, or a list or page of them) links to every
    operation under ``/issues/{issue_id}``, passing the record's ``id`` (or the property named
    like the parameter, such as a forum's ``slug``); an ``author`` links to the participant's
    profile. Clients and Schemathesis's stateful phase follow these links to chain calls.
    """
    paths: dict[str, dict[str, Any]] = document["paths"]
    item_ops: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for path, operations in paths.items():
        match = re.fullmatch(re.escape(root) + r"([a-z_]+)/\{(\w+)\}(/.*)?", path)
        if match:
            for operation in operations.values():
                item_ops[match[1]].append((operation["operationId"], match[2]))
    for path, operations in paths.items():
        collection = path.rsplit("/", 1)[-1]
        for operation in operations.values():
            for status, response in operation["responses"].items():
                schema = response.get("content", {}).get("application/json", {}).get("schema")
                if not 200 <= int(status) < 300 or schema is None:
                    continue
                pointer, item = _first_item(document, schema)
                fields = item.get("properties", {})
                sources = [(collection, pointer)] + [
                    (target, f"{pointer}/{name}") for name, target in REFERENCES.items()
                    if name in fields
                ]  # fmt: skip
                links: dict[str, Any] = {}
                for target, base in sources:
                    for operation_id, param in item_ops.get(target, []):
                        key = param if param in fields and base == pointer else "id"
                        if operation_id != operation["operationId"]:
                            links[operation_id] = {
                                "operationId": operation_id,
                                "parameters": {f"path.{param}": f"$response.body#{base}/{key}"},
                            }
                if links:
                    response["links"] = links


# The refusals any operation may answer, each a JSON ``{"detail": ...}`` (ErrorOut):
# 400 refused input, 401 no or a wrong token, 403 not allowed, 404 no such object, 409
# wrong phase or state, 413 body over the limit, 422 input that does not fit the schema,
# 429 a rate limit. Every operation of the document declares them (those a route names
# itself keep its wording), so routes added later inherit them (HELPERS.md).
DECLARED_ERRORS = {
    "400": "Refused input: the detail says what is wrong.",
    "401": "No credentials, or a wrong or expired token.",
    "403": "Not allowed for this member (role, group or authorship).",
    "404": "No such object (or one this caller may not see).",
    "409": "Not possible in the current phase or state.",
    "413": "The request body is over the documented limit.",
    "422": "The input does not fit this schema: one message per field.",
    "429": "Too many requests: a rate limit; try again later.",
}


def add_error_responses(document: dict[str, Any]) -> None:
    """Declare ``DECLARED_ERRORS`` on every operation that does not already declare them."""
    error = {"$ref": "#/components/schemas/ErrorOut"}
    for operations in document["paths"].values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            for status, description in DECLARED_ERRORS.items():
                responses.setdefault(
                    status,
                    {
                        "description": description,
                        "content": {"application/json": {"schema": error}},
                    },
                )


class CommonGroundAPI(NinjaAPI):
    """The API, whose OpenAPI document also carries the links between operations."""

    def get_openapi_operation_id(self, operation: Any) -> str:
        """The route's module and function name, as django-ninja makes it; a route module
        split into a package (``SPLIT_ROUTE_MODULES``) keeps its ids, which clients use."""
        module = operation.view_func.__module__
        for package in SPLIT_ROUTE_MODULES:
            if module.startswith(package + "."):
                module = package
        return f"{module}_{operation.view_func.__name__}".replace(".", "_")

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        # The routes do not change once the process has started, and building the document
        # walks every operation's schemas (seconds of CPU): it is built once per root and
        # each caller gets its own copy, free to change it.
        root = path_prefix if path_prefix is not None else self.get_root_path(path_params or {})
        key = (path_prefix, root)
        cache: dict[tuple[str | None, str], OpenAPISchema] = self.__dict__.setdefault(
            "_openapi_documents", {}
        )
        if key not in cache:
            document = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
            add_links(document, root)
            if "ErrorOut" in document.get("components", {}).get("schemas", {}):
                add_error_responses(document)
            cache[key] = document
        return copy.deepcopy(cache[key])


api = CommonGroundAPI(
    title="Common Ground API",
    version="1",
    urls_namespace="api",
    # /api/v1/docs is the light page (api/docs_page.py) that links this one.
    docs_url="/docs/interactive",
    description=(
        "Forums, cycles, issues, supports and public participant profiles of a "
        "Common Ground forum network. Reading is open to anyone; writing needs an "
        "API token (`Authorization: Bearer <token>`) or a logged-in session with its "
        'CSRF token. Errors are JSON `{"detail": "<message>"}`. See docs/api.md.'
    ),
)


def _error(request: HttpRequest, status: int, detail: str, **extra: Any) -> HttpResponse:
    return api.create_response(request, {"detail": detail, **extra}, status=status)


@api.exception_handler(ServiceError)
def service_error(request: HttpRequest, exc: ServiceError) -> HttpResponse:
    """A service refused: its status (400/401/403/404/409/429) and its message."""
    return _error(request, exc.status, exc.message)


@api.exception_handler(AuthenticationError)
def authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    """No (valid) credentials: 401 with how to authenticate."""
    message = exc.message if exc.message != "Unauthorized" else NO_AUTH_MESSAGE
    response = _error(request, 401, message)
    response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """Errors ninja raises itself (unparsable body, CSRF failure)."""
    message = exc.message
    if message.startswith("Cannot parse request body"):
        message = "The request body is not valid JSON: send a JSON object."
    return _error(request, exc.status_code, message)


def _field_path(location: list[Any]) -> str:
    # ninja locations look like ["body", "payload", "title"] or ["query", "limit"].
    parts = [str(p) for p in location if p not in {"body", "query", "path", "payload"}]
    if not parts and location[:1] == ["body"]:
        return "body"  # the body as a whole, e.g. a JSON list where an object belongs
    return ".".join(parts)


# An answer to bad input stays small however bad the input: the first problems, each cut
# to a bounded length, and a count of the rest (docs/api.md, "Limits").
MAX_PROBLEMS = 20
MAX_PROBLEM_CHARS = 200


def _cut(text: str) -> str:
    return text if len(text) <= MAX_PROBLEM_CHARS else text[: MAX_PROBLEM_CHARS - 1] + "…"


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """Input that does not fit the schema: 422 with one readable line per problem (the first
    ``MAX_PROBLEMS`` of them)."""
    errors = [
        {
            "field": _cut(_field_path(list(error.get("loc", [])))),
            "message": _cut(str(error.get("msg", ""))),
        }
        for error in exc.errors[:MAX_PROBLEMS]
    ]
    lines = [f"{e['field']}: {e['message']}" if e["field"] else e["message"] for e in errors]
    detail = "; ".join(lines) or gettext("Invalid input.")
    rest = len(exc.errors) - len(errors)
    if rest > 0:
        more = ngettext("… and %(count)s more problem.", "… and %(count)s more problems.", rest)
        detail = f"{detail}; {more % {'count': f'{rest:,}'}}"
    return _error(request, 422, detail, errors=errors)


@api.exception_handler(RequestDataTooBig)
def body_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    """A body larger than Django reads (a Content-Length the body limit did not see)."""
    return body_too_large(int(request.META.get("CONTENT_LENGTH") or 0))


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, str(exc) or "Not found.")


# Register the routes: importing this module is enough to get the whole API.
from commonground.api import agenda, forums, issues, participants  # noqa: E402

api.add_router("", forums.router)
api.add_router("", agenda.router)
api.add_router("", issues.router)
api.add_router("", participants.router)

from commonground.api import ledger  # noqa: E402

api.add_router("", ledger.router)

from commonground.api import contributions  # noqa: E402

api.add_router("", contributions.router)

from commonground.api import dialogue  # noqa: E402

api.add_router("", dialogue.router)

from commonground.api import network  # noqa: E402

api.add_router("", network.router)

from commonground.api import forum_settings  # noqa: E402

api.add_router("", forum_settings.router)

from commonground.api import messages  # noqa: E402

api.add_router("", messages.router)

from commonground.api import meetings  # noqa: E402

api.add_router("", meetings.router)

from commonground.api import moderation  # noqa: E402

api.add_router("", moderation.router)

from commonground.api import stewardship  # noqa: E402

api.add_router("", stewardship.router)
from commonground.api import deliveries  # noqa: E402

api.add_router("", deliveries.router)

from commonground.api import remote_forums  # noqa: E402

api.add_router("", remote_forums.router)

from commonground.api import federation_received  # noqa: E402

api.add_router("", federation_received.router)

from commonground.api import translations  # noqa: E402

api.add_router("", translations.router)

from commonground.api import content_translations  # noqa: E402

api.add_router("", content_translations.router)
