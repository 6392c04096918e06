"""Forum settings routes: read them, and (stewards) change some of them.

Both schemas are built from ``forums.forum_settings.SETTINGS``, the one list of
settings, so a setting added there appears here (and in the OpenAPI document) unchanged.
"""

from __future__ import annotations

import json
from typing import Any

from django.utils.translation import gettext as _
from ninja import Router
from pydantic import ConfigDict, Field, create_model

from commonground.access.lookup import get_forum
from commonground.api.auth import AUTH, ApiRequest
from commonground.api.schemas import NO_NUL_PATTERN, WRITE_ERRORS, ErrorOut, errors
from commonground.core.errors import InvalidInput
from commonground.forums.forum_settings import SETTINGS, Setting, current, update_settings

router = Router(tags=["forums"])

ForumSettingsOut = create_model(  # type: ignore[call-overload]
    "ForumSettingsOut",
    __config__=ConfigDict(title="ForumSettingsOut"),
    **{s.name: (s.kind, Field(description=str(s.help_text))) for s in SETTINGS},
)

# Text that is more than white space, without NUL (what the service accepts for a name).
_SOME_TEXT = r"^[^\u0000]*[^\s\u0000][^\u0000]*$"


def _property(setting: Setting) -> dict[str, Any]:
    """The JSON schema of one setting: the same type and bounds as the service checks."""
    schema: dict[str, Any] = {"description": str(setting.help_text)}
    if setting.kind is bool:
        schema["type"] = "boolean"
    elif setting.kind is str:
        schema.update(type="string", maxLength=setting.max_length)
        schema["pattern"] = NO_NUL_PATTERN if setting.multiline else _SOME_TEXT
    else:
        schema["type"] = "integer" if setting.kind is int else "number"
        schema.update(minimum=setting.minimum, maximum=setting.maximum)
    return schema


SETTINGS_IN = {
    "title": "ForumSettingsIn",
    "type": "object",
    "properties": {s.name: _property(s) for s in SETTINGS},
    "additionalProperties": False,
    "minProperties": 1,
}


def _json_object(request: ApiRequest) -> dict[str, Any]:
    try:
        body = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        raise InvalidInput(_("The request body is not valid JSON: send a JSON object.")) from None
    if not isinstance(body, dict):
        raise InvalidInput(_("body: send a JSON object of the settings to change."))
    return body


@router.get(
    "/forums/{slug}/settings",
    response={200: ForumSettingsOut, 404: ErrorOut},
    summary="A forum's settings",
)
def forum_settings(request: ApiRequest, slug: str) -> dict[str, Any]:
    """Every setting of the forum: recognition, contributions and moderation, and more."""
    return current(get_forum(slug))


@router.patch(
    "/forums/{slug}/settings",
    auth=AUTH,
    response={200: ForumSettingsOut, **errors(*WRITE_ERRORS)},
    summary="Change some of a forum's settings (stewards)",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": SETTINGS_IN}},
        }
    },
)
def change_forum_settings(request: ApiRequest, slug: str) -> dict[str, Any]:
    """A steward changes the settings named in the body and leaves the others as they are.
    A bad value or an unknown name is a 400 whose ``detail`` starts with the setting's name,
    and changes nothing. The ledger records the changed settings (``forum.settings``)."""
    forum = get_forum(slug)
    forum = update_settings(request.auth, forum, _json_object(request))
    return current(forum)
