"""Issue routes: raise, read, edit, support and withdraw support (happy paths, exact fields)."""

from __future__ import annotations

import pytest
from django.test import Client

from commonground.api.router import api
from commonground.api.schemas import SupportOut
from commonground.issues.models import Issue, Support
from commonground.issues.services import support_issue
from commonground.ledger.models import LedgerEntry
from commonground.stakeholders import GROUPS
from tests.api.conftest import API, bearer, send
from tests.conftest import World

pytestmark = pytest.mark.django_db

ISSUE_FIELDS = {
    "id",
    "forum",
    "cycle",
    "title",
    "description",
    "description_html",
    "language",
    "topics",
    "raised_at",
    "updated_at",
    "author",
    "support_count",
    "supports_by_group",
    "supported_by_me",
    "translation",
}


def test_raising_an_issue_answers_201_with_its_id_and_the_issue(world: World) -> None:
    author = world.member["academic_technical"]
    response = send(
        Client(),
        "POST",
        "/forums/kenya-igf/issues",
        {
            "title": "  Open   standards for e-government ",
            "description": "Use *open* formats.\n\n<script>alert(1)</script>",
            "topics": ["SDG 16", "open standards", "sdg-16"],
        },
        headers=bearer(author),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == ISSUE_FIELDS
    issue = Issue.objects.get(pk=body["id"])
    assert body["title"] == issue.title == "Open standards for e-government"
    assert body["forum"] == "kenya-igf"
    assert body["cycle"]["id"] == world.cycle.pk
    assert "<em>open</em>" in body["description_html"]
    assert "<script" not in body["description_html"]
    assert [t["slug"] for t in body["topics"]] == ["sdg-16", "open-standards"]
    assert body["topics"][0]["is_sdg"] is True
    assert body["author"] == {
        "id": author.public_id,
        "name": author.public_name,
        "stakeholder_group": "academic_technical",
        "verified": False,
    }
    assert body["support_count"] == 0
    assert body["supports_by_group"] == dict.fromkeys(GROUPS, 0)
    assert body["supported_by_me"] is False
    assert LedgerEntry.objects.filter(action="issue.raise", object_id=str(issue.pk)).exists()


def test_issue_detail_has_contract_fields_for_anyone(world: World, issue: Issue) -> None:
    support_issue(world.member["government"], issue)
    support_issue(world.member["intergovernmental"], issue)
    response = Client().get(f"{API}/issues/{issue.pk}")
    assert response.status_code == 200
    body = response.json()
    # The detail adds the network fields (issue 15): where it came from and went.
    assert set(body) == ISSUE_FIELDS | {"provenance", "forwarded_to", "merged_into", "translations"}
    assert body["id"] == issue.pk
    assert body["forum"] == "kenya-igf"
    assert body["cycle"] == {
        "id": world.cycle.pk,
        "name": "2027",
        "phase": "call_for_issues",
        "phase_label": "Call for issues",
    }
    assert body["title"] == "Affordable rural connectivity"
    assert body["description"] == "Villages pay **more** for less bandwidth."
    assert (
        body["description_html"]
        == "<p>Villages pay <strong>more</strong> for less bandwidth.</p>\n"
    )
    assert [t["slug"] for t in body["topics"]] == ["sdg-9", "access"]
    assert body["raised_at"].startswith(issue.raised_at.strftime("%Y-%m-%dT%H:%M"))
    author = world.member["civil_society"]
    assert body["author"] == {
        "id": author.public_id,
        "name": author.public_name,
        "stakeholder_group": "civil_society",
        "verified": False,
    }
    assert "email" not in str(body)
    assert body["support_count"] == 2
    assert body["supports_by_group"] == {
        **dict.fromkeys(GROUPS, 0),
        "government": 1,
        "intergovernmental": 1,
    }
    assert list(body["supports_by_group"]) == list(GROUPS)
    assert body["supported_by_me"] is None


def test_issue_detail_tells_an_authenticated_caller_whether_they_support_it(
    world: World, issue: Issue
) -> None:
    support_issue(world.member["government"], issue)
    supporter = Client().get(f"{API}/issues/{issue.pk}", **bearer(world.member["government"]))
    assert supporter.json()["supported_by_me"] is True
    session = world.client_for(world.member["private_sector"]).get(f"{API}/issues/{issue.pk}")
    assert session.json()["supported_by_me"] is False
    outsider = Client().get(f"{API}/issues/{issue.pk}", **bearer(world.outsider))
    assert outsider.json()["supported_by_me"] is False


def test_supports_by_group_reads_the_tally_columns(world: World, issue: Issue) -> None:
    Issue.objects.filter(pk=issue.pk).update(supports_private_sector=7)
    body = Client().get(f"{API}/issues/{issue.pk}").json()
    assert body["supports_by_group"]["private_sector"] == 7


def test_unknown_issue_is_404_with_message(world: World) -> None:
    response = Client().get(f"{API}/issues/424242")
    assert response.status_code == 404
    assert response.json() == {"detail": "No issue 424242."}


def test_author_edits_title_description_and_topics_with_patch(world: World, issue: Issue) -> None:
    headers = bearer(world.member["civil_society"])
    response = send(
        Client(),
        "PATCH",
        f"/issues/{issue.pk}",
        {"title": "Affordable rural broadband"},
        headers=headers,
    )
    assert response.status_code == 200, response.content
    assert response.json()["title"] == "Affordable rural broadband"
    assert response.json()["description"] == issue.description  # not sent: unchanged
    assert [t["slug"] for t in response.json()["topics"]] == ["sdg-9", "access"]

    response = send(
        Client(),
        "PATCH",
        f"/issues/{issue.pk}",
        {"description": "Now *with* data.", "topics": ["SDG 10"]},
        headers=headers,
    )
    assert response.status_code == 200
    issue.refresh_from_db()
    assert issue.title == "Affordable rural broadband"
    assert issue.description == "Now *with* data."
    assert "<em>with</em>" in issue.description_html
    assert [t.slug for t in issue.topics.all()] == ["sdg-10"]
    assert LedgerEntry.objects.filter(action="issue.edit").count() == 2


def test_support_answers_201_when_new_and_200_when_it_existed(world: World, issue: Issue) -> None:
    headers = bearer(world.member["government"])
    first = send(Client(), "POST", f"/issues/{issue.pk}/support", headers=headers)
    assert first.status_code == 201
    assert first.json() == {
        "issue": issue.pk,
        "support_count": 1,
        "supports_by_group": {**dict.fromkeys(GROUPS, 0), "government": 1},
        "supported_by_me": True,
    }
    again = send(Client(), "POST", f"/issues/{issue.pk}/support", headers=headers)
    assert again.status_code == 200
    assert again.json() == first.json()
    assert Support.objects.filter(issue=issue).count() == 1
    issue.refresh_from_db()
    assert issue.support_count == 1


def test_support_answer_is_the_schema_as_the_api_renders_it(world: World, issue: Issue) -> None:
    """The support route writes its JSON itself: the same bytes and content type as
    django-ninja's rendering of ``SupportOut`` (keys in the schema's order)."""
    support_issue(world.member["private_sector"], issue)
    for expected_status in (201, 200):
        response = send(
            Client(),
            "POST",
            f"/issues/{issue.pk}/support",
            headers=bearer(world.member["government"]),
        )
        assert response.status_code == expected_status
        rendered = api.renderer.render(
            response.wsgi_request,
            SupportOut.model_validate(response.json()).model_dump(),
            response_status=expected_status,
        )
        assert response.content == rendered.encode()
        assert response["Content-Type"] == api.get_content_type()


def test_withdrawing_support_answers_204_and_lowers_the_counts(world: World, issue: Issue) -> None:
    support_issue(world.member["government"], issue)
    support_issue(world.member["private_sector"], issue)
    response = send(
        Client(),
        "DELETE",
        f"/issues/{issue.pk}/support",
        headers=bearer(world.member["government"]),
    )
    assert response.status_code == 204
    assert response.content == b""
    body = Client().get(f"{API}/issues/{issue.pk}").json()
    assert body["support_count"] == 1
    assert body["supports_by_group"]["government"] == 0
    assert body["supports_by_group"]["private_sector"] == 1


def test_withdrawing_a_support_that_does_not_exist_is_404_with_message(
    world: World, issue: Issue
) -> None:
    response = send(
        Client(),
        "DELETE",
        f"/issues/{issue.pk}/support",
        headers=bearer(world.member["government"]),
    )
    assert response.status_code == 404
    assert response.json()["detail"] == (
        "You do not support this issue, so there is no support to withdraw."
    )
