"""Every write refuses the wrong caller or the wrong phase with a message, and changes nothing.

anonymous → 401, outsider (not a member) → 403, a phase that does not allow
the action → 409; after each refusal the database is exactly as before.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from commonground.forums.services import advance_cycle
from commonground.issues.models import Issue
from commonground.issues.services import support_issue
from commonground.participants.models import Membership, User
from tests.api.conftest import bearer, send, snapshot
from tests.conftest import World

pytestmark = pytest.mark.django_db

# name → (method, path, body, who may do it, prepare(world, issue, actor))
Write = tuple[str, str, dict[str, Any] | None, str, Callable[[World, Issue, User], None]]


def _nothing(world: World, issue: Issue, actor: User) -> None:
    return None


def _support_first(world: World, issue: Issue, actor: User) -> None:
    support_issue(actor, issue)


WRITES: dict[str, Write] = {
    "raise_issue": (
        "POST",
        "/forums/kenya-igf/issues",
        {"title": "Cheaper data", "description": "Mobile data costs too much.", "topics": ["x"]},
        "government",
        _nothing,
    ),
    "edit_issue": (
        "PATCH",
        "/issues/{issue}",
        {"title": "A new title"},
        "civil_society",
        _nothing,
    ),
    "support_issue": ("POST", "/issues/{issue}/support", None, "government", _nothing),
    "withdraw_support": (
        "DELETE",
        "/issues/{issue}/support",
        None,
        "government",
        _support_first,
    ),
}

PHASE_MESSAGE = (
    "Call for sessions is the current phase; this is possible only during "
    "Call for issues or Agenda setting."
)


def _call(write: Write, issue: Issue, headers: dict[str, str] | None) -> Any:
    method, path, body, _, _ = write
    return send(Client(), method, path.format(issue=issue.pk), body, headers=headers)


@pytest.mark.parametrize("name", [*WRITES, "join"])
def test_anonymous_write_is_401_and_changes_nothing(world: World, issue: Issue, name: str) -> None:
    write = WRITES.get(name) or (
        "POST",
        "/forums/kenya-igf/join",
        {"stakeholder_group": "government", "country": "KE"},
        "",
        _nothing,
    )
    before = snapshot()
    response = _call(write, issue, None)
    assert response.status_code == 401
    assert "Authentication required" in response.json()["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert snapshot() == before


@pytest.mark.parametrize("name", list(WRITES))
def test_outsider_write_is_403_with_message_and_changes_nothing(
    world: World, issue: Issue, name: str
) -> None:
    headers = bearer(world.outsider)
    before = snapshot()
    response = _call(WRITES[name], issue, headers)
    assert response.status_code == 403
    assert response.json() == {"detail": "Join Kenya IGF to take part in it."}
    assert snapshot() == before


@pytest.mark.parametrize("name", list(WRITES))
def test_write_in_a_phase_that_forbids_it_is_409_and_changes_nothing(
    world: World, issue: Issue, name: str
) -> None:
    write = WRITES[name]
    actor = world.member[write[3]]
    write[4](world, issue, actor)
    advance_cycle(None, world.forum)  # agenda setting: still allowed
    advance_cycle(None, world.forum)  # call for sessions: not any more
    headers = bearer(actor)
    before = snapshot()
    response = _call(write, issue, headers)
    assert response.status_code == 409, response.content
    assert response.json() == {"detail": PHASE_MESSAGE}
    assert snapshot() == before


@pytest.mark.parametrize("name", list(WRITES))
def test_suspended_member_write_is_403_and_changes_nothing(
    world: World, issue: Issue, name: str
) -> None:
    write = WRITES[name]
    actor = world.member[write[3]]
    write[4](world, issue, actor)
    Membership.objects.filter(user=actor).update(status=Membership.Status.SUSPENDED)
    headers = bearer(actor)
    before = snapshot()
    response = _call(write, issue, headers)
    assert response.status_code == 403
    assert response.json() == {"detail": "Your membership of Kenya IGF is suspended."}
    assert snapshot() == before


def test_editing_someone_elses_issue_is_403_and_changes_nothing(world: World, issue: Issue) -> None:
    headers = bearer(world.member["government"])
    before = snapshot()
    response = send(
        Client(), "PATCH", f"/issues/{issue.pk}", {"title": "Hijacked"}, headers=headers
    )
    assert response.status_code == 403
    assert response.json() == {"detail": "Only the author can edit this issue."}
    assert snapshot() == before


def test_joining_twice_is_409_and_changes_nothing(world: World) -> None:
    headers = bearer(world.member["government"])
    before = snapshot()
    response = send(
        Client(),
        "POST",
        "/forums/kenya-igf/join",
        {"stakeholder_group": "civil_society", "country": "KE"},
        headers=headers,
    )
    assert response.status_code == 409
    assert response.json() == {"detail": "You are already a member of Kenya IGF."}
    assert snapshot() == before


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/forums/nowhere/issues"),
        ("POST", "/forums/nowhere/join"),
        ("PATCH", "/issues/999999"),
        ("POST", "/issues/999999/support"),
        ("DELETE", "/issues/999999/support"),
    ],
)
def test_write_to_something_that_does_not_exist_is_404_and_changes_nothing(
    world: World, method: str, path: str
) -> None:
    body = {"stakeholder_group": "government", "country": "KE"} if "join" in path else None
    if path.endswith("/issues"):
        body = {"title": "t", "description": "d"}
    if method == "PATCH":
        body = {"title": "t"}
    headers = bearer(world.member["government"])
    before = snapshot()
    response = send(Client(), method, path, body, headers=headers)
    assert response.status_code == 404
    assert response.json()["detail"] in {"No forum 'nowhere'.", "No issue 999999."}
    assert snapshot() == before
