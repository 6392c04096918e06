"""The contribution API: 201 with the new id, role refusals naming the role, allow-listed input."""

from __future__ import annotations

from typing import Any

import pytest

from commonground.access import rules
from commonground.contributions import services
from commonground.contributions.models import Advice, Comment, Report, Signal, Solution
from commonground.issues.models import Issue
from commonground.ledger.models import LedgerEntry
from commonground.stakeholders import GROUPS
from tests.api.conftest import bearer, send
from tests.conftest import World
from tests.contributions.conftest import ADVICE, signal_fields

pytestmark = pytest.mark.django_db


def _state() -> dict[str, Any]:
    return {
        "signals": list(Signal.objects.values_list("pk", "jurisdiction", "priority", "hidden")),
        "solutions": list(Solution.objects.values_list("pk", "title", "author_id", "hidden")),
        "advice": list(Advice.objects.values_list("pk", "feasibility", "revision_count")),
        "comments": list(Comment.objects.values_list("pk", "body", "author_id", "hidden")),
        "reports": Report.objects.count(),
        "ledger": LedgerEntry.objects.count(),
    }


def _post(world: World, group: str, path: str, body: dict[str, Any]) -> Any:
    return send(world.client_for(None), "POST", path, body, headers=bearer(world.member[group]))


@pytest.mark.parametrize("group", GROUPS)
def test_signal_route_role_gate(world: World, issue: Issue, group: str) -> None:
    before = _state()
    response = _post(world, group, f"/issues/{issue.pk}/signals", signal_fields(group))
    if group in rules.SIGNAL_GROUPS:
        assert response.status_code == 201, response.content
        assert response.json()["id"] == Signal.objects.get().pk
        assert response.json()["statement_html"].startswith("<p>")
    else:
        assert response.status_code == 403
        assert "Only government and intergovernmental members" in response.json()["detail"]
        assert _state() == before


@pytest.mark.parametrize("group", GROUPS)
def test_advice_route_role_gate(world: World, solution: Solution, group: str) -> None:
    before = _state()
    response = _post(world, group, f"/solutions/{solution.pk}/advice", ADVICE)
    if group in rules.ADVICE_GROUPS:
        assert response.status_code == 201, response.content
        body = response.json()
        assert body["id"] == Advice.objects.get().pk and len(body["revisions"]) == 1
    else:
        assert response.status_code == 403
        assert (
            "academic & technical community and Internet institution" in response.json()["detail"]
        )
        assert _state() == before


@pytest.mark.parametrize("group", GROUPS)
def test_any_member_proposes_and_comments(world: World, issue: Issue, group: str) -> None:
    response = _post(
        world, group, f"/issues/{issue.pk}/solutions", {"title": "Idea", "description": "Do."}
    )
    assert response.status_code == 201
    solution_id = response.json()["id"]
    response = _post(
        world, group, f"/issues/{issue.pk}/comments", {"body": "Yes", "stance": "in_favour"}
    )
    assert response.status_code == 201
    top = response.json()["id"]
    response = _post(world, group, f"/issues/{issue.pk}/comments", {"body": "Re", "parent": top})
    assert response.status_code == 201 and response.json()["parent"] == top
    response = _post(world, group, f"/solutions/{solution_id}/comments", {"body": "On it"})
    assert response.status_code == 201 and response.json()["solution"] == solution_id


def test_outsider_gets_403_and_anonymous_401(world: World, issue: Issue) -> None:
    before = _state()
    response = send(
        world.client_for(None),
        "POST",
        f"/issues/{issue.pk}/comments",
        {"body": "x"},
        headers=bearer(world.outsider),
    )
    assert response.status_code == 403 and "Join Kenya IGF" in response.json()["detail"]
    response = send(world.client_for(None), "POST", f"/issues/{issue.pk}/comments", {"body": "x"})
    assert response.status_code == 401
    assert _state() == before


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/issues/{issue}/signals", {**signal_fields("government"), "author": 1}),
        ("/issues/{issue}/solutions", {"title": "t", "description": "d", "hidden": False}),
        ("/solutions/{solution}/advice", {**ADVICE, "revision_count": 9}),
        ("/issues/{issue}/comments", {"body": "b", "hidden": False}),
        ("/issues/{issue}/comments", {"body": "b", "author": "p000000000000"}),
        ("/solutions/{solution}/comments", {"body": "b", "deleted": True}),
    ],
)
def test_client_cannot_set_author_counts_or_hidden(
    world: World, issue: Issue, solution: Solution, path: str, body: dict[str, Any]
) -> None:
    before = _state()
    group = "academic_technical" if "advice" in path else "government"
    response = _post(world, group, path.format(issue=issue.pk, solution=solution.pk), body)
    assert response.status_code == 422
    assert _state() == before


