"""Named rate limits: one write past each limit answers 429 naming it, and changes nothing.

Each limit is lowered to two through ``COMMONGROUND_RATE_LIMITS`` (the setting the
operator uses), so the third write is the one past it; one test also runs a default
count in full. Every limit is checked through the API and through its HTML form.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from commonground.contributions import services
from commonground.contributions.models import (
    Advice,
    AdviceRevision,
    Comment,
    Report,
    Signal,
    Solution,
)
from commonground.core.errors import RateLimited
from commonground.issues.models import Issue
from commonground.issues.services import raise_issue
from commonground.ledger.models import LedgerEntry
from commonground.notifications import limits
from commonground.notifications.models import Notification, RateEvent
from tests.api.conftest import bearer, send
from tests.conftest import World
from tests.contributions.conftest import ADVICE, SIGNAL

pytestmark = pytest.mark.django_db

LOWERED = 2
DOCS = Path(__file__).resolve().parents[2] / "docs" / "permissions.md"


def _state() -> dict[str, Any]:
    """Everything a write could change, to compare before and after a refused one."""
    return {
        "issues": list(Issue.objects.values_list("pk", "title", "description")),
        "signals": list(Signal.objects.values_list("pk", "statement", "priority")),
        "solutions": list(Solution.objects.values_list("pk", "title", "description")),
        "advice": list(Advice.objects.values_list("pk", "feasibility", "revision_count")),
        "revisions": AdviceRevision.objects.count(),
        "comments": list(Comment.objects.values_list("pk", "body", "updated_at")),
        "reports": Report.objects.count(),
        "notifications": Notification.objects.count(),
        "rate_events": RateEvent.objects.count(),
        "ledger": LedgerEntry.objects.count(),
    }


@dataclass
class Writes:
    """How one limit's writes are made: who acts, and the n-th write by API and by form."""

    group: str
    api: Callable[[Client, dict[str, str], int], Any]
    form: Callable[[Client, int], Any]


def _writes(world: World, issue: Issue, name: str) -> Writes:
    """Targets for LOWERED + 1 writes of the limit ``name`` (fresh ones where one per target)."""
    slug = world.forum.slug
    n_targets = LOWERED + 1
    if name == "issues_per_hour":
        return Writes(
            "private_sector",
            lambda c, h, n: send(
                c,
                "POST",
                f"/forums/{slug}/issues",
                {"title": f"Issue {n}", "description": "D."},
                headers=h,
            ),
            lambda c, n: c.post(
                reverse("issues:create", args=[slug]),
                {"title": f"Form issue {n}", "description": "D.", "topics": ""},
            ),
        )
    if name == "signals_per_hour":
        # One signal per member per issue: each write goes to another issue.
        targets = [
            raise_issue(world.steward, world.forum, title=f"Target {n}", description="D.")
            for n in range(n_targets)
        ]
        return Writes(
            "government",
            lambda c, h, n: send(c, "POST", f"/issues/{targets[n].pk}/signals", SIGNAL, headers=h),
            lambda c, n: c.post(reverse("contributions:signal", args=[targets[n].pk]), SIGNAL),
        )
    if name == "solutions_per_hour":
        body = {"title": "Idea", "description": "Do it."}
        return Writes(
            "private_sector",
            lambda c, h, n: send(c, "POST", f"/issues/{issue.pk}/solutions", body, headers=h),
            lambda c, n: c.post(
                reverse("contributions:solution_create", args=[issue.pk]), {**body, "actors": ""}
            ),
        )
    if name == "advice_per_hour":
        # One advice per advisor per solution: each write goes to another solution.
        targets = [
            services.propose_solution(
                world.member["civil_society"], issue, title=f"Solution {n}", description="D."
            )
            for n in range(n_targets)
        ]
        form = {**ADVICE, "evidence": "https://example.org/study"}
        return Writes(
            "academic_technical",
            lambda c, h, n: send(
                c, "POST", f"/solutions/{targets[n].pk}/advice", ADVICE, headers=h
            ),
            lambda c, n: c.post(reverse("contributions:advice", args=[targets[n].pk]), form),
        )
    if name == "comments_per_hour":
        return Writes(
            "civil_society",
            lambda c, h, n: send(
                c, "POST", f"/issues/{issue.pk}/comments", {"body": f"API {n}"}, headers=h
            ),
            lambda c, n: c.post(
                reverse("contributions:issue_comment", args=[issue.pk]),
                {"body": f"Form {n}", "stance": ""},
            ),
        )
    if name == "reports_per_hour":
        # One report per member per comment: each write reports another comment.
        targets = [
            services.add_comment(world.member["private_sector"], issue=issue, body=f"Noise {n}")
            for n in range(n_targets)
        ]
        return Writes(
            "government",
            lambda c, h, n: send(
                c, "POST", f"/comments/{targets[n].pk}/reports", {"reason": "spam"}, headers=h
            ),
            lambda c, n: c.post(
                reverse("contributions:report", args=["comment", targets[n].pk]),
                {"reason": "spam", "note": ""},
            ),
        )
    assert name == "edits_per_hour"
    own = services.add_comment(world.member["civil_society"], issue=issue, body="Draft")
    return Writes(
        "civil_society",
        lambda c, h, n: send(
            c, "PATCH", f"/comments/{own.pk}", {"body": f"API edit {n}"}, headers=h
        ),
        lambda c, n: c.post(
            reverse("contributions:comment_edit", args=[own.pk]),
            {"body": f"Form edit {n}", "stance": ""},
        ),
    )


