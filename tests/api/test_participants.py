"""Participant routes: public profiles never show the e-mail; /me shows the caller everything."""

from __future__ import annotations

import pytest
from django.test import Client

from commonground.forums.services import join_forum
from commonground.issues.services import raise_issue
from commonground.participants.models import User
from commonground.participants.services import set_verified
from tests.api.conftest import API, bearer
from tests.conftest import World

pytestmark = pytest.mark.django_db


def test_public_profile_shows_name_bio_memberships_and_issue_counts(world: World) -> None:
    person = world.member["government"]
    User.objects.filter(pk=person.pk).update(bio="Ministry of ICT.")
    set_verified(world.steward, world.membership["government"])
    join_forum(
        person,
        world.forum.parent,
        stakeholder_group="government",
        country="KE",
        affiliation="Ministry of ICT",
        other_hats=["academic_technical"],
    )
    raise_issue(person, world.forum, title="One", description="d")
    raise_issue(person, world.forum, title="Two", description="d")

    response = Client().get(f"{API}/participants/{person.public_id}")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"id", "name", "bio", "memberships", "issues_raised"}
    assert body["id"] == person.public_id
    assert body["name"] == person.public_name
    assert body["bio"] == "Ministry of ICT."
    assert body["issues_raised"] == 2
    africa, kenya = body["memberships"]
    assert kenya == {
        **kenya,
        "forum": "kenya-igf",
        "stakeholder_group": "government",
        "verified": True,
        "country": "KE",
        "region": "african",
        "role": "participant",
        "issues_raised": 2,
    }
    assert africa["forum"] == "africa-igf"
    assert africa["affiliation"] == "Ministry of ICT"
    assert africa["other_hats"] == ["academic_technical"]
    assert africa["issues_raised"] == 0
    assert "status" not in kenya
    assert person.email not in response.content.decode()
    assert "@" not in response.content.decode()


def test_public_profile_shows_the_pseudonym_when_the_name_is_private(world: World) -> None:
    person = world.member["private_sector"]
    User.objects.filter(pk=person.pk).update(display_name="Paula P.", name_is_public=False)
    body = Client().get(f"{API}/participants/{person.public_id}").json()
    assert body["name"] == f"Participant {person.public_id}"
    assert "Paula" not in str(body)


def test_steward_role_is_public(world: World) -> None:
    body = Client().get(f"{API}/participants/{world.steward.public_id}").json()
    assert body["memberships"][0]["role"] == "steward"


def test_unknown_or_deactivated_participant_is_404(world: World) -> None:
    response = Client().get(f"{API}/participants/pnobody")
    assert response.status_code == 404
    assert response.json() == {"detail": "No participant 'pnobody'."}
    User.objects.filter(pk=world.outsider.pk).update(is_active=False)
    response = Client().get(f"{API}/participants/{world.outsider.public_id}")
    assert response.status_code == 404


def test_me_shows_the_callers_own_profile_with_email(world: World) -> None:
    person = world.member["civil_society"]
    raise_issue(person, world.forum, title="Mine", description="d")
    for client, headers in ((Client(), bearer(person)), (world.client_for(person), {})):
        response = client.get(f"{API}/me", **headers)
        assert response.status_code == 200
        body = response.json()
        assert body["id"] == person.public_id
        assert body["email"] == "cecile.civil@example.org"
        assert body["display_name"] == person.display_name
        assert body["name_is_public"] is True
        assert body["issues_raised"] == 1
        [membership] = body["memberships"]
        assert membership["forum"] == "kenya-igf"
        assert membership["status"] == "active"
        assert membership["stakeholder_group"] == "civil_society"


def test_me_of_an_outsider_has_no_memberships(world: World) -> None:
    body = Client().get(f"{API}/me", **bearer(world.outsider)).json()
    assert body["memberships"] == []
    assert body["issues_raised"] == 0
