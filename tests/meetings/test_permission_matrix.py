"""Every cell of the sessions matrix of docs/permissions.md, run through the services.

Role × phase × action, from the call for sessions (before it no proposal exists and
proposing is refused, 409) to the closed cycle. Each action runs inside a savepoint that is
rolled back; ``expected()`` states the rules, ``test_docs_match`` checks the document.
Print the tables with ``REGENERATE``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils import timezone

from commonground.access.phases import PHASES
from commonground.core.errors import ServiceError
from commonground.forums.services import advance_cycle
from commonground.meetings.models import Session
from commonground.meetings.services import advisory, proposals, reports, schedule, selection
from commonground.participants.models import Membership
from tests.meetings.conftest import Programme, proposal
from tests.permission_docs import documented, matrix_tables

REGENERATE = (
    "COMMONGROUND_DATA_DIR=$(mktemp -d) DJANGO_SETTINGS_MODULE=commonground.settings uv run "
    "python -c 'import django; django.setup(); "
    "from tests.meetings.test_permission_matrix import tables; print(tables())'"
)
COLUMNS: tuple[str, ...] = (*PHASES[PHASES.index("call_for_sessions") :], "closed")


@dataclass(frozen=True)
class Role:
    key: str
    label: str


ROLES: tuple[Role, ...] = (
    Role("anonymous", "anonymous"),
    Role("outsider", "outsider (account, not a member)"),
    Role("proposer", "member (civil_society), the proposal's proposer"),
    Role("member", "member (internet_institution), not in the advisory group"),
    Role("advisor", "advisory group member (government)"),
    Role("steward", "steward"),
    Role("suspended", "suspended member (academic_technical, in the advisory group)"),
)

ACTIONS: dict[str, str] = {
    "propose_session": "propose a session",
    "edit_session": "edit one's own proposal",
    "withdraw_session": "withdraw one's own proposal",
    "appoint_advisory_group": "appoint the advisory group",
    "declare_conflict": "declare a conflict on a proposal",
    "score_session": "score a proposal",
    "decide_session": "decide on a proposal",
    "publish_selection": "publish the selection",
    "schedule_session": "schedule an approved session",
    "file_report": "file a session's report",
}
OWN_PROPOSAL = {"edit_session", "withdraw_session"}


def expected(role: Role, column: str, action: str) -> str:
    """The documented outcome of ``action`` by ``role`` when the cycle is in ``column``."""
    if role.key == "anonymous":
        return "401"
    if role.key in {"outsider", "suspended"}:
        return "403"
    if action == "propose_session" or action in OWN_PROPOSAL:
        if action in OWN_PROPOSAL and role.key == "member":
            return "403"  # the proposal is someone else's
        return "yes" if column == "call_for_sessions" else "409"
    if action == "appoint_advisory_group":
        return "yes" if role.key == "steward" else "403"
    if action in {"declare_conflict", "score_session"}:
        if role.key != "advisor":
            return "403"
        return "yes" if column == "evaluation" else "409"
    if action == "file_report":
        if role.key != "proposer":
            return "403"
        # Accepted once the session has started: it is held (scheduled in the past) in the
        # forum phase; before that it has no slot.
        return "409" if column in {"call_for_sessions", "evaluation"} else "yes"
    if role.key != "steward":
        return "403"
    allowed = {
        "decide_session": {"evaluation"},
        "publish_selection": {"evaluation", "forum"},
        "schedule_session": {"forum"},
    }[action]
    return "yes" if column in allowed else "409"


# ---------------------------------------------------------------- running the code


@dataclass
class Stage:
    programme: Programme
    target: int  # civil society's proposal: screened in, approved, held, reported on
    own: dict[str, int]  # role -> their own proposal


def _user(programme: Programme, role: Role) -> Any:
    world = programme.world
    return {
        "anonymous": AnonymousUser(),
        "outsider": world.outsider,
        "proposer": world.member["civil_society"],
        "member": world.member["internet_institution"],
        "advisor": world.member["government"],
        "steward": world.steward,
        "suspended": world.member["academic_technical"],
    }[role.key]


def _session(pk: int) -> Session:
    return Session.objects.select_related("forum", "cycle").get(pk=pk)


def _stage(programme: Programme, column: str) -> Stage:
    world = programme.world
    target = programme.propose()
    own = {
        "proposer": target.pk,
        "advisor": programme.propose(world.member["government"], title="Advisor's").pk,
        "steward": programme.propose(world.steward, title="Steward's").pk,
    }
    steps = len(PHASES) if column == "closed" else PHASES.index(column)
    steps -= PHASES.index("call_for_sessions")
    for _ in range(steps):
        advance_cycle(None, programme.forum)
        phase = programme.forum.cycles.order_by("-opened_at").first().phase
        if phase == "evaluation":
            selection.decide_session(
                world.steward, _session(target.pk), {"decision": "approved", "reason": "Good."}
            )
        if phase == "forum":
            schedule.schedule_session(
                world.steward,
                _session(target.pk),
                room="Room 1",
                starts_at=timezone.now() - timedelta(hours=3),
                duration_minutes=60,
            )
    return Stage(programme, target.pk, own)


def _actions(s: Stage, role: Role) -> dict[str, Callable[[Any], object]]:
    p = s.programme
    mine = s.own.get(role.key, s.target)
    data = proposal(issue_ids=[p.issue.pk])
    score = {"relevance": 4, "content": 4, "interaction": 4, "diversity": 4}
    later = timezone.now() + timedelta(days=30)
    return {
        "propose_session": lambda u: proposals.propose_session(u, p.forum, data),
        "edit_session": lambda u: proposals.edit_session(u, _session(mine), {"title": "New"}),
        "withdraw_session": lambda u: proposals.withdraw_session(u, _session(mine)),
        "appoint_advisory_group": lambda u: advisory.set_advisory_group(
            u, p.forum, [a.public_id for a in p.advisors]
        ),
        "declare_conflict": lambda u: advisory.declare_conflict(u, _session(s.target)),
        "score_session": lambda u: advisory.score_session(u, _session(s.target), score),
        "decide_session": lambda u: selection.decide_session(
            u, _session(s.target), {"decision": "declined", "reason": "Merged elsewhere."}
        ),
        "publish_selection": lambda u: selection.publish_selection(u, p.forum),
        "schedule_session": lambda u: schedule.schedule_session(
            u, _session(s.target), room="Room 2", starts_at=later, duration_minutes=60
        ),
        "file_report": lambda u: reports.file_report(
            u, _session(s.target), {"key_takeaways": ["One."]}
        ),
    }


class _Rollback(Exception):
    pass


def _run(programme: Programme, role: Role, action: str, call: Callable[[Any], object]) -> str:
    outcome = "yes"
    try:
        with transaction.atomic():
            if role.key == "suspended":
                Membership.objects.filter(
                    forum=programme.forum, user=programme.world.member["academic_technical"]
                ).update(status=Membership.Status.SUSPENDED)
            try:
                call(_user(programme, role))
            except ServiceError as error:
                outcome = str(error.status)
            raise _Rollback
    except _Rollback:
        pass
    return outcome


@pytest.mark.django_db
@pytest.mark.parametrize("column", COLUMNS)
def test_matrix(programme: Programme, column: str) -> None:
    stage = _stage(programme, column)
    wrong = []
    for role in ROLES:
        for action, call in _actions(stage, role).items():
            got = _run(programme, role, action, call)
            want = expected(role, column, action)
            if got != want:
                wrong.append(f"{action} by {role.key}: expected {want}, got {got}")
    assert not wrong, "\n".join(wrong)


# ---------------------------------------------------------------- the document


def tables() -> str:
    """The Markdown tables of the sessions section of docs/permissions.md."""
    return matrix_tables(ACTIONS, ROLES, COLUMNS, expected)


def test_docs_match() -> None:
    assert documented("sessions-matrix").strip() == tables().strip(), (
        f"docs/permissions.md is out of date; print the tables with: {REGENERATE}"
    )
