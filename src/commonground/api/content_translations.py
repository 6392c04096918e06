"""Community translation routes of solutions and messages: list them, add one, edit it,
hide or restore it (the issue routes are in ``translations``; one mechanism for all)."""

from __future__ import annotations

from typing import Annotated, Any

from ninja import Path, Router, Status

from commonground.access.lookup import get_message, get_visible_contribution
from commonground.api.auth import AUTH, ApiRequest, optional_user
from commonground.api.content_translation_schemas import (
    MessageTranslationIn,
    MessageTranslationOut,
    MessageTranslationPatch,
    SolutionTranslationIn,
    SolutionTranslationOut,
    SolutionTranslationPatch,
)
from commonground.api.contributions.common import SolutionId
from commonground.api.messages_schemas import MessageId
from commonground.api.schemas import MAX_ID, WRITE_ERRORS, errors
from commonground.api.serializers import kind_out
from commonground.api.translations import patch_kind
from commonground.contributions.services.translations import SOLUTION
from commonground.issues import translating
from commonground.outcomes.translations import MESSAGE

router = Router(tags=["translations"])

TranslationId = Annotated[int, Path(ge=1, le=MAX_ID, description="The translation's id.")]

READ = errors(404, 422)
WRITE = errors(*WRITE_ERRORS)


def _listed(kind: translating.Kind, parent: Any, request: ApiRequest) -> list[dict[str, Any]]:
    user = optional_user(request)
    return [kind_out(kind, t) for t in translating.visible_translations(kind, parent, user)]


def _added(kind: translating.Kind, request: ApiRequest, parent: Any, payload: Any) -> Any:
    sent = payload.model_dump()
    translation = translating.add_translation(
        kind,
        request.auth,
        parent,
        language=sent["language"],
        title=sent["title"],
        body=sent[kind.body],
    )
    return Status(201, kind_out(kind, translating.get_translation(kind, translation.pk)))


@router.get(
    "/solutions/{solution_id}/translations",
    response={200: list[SolutionTranslationOut], **READ},
    summary="Community translations of a solution",
)
def solution_translations(request: ApiRequest, solution_id: SolutionId) -> list[dict[str, Any]]:
    """Hidden ones are listed only to their author and the forum's stewards."""
    solution = get_visible_contribution("solution", solution_id, optional_user(request))
    return _listed(SOLUTION, solution, request)


@router.post(
    "/solutions/{solution_id}/translations",
    auth=AUTH,
    response={201: SolutionTranslationOut, **WRITE},
    summary="Add a community translation of a solution",
)
def solution_translation_add(
    request: ApiRequest, solution_id: SolutionId, payload: SolutionTranslationIn
) -> Status[dict[str, Any]]:
    """Any active member of the forum adds a translation into another of the six
    languages: 409 for the solution's own language, for a language that has one already
    and for a solution hidden by moderation."""
    solution = get_visible_contribution("solution", solution_id, request.auth)
    added: Status[dict[str, Any]] = _added(SOLUTION, request, solution, payload)
    return added


@router.patch(
    "/solution-translations/{translation_id}",
    auth=AUTH,
    response={200: SolutionTranslationOut, **WRITE},
    summary="Edit, hide or restore a community translation of a solution",
)
def solution_translation_patch(
    request: ApiRequest, translation_id: TranslationId, payload: SolutionTranslationPatch
) -> dict[str, Any]:
    """Title and description by the member who added it (403 for anyone else); ``hidden``
    with a ``reason`` by a steward of the forum."""
    return patch_kind(SOLUTION, request, translation_id, payload)


@router.get(
    "/messages/{message_id}/translations",
    response={200: list[MessageTranslationOut], **READ},
    summary="Community translations of a message",
)
def message_translations(request: ApiRequest, message_id: MessageId) -> list[dict[str, Any]]:
    """Hidden ones are listed only to their author and the forum's stewards."""
    return _listed(MESSAGE, get_message(message_id), request)


@router.post(
    "/messages/{message_id}/translations",
    auth=AUTH,
    response={201: MessageTranslationOut, **WRITE},
    summary="Add a community translation of a message",
)
def message_translation_add(
    request: ApiRequest, message_id: MessageId, payload: MessageTranslationIn
) -> Status[dict[str, Any]]:
    """Any active member of the forum adds a translation of the message's current version
    into another of the six languages: 409 for the message's own language and for a
    language that has one already."""
    added: Status[dict[str, Any]] = _added(MESSAGE, request, get_message(message_id), payload)
    return added


@router.patch(
    "/message-translations/{translation_id}",
    auth=AUTH,
    response={200: MessageTranslationOut, **WRITE},
    summary="Edit, hide or restore a community translation of a message",
)
def message_translation_patch(
    request: ApiRequest, translation_id: TranslationId, payload: MessageTranslationPatch
) -> dict[str, Any]:
    """Title and text by the member who added it (403 for anyone else); ``hidden`` with a
    ``reason`` by a steward of the forum."""
    return patch_kind(MESSAGE, request, translation_id, payload)
