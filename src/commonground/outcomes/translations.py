"""Community translations of messages: the shared mechanism of ``issues.translating``
for the message kind (``translating.add_translation(MESSAGE, ...)`` and so on). A
message is public from its first draft, so any draft can be translated; the translation
is of the current version; after a revision it is marked stale (``stale``: the text it
was made from changed) until its author updates it."""

from __future__ import annotations

from commonground.issues import translating
from commonground.outcomes import events
from commonground.outcomes.models import MessageTranslation

MESSAGE = translating.Kind(
    model=MessageTranslation,
    parent="message",
    body="text",
    events=events.MESSAGE_TRANSLATION_BUILDERS,
)
