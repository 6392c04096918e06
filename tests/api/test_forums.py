"""Forum routes: the tree, one forum with its public counts, cycles, the issue list, joining."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from commonground.forums.services import advance_cycle, create_forum, open_cycle
from commonground.issues.models import Issue
from commonground.issues.services import raise_issue, support_issue
from commonground.participants.models import Membership
from commonground.stakeholders import GROUPS, REGIONS
from tests.api.conftest import API, bearer, send
from tests.conftest import World, make_user

pytestmark = pytest.mark.django_db


def test_forum_list_gives_slug_name_level_parent_and_open_cycle(world: World) -> None:
    response = Client().get(f"{API}/forums")
    assert response.status_code == 200
    forums = {f["slug"]: f for f in response.json()}
    assert set(forums) == {"igf", "africa-igf", "kenya-igf"}
    assert forums["igf"] == {
        "slug": "igf",
        "name": "Global IGF",
        "level": "global",
        "parent": None,
        "parent_url": None,  # a parent on another instance (docs/federation.md)
        "country": "",
        "region": "",
        "open_cycle": None,
    }
    assert forums["africa-igf"]["parent"] == "igf"
    kenya = forums["kenya-igf"]
    assert kenya["parent"] == "africa-igf"
    assert kenya["level"] == "national"
    assert kenya["country"] == "KE"
    assert kenya["region"] == "african"
    assert kenya["open_cycle"] == {
        "id": world.cycle.pk,
        "name": "2027",
        "phase": "call_for_issues",
        "phase_label": "Call for issues",
    }


def test_forum_list_costs_the_same_queries_however_many_forums(world: World) -> None:
    with CaptureQueriesContext(connection) as few:
        Client().get(f"{API}/forums")
    for n in range(5):
        forum = create_forum(
            None,
            slug=f"nri-{n}",
            name=f"NRI {n}",
            level="national",
            parent="africa-igf",
            country="NG",
        )
        open_cycle(None, forum, "2027")
    with CaptureQueriesContext(connection) as many:
        Client().get(f"{API}/forums")
    assert len(many.captured_queries) == len(few.captured_queries)


def test_forum_detail_has_children_open_cycle_and_counts_by_every_group_and_region(
    world: World,
) -> None:
    raise_issue(world.member["government"], world.forum, title="A", description="a")
    raise_issue(world.member["private_sector"], world.forum, title="B", description="b")
    raise_issue(world.member["private_sector"], world.forum, title="C", description="c")
    response = Client().get(f"{API}/forums/africa-igf")
    assert response.status_code == 200
    assert response.json()["children"] == ["kenya-igf"]
    assert response.json()["open_cycle"] is None
    assert response.json()["inputs"]["cycle"] is None

    data = Client().get(f"{API}/forums/kenya-igf").json()
    assert data["slug"] == "kenya-igf"
    assert data["parent"] == "africa-igf"
    assert data["children"] == []
    assert data["ancestors"] == ["igf", "africa-igf"]
    assert data["open_cycle"]["id"] == world.cycle.pk
    inputs = data["inputs"]
    assert inputs["cycle"] == world.cycle.pk
    assert list(inputs["by_group"]) == list(GROUPS)
    assert list(inputs["by_region"]) == list(REGIONS)
    assert inputs["total"] == 3
    assert inputs["by_group"]["government"] == 1
    assert inputs["by_group"]["private_sector"] == 2
    assert inputs["by_group"]["civil_society"] == 0
    assert inputs["by_region"] == {
        "african": 1,
        "asia_pacific": 0,
        "eastern_european": 0,
        "grulac": 2,
        "weog": 0,
    }
    members = data["members"]
    assert members["total"] == 7  # six personas and the steward
    assert members["by_group"]["civil_society"] == 2
    assert sum(members["by_region"].values()) == 7
    assert data["recognition"] == {
        "min_groups": 3,
        "min_supporters": 2,
        "min_share": 0.05,
        "agenda_slots": 20,
    }


def test_unknown_forum_is_404_with_message(world: World) -> None:
    for path in ("/forums/nowhere", "/forums/nowhere/cycles", "/forums/nowhere/issues"):
        response = Client().get(f"{API}{path}")
        assert response.status_code == 404
        assert response.json() == {"detail": "No forum 'nowhere'."}


def test_cycles_list_every_cycle_with_its_phase_history(world: World) -> None:
    advance_cycle(world.steward, world.forum)
    advance_cycle(None, world.forum)
    response = Client().get(f"{API}/forums/kenya-igf/cycles")
    assert response.status_code == 200
    [cycle] = response.json()
    assert cycle["id"] == world.cycle.pk
    assert cycle["forum"] == "kenya-igf"
    assert cycle["name"] == "2027"
    assert cycle["phase"] == "call_for_sessions"
    assert cycle["is_open"] is True
    assert cycle["closed_at"] is None
    assert cycle["issue_count"] == 0
    history = cycle["phase_history"]
    assert [(h["from_phase"], h["to_phase"]) for h in history] == [
        (None, "call_for_issues"),
        ("call_for_issues", "agenda_setting"),
        ("agenda_setting", "call_for_sessions"),
    ]
    assert history[1]["changed_by"] == world.steward.public_id
    assert history[2]["changed_by"] is None


def _raise(world: World, group: str, title: str, description: str = "text", **kw: object) -> Issue:
    return raise_issue(world.member[group], world.forum, title=title, description=description, **kw)  # type: ignore[arg-type]


def test_issue_list_is_sorted_by_support_then_earliest_and_paginated(world: World) -> None:
    first = _raise(world, "government", "First raised")
    second = _raise(world, "civil_society", "Second raised")
    third = _raise(world, "academic_technical", "Third raised")
    for group in ("government", "private_sector"):
        support_issue(world.member[group], third)
    support_issue(world.member["government"], second)

    page = Client().get(f"{API}/forums/kenya-igf/issues").json()
    assert page["count"] == 3
    assert page["limit"] == 20
    assert page["offset"] == 0
    assert [i["id"] for i in page["items"]] == [third.pk, second.pk, first.pk]

    page = Client().get(f"{API}/forums/kenya-igf/issues?limit=1&offset=1").json()
    assert page == {**page, "count": 3, "limit": 1, "offset": 1}
    assert [i["id"] for i in page["items"]] == [second.pk]
    past_end = Client().get(f"{API}/forums/kenya-igf/issues?offset=10").json()
    assert past_end["count"] == 3
    assert past_end["items"] == []


def test_issue_list_sort_newest_puts_latest_first(world: World) -> None:
    old = _raise(world, "government", "Old")
    new = _raise(world, "civil_society", "New")
    Issue.objects.filter(pk=old.pk).update(raised_at=new.raised_at - timedelta(days=1))
    support_issue(world.member["government"], old)
    page = Client().get(f"{API}/forums/kenya-igf/issues?sort=newest").json()
    assert [i["id"] for i in page["items"]] == [new.pk, old.pk]


def test_issue_list_filters_by_words_topic_author_group_and_region(world: World) -> None:
    water = _raise(world, "government", "Water data", "Open **hydrology** data", topics=["SDG 6"])
    spectrum = _raise(world, "private_sector", "Spectrum auctions", "Prices", topics=["spectrum"])
    schools = _raise(
        world, "academic_technical", "School links", "Fibre for schools", topics=["SDG 4", "fibre"]
    )

    def ids(query: str) -> list[int]:
        response = Client().get(f"{API}/forums/kenya-igf/issues?{query}")
        assert response.status_code == 200, response.content
        return sorted(i["id"] for i in response.json()["items"])

    assert ids("q=hydrology") == [water.pk]
    assert ids("q=SCHOOLS") == [schools.pk]
    assert ids("q=fibre+schools") == [schools.pk]
    assert ids("topic=sdg-6") == [water.pk]
    assert ids("topic=SDG%204") == [schools.pk]
    assert ids("topic=fibre") == [schools.pk]
    assert ids("group=government") == [water.pk]
    assert ids("group=civil_society") == []
    assert ids("region=asia_pacific") == [schools.pk]  # the academic persona is in India
    assert ids("region=african&group=government") == [water.pk]
    assert ids(f"cycle={world.cycle.pk}") == sorted([water.pk, spectrum.pk, schools.pk])


def test_issue_list_rejects_unknown_filters_values_with_422(world: World) -> None:
    for query in (
        "group=pirates",
        "region=mars",
        "sort=random",
        "limit=0",
        "limit=101",
        "offset=-1",
        "cycle=abc",
    ):
        response = Client().get(f"{API}/forums/kenya-igf/issues?{query}")
        assert response.status_code == 422, query
        assert isinstance(response.json()["detail"], str)
        assert response.json()["detail"]
    # A topic no issue can have is an empty page, not an error (issue 11.17).
    response = Client().get(f"{API}/forums/kenya-igf/issues?topic=SDG+18")
    assert response.status_code == 200 and response.json()["count"] == 0
    response = Client().get(f"{API}/forums/kenya-igf/issues?cycle=999999")
    assert response.status_code == 404
    assert response.json()["detail"] == "Kenya IGF has no cycle 999999."


def test_issue_list_reads_a_page_in_a_fixed_number_of_queries(world: World) -> None:
    """No N+1: authors, topics, tallies and the caller's supports are batched."""
    headers = bearer(world.member["government"])
    for n in range(2):
        _raise(world, "civil_society", f"Issue {n}", topics=["a", "b"])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = Client().get(f"{API}/forums/kenya-igf/issues", **headers)
        assert response.status_code == 200
        return len(captured.captured_queries)

    queries()  # the token's first use records last_used_at once
    few = queries()
    for n in range(12):
        issue = _raise(world, GROUPS[n % 6], f"More {n}", topics=["c", f"t{n}", "SDG 5"])
        support_issue(world.member["government"], issue)
    assert queries() == few


