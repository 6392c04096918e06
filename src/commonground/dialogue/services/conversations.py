"""Conversations and their statements: open one, add and moderate statements."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from commonground.access.members import AnyUser, require_member, require_steward
from commonground.core.errors import Conflict, InvalidInput, NotAllowed, WrongPhase
from commonground.dialogue import events
from commonground.dialogue.models import MAX_STATEMENT, Conversation, Statement
from commonground.dialogue.services.scheduling import schedule_after_commit
from commonground.issues.models import Issue
from commonground.ledger.services import append

MAX_TOPIC = 300
MAX_DESCRIPTION = 5000


# -- conversations and statements -------------------------------------------------------------


def open_conversation(
    user: AnyUser,
    issue: Issue,
    *,
    topic: str,
    description: str = "",
    moderation: str = Conversation.Moderation.STRICT,
) -> Conversation:
    """A steward of the issue's forum, or the issue's author, opens a conversation on it."""
    topic = " ".join((topic or "").split())
    description = (description or "").strip()
    if not topic:
        raise InvalidInput(_("A conversation needs a topic."))
    if len(topic) > MAX_TOPIC:
        raise InvalidInput(
            _("The topic is %(length)s characters; the limit is %(max_topic)s.")
            % {"length": len(topic), "max_topic": MAX_TOPIC}
        )
    if len(description) > MAX_DESCRIPTION:
        raise InvalidInput(
            _("The description is limited to %(max_description)s characters.")
            % {"max_description": MAX_DESCRIPTION}
        )
    if moderation not in Conversation.Moderation.values:
        raise InvalidInput(_("Moderation is 'strict' or 'open'."))
    with transaction.atomic():
        membership = require_member(user, issue.forum)
        if not membership.is_steward and issue.author_id != membership.pk:
            raise NotAllowed(
                _("Only a steward or the issue's author can open a conversation on it.")
            )
        conversation = Conversation.objects.create(
            forum=issue.forum,
            issue=issue,
            topic=topic,
            description=description,
            moderation=moderation,
            created_by=membership,
        )
        append(events.conversation_opened(conversation, membership.user.public_id))
    return conversation


def require_open(conversation: Conversation) -> None:
    if not conversation.is_open:
        raise WrongPhase(_("This conversation is closed."))


def clean_statement(text: str) -> str:
    """One statement's text, whitespace collapsed; InvalidInput when empty or too long."""
    text = " ".join((text or "").split())
    if not text:
        raise InvalidInput(_("A statement needs some text."))
    if len(text) > MAX_STATEMENT:
        raise InvalidInput(
            _("The statement is %(length)s characters; the limit is %(max_statement)s.")
            % {"length": len(text), "max_statement": MAX_STATEMENT}
        )
    return text


def add_statement(user: AnyUser, conversation: Conversation, text: str) -> Statement:
    """A member adds a statement. Under strict moderation it waits for a steward's
    approval (a steward's own statements are accepted at once); under open moderation
    it is shown right away."""
    text = clean_statement(text)
    with transaction.atomic():
        membership = require_member(user, conversation.forum)
        require_open(conversation)
        if Statement.objects.filter(conversation=conversation, text__iexact=text).exists():
            # A state conflict, not bad input: the same text is valid where it is new.
            raise Conflict(_("This statement is already in the conversation."))
        strict = conversation.moderation == Conversation.Moderation.STRICT
        status = (
            Statement.Status.PENDING
            if strict and not membership.is_steward
            else Statement.Status.ACCEPTED
        )
        statement = Statement.objects.create(
            conversation=conversation, text=text, author=membership, status=status
        )
        append(events.statement_added(statement, conversation.forum.slug))
    return statement


def moderate_statement(user: AnyUser, statement: Statement, decision: str) -> Statement:
    """A steward accepts or rejects a statement (and may revisit the decision)."""
    if decision not in (Statement.Status.ACCEPTED, Statement.Status.REJECTED):
        raise InvalidInput(_("Moderation decides 'accepted' or 'rejected'."))
    conversation = statement.conversation
    with transaction.atomic():
        membership = require_steward(user, conversation.forum)
        if decision == Statement.Status.ACCEPTED and not statement.text.strip():
            # A rejected statement restored from an open-data package carries no text (it
            # travels by id only), so accepting it would publish an empty statement.
            raise Conflict(_("This statement has no text (it was imported after rejection)."))
        previous = statement.status
        statement.status = decision
        statement.save(update_fields=["status"])
        append(events.statement_moderated(statement, membership, previous))
        if previous != decision and previous != Statement.Status.PENDING:
            # Accepting again or rejecting a statement that has votes changes the map
            # (rejected statements count as passes); a pending one has no votes.
            conversation_id = conversation.pk
            transaction.on_commit(lambda: schedule_after_commit(conversation_id))
    return statement
