"""Template tags for lower apps' pages: a forum page links its outcome documents."""

from __future__ import annotations

from django import template

from commonground.dialogue.models import Conversation
from commonground.forums.models import Cycle, Forum
from commonground.outcomes.models import Message

register = template.Library()


@register.simple_tag
def outcome_cycles(forum: Forum) -> list[Cycle]:
    """The forum's cycles with at least one published message, newest first."""
    states = (Message.State.PUBLISHED, Message.State.REFERRED)
    return list(
        Cycle.objects.filter(forum=forum, messages__state__in=states)
        .distinct()
        .order_by("-opened_at")
    )


@register.simple_tag
def messages_drawing_on(conversation: Conversation) -> list[Message]:
    """The messages that draw on a conversation (the other end of the message's link)."""
    return list(Message.objects.filter(conversations=conversation).order_by("created_at", "pk"))
