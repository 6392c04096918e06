"""Schemas of the community translations of solutions and messages (those of issues are
in ``schemas.issues``): names and shapes are a public contract."""

from __future__ import annotations

from datetime import datetime

from ninja import Schema
from pydantic import Field

from commonground.api.contributions.common import DescriptionText
from commonground.api.messages_schemas import Text
from commonground.api.schemas import AuthorOut, InputSchema, TitleText
from commonground.api.schemas.issues import (
    STALE,
    LanguageCode,
    TranslationModeration,
    patch_rules,
)

TRANSLATION_INTO = (
    "The language of the translation: one of en, fr, es, ar, zh-hans or ru, not the "
    "original's language (409), and one translation per language (409 names the existing one)."
)


class SolutionTranslationIn(InputSchema):
    """A community translation of a solution's title and description (Markdown)."""

    language: LanguageCode = Field(description=TRANSLATION_INTO)
    title: TitleText
    description: DescriptionText


class SolutionTranslationPatch(TranslationModeration):
    """Only the fields sent are changed: ``title`` and ``description`` by the member who
    added the translation (403 for anyone else); ``hidden`` with a ``reason`` by a steward
    of the forum (hiding what is hidden, or restoring what is not, is 409)."""

    model_config = {"json_schema_extra": patch_rules("description")}

    title: TitleText | None = None
    description: DescriptionText | None = None


class MessageTranslationIn(InputSchema):
    """A community translation of a message's current title and text (Markdown)."""

    language: LanguageCode = Field(description=TRANSLATION_INTO)
    title: TitleText
    text: Text


class MessageTranslationPatch(TranslationModeration):
    """Only the fields sent are changed: ``title`` and ``text`` by the member who added the
    translation (403 for anyone else); ``hidden`` with a ``reason`` by a steward of the
    forum (hiding what is hidden, or restoring what is not, is 409)."""

    model_config = {"json_schema_extra": patch_rules("text")}

    title: TitleText | None = None
    text: Text | None = None


class _TranslationOut(Schema):
    id: int
    language: str
    title: str
    author: AuthorOut = Field(description="The member who added the translation.")
    created_at: datetime
    updated_at: datetime
    hidden: bool
    stale: bool = Field(description=STALE)


class SolutionTranslationOut(_TranslationOut):
    """A community translation of a solution; ``hidden`` ones are listed only to their
    author and the forum's stewards."""

    solution: int
    description: str
    description_html: str


class MessageTranslationOut(_TranslationOut):
    """A community translation of a message; ``hidden`` ones are listed only to their
    author and the forum's stewards."""

    message: int
    text: str
    text_html: str
