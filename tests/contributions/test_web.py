"""The issue page's contributions section and the forms behind it, without JavaScript."""

from __future__ import annotations

import pytest
from django.urls import reverse

from commonground.contributions import services
from commonground.contributions.models import Advice, Comment, Signal, Solution
from commonground.issues.models import Issue
from commonground.participants.services import set_verified
from tests.conftest import World
from tests.contributions.conftest import ADVICE, signal_fields

pytestmark = pytest.mark.django_db


def test_issue_page_shows_signals_solutions_feasibility_and_discussion(
    world: World, issue: Issue, solution: Solution
) -> None:
    set_verified(world.steward, world.membership["academic_technical"])
    services.signal_concern(world.member["government"], issue, **signal_fields("government"))
    services.signal_concern(
        world.member["intergovernmental"], issue, **signal_fields("intergovernmental")
    )
    advice = services.give_advice(world.member["academic_technical"], solution, **ADVICE)
    services.revise_advice(
        world.member["academic_technical"], advice, **{**ADVICE, "feasibility": "feasible"}
    )
    services.give_advice(
        world.member["internet_institution"], solution, **{**ADVICE, "feasibility": "unclear"}
    )
    services.add_comment(world.member["private_sector"], issue=issue, body="Yes!", stance="against")
    html = world.client_for(None).get(issue.get_absolute_url()).content.decode()
    assert "Signalled by 2 governments/IGOs" in html and "ITU, KE" in html
    assert "Open spectrum for community networks" in html
    assert "verified advisor" in html and "History of this advice (2 versions)" in html
    assert "1 of the assessments come from advisors with a verified stakeholder group" in html
    assert 'class="tag stance-against">Against' in html
    assert 'aria-label="verified"' in html
    # Anonymous visitors get no forms, only an invitation to log in.
    assert 'action="/issues/' not in html and "Log in</a> to take part" in html


@pytest.mark.parametrize("group", ["government", "civil_society"])
def test_forms_shown_by_role(world: World, issue: Issue, solution: Solution, group: str) -> None:
    html = world.client_for(world.member[group]).get(issue.get_absolute_url()).content.decode()
    assert ("Signal concern</summary>" in html) is (group == "government")
    assert "Give technical advice</summary>" not in html
    assert "Propose a solution</summary>" in html and "Add a comment</summary>" in html


def test_every_action_works_by_plain_form_posts(
    world: World, issue: Issue, solution: Solution
) -> None:
    gov = world.client_for(world.member["government"])
    response = gov.post(
        reverse("contributions:signal", args=[issue.pk]),
        {"jurisdiction": "KE", "priority": "high", "statement": "Concerned."},
    )
    assert response.status_code == 302 and response.url.endswith("#signals")
    gov.post(
        reverse("contributions:signal", args=[issue.pk]),
        {"jurisdiction": "KE", "priority": "low", "statement": "Less so."},
    )
    assert Signal.objects.get().priority == "low"
    advisor = world.client_for(world.member["internet_institution"])
    data = {**ADVICE, "evidence": "https://a.example/1\nhttps://b.example/2"}
    assert (
        advisor.post(reverse("contributions:advice", args=[solution.pk]), data).status_code == 302
    )
    assert (
        advisor.post(
            reverse("contributions:advice", args=[solution.pk]), {**data, "feasibility": "feasible"}
        ).status_code
        == 302
    )
    advice = Advice.objects.get()
    assert advice.revision_count == 2 and advice.evidence == [
        "https://a.example/1",
        "https://b.example/2",
    ]
    civil = world.client_for(world.member["civil_society"])
    response = civil.post(
        reverse("contributions:solution_create", args=[issue.pk]),
        {"title": "Subsidies", "description": "Fund it.", "actors": "ministries, regulators"},
    )
    assert response.status_code == 302
    assert Solution.objects.get(title="Subsidies").actors == ["ministries", "regulators"]
    response = civil.post(
        reverse("contributions:issue_comment", args=[issue.pk]), {"body": "Top", "stance": ""}
    )
    top = Comment.objects.get()
    assert response.status_code == 302 and response.url.endswith(f"#comment-{top.pk}")
    gov.post(
        reverse("contributions:issue_comment", args=[issue.pk]),
        {"body": "Reply", "parent": top.pk, "stance": "neutral"},
    )
    gov.post(reverse("contributions:solution_comment", args=[solution.pk]), {"body": "On sol"})
    assert Comment.objects.filter(parent=top).count() == 1
    assert Comment.objects.filter(solution=solution).count() == 1
    response = civil.post(reverse("contributions:comment_edit", args=[top.pk]), {"body": "Edited"})
    assert response.status_code == 302
    assert civil.post(reverse("contributions:comment_delete", args=[top.pk])).status_code == 302
    html = civil.get(issue.get_absolute_url()).content.decode()
    assert "Comment deleted by its author." in html and "Reply" in html


def test_bad_form_input_is_a_400_with_a_message(world: World, issue: Issue) -> None:
    gov = world.client_for(world.member["government"])
    response = gov.post(
        reverse("contributions:signal", args=[issue.pk]),
        {"jurisdiction": "KE", "priority": "enormous", "statement": "x"},
    )
    assert response.status_code == 400 and b"Priority" in response.content
    assert not Signal.objects.exists()


def test_nobody_changes_anothers_contribution_through_any_route(
    world: World, issue: Issue, solution: Solution
) -> None:
    signal = services.signal_concern(
        world.member["government"], issue, **signal_fields("government")
    )
    comment = services.add_comment(world.member["civil_society"], issue=issue, body="Mine")
    advice = services.give_advice(world.member["academic_technical"], solution, **ADVICE)
    intruder = world.client_for(world.member["intergovernmental"])
    other_advisor = world.client_for(world.member["internet_institution"])
    attempts = [
        intruder.post(reverse("contributions:comment_edit", args=[comment.pk]), {"body": "Hacked"}),
        intruder.get(reverse("contributions:comment_edit", args=[comment.pk])),
        intruder.post(reverse("contributions:comment_delete", args=[comment.pk])),
        intruder.post(reverse("contributions:signal_withdraw", args=[signal.pk])),
        intruder.post(
            reverse("contributions:solution_edit", args=[solution.pk]),
            {"title": "Hacked", "description": "x"},
        ),
        world.client_for(world.outsider).post(
            reverse("contributions:comment_delete", args=[comment.pk])
        ),
    ]
    for response in attempts:
        assert response.status_code in (403, 404)
    # An advisor posting advice creates their own; they cannot reach another's.
    other_advisor.post(
        reverse("contributions:advice", args=[solution.pk]), {**ADVICE, "feasibility": "unclear"}
    )
    advice.refresh_from_db()
    assert advice.feasibility == "feasible_with_conditions" and advice.revision_count == 1
    comment.refresh_from_db()
    solution.refresh_from_db()
    assert comment.body == "Mine" and not comment.is_deleted
    assert solution.title == "Open spectrum for community networks"
    assert Signal.objects.filter(pk=signal.pk).exists()


def test_old_contribution_settings_address_leads_to_the_forum_settings(world: World) -> None:
    url = reverse("contributions:settings", args=["kenya-igf"])
    response = world.client_for(world.steward).get(url)
    assert response.status_code == 301
    assert response.url == reverse("forums:settings", args=["kenya-igf"])
