"""API schemas of participants and their memberships."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Schema
from pydantic import Field

from commonground.api.schemas.base import AffiliationText, CountryCode, GroupName, InputSchema


class AuthorOut(Schema):
    """The public face of a member: pseudonymous id, public name and declared hat."""

    id: str = Field(description="The participant's public id.")
    name: str
    stakeholder_group: str
    verified: bool


class MembershipOut(Schema):
    forum: str
    forum_name: str
    stakeholder_group: str
    verified: bool
    country: str
    region: str
    role: str
    affiliation: str
    other_hats: list[str]
    joined_at: datetime
    issues_raised: int


class OwnMembershipOut(MembershipOut):
    status: str


class ParticipantOut(Schema):
    id: str
    name: str
    bio: str
    memberships: list[MembershipOut]
    issues_raised: int


LANGUAGE_DESCRIPTION = (
    "The interface language the member chose: en, fr, es, ar, zh-hans or ru; empty: the"
    " browser's (Accept-Language) decides. Pages and e-mails use it."
)


class MeOut(Schema):
    id: str
    name: str
    email: str
    display_name: str
    name_is_public: bool
    language: str = Field(description=LANGUAGE_DESCRIPTION)
    bio: str
    memberships: list[OwnMembershipOut]
    issues_raised: int


class MePatch(InputSchema):
    """Your own settings; fields left out stay as they are."""

    language: Literal["", "en", "fr", "es", "ar", "zh-hans", "ru"] | None = Field(
        default=None, description=LANGUAGE_DESCRIPTION
    )


class JoinIn(InputSchema):
    stakeholder_group: GroupName
    country: CountryCode = Field(description="ISO 3166-1 alpha-2 country code, e.g. KE.")
    affiliation: AffiliationText = ""
    other_hats: list[GroupName] = Field(default_factory=list, max_length=5)
