"""NRI listing: a team of 3+ groups, a coordinator and the last closed cycle's annual report."""

from __future__ import annotations

import pytest

from commonground.core.errors import Conflict, InvalidInput, NotAllowed
from commonground.forums.models import Cycle, Forum
from commonground.ledger.models import LedgerEntry
from commonground.network.nri import add_team_member, file_annual_report, listing
from tests.api.conftest import send
from tests.conftest import World

REPORT = {
    "edition": "Kenya IGF 2026", "dates": "3-4 June 2026", "venue": "Nairobi",
    "preparation": "Open call for topics on the mailing list.", "outcomes": "Three messages.",
}  # fmt: skip


def _close(world: World) -> Cycle:
    Cycle.objects.filter(pk=world.cycle.pk).update(is_open=False)
    world.cycle.refresh_from_db()
    return world.cycle


def test_listed_only_with_three_groups_a_coordinator_and_the_last_report(world: World) -> None:
    forum = world.forum
    assert listing(forum).missing == ["team_groups", "coordinator", "annual_report"]
    add_team_member(world.steward, forum, name="Grace", stakeholder_group="government",
                    role="Chair", coordinator=True)  # fmt: skip
    add_team_member(world.steward, forum, name="Peter", stakeholder_group="private_sector")
    assert listing(forum).missing == ["team_groups", "annual_report"]  # two groups: one short
    add_team_member(world.steward, forum, name="Amina", stakeholder_group="civil_society")
    assert listing(forum).missing == ["annual_report"]  # no closed cycle yet
    cycle = _close(world)
    file_annual_report(world.steward, cycle, **REPORT)
    status = listing(forum)
    assert status.listed and status.missing == []
    assert LedgerEntry.objects.filter(action__in=["team.add", "report.file"]).count() == 4


def test_a_new_coordinator_replaces_the_old_one(world: World) -> None:
    add_team_member(world.steward, world.forum, name="A", stakeholder_group="government",
                    coordinator=True)  # fmt: skip
    add_team_member(world.steward, world.forum, name="B", stakeholder_group="civil_society",
                    coordinator=True)  # fmt: skip
    assert [m.name for m in listing(world.forum).team if m.is_coordinator] == ["B"]


def test_refusals(world: World) -> None:
    with pytest.raises(NotAllowed):
        add_team_member(world.member["government"], world.forum, name="X",
                        stakeholder_group="government")  # fmt: skip
    with pytest.raises(InvalidInput):
        add_team_member(world.steward, world.forum, name="X", stakeholder_group="aliens")
    cycle = _close(world)
    with pytest.raises(InvalidInput, match="venue"):
        file_annual_report(world.steward, cycle, **{**REPORT, "venue": " "})
    file_annual_report(world.steward, cycle, **REPORT)
    with pytest.raises(Conflict):
        file_annual_report(world.steward, cycle, **REPORT)


def test_global_forum_is_no_nri(world: World) -> None:
    status = listing(Forum.objects.get(slug="igf"))
    assert not status.applies and not status.listed and status.missing == []


def test_api_forum_detail_says_what_is_missing_and_stewards_fill_it(world: World) -> None:
    anonymous = world.client_for(None)
    body = send(anonymous, "get", "/forums/kenya-igf").json()
    assert body["nri"] == {"listed": False,
                           "missing": ["team_groups", "coordinator", "annual_report"]}  # fmt: skip
    steward = world.client_for(world.steward)
    team = (("Grace", "government", True), ("Peter", "private_sector", False),
            ("Amina", "civil_society", False))  # fmt: skip
    for name, group, coordinator in team:
        body = {"name": name, "stakeholder_group": group, "coordinator": coordinator}
        response = send(steward, "post", "/forums/kenya-igf/team", body)
        assert response.status_code == 201, response.content
    member = world.client_for(world.member["government"])
    refused = send(member, "post", "/forums/kenya-igf/team",
                   {"name": "X", "stakeholder_group": "government"})  # fmt: skip
    assert refused.status_code == 403
    cycle = _close(world)
    path = f"/forums/kenya-igf/cycles/{cycle.pk}/annual-report"
    assert send(steward, "post", path, REPORT).status_code == 201
    assert send(steward, "post", path, REPORT).status_code == 409
    assert send(anonymous, "get", "/forums/kenya-igf").json()["nri"] == {
        "listed": True,
        "missing": [],
    }
    detail = send(anonymous, "get", "/forums/kenya-igf/nri").json()
    assert [m["name"] for m in detail["team"] if m["coordinator"]] == ["Grace"]
    assert detail["annual_reports"][0]["venue"] == "Nairobi"


def test_pages_show_the_status_and_the_global_forum_lists_the_nris(world: World) -> None:
    anonymous = world.client_for(None)
    page = anonymous.get("/forums/kenya-igf/").content.decode()
    assert "Not listed" in page and "a named coordinator" in page
    steward = world.client_for(world.steward)
    response = steward.post("/forums/kenya-igf/nri/", {"action": "team", "name": "Grace",
                            "stakeholder_group": "government", "coordinator": "on"})  # fmt: skip
    assert response.status_code == 302
    assert "Grace" in anonymous.get("/forums/kenya-igf/nri/").content.decode()
    global_page = anonymous.get("/forums/igf/").content.decode()
    assert "National and regional initiatives" in global_page
    assert "Kenya IGF" in global_page and "Africa IGF" in global_page


def test_api_annual_report_sections_must_not_be_blank(world: World) -> None:
    steward = world.client_for(world.steward)
    path = f"/forums/kenya-igf/cycles/{_close(world).pk}/annual-report"
    assert send(steward, "post", path, {**REPORT, "venue": " \t"}).status_code == 422
    assert send(steward, "post", path, {**REPORT, "venue": " N"}).status_code == 201