def test_supported_by_me_in_the_list_reflects_the_caller(world: World, issue: Issue) -> None:
    support_issue(world.member["government"], issue)
    mine = Client().get(f"{API}/forums/kenya-igf/issues", **bearer(world.member["government"]))
    assert mine.json()["items"][0]["supported_by_me"] is True
    other = Client().get(f"{API}/forums/kenya-igf/issues", **bearer(world.member["private_sector"]))
    assert other.json()["items"][0]["supported_by_me"] is False
    anonymous = Client().get(f"{API}/forums/kenya-igf/issues")
    assert anonymous.json()["items"][0]["supported_by_me"] is None


def test_join_creates_an_unverified_membership_and_answers_201(world: World) -> None:
    newcomer = make_user("nadia.newcomer@example.org", "Nadia")
    response = send(
        Client(),
        "POST",
        "/forums/kenya-igf/join",
        {
            "stakeholder_group": "private_sector",
            "country": "ng",
            "affiliation": "ISP Ltd",
            "other_hats": ["civil_society", "private_sector"],
        },
        headers=bearer(newcomer),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["forum"] == "kenya-igf"
    assert body["stakeholder_group"] == "private_sector"
    assert body["country"] == "NG"
    assert body["region"] == "african"
    assert body["verified"] is False
    assert body["role"] == "participant"
    assert body["status"] == "active"
    assert body["other_hats"] == ["civil_society"]
    membership = Membership.objects.get(forum=world.forum, user=newcomer)
    assert membership.affiliation == "ISP Ltd"


@pytest.mark.parametrize("topic", ["\u0086)", "SDG 18", "---", "sdg-0"])
def test_a_topic_no_issue_can_have_filters_to_an_empty_page(world: World, topic: str) -> None:
    # Issue 11.17: what the schema allows is answered, not refused: no issue has that topic.
    raise_issue(world.member["civil_society"], world.forum, title="Data", description="Costs.")
    response = Client().get(f"/api/v1/forums/{world.forum.slug}/issues", {"topic": topic})
    assert response.status_code == 200, response.content
    assert response.json()["count"] == 0 and response.json()["items"] == []
