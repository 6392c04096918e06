"""Forum pages: the tree, joining with a declared group, verification and phase changes."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from commonground.access.phases import PHASES
from commonground.forums.models import Cycle, PhaseChange
from commonground.forums.services import join_forum
from commonground.ledger.models import LedgerEntry
from commonground.participants.models import Membership
from commonground.recognition.models import AgendaPublication
from tests.conftest import World, make_user

pytestmark = pytest.mark.django_db


def test_home_shows_the_forum_tree(world: World, anonymous) -> None:
    body = anonymous.get("/").content.decode()
    assert body.index("Global IGF") < body.index("Africa IGF") < body.index("Kenya IGF")


def test_forum_page_shows_cycle_phase_parent_and_counts(world: World, anonymous) -> None:
    response = anonymous.get(reverse("forums:detail", args=["kenya-igf"]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Cycle 2027" in body and "Call for issues" in body
    assert 'href="/forums/africa-igf/"' in body
    # Members by group: the steward is civil society too, so two civil-society members.
    assert "CSO · Civil society: 2" in body and "GOV · Government: 1" in body
    assert "African: 3" in body  # KE, SN and the steward's KE


def test_unknown_forum_is_404(anonymous, db: None) -> None:
    assert anonymous.get("/forums/nowhere/").status_code == 404


def test_outsider_joins_with_declared_group_and_derived_region(world: World) -> None:
    client = world.client_for(world.outsider)
    response = client.post(
        reverse("forums:join", args=["kenya-igf"]),
        {
            "stakeholder_group": "academic_technical",
            "country": "MX",
            "other_hats": ["civil_society"],
        },
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user=world.outsider)
    assert membership.stakeholder_group == "academic_technical"
    assert membership.region == "grulac"
    assert membership.other_hats == ["civil_society"]
    assert not membership.verified
    assert LedgerEntry.objects.filter(
        action="membership.join", object_id=str(membership.pk)
    ).exists()


def test_join_with_unknown_group_is_refused(world: World) -> None:
    client = world.client_for(world.outsider)
    response = client.post(
        reverse("forums:join", args=["kenya-igf"]), {"stakeholder_group": "media", "country": "KE"}
    )
    assert response.status_code == 400
    assert not Membership.objects.filter(user=world.outsider).exists()


def test_joining_twice_is_refused_by_the_service(world: World) -> None:
    from commonground.core.errors import Conflict

    with pytest.raises(Conflict):
        join_forum(
            world.member["government"], world.forum, stakeholder_group="government", country="KE"
        )


def test_anonymous_join_redirects_to_login(world: World, anonymous) -> None:
    response = anonymous.get(reverse("forums:join", args=["kenya-igf"]))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_steward_sees_join_requests_and_verifies(world: World) -> None:
    client = world.client_for(world.steward)
    membership = world.membership["government"]
    page = client.get(reverse("forums:members", args=["kenya-igf"]))
    assert page.status_code == 200 and b"Join requests awaiting verification (7)" in page.content
    response = client.post(
        reverse("forums:verify", args=["kenya-igf", membership.pk]), {"verified": "1"}
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.verified and membership.verified_at is not None


def test_member_cannot_verify_or_see_join_requests(world: World) -> None:
    client = world.client_for(world.member["civil_society"])
    membership = world.membership["government"]
    assert client.get(reverse("forums:members", args=["kenya-igf"])).status_code == 403
    response = client.post(reverse("forums:verify", args=["kenya-igf", membership.pk]))
    assert response.status_code == 403
    membership.refresh_from_db()
    assert not membership.verified


def test_steward_advances_phase_and_it_is_logged(world: World) -> None:
    response = world.client_for(world.steward).post(
        reverse("forums:advance", args=["kenya-igf"]), {"to": "agenda_setting"}
    )
    assert response.status_code == 302
    cycle = Cycle.objects.get(pk=world.cycle.pk)
    assert cycle.phase == "agenda_setting"
    assert PhaseChange.objects.filter(cycle=cycle, to_phase="agenda_setting").exists()
    assert LedgerEntry.objects.filter(action="cycle.advance").count() == 1


def test_member_cannot_advance_phase(world: World) -> None:
    response = world.client_for(world.member["government"]).post(
        reverse("forums:advance", args=["kenya-igf"]), {"to": "agenda_setting"}
    )
    assert response.status_code == 403
    assert Cycle.objects.get(pk=world.cycle.pk).phase == "call_for_issues"


def test_advancing_past_follow_up_closes_the_cycle(world: World) -> None:
    client = world.client_for(world.steward)
    for to in [*PHASES[1:], "closed"]:
        client.post(reverse("forums:advance", args=["kenya-igf"]), {"to": to})
    cycle = Cycle.objects.get(pk=world.cycle.pk)
    assert not cycle.is_open and cycle.closed_at is not None
    response = client.post(reverse("forums:advance", args=["kenya-igf"]), {"to": "closed"})
    assert response.status_code == 409


def test_get_never_changes_state(world: World) -> None:
    client = world.client_for(world.steward)
    before = LedgerEntry.objects.count()
    for name in ("advance", "members", "settings"):
        client.get(reverse(f"forums:{name}", args=["kenya-igf"]))
    client.get(reverse("recognition:publish", args=["kenya-igf"]))
    assert LedgerEntry.objects.count() == before
    assert Cycle.objects.get(pk=world.cycle.pk).phase == "call_for_issues"
    assert not AgendaPublication.objects.exists()


def test_public_profile_never_shows_email(world: World, anonymous) -> None:
    user = world.member["civil_society"]
    body = anonymous.get(reverse("participants:profile", args=[user.public_id])).content.decode()
    assert user.public_id in body and user.email not in body


def test_country_code_in_either_case_is_one_country_on_web_api_and_cli(world: World) -> None:
    # Issue 11.18: "ke" is Kenya wherever a country is given (web form, API, command line).
    from commonground.cli import main as cli
    from commonground.participants.services import create_api_token

    client = world.client_for(world.outsider)
    response = client.post(
        reverse("forums:join", args=["kenya-igf"]),
        {"stakeholder_group": "academic_technical", "country": "ke"},
    )
    assert response.status_code == 302
    assert Membership.objects.get(user=world.outsider, forum=world.forum).country == "KE"

    other = make_user("lower.case@example.org")
    _, key = create_api_token(other)
    response = Client().post(
        "/api/v1/forums/kenya-igf/join",
        {"stakeholder_group": "private_sector", "country": "ke"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert response.status_code == 201
    assert response.json()["country"] == "KE"

    assert cli(["participant", "create", "cli.case@example.org", "--forum", "kenya-igf",
                "--group", "government", "--country", "ke"]) == 0  # fmt: skip
    assert Membership.objects.get(user__email="cli.case@example.org").country == "KE"
