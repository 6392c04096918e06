"""Schemas of the message routes (issue 14): names and shapes are a public contract."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from ninja import Path, Schema
from pydantic import ConfigDict, Field, StringConstraints

from commonground.api.schemas import MAX_ID, GroupName, InputSchema, NoNul
from commonground.api.schemas.issues import LanguageCode
from commonground.outcomes.followup import URL_PATTERN
from commonground.outcomes.models import (
    MAX_POSITION_TEXT,
    MAX_RATIONALE,
    MAX_REASON,
    MAX_TEXT,
    MAX_TITLE,
)

MessageId = Annotated[int, Path(ge=1, le=MAX_ID, description="The message's id.")]
ObjectionId = Annotated[int, Path(ge=1, le=MAX_ID, description="The objection's id.")]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
WRITTEN_IN = "The language the title and text are written in: en, fr, es, ar, zh-hans or ru."

# Text that is more than white space, without NUL: what the services accept where a text
# is required. Limits are the services' own, so a schema-valid text is never too long.
# (Python's str.strip() also removes U+001C..U+001F, which \s does not match.)
SOME_TEXT = r"^[^\u0000]*[^\s\u0000\u001c-\u001f][^\u0000]*$"
BLANK = r"^[\s\u001c-\u001f]*$"
Title = Annotated[str, StringConstraints(max_length=MAX_TITLE, pattern=SOME_TEXT)]
Text = Annotated[str, StringConstraints(max_length=MAX_TEXT, pattern=SOME_TEXT)]
Short = Annotated[str, StringConstraints(max_length=MAX_POSITION_TEXT), NoNul]
ShortRequired = Annotated[str, StringConstraints(max_length=MAX_POSITION_TEXT, pattern=SOME_TEXT)]
Reason = Annotated[str, StringConstraints(max_length=MAX_REASON), NoNul]
ReasonRequired = Annotated[str, StringConstraints(max_length=MAX_REASON, pattern=SOME_TEXT)]
Rationale = Annotated[str, StringConstraints(max_length=MAX_RATIONALE, pattern=SOME_TEXT)]
MinorityView = Annotated[str, StringConstraints(max_length=MAX_RATIONALE), NoNul]
Line = Annotated[str, StringConstraints(max_length=300), NoNul]
Name = Annotated[str, StringConstraints(max_length=200, pattern=SOME_TEXT)]
# The services' own rule for a link (outcomes.followup.URL_PATTERN).
Url = Annotated[str, StringConstraints(max_length=500, pattern=URL_PATTERN)]

Level = Literal[
    "full_consensus", "consensus", "strong_support_significant_opposition", "divergence"
]
State = Literal["draft", "public_comment", "published", "referred"]
DispositionKind = Literal["accepted", "rejected", "tradeoff_acknowledged"]
ReferralKind = Literal[
    "government", "intergovernmental", "regulator", "standards_body", "private_sector", "other"
]
UptakeAction = Literal["decision", "policy", "under_consideration", "no_action"]


class MessageIn(InputSchema):
    issue_id: Id = Field(description="An issue on the cycle's latest published agenda.")
    title: Title
    text: Text = Field(description="Markdown; shown sanitized.")
    language: LanguageCode | None = Field(
        default=None, description=WRITTEN_IN + " Default: the caller's interface language."
    )
    report_ids: list[Id] = Field(
        default_factory=list,
        max_length=100,
        description="Session reports (of this forum) it draws on.",
    )
    conversation_ids: list[Id] = Field(
        default_factory=list, max_length=100, description="Conversations it draws on."
    )


class CreatedOut(Schema):
    id: int
    state: State


class VersionIn(InputSchema):
    title: Title
    text: Text
    note: Line = ""
    language: LanguageCode | None = Field(
        default=None, description=WRITTEN_IN + " Not sent: the language stays."
    )


class VersionOut(Schema):
    number: int
    title: str
    text: str
    note: str
    created_at: datetime


class WindowIn(InputSchema):
    opens_at: datetime = Field(description="With a time zone.")
    closes_at: datetime = Field(description="At least message_comment_min_days later.")


class WindowOut(Schema):
    opens_at: datetime | None
    closes_at: datetime | None


class PositionIn(InputSchema):
    # An objection says what the member cannot live with: stated for clients and tools.
    model_config = ConfigDict(
        json_schema_extra={
            "if": {"properties": {"position": {"const": "object"}}},
            "then": {"required": ["text"], "properties": {"text": {"pattern": SOME_TEXT}}},
        }
    )

    position: Literal["support", "can_live_with", "object"]
    text: Short = Field("", description="Required for 'object': what you cannot live with.")


class PositionOut(Schema):
    id: int
    name: str
    participant: str = Field(description="The member's public id.")
    stakeholder_group: GroupName
    position: Literal["support", "can_live_with", "object"]
    text: str
    version: int
    updated_at: datetime


class ReplyIn(InputSchema):
    text: ShortRequired


class ReplyOut(Schema):
    name: str
    text: str
    created_at: datetime


class DispositionIn(InputSchema):
    # A rejection or an acknowledged trade-off gives its reason.
    model_config = ConfigDict(
        json_schema_extra={
            "if": {"properties": {"disposition": {"enum": ["rejected", "tradeoff_acknowledged"]}}},
            "then": {"required": ["reason"], "properties": {"reason": {"pattern": SOME_TEXT}}},
        }
    )

    disposition: DispositionKind
    reason: Reason = Field("", description="Required for rejected and tradeoff_acknowledged.")


class ObjectionOut(Schema):
    id: int
    stakeholder_group: GroupName
    name: str
    text: str
    version: int
    disposition: DispositionKind | None
    reason: str
    answered_by_version: int | None
    replies: list[ReplyOut]


class DesignationIn(InputSchema):
    # Full consensus carries no minority view.
    model_config = ConfigDict(
        json_schema_extra={
            "if": {"properties": {"level": {"const": "full_consensus"}}},
            "then": {"properties": {"minority_view": {"pattern": BLANK}}},
        }
    )

    level: Level
    rationale: Rationale
    minority_view: MinorityView = ""


class DesignationOut(Schema):
    level: Level
    rationale: str
    minority_view: str
    suggested_level: Level
    designated_at: datetime


class ReferralIn(InputSchema):
    name: Name
    kind: ReferralKind
    contact: Line = ""


class ReferralOut(Schema):
    id: int
    name: str
    kind: ReferralKind
    contact: str
    referred_at: datetime


class UptakeIn(InputSchema):
    body: Name = Field(description="The institution.")
    action: UptakeAction
    summary: ReasonRequired
    date: date
    url: Url = Field("", description="An http or https link to the act.")


class UptakeOut(Schema):
    id: int
    body: str
    action: UptakeAction
    summary: str
    date: date
    url: str
    stakeholder_group: GroupName
    recorded_by: str
    recorded_at: datetime


class Counts(Schema):
    support: int
    can_live_with: int
    object: int


class GroupFiguresOut(Counts):
    o: float | None
    a: float | None


class SuggestedOut(Schema):
    level: Level
    minority_groups: list[GroupName]
    O: float | None = Field(  # noqa: E741
        description="Mean share of objections over groups with a position."
    )
    A: float | None = Field(description="Mean share of support or can-live-with.")
    groups_left_out: list[GroupName]
    groups: dict[GroupName, GroupFiguresOut]


class MessageOut(Schema):
    id: int
    forum: str
    cycle: str
    state: State
    title: str
    text: str
    language: str = Field(description=WRITTEN_IN)
    version: int
    issue_id: int
    report_ids: list[int]
    conversation_ids: list[int]
    created_at: datetime
    published_at: datetime | None
    window: WindowOut
    positions_by_group: dict[GroupName, Counts]
    suggested: SuggestedOut
    designation: DesignationOut | None
    positions: list[PositionOut]
    objections: list[ObjectionOut]
    referrals: list[ReferralOut]
    uptake: list[UptakeOut]


class MessageSummaryOut(Schema):
    id: int
    state: State
    title: str
    version: int
    issue_id: int
    cycle: str
    designation: Level | None
