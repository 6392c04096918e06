"""The pseudonymous label of a member whose name is not public ("Participant p…") is
shown in the reader's language; the ledger and the copies stored with a record keep it in
English, whatever the language of the request that wrote them."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from commonground.ledger.models import LedgerEntry, PendingEntry
from commonground.participants.models import User
from commonground.participants.services import update_profile
from tests.conftest import World

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_interface")]


def _pseudonymous(world: World) -> User:
    person: User = world.member["civil_society"]
    User.objects.filter(pk=person.pk).update(name_is_public=False)
    person.refresh_from_db()
    return person


@pytest.mark.parametrize(
    ("language", "label"),
    [("es", "Participante"), ("ru", "Участник"), ("zh-hans", "参与者"), ("en", "Participant")],
)
def test_a_pseudonymous_member_is_named_in_the_readers_language(
    world: World, language: str, label: str
) -> None:
    person = _pseudonymous(world)
    url = reverse("participants:profile", args=[person.public_id])
    html = world.client_for(None).get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert f"<h1>{label} {person.public_id}</h1>" in html


def test_the_ledger_records_the_pseudonymous_label_in_english_whatever_the_language(
    world: World,
) -> None:
    person = _pseudonymous(world)
    with translation.override("es"):
        assert person.public_name == f"Participante {person.public_id}"
        update_profile(person, display_name="Cécile", name_is_public=False, bio="")
    recorded = [
        e.fields["name"]
        for model in (LedgerEntry, PendingEntry)
        for e in model.objects.filter(action="participant.profile")
    ]
    assert recorded == [f"Participant {person.public_id}"]
