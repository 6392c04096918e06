"""API schemas of forums and cycles."""

from __future__ import annotations

from datetime import datetime

from ninja import Schema
from pydantic import Field

from commonground.api.schemas.base import Breakdown, CycleRef


class ForumOut(Schema):
    slug: str
    name: str
    level: str
    parent: str | None
    parent_url: str | None = Field(
        None, description="The page of the forum above when it is on another instance."
    )
    country: str
    region: str
    open_cycle: CycleRef | None


class RecognitionSettingsOut(Schema):
    min_groups: int
    min_supporters: int
    min_share: float
    agenda_slots: int


class InputCounts(Breakdown):
    """Issues raised in the open cycle, by the author's stakeholder group and region."""

    cycle: int | None


class NriOut(Schema):
    """NRI listing: team of 3+ groups, a coordinator, the last closed cycle's annual report."""

    listed: bool
    missing: list[str] = Field(description="team_groups, coordinator, annual_report")


class ForumDetailOut(ForumOut):
    description: str
    children: list[str]
    ancestors: list[str]
    recognition: RecognitionSettingsOut
    inputs: InputCounts
    members: Breakdown
    nri: NriOut


class PhaseChangeOut(Schema):
    from_phase: str | None
    to_phase: str
    changed_at: datetime
    changed_by: str | None = Field(description="Public id of the steward, or null (operator).")
    reason: str = Field("", description="Why, for a correction (a step back); else empty.")


class CycleOut(Schema):
    id: int
    forum: str
    name: str
    phase: str
    phase_label: str
    is_open: bool
    opened_at: datetime
    closed_at: datetime | None
    issue_count: int
    phase_history: list[PhaseChangeOut]
