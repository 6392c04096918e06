"""The message routes over HTTP: the contract's names and shapes, and each refusal."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.test import Client
from django.utils import timezone

from commonground.issues.models import Issue
from commonground.ledger.models import LedgerEntry
from commonground.outcomes.models import Message
from commonground.participants.models import User
from commonground.stakeholders import GROUPS
from tests.api.conftest import bearer, send
from tests.conftest import World


def call(user: User | None, method: str, path: str, body: Any = None) -> Any:
    return send(Client(), method, path, body, headers=bearer(user) if user else None)


def _draft(world: World, issue: Issue) -> int:
    answer = call(
        world.steward,
        "POST",
        f"/forums/{world.forum.slug}/messages",
        {"issue_id": issue.pk, "title": "Connect villages", "text": "Fund *rural* access.",
         "report_ids": [], "conversation_ids": []},
    )  # fmt: skip
    assert answer.status_code == 201, answer.content
    assert answer.json()["state"] == "draft"
    return answer.json()["id"]


def _window(world: World, mid: int) -> None:
    now = timezone.now()
    answer = call(
        world.steward,
        "POST",
        f"/messages/{mid}/comment-window",
        {"opens_at": now.isoformat(), "closes_at": (now + timedelta(days=7)).isoformat()},
    )
    assert answer.status_code == 200, answer.content


def _close_window(mid: int) -> None:
    """Seven days pass: the window is moved into the past (the services take the clock)."""
    past = timezone.now() - timedelta(seconds=1)
    Message.objects.filter(pk=mid).update(opens_at=past - timedelta(days=7), closes_at=past)


def test_the_whole_path_through_the_api(world: World, agenda_issue: Issue) -> None:
    mid = _draft(world, agenda_issue)
    _window(world, mid)
    for group, position, text in (
        ("government", "support", ""),
        ("private_sector", "can_live_with", ""),
        ("civil_society", "object", "No word on who pays."),
    ):
        answer = call(
            world.member[group], "PUT", f"/messages/{mid}/position",
            {"position": position, "text": text},
        )  # fmt: skip
        assert answer.status_code == 200, answer.content
    detail = call(None, "GET", f"/messages/{mid}").json()
    assert set(detail["positions_by_group"]) == set(GROUPS)
    assert detail["positions_by_group"]["civil_society"] == {
        "support": 0, "can_live_with": 0, "object": 1,
    }  # fmt: skip
    assert detail["suggested"]["level"] == "strong_support_significant_opposition"
    assert detail["suggested"]["minority_groups"] == ["civil_society"]
    assert abs(detail["suggested"]["O"] - 1 / 3) < 1e-12
    assert detail["window"]["closes_at"] and detail["designation"] is None
    oid = detail["objections"][0]["id"]
    assert detail["objections"][0]["disposition"] is None

    refused = call(world.steward, "POST", f"/messages/{mid}/publish")
    assert refused.status_code == 409
    for missing in ("still open", "1 objection without a disposition", "no designation"):
        assert missing in refused.json()["detail"]

    answer = call(
        world.steward, "POST", f"/messages/{mid}/objections/{oid}/disposition",
        {"disposition": "tradeoff_acknowledged", "reason": "Funding is for each state."},
    )  # fmt: skip
    assert answer.status_code == 200 and answer.json()["disposition"] == "tradeoff_acknowledged"
    _close_window(mid)
    late = call(
        world.member["government"],
        "PUT",
        f"/messages/{mid}/position",
        {"position": "object", "text": "x"},
    )
    assert late.status_code == 409 and "closed" in late.json()["detail"]
    answer = call(
        world.steward, "POST", f"/messages/{mid}/designation",
        {"level": "strong_support_significant_opposition", "rationale": "As suggested.",
         "minority_view": "Civil society wants a funding source named."},
    )  # fmt: skip
    assert answer.status_code == 200, answer.content
    answer = call(world.steward, "POST", f"/messages/{mid}/publish")
    assert answer.status_code == 200 and answer.json()["state"] == "published"
    answer = call(
        world.steward, "POST", f"/messages/{mid}/referrals",
        {"name": "Communications Authority", "kind": "regulator", "contact": "ca@example.org"},
    )  # fmt: skip
    assert answer.status_code == 201 and answer.json()["kind"] == "regulator"
    uptake = {"body": "Ministry of ICT", "action": "policy", "summary": "A rural fund.",
              "date": "2026-01-05", "url": "https://example.org/policy"}  # fmt: skip
    refused = call(world.member["civil_society"], "POST", f"/messages/{mid}/uptake", uptake)
    assert refused.status_code == 403
    answer = call(world.member["government"], "POST", f"/messages/{mid}/uptake", uptake)
    assert answer.status_code == 201, answer.content
    detail = call(None, "GET", f"/messages/{mid}").json()
    assert detail["state"] == "referred"
    assert [u["body"] for u in detail["uptake"]] == ["Ministry of ICT"]
    assert detail["designation"]["minority_view"].startswith("Civil society")
    listed = call(None, "GET", f"/forums/{world.forum.slug}/messages").json()
    assert [m["id"] for m in listed] == [mid]
    assert LedgerEntry.objects.filter(action__startswith="message.").count() == 10


def test_refusals_are_clear_and_change_nothing(world: World, agenda_issue: Issue) -> None:
    mid = _draft(world, agenda_issue)
    before = LedgerEntry.objects.count()
    answer = call(world.member["government"], "POST", f"/forums/{world.forum.slug}/messages",
                  {"issue_id": agenda_issue.pk, "title": "x", "text": "y"})  # fmt: skip
    assert answer.status_code == 403
    body = {"issue_id": agenda_issue.pk, "title": "x", "text": "y", "report_ids": [3]}
    answer = call(world.steward, "POST", f"/forums/{world.forum.slug}/messages", body)
    assert answer.status_code == 400 and "No session report 3" in answer.json()["detail"]
    now = timezone.now()
    answer = call(world.steward, "POST", f"/messages/{mid}/comment-window",
                  {"opens_at": now.isoformat(),
                   "closes_at": (now + timedelta(days=6)).isoformat()})  # fmt: skip
    assert answer.status_code == 409 and "at least 7 days" in answer.json()["detail"]
    answer = call(world.member["government"], "PUT", f"/messages/{mid}/position",
                  {"position": "support"})  # fmt: skip
    assert answer.status_code == 409 and "no comment window" in answer.json()["detail"]
    _window(world, mid)
    answer = call(world.member["government"], "PUT", f"/messages/{mid}/position",
                  {"position": "object", "text": ""})  # fmt: skip
    assert answer.status_code == 400 and "cannot live with" in answer.json()["detail"]
    answer = call(world.steward, "POST", f"/messages/{mid}/designation",
                  {"level": "unanimous", "rationale": "x"})  # fmt: skip
    assert answer.status_code == 422
    assert call(None, "GET", "/messages/999999").status_code == 404
    assert LedgerEntry.objects.count() == before + 1  # the window only
