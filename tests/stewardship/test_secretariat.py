"""The secretariat on the web and in the API (issue 11.15): a superuser, or a steward under
the forum they run, creates forums; stewards or a superuser open cycles; stewards list and
verify members."""

from __future__ import annotations

import pytest
from django.urls import reverse

from commonground.core.errors import NotAllowed
from commonground.forums.models import Cycle, Forum
from commonground.forums.services import advance_cycle, create_forum, open_cycle
from commonground.participants.models import Membership, User
from tests.api.conftest import bearer, send
from tests.conftest import World

pytestmark = pytest.mark.django_db

NAIROBI = {"slug": "nairobi-igf", "name": "Nairobi IGF", "level": "subnational"}


@pytest.fixture
def root(db: None) -> User:
    return User.objects.create_superuser("root@example.org", "pw-root-123456")


def _close(world: World) -> None:
    for _ in range(7):
        advance_cycle(None, world.forum)


def test_steward_creates_a_forum_under_their_forum_only(world: World) -> None:
    forum = create_forum(world.steward, parent="kenya-igf", **NAIROBI)
    assert forum.parent == world.forum
    with pytest.raises(NotAllowed):
        create_forum(world.steward, slug="ke-youth", name="Y", level="youth", parent="igf")
    with pytest.raises(NotAllowed):
        create_forum(world.member["government"], parent="kenya-igf", **{**NAIROBI, "slug": "x-y"})


def test_superuser_creates_a_top_forum_and_opens_a_cycle(world: World, root: User) -> None:
    forum = create_forum(root, slug="youth-igf", name="Youth IGF", level="youth")
    assert open_cycle(root, forum, "2027").phase == "call_for_issues"


def test_create_page_for_the_secretariat(world: World) -> None:
    steward = world.client_for(world.steward)
    url = reverse("forums:create")
    assert steward.get(url).status_code == 200
    response = steward.post(url, {**NAIROBI, "parent": "kenya-igf"})
    assert response.status_code == 302
    assert Forum.objects.get(slug="nairobi-igf").parent == world.forum
    assert world.client_for(world.member["government"]).get(url).status_code == 403
    home = steward.get(reverse("forums:home")).content.decode()
    assert url in home
    assert url not in world.client_for(world.member["government"]).get("/").content.decode()


def test_create_page_refuses_a_parent_one_does_not_run(world: World) -> None:
    response = world.client_for(world.steward).post(
        reverse("forums:create"), {**NAIROBI, "level": "national", "parent": "igf"}
    )
    assert response.status_code == 400
    assert not Forum.objects.filter(slug="nairobi-igf").exists()


def test_new_cycle_page_opens_a_cycle_once_the_last_is_closed(world: World, root: User) -> None:
    url = reverse("forums:new_cycle", args=["kenya-igf"])
    steward = world.client_for(world.steward)
    assert steward.post(url, {"name": "2028"}).status_code == 409  # 2027 is open
    _close(world)
    assert (
        "Open a cycle" in steward.get(reverse("forums:detail", args=["kenya-igf"])).content.decode()
    )
    assert steward.post(url, {"name": "2028"}).status_code == 302
    assert Cycle.objects.get(forum=world.forum, is_open=True).name == "2028"
    member = world.client_for(world.member["government"])
    assert member.get(url).status_code == 403
    africa = reverse("forums:new_cycle", args=["africa-igf"])
    assert world.client_for(root).post(africa, {"name": "2027"}).status_code == 302


# -- API


def test_api_create_forum(world: World, root: User, client) -> None:
    body = {**NAIROBI, "parent": "kenya-igf"}
    assert send(client, "POST", "/forums", body).status_code == 401
    member = bearer(world.member["government"])
    assert send(client, "POST", "/forums", body, headers=member).status_code == 403
    response = send(client, "POST", "/forums", body, headers=bearer(world.steward))
    assert response.status_code == 201 and response.json()["parent"] == "kenya-igf"
    assert send(client, "POST", "/forums", body, headers=bearer(world.steward)).status_code == 409
    top = {"slug": "youth-igf", "name": "Youth IGF", "level": "youth"}
    assert send(client, "POST", "/forums", top, headers=bearer(world.steward)).status_code == 403
    assert send(client, "POST", "/forums", top, headers=bearer(root)).status_code == 201
    assert send(client, "GET", "/forums").status_code == 200


def test_api_sub_national_forum_without_parent_is_422(world: World, root: User, client) -> None:
    orphan = {"slug": "mombasa-igf", "name": "Mombasa IGF", "level": "subnational"}
    answer = send(client, "POST", "/forums", orphan, headers=bearer(root))
    assert answer.status_code == 422
    placed = {**orphan, "parent": "kenya-igf"}
    assert send(client, "POST", "/forums", placed, headers=bearer(root)).status_code == 201


def test_api_open_cycle(world: World, client) -> None:
    path = "/forums/kenya-igf/cycles"
    steward = bearer(world.steward)
    assert send(client, "POST", path, {"name": "2028"}, headers=steward).status_code == 409
    _close(world)
    member = bearer(world.member["government"])
    assert send(client, "POST", path, {"name": "2028"}, headers=member).status_code == 403
    assert send(client, "POST", path, {"name": "2028"}).status_code == 401
    response = send(client, "POST", path, {"name": "2028"}, headers=steward)
    assert response.status_code == 201 and response.json()["phase"] == "call_for_issues"


def test_api_members_and_verification(world: World, client) -> None:
    gov = world.member["government"].public_id
    steward = bearer(world.steward)
    pending = send(client, "GET", "/forums/kenya-igf/members?verified=false", headers=steward)
    assert pending.status_code == 200 and gov in {m["participant"] for m in pending.json()["items"]}
    member = bearer(world.member["private_sector"])
    assert send(client, "GET", "/forums/kenya-igf/members", headers=member).status_code == 403
    assert send(client, "GET", "/forums/kenya-igf/members").status_code == 401
    path = f"/forums/kenya-igf/members/{gov}/verification"
    assert send(client, "POST", path, {"verified": True}, headers=member).status_code == 403
    response = send(client, "POST", path, {"verified": True}, headers=steward)
    assert response.status_code == 200 and response.json()["verified"] is True
    assert Membership.objects.get(user__public_id=gov).verified
    response = send(client, "POST", path, {"verified": False}, headers=steward)
    assert response.json()["verified"] is False


def test_who_may_is_checked_before_the_input(world: World, client) -> None:
    """Someone who may not act is refused as such (403), however bad the input."""
    member = bearer(world.member["government"])
    bad = {"slug": "a-b-c", "name": "X", "level": "global", "parent": "igf"}
    assert send(client, "POST", "/forums", bad, headers=member).status_code == 403
    assert (
        send(client, "POST", "/forums", {**bad, "slug": "new"}, headers=member).status_code == 403
    )
