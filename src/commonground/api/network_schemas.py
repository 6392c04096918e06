"""Schemas of the network routes (docs/network.md): forwards, provenance, merges, similar issues."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from ninja import Schema
from pydantic import Field, StringConstraints

from commonground.api.schemas import (
    MAX_ID,
    Filled,
    GroupCounts,
    GroupName,
    InputSchema,
    IssueOut,
    NoNul,
    TranslationOut,
)


class ForwardIn(InputSchema):
    to: Annotated[str, StringConstraints(min_length=1, max_length=300), NoNul] = Field(
        description="The slug of the forum above (regional or global), or the full URL "
        "(http:// or https://) of a forum above on a pinned peer instance."
    )


class DeliveryQueuedOut(Schema):
    """A forward to another instance, accepted and queued (docs/federation.md)."""

    delivery_id: str = Field(description="Read its state at GET /deliveries/{delivery_id}.")
    state: str = Field(description="queued (or already delivered or failed).")


class ProvenanceOut(Schema):
    """One forward that brought the issue, with the figures frozen when it was forwarded."""

    forum: str = Field(description="The source forum's slug.")
    forum_name: str
    level: str
    country: str
    region: str
    instance: str = Field(description='The source instance ("" for this one).')
    forum_url: str = Field(description='The source forum\'s page on its instance ("" here).')
    issue_url: str = Field(description='The source issue\'s page on its instance ("" here).')
    issue_id: int | None = Field(description="The issue in the source forum.")
    message_id: int | None = Field(description="The published message, when one was forwarded.")
    publication_number: int | None
    agenda_rank: int | None
    balanced_support: float | None
    breadth: int | None
    supports_by_group: GroupCounts
    forwarded_by: str
    forwarded_at: datetime
    origins: list[dict[str, Any]] = Field(description="The forums the source itself came from.")


class ForwardedToOut(Schema):
    forum: str
    issue_id: int


class IssueDetailOut(IssueOut):
    provenance: list[ProvenanceOut]
    forwarded_to: list[ForwardedToOut]
    merged_into: int | None = Field(description="The issue this one was merged into, if any.")
    translations: list[TranslationOut] = Field(
        description="Community translations into other languages (hidden ones only to "
        "their author and the forum's stewards)."
    )


class ForwardOut(Schema):
    issue_id: int = Field(description="The new issue in the target forum.")
    provenance: ProvenanceOut


class MergeIn(InputSchema):
    into: int = Field(ge=1, le=MAX_ID, description="The issue that absorbs this one.")


class MergeOut(Schema):
    issue: int = Field(description="The merged issue (it now redirects).")
    merged_into: int
    supports_moved: int = Field(description="Supports that moved to the issue merged into.")
    supports_deduplicated: int = Field(
        description="Supports dropped because the member supported both issues."
    )
    support_count: int = Field(description="The support count of the issue merged into.")


class SimilarOut(Schema):
    issue_id: int
    forum: str
    language: str
    title: str
    score: float = Field(description="Cosine similarity, 0 to 1 (shown from 0.38).")


class DismissIn(InputSchema):
    issue_id: int = Field(ge=1, le=MAX_ID, description="The suggested issue to dismiss.")


class CoherenceNodeOut(Schema):
    issue_id: int | None = Field(description="null for a source on another instance.")
    forum: str
    forum_name: str
    level: str
    region: str
    title: str
    agenda_rank: int | None
    balanced_support: float | None
    publication_number: int | None
    sessions: int
    messages: int
    referrals: int
    uptake: int
    merged_into: int | None


class CoherenceEdgeOut(Schema):
    kind: str = Field(description="forward (up the tree) or merge (within a forum).")
    from_issue: int | None = Field(description="null for a source on another instance.")
    from_forum: str
    to_issue: int
    to_forum: str
    at: datetime


class CoherenceOut(Schema):
    issue_id: int
    nodes: list[CoherenceNodeOut]
    edges: list[CoherenceEdgeOut]


class TeamMemberIn(InputSchema):
    name: Annotated[str, StringConstraints(max_length=160), Filled]
    stakeholder_group: GroupName
    role: Annotated[str, StringConstraints(max_length=120), NoNul] = ""
    coordinator: bool = False


class TeamMemberOut(Schema):
    id: int
    name: str
    stakeholder_group: str
    role: str
    coordinator: bool


class AnnualReportIn(InputSchema):
    # Every section is required and non-blank (the service refuses blanks): Filled.
    edition: Annotated[str, StringConstraints(max_length=120), Filled]
    dates: Annotated[str, StringConstraints(max_length=120), Filled]
    venue: Annotated[str, StringConstraints(max_length=200), Filled]
    preparation: Annotated[str, StringConstraints(max_length=10_000), Filled]
    outcomes: Annotated[str, StringConstraints(max_length=10_000), Filled]


class AnnualReportOut(Schema):
    cycle: int
    cycle_name: str
    edition: str
    dates: str
    venue: str
    preparation: str
    outcomes: str
    filed_at: datetime


class NriDetailOut(Schema):
    listed: bool
    missing: list[str]
    team: list[TeamMemberOut]
    annual_reports: list[AnnualReportOut]
