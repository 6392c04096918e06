"""The acting person: anonymous (401), outsider or suspended (403), member, steward."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext as _

from commonground.core.errors import NotAllowed, NotAuthenticated
from commonground.forums.models import Forum
from commonground.participants.models import Membership, User

AnyUser = User | AnonymousUser


def membership_of(user: AnyUser, forum: Forum) -> Membership | None:
    """The user's membership in the forum, if any (suspended ones included)."""
    if not user.is_authenticated:
        return None
    return Membership.objects.filter(forum=forum, user=user).first()


def can_take_part(membership: Membership | None) -> bool:
    """A member whose membership is active: the base of every member's action."""
    return membership is not None and membership.is_active


def can_steward(membership: Membership | None) -> bool:
    """An active steward of the membership's forum."""
    return can_take_part(membership) and membership is not None and membership.is_steward


def require_user(user: AnyUser) -> User:
    """The authenticated user, or NotAuthenticated."""
    if not user.is_authenticated:
        raise NotAuthenticated(_("Log in to do this."))
    assert isinstance(user, User)
    return user


def require_member(user: AnyUser, forum: Forum, *, lock: bool = False) -> Membership:
    """The acting member, active (not suspended). Outsiders get NotAllowed.

    ``lock`` takes a row lock on the membership so that a member's concurrent
    writes in this forum are applied one after another. FOR NO KEY UPDATE: it excludes
    the member's other writes but not the key-share locks that rows pointing at the
    membership take (another member's comment notifying this one checks its foreign keys
    at commit); a plain FOR UPDATE made those wait and deadlock under load.
    """
    account = require_user(user)
    query = Membership.objects.filter(forum=forum, user=account)
    if lock:
        query = query.select_for_update(no_key=True)
    membership = query.first()
    if membership is None:
        raise NotAllowed(_("Join %(forum)s to take part in it.") % {"forum": forum.name})
    if not can_take_part(membership):
        raise NotAllowed(_("Your membership of %(forum)s is suspended.") % {"forum": forum.name})
    membership.user = account  # the row it points at: services read it without a query
    return membership


def require_steward(user: AnyUser, forum: Forum) -> Membership:
    """The acting steward of the forum; anyone else gets NotAllowed."""
    membership = require_member(user, forum)
    if not can_steward(membership):
        raise NotAllowed(_("Only a steward of %(forum)s can do this.") % {"forum": forum.name})
    return membership


def can_run_forum(user: AnyUser, forum: Forum | None) -> bool:
    """The secretariat of a forum: a superuser, an active steward of the forum, or of the
    forum right above it (which created it, before it has stewards of its own). With
    ``forum`` None (the top of the tree) only a superuser. Opens cycles in the forum and
    creates forums under it."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    if forum is None:
        return False
    if can_steward(membership_of(user, forum)):
        return True
    parent = forum.parent
    return parent is not None and can_steward(membership_of(user, parent))


def require_run_forum(user: AnyUser, forum: Forum | None) -> User:
    """The acting secretariat of the forum (see ``can_run_forum``); anyone else NotAllowed."""
    person = require_user(user)
    if not can_run_forum(person, forum):
        if forum is None:
            raise NotAllowed(_("Only a superuser can create a forum at the top of the tree."))
        raise NotAllowed(
            _("Only a steward of %(forum)s (or of the forum above it) or a superuser can do this.")
            % {"forum": forum.name}
        )
    return person
