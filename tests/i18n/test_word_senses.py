"""One English word, two meanings, two translations: "Report" (report abuse / a session's
report), "Statement" (in a conversation / a government's signal), "Object" (an
objection to a message / the object of a ledger entry)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation
from django.utils.translation import pgettext

from commonground.contributions.services.comments import add_comment
from commonground.issues.services import raise_issue
from tests.conftest import World

pytestmark = pytest.mark.django_db

SENSES = [
    ("report abuse", "Report", "Signaler", "Denunciar"),
    ("session report", "Report", "Rapport", "Informe"),
    ("conversation", "Statement", "Affirmation", "Afirmación"),
    ("signal of concern", "Statement", "Déclaration", "Declaración"),
    ("position on a message", "Object", "Objection", "Objeción"),
    ("ledger entry", "Object", "Objet", "Objeto"),
]


@pytest.mark.parametrize(("context", "word", "french", "spanish"), SENSES)
def test_each_sense_has_its_own_translation(
    context: str, word: str, french: str, spanish: str
) -> None:
    with translation.override("fr"):
        assert pgettext(context, word) == french
    with translation.override("es"):
        assert pgettext(context, word) == spanish


def test_the_report_button_on_a_comment_says_signaler_not_rapport(world: World) -> None:
    issue = raise_issue(world.member["civil_society"], world.forum, title="T", description="D")
    add_comment(world.member["private_sector"], issue=issue, body="A comment.")
    client = world.client_for(world.member["government"])
    html = client.get(issue.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "<summary>Signaler</summary>" in html
    assert "<summary>Rapport</summary>" not in html


def test_the_ledger_page_s_object_column_is_objet_not_objection(
    world: World, anonymous: Client
) -> None:
    raise_issue(world.member["civil_society"], world.forum, title="T", description="D")
    html = anonymous.get("/ledger/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert '<th scope="col">Objet</th>' in html and ">Objection<" not in html