@pytest.mark.parametrize("name", list(limits.DEFAULTS))
def test_api_answers_429_naming_the_limit_one_write_past_it_and_changes_nothing(
    world: World, issue: Issue, settings: Any, name: str
) -> None:
    writes = _writes(world, issue, name)
    settings.COMMONGROUND_RATE_LIMITS = {name: LOWERED}
    client, headers = world.client_for(None), bearer(world.member[writes.group])
    for n in range(LOWERED):
        response = writes.api(client, headers, n)
        assert response.status_code in (200, 201), response.content
    before = _state()
    response = writes.api(client, headers, LOWERED)
    assert response.status_code == 429
    detail = response.json()["detail"]
    assert detail.startswith(f"Rate limit {name}:") and "Please try again in" in detail
    assert _state() == before


@pytest.mark.parametrize("name", list(limits.DEFAULTS))
def test_html_form_answers_429_naming_the_limit_one_write_past_it_and_changes_nothing(
    world: World, issue: Issue, settings: Any, name: str
) -> None:
    writes = _writes(world, issue, name)
    settings.COMMONGROUND_RATE_LIMITS = {name: LOWERED}
    client = world.client_for(world.member[writes.group])
    for n in range(LOWERED):
        assert writes.form(client, n).status_code == 302
    before = _state()
    response = writes.form(client, LOWERED)
    assert response.status_code == 429
    assert f"Rate limit {name}:" in response.content.decode()
    assert _state() == before


def test_default_comment_limit_holds_exactly_at_its_documented_count(
    world: World, issue: Issue
) -> None:
    count = limits.DEFAULTS["comments_per_hour"].count
    client, headers = world.client_for(None), bearer(world.member["civil_society"])
    path = f"/issues/{issue.pk}/comments"
    for n in range(count):
        assert (
            send(client, "POST", path, {"body": f"Comment {n}"}, headers=headers).status_code == 201
        )
    response = send(client, "POST", path, {"body": "One too many"}, headers=headers)
    assert response.status_code == 429 and "comments_per_hour" in response.json()["detail"]
    assert Comment.objects.count() == count


