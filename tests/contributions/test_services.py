"""The contribution services: role gates, one-per-member rules, threads, history, suspension."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from commonground.contributions import services
from commonground.contributions.models import AdviceRevision, Comment, Signal, Solution
from commonground.core.errors import (
    Conflict,
    InvalidInput,
    NotAllowed,
    NotAuthenticated,
    WrongPhase,
)
from commonground.forums.services import advance_cycle
from commonground.issues.models import Issue
from commonground.ledger.models import LedgerEntry
from commonground.participants.services import set_verified
from commonground.stakeholders import GROUPS
from tests.conftest import World
from tests.contributions.conftest import ADVICE, signal_fields

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("group", GROUPS)
def test_only_governments_and_igos_can_signal(world: World, issue: Issue, group: str) -> None:
    user = world.member[group]
    if group in ("government", "intergovernmental"):
        signal = services.signal_concern(user, issue, **signal_fields(group))
        assert signal.author == world.membership[group]
        assert LedgerEntry.objects.filter(action="signal.add", object_id=str(signal.pk)).exists()
    else:
        with pytest.raises(NotAllowed, match="Only government and intergovernmental members"):
            services.signal_concern(user, issue, **signal_fields("government"))
        assert not Signal.objects.exists()


@pytest.mark.parametrize("group", GROUPS)
def test_only_technical_advisors_can_advise(world: World, solution: Solution, group: str) -> None:
    user = world.member[group]
    if group in ("academic_technical", "internet_institution"):
        advice = services.give_advice(user, solution, **ADVICE)
        assert advice.revisions.count() == 1
    else:
        with pytest.raises(
            NotAllowed, match="Only academic & technical community and Internet institution"
        ):
            services.give_advice(user, solution, **ADVICE)
        assert not solution.advice.exists()


@pytest.mark.parametrize("group", GROUPS)
def test_every_group_can_propose_solutions_and_comment(
    world: World, issue: Issue, group: str
) -> None:
    user = world.member[group]
    solution = services.propose_solution(user, issue, title="An idea", description="Do it.")
    comment = services.add_comment(user, issue=issue, body="Agreed.", stance="in_favour")
    on_solution = services.add_comment(user, solution=solution, body="Costly?", stance="")
    assert comment.solution is None and on_solution.solution == solution
    assert on_solution.issue == issue


@pytest.mark.parametrize(
    "call",
    [
        lambda u, i, s: services.signal_concern(u, i, **signal_fields("government")),
        lambda u, i, s: services.propose_solution(u, i, title="T", description="D"),
        lambda u, i, s: services.give_advice(u, s, **ADVICE),
        lambda u, i, s: services.add_comment(u, issue=i, body="Hello"),
    ],
    ids=["signal", "solution", "advice", "comment"],
)
def test_outsiders_and_anonymous_cannot_contribute(world: World, issue, solution, call) -> None:
    with pytest.raises(NotAllowed, match="Join Kenya IGF"):
        call(world.outsider, issue, solution)
    with pytest.raises(NotAuthenticated):
        call(AnonymousUser(), issue, solution)


def test_one_signal_per_member_per_issue_then_edit_and_withdraw(world: World, issue: Issue) -> None:
    gov = world.member["government"]
    signal = services.signal_concern(gov, issue, **signal_fields("government"))
    with pytest.raises(Conflict):
        services.signal_concern(gov, issue, **signal_fields("government"))
    services.edit_signal(gov, signal, jurisdiction="ke", priority="urgent", statement="Now urgent.")
    signal.refresh_from_db()
    assert (signal.jurisdiction, signal.priority) == ("KE", "urgent")
    with pytest.raises(NotAllowed, match="Only the author"):
        services.edit_signal(
            world.member["intergovernmental"],
            signal,
            jurisdiction="EU",
            priority="low",
            statement="x",
        )
    services.withdraw_signal(gov, signal)
    assert not Signal.objects.exists()
    assert services.signal_concern(gov, issue, **signal_fields("government")).pk


def test_signal_jurisdiction_is_checked(world: World, issue: Issue) -> None:
    # Well-formed but not a country: a government may not signal for it (403, issue 11.17).
    with pytest.raises(NotAllowed, match="not a country"):
        services.signal_concern(
            world.member["government"], issue, jurisdiction="XX", priority="low", statement="s"
        )
    with pytest.raises(InvalidInput, match="priority"):
        services.signal_concern(
            world.member["government"], issue, jurisdiction="KE", priority="huge", statement="s"
        )
    with pytest.raises(InvalidInput, match="acronym"):
        services.signal_concern(
            world.member["intergovernmental"],
            issue,
            jurisdiction="<b>",
            priority="low",
            statement="s",
        )


def test_signals_carry_no_weight_in_recognition(world: World, issue: Issue) -> None:
    before = Issue.objects.values_list("support_count", "supports_government").get(pk=issue.pk)
    services.signal_concern(world.member["government"], issue, **signal_fields("government"))
    after = Issue.objects.values_list("support_count", "supports_government").get(pk=issue.pk)
    assert before == after


def test_advice_revisions_keep_history(world: World, solution: Solution) -> None:
    advisor = world.member["academic_technical"]
    advice = services.give_advice(advisor, solution, **ADVICE)
    with pytest.raises(Conflict):
        services.give_advice(advisor, solution, **ADVICE)
    services.revise_advice(advisor, advice, **{**ADVICE, "feasibility": "not_feasible"})
    revisions = list(AdviceRevision.objects.filter(advice=advice).order_by("number"))
    assert [(r.number, r.feasibility) for r in revisions] == [
        (1, "feasible_with_conditions"),
        (2, "not_feasible"),
    ]
    with pytest.raises(NotAllowed, match="Only the author"):
        services.revise_advice(world.member["internet_institution"], advice, **ADVICE)


def test_advice_fields_are_validated(world: World, solution: Solution) -> None:
    advisor = world.member["academic_technical"]
    for bad in (
        {"feasibility": "maybe"},
        {"affected_groups": ["aliens"]},
        {"evidence": ["javascript:alert(1)"]},
        {"evidence": ["ftp://example.org/x"]},
    ):
        with pytest.raises(InvalidInput):
            services.give_advice(advisor, solution, **{**ADVICE, **bad})
    assert not solution.advice.exists()


def test_verified_requirement_blocks_unverified_signals_and_advice(
    world: World, issue: Issue, solution: Solution
) -> None:
    services.update_settings(world.steward, world.forum, verified_required=True, report_threshold=3)
    with pytest.raises(NotAllowed, match="verified"):
        services.signal_concern(world.member["government"], issue, **signal_fields("government"))
    with pytest.raises(NotAllowed, match="verified"):
        services.give_advice(world.member["academic_technical"], solution, **ADVICE)
    set_verified(world.steward, world.membership["government"])
    assert services.signal_concern(world.member["government"], issue, **signal_fields("government"))


def test_only_stewards_change_settings(world: World) -> None:
    with pytest.raises(NotAllowed, match="steward"):
        services.update_settings(
            world.member["civil_society"], world.forum, verified_required=True, report_threshold=1
        )
    assert not services.settings_of(world.forum).verified_required_for_signals_and_advice


def test_threads_are_one_level_deep_and_on_the_same_target(
    world: World, issue: Issue, solution: Solution
) -> None:
    user = world.member["civil_society"]
    top = services.add_comment(user, issue=issue, body="Top")
    reply = services.add_comment(world.member["government"], issue=issue, body="Re", parent=top.pk)
    assert reply.parent == top
    # Rules on the parent comment's state: Conflict (409), not bad input (issue 11.17).
    with pytest.raises(Conflict, match="one level deep"):
        services.add_comment(user, issue=issue, body="Re re", parent=reply.pk)
    with pytest.raises(Conflict, match="same issue or solution"):
        services.add_comment(user, solution=solution, body="Elsewhere", parent=top.pk)
    with pytest.raises(InvalidInput, match="stance"):
        services.add_comment(user, issue=issue, body="x", stance="maybe")


def test_deleting_a_comment_keeps_the_row_without_its_text(world: World, issue: Issue) -> None:
    user = world.member["civil_society"]
    comment = services.add_comment(user, issue=issue, body="Secret **text**", stance="against")
    with pytest.raises(NotAllowed):
        services.delete_comment(world.member["government"], comment)
    services.delete_comment(user, comment)
    comment.refresh_from_db()
    assert comment.is_deleted and comment.body == "" and comment.body_html == ""
    assert comment.stance == ""
    with pytest.raises(Conflict):
        services.edit_comment(user, comment, body="back")


def test_markdown_is_sanitized(world: World, issue: Issue) -> None:
    comment = services.add_comment(
        world.member["civil_society"],
        issue=issue,
        body="<script>alert(1)</script> [x](javascript:1)",
    )
    assert "<script" not in comment.body_html and 'href="javascript' not in comment.body_html


def test_suspended_member_cannot_contribute(world: World, issue: Issue, solution: Solution) -> None:
    services.set_suspended(
        world.steward, world.membership["government"], suspended=True, reason="Spamming"
    )
    gov = world.member["government"]
    for call in (
        lambda: services.signal_concern(gov, issue, **signal_fields("government")),
        lambda: services.propose_solution(gov, issue, title="t", description="d"),
        lambda: services.add_comment(gov, issue=issue, body="b"),
        lambda: services.add_comment(gov, solution=solution, body="b"),
    ):
        with pytest.raises(NotAllowed, match="suspended"):
            call()
    assert not Signal.objects.exists() and not Comment.objects.exists()
    services.set_suspended(
        world.steward, world.membership["government"], suspended=False, reason="Appeal upheld"
    )
    assert services.add_comment(gov, issue=issue, body="Back.").pk


def test_only_stewards_suspend(world: World) -> None:
    with pytest.raises(NotAllowed, match="steward"):
        services.set_suspended(
            world.member["civil_society"],
            world.membership["government"],
            suspended=True,
            reason="x",
        )
    world.membership["government"].refresh_from_db()
    assert world.membership["government"].is_active


def test_closed_cycle_takes_no_contributions(world: World, issue: Issue) -> None:
    for _ in range(7):
        advance_cycle(None, world.forum)
    with pytest.raises(WrongPhase, match="closed"):
        services.add_comment(world.member["civil_society"], issue=issue, body="Late")
