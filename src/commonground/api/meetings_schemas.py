"""Schemas of the session routes (docs/sessions.md): proposals, scores, decisions, schedule,
reports.

The blind proposal (``BlindSessionOut``) has no proposer, proposer name or organisation
field at all: what an advisory member scores cannot name who proposed it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from django.utils.translation import gettext
from ninja import Schema
from pydantic import Field, StringConstraints, field_validator

from commonground.api.schemas import MAX_ID, GroupCounts, GroupName, InputSchema, NoNul
from commonground.stakeholders import COUNTRY_REGION

FormatName = Literal[
    "workshop", "open_forum", "town_hall", "main_session", "lightning_talk", "networking"
]
GenderName = Literal["woman", "man", "non_binary", "undisclosed"]
ReasonName = Literal[
    "off_topic", "unclear_questions", "weak_diversity", "weak_interaction", "other"
]
DecisionName = Literal["approved", "approved_if_merged", "declined"]


def _text(most: int, least: int = 0) -> Any:
    return Annotated[str, StringConstraints(min_length=least, max_length=most), NoNul]


# The speaker's country: an ISO 3166-1 alpha-2 code this instance knows (its UN region), or "".
# A key takeaway: some text that is not only blanks.
Takeaway = Annotated[str, StringConstraints(min_length=1, max_length=1000, pattern=r"\S"), NoNul]
SpeakerCountry = Annotated[str, Field(json_schema_extra={"enum": ["", *sorted(COUNTRY_REGION)]})]
ParticipantId = Annotated[str, StringConstraints(min_length=1, max_length=16), NoNul]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


class SpeakerIn(InputSchema):
    name: _text(160, 1)  # type: ignore[valid-type]
    stakeholder_group: GroupName
    gender: GenderName = "undisclosed"
    country: SpeakerCountry = ""
    confirmed: bool = False
    onsite: bool = True
    participant_id: ParticipantId | None = Field(
        default=None,
        description="The speaker's participant id, when they are a member of the forum "
        "(409 when no member of the forum has it).",
    )


class ModeratorIn(InputSchema):
    name: _text(160) = ""  # type: ignore[valid-type]
    stakeholder_group: GroupName | None = None


class RapporteurIn(InputSchema):
    name: _text(160) = ""  # type: ignore[valid-type]
    participant_id: ParticipantId | None = Field(
        default=None,
        description="The rapporteur's participant id: they file the report (409 when no "
        "member of the forum has it).",
    )


class SessionIn(InputSchema):
    """A proposal; every field may be left empty and completed later (screening names what
    is missing). PATCH takes any subset of the fields."""

    title: _text(200) = ""  # type: ignore[valid-type]
    format: FormatName | Literal[""] = ""
    issue_ids: list[Id] = Field(default_factory=list, max_length=20)
    description: _text(10_000) = ""  # type: ignore[valid-type]
    policy_questions: list[_text(500)] = Field(default_factory=list, max_length=3)  # type: ignore[valid-type]
    moderator: ModeratorIn | None = None
    rapporteur: RapporteurIn | None = None
    speakers: list[SpeakerIn] = Field(default_factory=list, max_length=30)


class ScreeningOut(Schema):
    passed: bool
    failures: list[str] = Field(description="The codes of the screening rules it fails.")


class RuleOut(Schema):
    code: str
    passed: bool
    text: str


class LiveScreeningOut(ScreeningOut):
    rules: list[RuleOut]


class SpeakerOut(Schema):
    name: str
    stakeholder_group: str
    gender: str
    country: str
    confirmed: bool
    onsite: bool


class PersonOut(Schema):
    name: str
    stakeholder_group: str | None = None
    participant_id: str | None = None


class DecisionOut(Schema):
    decision: str
    merge_with: int | None
    reason: str


class SlotOut(Schema):
    room: str
    starts_at: datetime
    ends_at: datetime
    duration_minutes: int


class AttendanceIn(InputSchema):
    onsite: int = Field(default=0, ge=0, le=1_000_000)
    online: int = Field(default=0, ge=0, le=1_000_000)
    women_share: float | None = Field(
        default=None, ge=0, le=1, description="The share of women, 0 to 1 (0.45 for 45 %)."
    )


class SessionReportIn(InputSchema):
    key_takeaways: list[Takeaway] = Field(
        min_length=1, max_length=3, description="One to three, none blank."
    )
    calls_to_action: list[_text(1000)] = Field(default_factory=list, max_length=10)  # type: ignore[valid-type]
    attendance: AttendanceIn = Field(default_factory=AttendanceIn)


class AttendanceOut(Schema):
    onsite: int
    online: int
    women_share: float | None


class SessionReportOut(Schema):
    session: int
    key_takeaways: list[str]
    calls_to_action: list[str]
    attendance: AttendanceOut
    filed_by: str
    filed_at: datetime
    due_at: datetime
    late: bool


class SessionOut(Schema):
    id: int
    forum: str
    cycle: int
    status: str
    title: str
    format: str
    issue_ids: list[int]
    description: str
    policy_questions: list[str]
    moderator: PersonOut
    rapporteur: PersonOut
    speakers: list[SpeakerOut]
    proposer: str | None = Field(
        description="The proposer's participant id; null while evaluation is blind, except "
        "to the proposer and the forum's stewards."
    )
    screening: ScreeningOut
    submitted_at: datetime
    decision: DecisionOut | None
    schedule: SlotOut | None
    report: SessionReportOut | None
    report_overdue: bool


class ScoreIn(InputSchema):
    relevance: int = Field(ge=1, le=5)
    content: int = Field(ge=1, le=5)
    interaction: int = Field(ge=1, le=5)
    diversity: int = Field(ge=1, le=5)
    reason_code: ReasonName | None = Field(
        default=None, description="Needed when any score is 3 or less (the forum's setting)."
    )
    comment: _text(2000) = ""  # type: ignore[valid-type]


class ScoreOut(Schema):
    session: int
    relevance: int
    content: int
    interaction: int
    diversity: int
    reason_code: str
    comment: str
    scored_at: datetime


class BlindSessionOut(Schema):
    """A proposal as an advisory member scores it: nothing names who proposed it."""

    id: int
    title: str
    format: str
    issue_ids: list[int]
    description: str
    policy_questions: list[str]
    moderator: str
    speakers: list[SpeakerOut]
    my_score: ScoreOut | None


class ConflictOut(Schema):
    session: int
    declared: bool


class RankedOut(Schema):
    id: int
    title: str
    mean_score: float | None
    scores: int
    spread: float | None = Field(description="Highest minus lowest per-score mean.")
    suggested_merge_with: list[int]
    decision: str


class DecisionIn(InputSchema):
    decision: DecisionName
    merge_with: Id | None = None
    reason: _text(2000, 1)  # type: ignore[valid-type]


class ScheduleIn(InputSchema):
    room: _text(80, 1)  # type: ignore[valid-type]
    starts_at: datetime = Field(description="With its time zone, e.g. 2027-06-10T09:00:00Z.")
    duration_minutes: int = Field(ge=5, le=600)

    @field_validator("starts_at", mode="before")
    @classmethod
    def _text_only(cls, value: Any) -> Any:
        # Lax mode would read a number as seconds since 1970; the schema says a text.
        if not isinstance(value, str):
            raise ValueError(gettext("Give the start as ISO 8601 text, e.g. 2027-06-10T09:00Z"))
        return value


class AdvisoryGroupIn(InputSchema):
    members: list[ParticipantId] = Field(max_length=500)


class AdvisoryMemberOut(Schema):
    participant_id: str
    name: str
    stakeholder_group: str
    country: str
    observer: bool


class AdvisoryGroupOut(Schema):
    members: list[AdvisoryMemberOut]
    seats_by_group: GroupCounts


class SelectionEntryOut(Schema):
    number: int
    id: int
    title: str
    decision: str
    merge_with: int | None
    reason: str
    mean_score: float | None
    scores: int


class SelectionOut(Schema):
    number: int
    cycle: int
    published_at: datetime
    published_by: str | None
    entries: list[SelectionEntryOut]
    diff: dict[str, list[int]]