def test_limits_are_per_member_and_the_window_moves_on(
    world: World, issue: Issue, settings: Any
) -> None:
    settings.COMMONGROUND_RATE_LIMITS = {"comments_per_hour": LOWERED}
    civil = world.member["civil_society"]
    for n in range(LOWERED):
        services.add_comment(civil, issue=issue, body=f"Comment {n}")
    with pytest.raises(RateLimited, match="comments_per_hour"):
        services.add_comment(civil, issue=issue, body="One too many")
    # Another member is not affected.
    assert services.add_comment(world.member["government"], issue=issue, body="Mine").pk
    # An hour later the earlier writes no longer count, and their counters are dropped.
    window = limits.DEFAULTS["comments_per_hour"].window
    counted = RateEvent.objects.filter(
        membership=world.membership["civil_society"], name="comments_per_hour"
    )
    counted.update(at=timezone.now() - window - timedelta(seconds=1))
    assert services.add_comment(civil, issue=issue, body="Later").pk
    assert counted.count() == 1


def test_refused_or_invalid_writes_use_up_nothing_and_deleting_gives_nothing_back(
    world: World, issue: Issue, settings: Any
) -> None:
    settings.COMMONGROUND_RATE_LIMITS = {"comments_per_hour": LOWERED}
    civil = world.member["civil_society"]
    client, headers = world.client_for(None), bearer(civil)
    path = f"/issues/{issue.pk}/comments"
    for _ in range(3):  # empty bodies are refused (422) before anything is counted
        assert send(client, "POST", path, {"body": "  "}, headers=headers).status_code == 422
    first = services.add_comment(civil, issue=issue, body="One")
    services.delete_comment(civil, first)
    services.add_comment(civil, issue=issue, body="Two")
    with pytest.raises(RateLimited):
        services.add_comment(civil, issue=issue, body="Three")


def test_one_edit_limit_covers_signals_solutions_advice_and_comments(
    world: World, issue: Issue, solution: Solution, settings: Any
) -> None:
    settings.COMMONGROUND_RATE_LIMITS = {"edits_per_hour": 2}
    gov, advisor = world.member["government"], world.member["academic_technical"]
    signal = services.signal_concern(gov, issue, **SIGNAL)
    services.edit_signal(gov, signal, **{**SIGNAL, "priority": "low"})
    services.edit_signal(gov, signal, **{**SIGNAL, "priority": "urgent"})
    with pytest.raises(RateLimited, match="edits_per_hour"):
        services.edit_signal(gov, signal, **SIGNAL)
    assert Signal.objects.get().priority == "urgent"
    advice = services.give_advice(advisor, solution, **ADVICE)
    comment = services.add_comment(advisor, issue=issue, body="First")
    services.revise_advice(advisor, advice, **{**ADVICE, "feasibility": "feasible"})
    services.edit_comment(advisor, comment, body="Second")
    with pytest.raises(RateLimited, match="edits_per_hour"):
        services.revise_advice(advisor, advice, **{**ADVICE, "feasibility": "unclear"})
    author = world.member["private_sector"]
    services.edit_solution(author, solution, title="A", description="B")
    services.edit_solution(author, solution, title="C", description="D")
    with pytest.raises(RateLimited, match="edits_per_hour"):
        services.edit_solution(author, solution, title="E", description="F")
    assert Solution.objects.get().title == "C"


def test_a_count_of_zero_switches_a_limit_off(world: World, issue: Issue, settings: Any) -> None:
    settings.COMMONGROUND_RATE_LIMITS = {"comments_per_hour": 0}
    civil = world.member["civil_society"]
    for n in range(limits.DEFAULTS["comments_per_hour"].count + 1):
        services.add_comment(civil, issue=issue, body=f"Comment {n}")
    assert not RateEvent.objects.filter(name="comments_per_hour").exists()


def test_every_limit_is_documented_with_its_default() -> None:
    text = DOCS.read_text()
    rows = dict(re.findall(r"^\| `(\w+)` \| (\d+) per hour \|", text, flags=re.MULTILINE))
    assert rows == {name: str(rule.count) for name, rule in limits.DEFAULTS.items()}
