"""The tables of community translations: of issues, of solutions and of messages, one
shape for the three (the translated object, its language, title, body and author)."""

from __future__ import annotations

from commonground.opendata.resources.columns import (
    Column,
    Table,
    id_column,
    person,
    ref,
    text,
    to,
    to_participant,
    when,
)
from commonground.stakeholders import gettext_noop

# The six languages of content (settings.LANGUAGES; this module has no Django import).
LANGUAGE_CODES = ("en", "fr", "es", "ar", "zh-hans", "ru")


def translation_table(name: str, description: str, parent: str, parents: str, body: str) -> Table:
    """The table of the community translations of ``parents`` (one row per translation
    shown to readers; hidden ones, and those of hidden objects, are left out)."""
    return Table(
        name,
        description,
        (
            id_column("Translation id"),
            ref(f"{parent}_id", f"The translated {parent}"),
            Column(
                "language",
                "string",
                "Language code of the translation",
                required=True,
                enum=LANGUAGE_CODES,
            ),
            text("title", "Translated title", required=True),
            text(body, f"Translated {body} (Markdown)", required=True),
            person("author", "Participant id of the member who added it"),
            when("created_at", "When it was added (UTC)"),
            when("updated_at", "When its author last edited it (UTC)"),
            Column(
                "stale",
                "boolean",
                f"Whether the {parent}'s title or {body} changed after the translation was"
                " added or last edited by its author: it may be out of date",
                required=True,
            ),
        ),
        ("id",),
        (to(f"{parent}_id", parents), to_participant("author")),
    )


ISSUE_TRANSLATIONS = translation_table(
    "issue_translations",
    gettext_noop(
        "Community translations of issues into another of the six languages, one per "
        "issue and language, added by members; hidden ones are left out."
    ),
    "issue",
    "issues",
    "description",
)
SOLUTION_TRANSLATIONS = translation_table(
    "solution_translations",
    gettext_noop(
        "Community translations of solutions into another of the six languages, one per "
        "solution and language, added by members; hidden ones are left out."
    ),
    "solution",
    "solutions",
    "description",
)
MESSAGE_TRANSLATIONS = translation_table(
    "message_translations",
    gettext_noop(
        "Community translations of messages into another of the six languages, one per "
        "message and language, added by members; hidden ones are left out."
    ),
    "message",
    "messages",
    "text",
)
