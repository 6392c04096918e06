"""A message's original language and its community translations through the API, with the
rules shared with issues and solutions: one per other language, limits at their boundary,
edited by their author only, hidden and restored by a steward, each change in the ledger."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from commonground.issues.models import Issue
from commonground.ledger.models import LedgerEntry as Entry
from commonground.outcomes.models import MAX_TEXT, Message, MessageTranslation
from commonground.participants.models import User
from tests.api.conftest import bearer, send
from tests.conftest import World

pytestmark = pytest.mark.django_db

SPANISH = {
    "language": "es",
    "title": "Conectar cada aldea",
    "text": "La conectividad rural necesita financiación **pública**.",
}


def _call(user: User | None, method: str, url: str, body: dict[str, Any] | None = None) -> Any:
    return send(Client(), method, url, body, headers=bearer(user) if user else None)


def test_a_message_is_drafted_in_a_chosen_language_and_a_revision_may_change_it(
    world: World, agenda_issue: Issue
) -> None:
    drafted = _call(
        world.steward,
        "post",
        f"/forums/{world.forum.slug}/messages",
        {"issue_id": agenda_issue.pk, "title": "Relier", "text": "Texte.", "language": "fr"},
    )
    assert drafted.status_code == 201, drafted.content
    pk = drafted.json()["id"]
    assert _call(None, "get", f"/messages/{pk}").json()["language"] == "fr"
    revised = _call(
        world.steward,
        "post",
        f"/messages/{pk}/versions",
        {"title": "Relier", "text": "Texte.", "language": "en"},
    )
    assert revised.status_code == 201  # the language alone changed: a new version
    assert Message.objects.get(pk=pk).language == "en"
    unknown = _call(
        world.steward,
        "post",
        f"/messages/{pk}/versions",
        {"title": "R", "text": "T", "language": "xx"},
    )
    assert unknown.status_code == 422


def test_any_member_translates_a_message_shown_in_its_list_with_the_ledger_entry(
    world: World, message: Message
) -> None:
    added = _call(
        world.member["government"], "post", f"/messages/{message.pk}/translations", SPANISH
    )
    assert added.status_code == 201, added.content
    body = added.json()
    assert body["message"] == message.pk and "<strong>pública</strong>" in body["text_html"]
    listed = _call(None, "get", f"/messages/{message.pk}/translations").json()
    assert [t["id"] for t in listed] == [body["id"]]
    entry = Entry.objects.get(action="message_translation.add")
    assert set(entry.fields) == {"message", "language", "title_sha256", "text_sha256"}


def test_a_message_translation_into_its_own_or_a_taken_language_is_409(
    world: World, message: Message
) -> None:
    url = f"/messages/{message.pk}/translations"
    own = _call(world.member["government"], "post", url, {**SPANISH, "language": message.language})
    assert own.status_code == 409
    assert _call(world.member["government"], "post", url, SPANISH).status_code == 201
    assert _call(world.member["civil_society"], "post", url, SPANISH).status_code == 409
    assert MessageTranslation.objects.count() == 1


def test_a_message_translations_text_limit_holds_at_the_boundary(
    world: World, message: Message
) -> None:
    url = f"/messages/{message.pk}/translations"
    at_limit = {**SPANISH, "text": "x" * MAX_TEXT}
    assert _call(world.member["government"], "post", url, at_limit).status_code == 201
    past = {**SPANISH, "language": "ru", "text": "x" * (MAX_TEXT + 1)}
    assert _call(world.member["government"], "post", url, past).status_code == 422
    assert MessageTranslation.objects.count() == 1


def test_a_message_translation_is_edited_by_its_author_and_hidden_by_a_steward(
    world: World, message: Message
) -> None:
    added = _call(
        world.member["government"], "post", f"/messages/{message.pk}/translations", SPANISH
    ).json()
    url = f"/message-translations/{added['id']}"
    assert _call(world.member["civil_society"], "patch", url, {"text": "Otro."}).status_code == 403
    edited = _call(world.member["government"], "patch", url, {"text": "Otro texto."})
    assert edited.status_code == 200 and edited.json()["text"] == "Otro texto."
    assert (
        _call(world.member["government"], "patch", url, {"hidden": True, "reason": "x"}).status_code
        == 403
    )
    hidden = _call(world.steward, "patch", url, {"hidden": True, "reason": "Machine output"})
    assert hidden.status_code == 200 and hidden.json()["hidden"] is True
    assert _call(None, "get", f"/messages/{message.pk}/translations").json() == []
    restored = _call(world.steward, "patch", url, {"hidden": False, "reason": "Checked"})
    assert restored.status_code == 200 and restored.json()["hidden"] is False
    actions = list(
        Entry.objects.filter(action__startswith="message_translation.").values_list(
            "action", flat=True
        )
    )
    assert actions == [
        "message_translation.add",
        "message_translation.edit",
        "message_translation.hide",
        "message_translation.restore",
    ]
