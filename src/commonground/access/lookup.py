"""One getter per kind: the object, or NotFound (404) the same way on every surface.

The web pages, the API and the CLI all look objects up here, so a missing or hidden
object is refused with one message everywhere. Getters read; they authorize nothing
beyond visibility (a hidden contribution is "not found" for those who may not see it,
so its existence does not leak). What may be done with the object is ``rules``'s part.
"""

from __future__ import annotations

import re
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from commonground.access.forum_read import read_forum_and_open_cycle
from commonground.access.issue_read import read_issue
from commonground.access.members import AnyUser, membership_of
from commonground.access.rules import can_see
from commonground.contributions.models import Advice, Comment, Kind, Signal, Solution
from commonground.core.errors import InvalidInput, NotFound, WrongPhase
from commonground.dialogue.models import Conversation, Statement
from commonground.forums.models import Cycle, Forum
from commonground.issues.models import Issue
from commonground.meetings.models import Session
from commonground.outcomes.models import Message, Position
from commonground.participants.models import Membership, User

_SLUG = re.compile(r"[-\w]{1,60}", re.ASCII)
# Public ids are "p" and hex digits (participants.models.new_public_id), at most 16 long.
_PUBLIC_ID = re.compile(r"[a-z0-9]{1,16}")

Contribution = Signal | Solution | Advice | Comment
CONTRIBUTION_MODELS: dict[str, type[Contribution]] = {
    Kind.SIGNAL: Signal,
    Kind.SOLUTION: Solution,
    Kind.ADVICE: Advice,
    Kind.COMMENT: Comment,
}
# What the services and pages read next to a contribution: its forum, author and cycle.
_CONTRIBUTION_RELATED: dict[str, tuple[str, ...]] = {
    Kind.SIGNAL: ("forum", "author__user", "issue__cycle"),
    Kind.SOLUTION: ("forum", "author__user", "issue__cycle"),
    Kind.ADVICE: ("forum", "author__user", "solution__issue__cycle"),
    Kind.COMMENT: ("forum", "author__user", "issue__cycle"),
}


def _id(value: object, what: str) -> int:
    """An id from a URL or a form field; anything else is InvalidInput."""
    try:
        return int(str(value))
    except (TypeError, ValueError):
        raise InvalidInput(_("Choose a %(what)s.") % {"what": what}) from None


# ---------------------------------------------------------------- forums and cycles


def get_forum(slug: str) -> Forum:
    """The forum with this slug, or NotFound (forums are public).

    A value no slug can have never reaches the database.
    """
    forum = None
    if _SLUG.fullmatch(slug):
        forum = Forum.objects.select_related("parent").filter(slug=slug).first()
    if forum is None:
        raise NotFound(_("No forum '%(slug)s'.") % {"slug": slug[:60]})
    return forum


def open_cycle_of(forum: Forum) -> Cycle:
    """The forum's open cycle, or WrongPhase when none is open."""
    cycle = forum.cycles.filter(is_open=True).first()
    if cycle is None:
        raise WrongPhase(_("%(forum)s has no open cycle.") % {"forum": forum.name})
    return cycle


def get_forum_and_open_cycle(slug: str) -> tuple[Forum, Cycle, tuple[int, int]]:
    """``get_forum`` then ``open_cycle_of``, refused alike, in one statement with the
    cycle's tally version (commonground.access.forum_read)."""
    found = read_forum_and_open_cycle(slug) if _SLUG.fullmatch(slug) else None
    if found is None:
        raise NotFound(_("No forum '%(slug)s'.") % {"slug": slug[:60]})
    forum, cycle, version = found
    if cycle is None or version is None:
        raise WrongPhase(_("%(forum)s has no open cycle.") % {"forum": forum.name})
    return forum, cycle, version


def get_cycle(forum: Forum, cycle_id: int) -> Cycle:
    """One of the forum's cycles, or NotFound."""
    cycle = Cycle.objects.filter(forum=forum, pk=cycle_id).first()
    if cycle is None:
        raise NotFound(
            _("%(forum)s has no cycle %(cycle)s.") % {"forum": forum.name, "cycle": cycle_id}
        )
    return cycle


# ---------------------------------------------------------------- people


def get_participant(public_id: str) -> User:
    """An active participant by public id, or NotFound (the e-mail address is never a key)."""
    user = None
    if _PUBLIC_ID.fullmatch(public_id):
        user = User.objects.filter(public_id=public_id, is_active=True).first()
    if user is None:
        raise NotFound(_("No participant '%(id)s'.") % {"id": public_id[:40]})
    return user


def get_membership(forum: Forum, membership_id: int) -> Membership:
    """A membership of this forum, or NotFound."""
    membership = (
        Membership.objects.select_related("forum", "user")
        .filter(forum=forum, pk=membership_id)
        .first()
    )
    if membership is None:
        raise NotFound(_("No such member in this forum."))
    return membership


