"""Every cell of docs/permissions.md checked against the running code, through the services.

The matrix is role × cycle phase × action. ``expected()`` states the rules;
``test_matrix`` runs each action for each role in each phase (inside a savepoint
that is rolled back, within one per role that holds the role's membership and settings,
so one world per phase serves every cell) and compares the
outcome: ``yes`` (done), or the HTTP status of the refusal (401 log in, 403 not
allowed, 409 not possible in this phase). ``test_docs_match`` checks that the
tables in docs/permissions.md are exactly the ones these rules produce;
``REGENERATE`` below prints them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction

from commonground.access import rules
from commonground.access.phases import PHASES
from commonground.contributions import services
from commonground.contributions.models import Comment, ContributionSettings, Solution
from commonground.contributions.moderation import dismiss_reports
from commonground.core.errors import ServiceError
from commonground.forums.forum_settings import update_settings as update_forum_settings
from commonground.forums.phase_changes import correct_phase
from commonground.forums.services import advance_cycle, open_cycle
from commonground.issues.models import Issue
from commonground.issues.services import edit_issue, raise_issue, support_issue, withdraw_support
from commonground.notifications import services as notifications
from commonground.participants.models import Membership
from commonground.participants.services import set_verified
from commonground.recognition.services import publish_agenda
from commonground.stakeholders import GROUPS
from tests.permission_docs import documented, matrix_tables

REGENERATE = (
    "COMMONGROUND_DATA_DIR=$(mktemp -d) DJANGO_SETTINGS_MODULE=commonground.settings uv run "
    "python -c 'import django; django.setup(); "
    "from tests.contributions.test_permission_matrix import tables; print(tables())'"
)
COLUMNS: tuple[str, ...] = (*PHASES, "closed")
ISSUE_PHASES = {"call_for_issues", "agenda_setting"}
PUBLISH_PHASES = {"agenda_setting", "call_for_sessions"}
SIGNAL_FIELDS = {
    "government": {"jurisdiction": "KE", "priority": "high", "statement": "Concerned."},
    "other": {"jurisdiction": "ITU", "priority": "high", "statement": "Concerned."},
}
ADVICE = {"feasibility": "feasible", "benefits": "Cheaper.", "evidence": ["https://a.example"]}


@dataclass(frozen=True)
class Role:
    key: str
    label: str
    persona: str | None  # a group persona, "steward", "outsider" or None (anonymous)
    verification_required: bool = False
    verified: bool = False
    suspended: bool = False


ROLES: tuple[Role, ...] = (
    Role("anonymous", "anonymous", None),
    Role("outsider", "outsider (account, not a member)", "outsider"),
    *(Role(g, f"member: {g}", g) for g in GROUPS),
    Role("gov_unverified_req", "government, unverified, forum requires verification",
         "government", verification_required=True),
    Role("gov_verified_req", "government, verified, forum requires verification",
         "government", verification_required=True, verified=True),
    Role("act_unverified_req", "academic_technical, unverified, forum requires verification",
         "academic_technical", verification_required=True),
    Role("act_verified_req", "academic_technical, verified, forum requires verification",
         "academic_technical", verification_required=True, verified=True),
    Role("steward", "steward (declared civil_society)", "steward"),
    Role("suspended", "suspended member (government)", "government", suspended=True),
)  # fmt: skip

ACTIONS: dict[str, str] = {
    "raise_issue": "raise an issue",
    "edit_issue": "edit one's own issue",
    "support_issue": "support an issue",
    "withdraw_support": "withdraw one's support",
    "publish_agenda": "publish the agenda",
    "signal_concern": "signal concern",
    "propose_solution": "propose a solution",
    "give_advice": "give technical advice",
    "comment": "comment or reply",
    "edit_own_comment": "edit or delete one's own comment",
    "report": "report a contribution",
    "follow_issue": "follow an issue",
    "moderate": "hide or restore a contribution",
    "suspend_member": "suspend or unsuspend a member",
    "contribution_settings": "change contribution settings",
    "forum_settings": "change the forum's settings",
    "dismiss_reports": "dismiss the open reports of a contribution",
    "verify_member": "verify a member's stakeholder group",
    "advance_phase": "move the open cycle to its next phase",
    "correct_phase": "move the open cycle back to an earlier phase",
    "open_cycle": "open a new cycle",
}
STEWARD_ACTIONS = {
    "publish_agenda", "moderate", "suspend_member", "contribution_settings", "forum_settings",
    "dismiss_reports", "verify_member", "advance_phase", "correct_phase", "open_cycle",
}  # fmt: skip


def group_of(role: Role) -> str | None:
    if role.persona == "steward":
        return "civil_society"
    return role.persona if role.persona in GROUPS else None


def expected(role: Role, column: str, action: str) -> str:
    """The documented outcome of ``action`` by ``role`` when the cycle is in ``column``."""
    if role.persona is None:
        return "401"
    if role.persona == "outsider" or role.suspended:
        return "403"
    closed = column == "closed"
    if action in STEWARD_ACTIONS:
        if role.persona != "steward":
            return "403"
        if action == "publish_agenda":
            return "yes" if column in PUBLISH_PHASES else "409"
        if action == "advance_phase":
            return "409" if closed else "yes"
        if action == "correct_phase":  # back to the call for issues: from a later phase
            return "409" if closed or column == PHASES[0] else "yes"
        if action == "open_cycle":  # one open cycle at a time
            return "yes" if closed else "409"
        return "yes"
    if action in {"raise_issue", "edit_issue", "support_issue", "withdraw_support"}:
        return "yes" if column in ISSUE_PHASES else "409"
    if action in {"report", "follow_issue"}:
        return "yes"
    group = group_of(role)
    for gated, groups in (
        ("signal_concern", rules.SIGNAL_GROUPS),
        ("give_advice", rules.ADVICE_GROUPS),
    ):
        if action == gated and (
            group not in groups or (role.verification_required and not role.verified)
        ):
            return "403"
    return "409" if closed else "yes"


# ---------------------------------------------------------------- running the code


@dataclass
class Stage:
    forum: Any
    target: int  # issue raised by civil society, supported by every member
    fresh: int  # issue nobody supports
    solution: int
    own_issue: dict[int, int]  # user id -> their issue
    own_comment: dict[int, int]  # user id -> their comment on the target
    steward_comment: int
    civil_comment: int
    private_membership: int


def _stage(world: Any) -> Stage:
    people = [*world.member.values(), world.steward]
    target = raise_issue(world.member["civil_society"], world.forum, title="T", description="D")
    fresh = raise_issue(world.steward, world.forum, title="Fresh", description="D")
    own_issue, own_comment = {}, {}
    for user in people:
        own_issue[user.pk] = raise_issue(user, world.forum, title="Own", description="D").pk
        support_issue(user, target)
        own_comment[user.pk] = services.add_comment(user, issue=target, body="Mine").pk
    solution = services.propose_solution(
        world.member["private_sector"], target, title="S", description="D"
    )
    # An open report for the stewards to dismiss.
    civil_comment = Comment.objects.get(pk=own_comment[world.member["civil_society"].pk])
    services.report(world.member["government"], "comment", civil_comment, reason="spam")
    return Stage(
        forum=world.forum,
        target=target.pk,
        fresh=fresh.pk,
        solution=solution.pk,
        own_issue=own_issue,
        own_comment=own_comment,
        steward_comment=own_comment[world.steward.pk],
        civil_comment=own_comment[world.member["civil_society"].pk],
        private_membership=world.membership["private_sector"].pk,
    )


def _issue(pk: int) -> Issue:
    return Issue.objects.select_related("forum", "cycle").get(pk=pk)


def _actions(s: Stage) -> dict[str, Callable[[Any], object]]:
    def mine(table: dict[int, int], user: Any, default: int) -> int:
        return table.get(getattr(user, "pk", None), default)

    def signal_fields(user: Any) -> dict[str, str]:
        groups = set(Membership.objects.filter(user_id=getattr(user, "pk", None)).values_list(
            "stakeholder_group", flat=True))  # fmt: skip
        return SIGNAL_FIELDS["government" if "government" in groups else "other"]

    def report_target(user: Any) -> int:
        """Someone else's comment: the steward's, or civil society's for the steward."""
        own = mine(s.own_comment, user, 0)
        return s.civil_comment if own == s.steward_comment else s.steward_comment

    return {
        "raise_issue": lambda u: raise_issue(u, s.forum, title="New", description="D"),
        "edit_issue": lambda u: edit_issue(
            u, _issue(mine(s.own_issue, u, s.target)), title="Edited", description="D"
        ),
        "support_issue": lambda u: support_issue(u, _issue(s.fresh)),
        "withdraw_support": lambda u: withdraw_support(u, _issue(s.target)),
        "publish_agenda": lambda u: publish_agenda(u, s.forum),
        "signal_concern": lambda u: services.signal_concern(
            u, _issue(s.target), **signal_fields(u)
        ),
        "propose_solution": lambda u: services.propose_solution(
            u, _issue(s.target), title="Another", description="D"
        ),
        "give_advice": lambda u: services.give_advice(
            u, Solution.objects.get(pk=s.solution), **ADVICE
        ),
        "comment": lambda u: services.add_comment(u, issue=_issue(s.target), body="Hello"),
        "edit_own_comment": lambda u: services.edit_comment(
            u, Comment.objects.get(pk=mine(s.own_comment, u, s.civil_comment)), body="Edited"
        ),
        "report": lambda u: services.report(
            u, "comment", Comment.objects.get(pk=report_target(u)), reason="spam"
        ),
        "follow_issue": lambda u: notifications.follow_issue(u, _issue(s.target)),
        "moderate": lambda u: services.moderate(
            u, "comment", Comment.objects.get(pk=s.civil_comment), hide=True, reason="Spam"
        ),
        "suspend_member": lambda u: services.set_suspended(
            u, Membership.objects.get(pk=s.private_membership), suspended=True, reason="Abuse"
        ),
        "contribution_settings": lambda u: services.update_settings(
            u, s.forum, verified_required=True, report_threshold=4
        ),
        "forum_settings": lambda u: update_forum_settings(u, s.forum, {"min_groups": 2}),
        "dismiss_reports": lambda u: dismiss_reports(
            u, "comment", Comment.objects.get(pk=s.civil_comment), reason="On topic."
        ),
        "verify_member": lambda u: set_verified(u, Membership.objects.get(pk=s.private_membership)),
        "advance_phase": lambda u: advance_cycle(u, s.forum),
        "correct_phase": lambda u: correct_phase(u, s.forum, PHASES[0], "A mistake."),
        "open_cycle": lambda u: open_cycle(u, s.forum, "2099"),
    }


