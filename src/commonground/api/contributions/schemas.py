"""Request and response schemas of signals, solutions, advice, comments and reports."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.utils.translation import gettext
from ninja import Schema
from pydantic import Field, field_validator

from commonground.api.contributions.common import (
    ActorText,
    AdviceText,
    CommentText,
    DescriptionText,
    JurisdictionText,
    NoteText,
    StatementText,
    TitleText,
    UrlText,
)
from commonground.api.schemas import MAX_ID, AuthorOut, GroupName, InputSchema
from commonground.api.schemas.issues import LanguageCode
from commonground.contributions import services

WRITTEN_IN = "The language the title and description are written in: en, fr, es, ar, zh-hans or ru."


class SignalIn(InputSchema):
    jurisdiction: JurisdictionText = Field(
        description="A government: ISO 3166-1 alpha-2 country code. An IGO: its acronym."
    )
    priority: Literal["low", "medium", "high", "urgent"]
    statement: StatementText = Field(description="Markdown.")


class SignalOut(Schema):
    id: int
    issue: int
    jurisdiction: str
    priority: str
    statement: str
    statement_html: str
    author: AuthorOut
    created_at: datetime
    updated_at: datetime
    hidden: bool


class SolutionIn(InputSchema):
    title: TitleText
    description: DescriptionText = Field(description="Markdown.")
    actors: list[ActorText] = Field(
        default_factory=list, max_length=services.MAX_ACTORS, description="Who would have to act."
    )
    language: LanguageCode | None = Field(
        default=None,
        description=WRITTEN_IN + " Default: the caller's interface language.",
    )


class FeasibilityCounts(Schema):
    feasible: int = 0
    feasible_with_conditions: int = 0
    not_feasible: int = 0
    unclear: int = 0


class SolutionOut(Schema):
    id: int
    issue: int
    title: str
    description: str
    description_html: str
    actors: list[str]
    language: str = Field(description=WRITTEN_IN)
    author: AuthorOut
    created_at: datetime
    updated_at: datetime
    hidden: bool
    feasibility: FeasibilityCounts


class AdviceIn(InputSchema):
    feasibility: Literal["feasible", "feasible_with_conditions", "not_feasible", "unclear"]
    conditions: AdviceText = ""
    benefits: AdviceText = ""
    risks: AdviceText = ""
    affected_groups: list[GroupName] = Field(default_factory=list, max_length=6)
    evidence: list[UrlText] = Field(
        default_factory=list, max_length=services.MAX_EVIDENCE, description="http(s) links."
    )


class AdviceRevisionOut(Schema):
    number: int
    feasibility: str
    conditions: str
    benefits: str
    risks: str
    affected_groups: list[str]
    evidence: list[str]
    created_at: datetime


class AdviceOut(Schema):
    id: int
    solution: int
    feasibility: str
    conditions: str
    benefits: str
    risks: str
    affected_groups: list[str]
    evidence: list[str]
    author: AuthorOut
    created_at: datetime
    updated_at: datetime
    hidden: bool
    revisions: list[AdviceRevisionOut]


class CommentIn(InputSchema):
    body: CommentText = Field(description="Markdown.")
    stance: Literal["in_favour", "neutral", "against"] | None = None
    parent: int | None = Field(None, ge=1, le=MAX_ID, description="Reply to this comment.")


class CommentOut(Schema):
    id: int
    issue: int
    solution: int | None
    parent: int | None
    body: str
    body_html: str
    stance: str | None
    author: AuthorOut | None = Field(description="Null for a deleted comment.")
    created_at: datetime
    updated_at: datetime
    deleted: bool
    hidden: bool


class CommentPageQuery(Schema):
    """The page of a discussion, as the issue list pages (docs/api.md, "Pagination")."""

    limit: int = Field(20, ge=1, le=100, description="Page size, 1 to 100.")
    offset: int = Field(0, ge=0, le=1_000_000, description="Comments to skip.")

    @field_validator("limit", "offset", mode="before")
    @classmethod
    def _whole_number(cls, value: Any) -> Any:
        # As the issue list's: "47.0" is not a page size, though lax mode would read 47.
        if isinstance(value, str) and not value.strip().lstrip("-").isdigit():
            raise ValueError(gettext("Input should be a whole number, like 47, not 47.0"))
        return value


class CommentPage(Schema):
    count: int = Field(description="Comments the caller may see, over all pages.")
    limit: int
    offset: int
    items: list[CommentOut]


class SignalPatch(InputSchema):
    """Only the fields sent are changed."""

    jurisdiction: JurisdictionText | None = None
    priority: Literal["low", "medium", "high", "urgent"] | None = None
    statement: StatementText | None = None


class SolutionPatch(InputSchema):
    """Only the fields sent are changed."""

    title: TitleText | None = None
    description: DescriptionText | None = None
    actors: list[ActorText] | None = Field(default=None, max_length=services.MAX_ACTORS)
    language: LanguageCode | None = Field(default=None, description=WRITTEN_IN)


class CommentPatch(InputSchema):
    """Only the fields sent are changed; send ``stance: null`` to clear the stance."""

    body: CommentText | None = None
    stance: Literal["in_favour", "neutral", "against"] | None = None


class ReportIn(InputSchema):
    reason: Literal["spam", "offensive", "off_topic", "other"]
    note: NoteText = ""


class ReportOut(Schema):
    id: int
    comment: int
    reason: str
    hidden: bool = Field(description="Whether this report made the comment hidden.")
