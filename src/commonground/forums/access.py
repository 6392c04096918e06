"""Who may do what in a forum: the few helpers every service and view goes through."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from commonground.core.errors import NotAllowed, NotAuthenticated, NotFound, WrongPhase
from commonground.forums.models import Cycle, Forum
from commonground.forums.phases import PHASE_LABELS, allowed_phases_text, phase_allows
from commonground.participants.models import Membership, User

AnyUser = User | AnonymousUser


def get_forum(slug: str) -> Forum:
    """The forum with this slug, or NotFound (forums are public)."""
    forum = Forum.objects.select_related("parent").filter(slug=slug).first()
    if forum is None:
        raise NotFound(f"No forum '{slug}'.")
    return forum


def membership_of(user: AnyUser, forum: Forum) -> Membership | None:
    """The user's membership in the forum, if any."""
    if not user.is_authenticated:
        return None
    return Membership.objects.filter(forum=forum, user=user).first()


def require_user(user: AnyUser) -> User:
    """The authenticated user, or NotAuthenticated."""
    if not user.is_authenticated:
        raise NotAuthenticated("Log in to do this.")
    assert isinstance(user, User)
    return user


def require_member(user: AnyUser, forum: Forum, *, lock: bool = False) -> Membership:
    """The acting member, active (not suspended). Outsiders get NotAllowed.

    ``lock`` takes a row lock on the membership so that a member's concurrent
    writes in this forum are applied one after another.
    """
    require_user(user)
    query = Membership.objects.filter(forum=forum, user=user)
    if lock:
        query = query.select_for_update()
    membership = query.first()
    if membership is None:
        raise NotAllowed(f"Join {forum.name} to take part in it.")
    if not membership.is_active:
        raise NotAllowed(f"Your membership of {forum.name} is suspended.")
    return membership


def require_steward(user: AnyUser, forum: Forum) -> Membership:
    """The acting steward of the forum; anyone else gets NotAllowed."""
    membership = require_member(user, forum)
    if not membership.is_steward:
        raise NotAllowed(f"Only a steward of {forum.name} can do this.")
    return membership


def open_cycle_of(forum: Forum) -> Cycle:
    """The forum's open cycle, or WrongPhase when none is open."""
    cycle = forum.cycles.filter(is_open=True).first()
    if cycle is None:
        raise WrongPhase(f"{forum.name} has no open cycle.")
    return cycle


def require_phase(cycle: Cycle, action: str) -> None:
    """Refuse an action that the cycle's current phase does not allow."""
    if not cycle.is_open:
        raise WrongPhase(f"The cycle {cycle.name} is closed.")
    if not phase_allows(cycle.phase, action):
        raise WrongPhase(
            f"{PHASE_LABELS[cycle.phase]} is the current phase; this is possible only during "
            f"{allowed_phases_text(action)}."
        )