class _Rollback(Exception):
    pass


def _user(world: Any, role: Role) -> Any:
    if role.persona is None:
        return AnonymousUser()
    if role.persona == "outsider":
        return world.outsider
    if role.persona == "steward":
        return world.steward
    return world.member[role.persona]


def _as_role(world: Any, role: Role) -> Any:
    """The user acting as ``role``, with the membership and forum settings the role names
    (set inside the caller's savepoint, so they are rolled back with it)."""
    user = _user(world, role)
    if role.persona in GROUPS:
        Membership.objects.filter(forum=world.forum, user=user).update(
            verified=role.verified,
            status=Membership.Status.SUSPENDED if role.suspended else "active",
        )
    if role.verification_required:
        ContributionSettings.objects.update_or_create(
            forum=world.forum, defaults={"verified_required_for_signals_and_advice": True}
        )
    return user


def _run(user: Any, call: Callable[[Any], object]) -> str:
    """The outcome of one cell, whose changes are rolled back."""
    outcome = "yes"
    try:
        with transaction.atomic():
            try:
                call(user)
            except ServiceError as error:
                outcome = str(error.status)
            raise _Rollback
    except _Rollback:
        pass
    return outcome


@pytest.mark.django_db
@pytest.mark.parametrize("column", COLUMNS)
def test_matrix(world: Any, column: str) -> None:
    stage = _stage(world)
    steps = len(PHASES) if column == "closed" else PHASES.index(column)
    for _ in range(steps):
        advance_cycle(None, world.forum)
    actions = _actions(stage)
    wrong = []
    # One savepoint per role holds its membership and settings; each action runs in a
    # savepoint of its own inside it, so every cell starts from the same state.
    for role in ROLES:
        try:
            with transaction.atomic():
                user = _as_role(world, role)
                for action, call in actions.items():
                    got = _run(user, call)
                    want = expected(role, column, action)
                    if got != want:
                        wrong.append(f"{action} by {role.key}: expected {want}, got {got}")
                raise _Rollback
        except _Rollback:
            pass
    assert not wrong, "\n".join(wrong)


# ---------------------------------------------------------------- the document


def tables() -> str:
    """The Markdown tables of docs/permissions.md, one per action."""
    return matrix_tables(ACTIONS, ROLES, COLUMNS, expected)


def test_docs_match() -> None:
    assert documented("matrix").strip() == tables().strip(), (
        f"docs/permissions.md is out of date; print the tables with: {REGENERATE}"
    )