# ---------------------------------------------------------------- issues


def issue_queryset() -> QuerySet[Issue]:
    """Issues with what their pages and serializations read, in a fixed number of queries."""
    return Issue.objects.select_related("forum", "cycle", "author__user").prefetch_related("topics")


def get_issue_to_act_on(issue_id: int) -> Issue:
    """The issue with its forum and cycle, without its texts (one query), or NotFound: what a
    support or withdrawal reads."""
    issue = (
        Issue.objects.select_related("forum", "cycle")
        .defer("description", "description_html")
        .filter(pk=issue_id)
        .first()
    )
    if issue is None:
        raise NotFound(_("No issue %(id)s.") % {"id": issue_id})
    return issue


def get_issue(issue_id: int) -> Issue:
    """The issue with this id, or NotFound (issues are public): what ``issue_queryset()``
    reads of it, in one statement (commonground.access.issue_read)."""
    issue = read_issue(issue_id)
    if issue is None:
        raise NotFound(_("No issue %(id)s.") % {"id": issue_id})
    return issue


# ---------------------------------------------------------------- contributions


def get_contribution(kind: str, pk: int) -> Any:
    """The contribution of this kind and id, hidden or not, or NotFound.

    For services and stewards; pages and the API use ``get_visible_contribution``.
    """
    model = CONTRIBUTION_MODELS.get(kind)
    if model is None:
        raise NotFound(_("Unknown kind of contribution '%(kind)s'.") % {"kind": kind[:20]})
    item = model.objects.select_related(*_CONTRIBUTION_RELATED[kind]).filter(pk=pk).first()
    if item is None:
        raise NotFound(_("No %(kind)s %(id)s.") % {"kind": kind, "id": pk})
    return item


def get_visible_contribution(kind: str, pk: int, user: AnyUser) -> Any:
    """The contribution, or NotFound when it does not exist or is hidden from the caller."""
    item = get_contribution(kind, pk)
    if not can_see(item, membership_of(user, item.forum)):
        raise NotFound(_("No %(kind)s %(id)s.") % {"kind": kind, "id": pk})
    return item


# ---------------------------------------------------------------- conversations


def get_conversation(conversation_id: int) -> Conversation:
    """The conversation with this id, or NotFound (conversations are public)."""
    conversation = (
        Conversation.objects.select_related("forum", "issue").filter(pk=conversation_id).first()
    )
    if conversation is None:
        raise NotFound(_("No conversation %(id)s.") % {"id": conversation_id})
    return conversation


def get_statement(conversation: Conversation, statement_id: object) -> Statement:
    """A statement of this conversation, or NotFound; an id that is no number is InvalidInput."""
    pk = _id(statement_id, _("statement"))
    statement = Statement.objects.filter(conversation=conversation, pk=pk).first()
    if statement is None:
        raise NotFound(
            _("No statement %(id)s in conversation %(conversation)s.")
            % {"id": pk, "conversation": conversation.pk}
        )
    statement.conversation = conversation
    return statement


# ---------------------------------------------------------------- messages


def get_message(message_id: object) -> Message:
    """The message with this id, or NotFound (messages are public from their first draft)."""
    pk = _id(message_id, _("message"))
    message = (
        Message.objects.select_related("forum", "cycle", "issue", "created_by__user")
        .filter(pk=pk)
        .first()
    )
    if message is None:
        raise NotFound(_("No message %(id)s.") % {"id": pk})
    return message


def get_objection(message: Message, objection_id: object) -> Position:
    """An objection (an ``object`` position) on this message, or NotFound."""
    pk = _id(objection_id, _("objection"))
    objection = (
        Position.objects.select_related("membership__user")
        .filter(message=message, pk=pk, position=Position.Kind.OBJECT)
        .first()
    )
    if objection is None:
        raise NotFound(
            _("No objection %(id)s on message %(message)s.") % {"id": pk, "message": message.pk}
        )
    return objection


# ---------------------------------------------------------------- sessions


def get_session(session_id: object) -> Session:
    """The session (proposal) with this id, or NotFound. Withdrawn ones are still found:
    their proposers and the stewards see them, and the ledger names them."""
    pk = _id(session_id, _("session"))
    session = (
        Session.objects.select_related("forum", "cycle", "proposer__user", "rapporteur__user")
        .filter(pk=pk)
        .first()
    )
    if session is None:
        raise NotFound(_("No session %(id)s.") % {"id": pk})
    return session


def get_live_session(session_id: object) -> Session:
    """The session with this id unless it was withdrawn (NotFound either way): the API's
    ``DELETE /sessions/{id}`` withdraws, and what was deleted is not found afterwards
    (the web pages and the ledger still show a withdrawn proposal to those who may see it)."""
    session = get_session(session_id)
    if session.status == Session.Status.WITHDRAWN:
        raise NotFound(_("This proposal was withdrawn."))
    return session
