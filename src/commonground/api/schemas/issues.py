"""API schemas of issues, their list and their support."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any, Literal

from django.utils.translation import gettext
from ninja import Schema
from pydantic import Field, StringConstraints, field_validator, model_validator

from commonground.api.schemas.base import (
    MAX_ID,
    CycleRef,
    Filled,
    GroupCounts,
    GroupName,
    InputSchema,
    RegionName,
    Topic,
)
from commonground.api.schemas.participants import AuthorOut
from commonground.issues.services import MAX_DESCRIPTION, MAX_TITLE, MAX_TOPICS

TitleText = Annotated[str, StringConstraints(max_length=MAX_TITLE), Filled]
DescriptionText = Annotated[str, StringConstraints(max_length=MAX_DESCRIPTION), Filled]
TopicText = Annotated[str, StringConstraints(max_length=60), Topic]


class TopicOut(Schema):
    slug: str
    label: str
    is_sdg: bool


#: The six languages of content and of the interface (the schema lists them: 422 otherwise).
LanguageCode = Literal["en", "fr", "es", "ar", "zh-hans", "ru"]

ISSUE_LANGUAGE = (
    "The language the title and description are written in: en, fr, es, ar, zh-hans or ru."
)


# The ``stale`` field of every kind of community translation (issue, solution, message).
STALE = (
    "The original's title or text changed after the translation was added or last edited by "
    "its author (a revised message, an edited issue or solution): it may be out of date."
)


class TranslationOut(Schema):
    """A community translation; ``hidden`` ones are listed only to their author and the
    forum's stewards."""

    id: int
    issue: int
    language: str
    title: str
    description: str
    description_html: str
    author: AuthorOut = Field(description="The member who added the translation.")
    created_at: datetime
    updated_at: datetime
    hidden: bool
    stale: bool = Field(description=STALE)


class IssueOut(Schema):
    id: int
    forum: str
    cycle: CycleRef
    title: str
    description: str
    description_html: str
    language: str = Field(description=ISSUE_LANGUAGE)
    topics: list[TopicOut]
    raised_at: datetime
    updated_at: datetime
    author: AuthorOut
    support_count: int
    supports_by_group: GroupCounts
    supported_by_me: bool | None = Field(
        description="Whether the caller supports the issue; null for an anonymous caller."
    )
    translation: TranslationOut | None = Field(
        description="The community translation shown to the caller instead of the original:"
        " the one into the caller's interface language (the member's chosen language, else"
        " Accept-Language) that is not hidden; null when there is none or the issue is"
        " written in that language. title and description stay the original's."
    )


class IssueFilters(Schema):
    """Query parameters of the issue list: filters, order and the page."""

    q: str | None = Field(
        None,
        max_length=200,
        description="Words in title or description, in the original or a visible translation.",
    )
    topic: str | None = Field(None, max_length=60, description='Topic slug or "SDG 9".')
    group: GroupName | None = Field(None, description="The author's stakeholder group.")
    region: RegionName | None = Field(None, description="The author's UN regional group.")
    cycle: int | None = Field(None, ge=1, le=MAX_ID, description="A cycle id; default: all.")
    sort: Literal["supported", "newest"] = Field(
        "supported", description="supported: most supports first (ties: earliest raised)."
    )
    limit: int = Field(20, ge=1, le=100, description="Page size, 1 to 100.")
    offset: int = Field(0, ge=0, le=1_000_000, description="Issues to skip.")

    @field_validator("cycle", "limit", "offset", mode="before")
    @classmethod
    def _whole_number(cls, value: Any) -> Any:
        # Lax mode reads "47.0" as 47; a page or an id is a whole number written as one.
        if isinstance(value, str) and not value.strip().lstrip("-").isdigit():
            raise ValueError(gettext("Input should be a whole number, like 47, not 47.0"))
        return value


class IssuePage(Schema):
    count: int = Field(description="Issues matching the filters, over all pages.")
    limit: int
    offset: int
    items: list[IssueOut]


class IssueIn(InputSchema):
    title: TitleText
    description: DescriptionText = Field(
        description="Markdown; rendered and sanitized into description_html."
    )
    topics: list[TopicText] = Field(
        default_factory=list,
        max_length=MAX_TOPICS,
        description='Free tags and SDGs ("SDG 9" or "sdg-9").',
    )
    language: LanguageCode | None = Field(
        default=None,
        description=ISSUE_LANGUAGE + " Default: the caller's interface language (the member's"
        " chosen language, else Accept-Language). Another value is a 400.",
    )


class IssuePatch(InputSchema):
    """Only the fields sent are changed."""

    title: TitleText | None = None
    description: DescriptionText | None = None
    topics: list[TopicText] | None = Field(default=None, max_length=MAX_TOPICS)
    language: LanguageCode | None = Field(default=None, description=ISSUE_LANGUAGE)


class SupportOut(Schema):
    issue: int
    support_count: int
    supports_by_group: GroupCounts
    supported_by_me: bool


TRANSLATION_LANGUAGE = (
    "The language of the translation: one of en, fr, es, ar, zh-hans or ru, not the "
    "issue's own language (409), and one translation per language (409 names the existing one)."
)


class TranslationIn(InputSchema):
    """A community translation of an issue's title and description (Markdown)."""

    language: LanguageCode = Field(description=TRANSLATION_LANGUAGE)
    title: TitleText
    description: DescriptionText


def patch_rules(body: str) -> Callable[[dict[str, Any]], None]:
    """The JSON Schema rules of a translation patch whose text field is ``body``.

    A patch changes something: at least one of the title, the text or ``hidden`` is sent,
    and hiding or restoring needs its reason (the moderation log shows it). Both rules are
    in the schema so clients and conformance tools know them; a field is sent with a value
    or not at all (null is not a value here, so the schema shows no null default)."""

    def rules(schema: dict[str, Any]) -> None:
        schema["anyOf"] = [
            {"required": ["title"]},
            {"required": [body]},
            {"required": ["hidden"]},
        ]
        schema["dependentRequired"] = {"hidden": ["reason"]}
        for name, field in schema.get("properties", {}).items():
            field.pop("default", None)
            choices = [c for c in field.pop("anyOf", []) if c.get("type") != "null"]
            if choices:
                schema["properties"][name] = {**choices[0], **field}

    return rules


class TranslationModeration(InputSchema):
    """What a steward sends to hide or restore a translation."""

    hidden: bool | None = Field(
        default=None, description="Steward only: hide or restore (with a reason)."
    )
    reason: str | None = Field(
        default=None,
        min_length=1,
        max_length=500,
        pattern=r"\S",
        description="Why it is hidden or restored (stewards); required with hidden.",
    )

    @model_validator(mode="before")
    @classmethod
    def _no_nulls(cls, data: Any) -> Any:
        # A field is sent with a value or left out: null is not a value (the schema
        # patch_rules writes says so too).
        if isinstance(data, dict) and any(value is None for value in data.values()):
            raise ValueError(gettext("Leave a field out instead of sending null."))
        return data


class TranslationPatch(TranslationModeration):
    """Only the fields sent are changed: ``title`` and ``description`` by the member who
    added the translation (403 for anyone else); ``hidden`` with a ``reason`` by a steward
    of the issue's forum (hiding what is hidden, or restoring what is not, is 409)."""

    model_config = {"json_schema_extra": patch_rules("description")}

    title: TitleText | None = None
    description: DescriptionText | None = None