def test_report_route_hides_after_three_and_lists_leave_it_out(world: World, issue: Issue) -> None:
    comment = services.add_comment(world.member["civil_society"], issue=issue, body="Buy pills")
    for n, group in enumerate(("government", "private_sector", "academic_technical"), start=1):
        response = _post(world, group, f"/comments/{comment.pk}/reports", {"reason": "spam"})
        assert response.status_code == 201
        assert response.json()["hidden"] is (n == 3)
    again = _post(world, "government", f"/comments/{comment.pk}/reports", {"reason": "spam"})
    assert again.status_code in (404, 409)
    public = send(world.client_for(None), "GET", f"/issues/{issue.pk}/comments")
    assert public.status_code == 200 and public.json()["items"] == []
    assert public.json()["count"] == 0
    own = send(
        world.client_for(None),
        "GET",
        f"/issues/{issue.pk}/comments",
        headers=bearer(world.member["civil_society"]),
    )
    assert [(c["id"], c["hidden"]) for c in own.json()["items"]] == [(comment.pk, True)]


def test_lists(world: World, issue: Issue, solution: Solution) -> None:
    services.signal_concern(world.member["government"], issue, **signal_fields("government"))
    services.give_advice(world.member["internet_institution"], solution, **ADVICE)
    services.add_comment(world.member["government"], issue=issue, body="Hi", stance="neutral")
    client = world.client_for(None)
    signals = send(client, "GET", f"/issues/{issue.pk}/signals").json()
    assert [s["jurisdiction"] for s in signals] == ["KE"]
    solutions = send(client, "GET", f"/issues/{issue.pk}/solutions").json()
    assert solutions[0]["feasibility"]["feasible_with_conditions"] == 1
    advice = send(client, "GET", f"/solutions/{solution.pk}/advice").json()
    assert advice[0]["author"]["stakeholder_group"] == "internet_institution"
    comments = send(client, "GET", f"/issues/{issue.pk}/comments").json()["items"]
    assert comments[0]["stance"] == "neutral"
    assert send(client, "GET", "/issues/999999/signals").status_code == 404
    assert send(client, "GET", "/solutions/999999/advice").status_code == 404


def test_authors_edit_withdraw_and_delete_their_own(
    world: World, issue: Issue, solution: Solution
) -> None:
    signal = services.signal_concern(
        world.member["government"], issue, **signal_fields("government")
    )
    advice = services.give_advice(world.member["academic_technical"], solution, **ADVICE)
    comment = services.add_comment(world.member["civil_society"], issue=issue, body="Mine")
    response = _patch(world, "government", f"/signals/{signal.pk}", {"priority": "urgent"})
    assert response.status_code == 200 and response.json()["priority"] == "urgent"
    response = _patch(world, "private_sector", f"/solutions/{solution.pk}", {"title": "Better"})
    assert response.status_code == 200 and response.json()["title"] == "Better"
    response = send(
        world.client_for(None),
        "PUT",
        f"/advice/{advice.pk}",
        {**ADVICE, "feasibility": "unclear"},
        headers=bearer(world.member["academic_technical"]),
    )
    assert response.status_code == 200
    assert [r["feasibility"] for r in response.json()["revisions"]] == [
        "feasible_with_conditions",
        "unclear",
    ]
    response = _patch(world, "civil_society", f"/comments/{comment.pk}", {"stance": "against"})
    assert response.status_code == 200 and response.json()["stance"] == "against"
    assert response.json()["body"] == "Mine"
    delete = send(
        world.client_for(None),
        "DELETE",
        f"/comments/{comment.pk}",
        headers=bearer(world.member["civil_society"]),
    )
    assert delete.status_code == 204
    listed = send(world.client_for(None), "GET", f"/issues/{issue.pk}/comments").json()["items"]
    assert listed[0]["deleted"] is True and listed[0]["body"] == "" and listed[0]["author"] is None
    withdraw = send(
        world.client_for(None),
        "DELETE",
        f"/signals/{signal.pk}",
        headers=bearer(world.member["government"]),
    )
    assert withdraw.status_code == 204 and not Signal.objects.exists()


def test_nobody_changes_anothers_contribution_through_the_api(
    world: World, issue: Issue, solution: Solution
) -> None:
    signal = services.signal_concern(
        world.member["government"], issue, **signal_fields("government")
    )
    advice = services.give_advice(world.member["academic_technical"], solution, **ADVICE)
    comment = services.add_comment(world.member["civil_society"], issue=issue, body="Mine")
    before = _state()
    intruders = ("intergovernmental", "internet_institution")
    for group in intruders:
        headers = bearer(world.member[group])
        client = world.client_for(None)
        calls = [
            send(client, "PATCH", f"/signals/{signal.pk}", {"priority": "low"}, headers=headers),
            send(client, "DELETE", f"/signals/{signal.pk}", headers=headers),
            send(client, "PATCH", f"/solutions/{solution.pk}", {"title": "X"}, headers=headers),
            send(client, "PUT", f"/advice/{advice.pk}", ADVICE, headers=headers),
            send(client, "PATCH", f"/comments/{comment.pk}", {"body": "X"}, headers=headers),
            send(client, "DELETE", f"/comments/{comment.pk}", headers=headers),
        ]
        for response in calls:
            assert response.status_code == 403, response.content
            assert "Only the author" in response.json()["detail"]
    outsider = send(
        world.client_for(None),
        "DELETE",
        f"/comments/{comment.pk}",
        headers=bearer(world.outsider),
    )
    assert outsider.status_code == 403
    assert _state() == before


def _patch(world: World, group: str, path: str, body: dict[str, Any]) -> Any:
    return send(world.client_for(None), "PATCH", path, body, headers=bearer(world.member[group]))
