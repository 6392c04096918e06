"""Community translation routes: add one to an issue, edit it, hide or restore it."""

from __future__ import annotations

from typing import Annotated, Any

from django.utils.translation import gettext as _
from ninja import Path, Router, Schema, Status

from commonground.access.lookup import get_issue
from commonground.api.auth import AUTH, ApiRequest
from commonground.api.schemas import (
    MAX_ID,
    WRITE_ERRORS,
    IssueId,
    TranslationIn,
    TranslationOut,
    TranslationPatch,
    errors,
)
from commonground.api.serializers import kind_out
from commonground.core.errors import InvalidInput
from commonground.issues import translating
from commonground.issues.models import IssueTranslation
from commonground.issues.translations import ISSUE, add_translation, get_translation

router = Router(tags=["issues"])

TranslationId = Annotated[int, Path(ge=1, le=MAX_ID, description="The translation's id.")]

ERRORS = errors(*WRITE_ERRORS)


def translation_out(translation: IssueTranslation) -> dict[str, Any]:
    """One community translation of an issue, serialized."""
    return kind_out(ISSUE, translation)


def patch_kind(
    kind: translating.Kind, request: ApiRequest, translation_id: int, payload: Schema
) -> dict[str, Any]:
    """Edit (the title and body, by its author) and/or hide or restore (a steward) a
    translation of any kind: only the fields sent are changed."""
    translation = translating.get_translation(kind, translation_id)
    sent = payload.model_dump(exclude_unset=True, exclude_none=True)
    if not sent.keys() & {"title", kind.body, "hidden"}:
        raise InvalidInput(_("Send the fields to change, or hidden with a reason."))
    if "title" in sent or kind.body in sent:
        translating.edit_translation(
            kind,
            request.auth,
            translation,
            title=sent.get("title", translation.title),
            body=sent.get(kind.body, getattr(translation, kind.body)),
        )
    if "hidden" in sent:
        translating.moderate_translation(
            kind, request.auth, translation, hide=sent["hidden"], reason=sent.get("reason", "")
        )
    return kind_out(kind, translating.get_translation(kind, translation_id))


@router.post(
    "/issues/{issue_id}/translations",
    auth=AUTH,
    response={201: TranslationOut, **ERRORS},
    summary="Add a community translation of an issue",
)
def translation_add(
    request: ApiRequest, issue_id: IssueId, payload: TranslationIn
) -> Status[dict[str, Any]]:
    """Any active member of the issue's forum adds a translation into another of the six
    languages: 400 for the issue's own language, 409 when that language has one already."""
    issue = get_issue(issue_id)
    translation = add_translation(
        request.auth,
        issue,
        language=payload.language,
        title=payload.title,
        description=payload.description,
    )
    return Status(201, translation_out(get_translation(translation.pk)))


@router.patch(
    "/translations/{translation_id}",
    auth=AUTH,
    response={200: TranslationOut, **ERRORS},
    summary="Edit, hide or restore a community translation",
)
def translation_patch(
    request: ApiRequest, translation_id: TranslationId, payload: TranslationPatch
) -> dict[str, Any]:
    """Title and description by the member who added it (403 for anyone else); ``hidden``
    with a ``reason`` by a steward of the issue's forum."""
    return patch_kind(ISSUE, request, translation_id, payload)
