"""What every API schema shares: refused NUL, bounded input, error shapes and counts.

Input schemas are allow-lists: unknown fields are refused (422) and every string
has an explicit maximum length, so nothing unbounded reaches a service. The
services still validate everything themselves; the schemas make the limits
visible in the OpenAPI document and refuse obviously bad input early.
"""

from __future__ import annotations

import re
from types import UnionType
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from django.utils.translation import gettext
from ninja import Path, Schema
from pydantic import (
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

from commonground.stakeholders import COUNTRY_REGION, region_of

GroupName = Literal[
    "government",
    "intergovernmental",
    "internet_institution",
    "private_sector",
    "civil_society",
    "academic_technical",
]
RegionName = Literal["african", "asia_pacific", "eastern_european", "grulac", "weog"]


def refuse_nul(value: str) -> str:
    """Refuse NUL characters: no text field may hold them (PostgreSQL cannot store them)."""
    if "\x00" in value:
        raise ValueError("Text must not contain NUL (\\u0000) characters")
    return value


# In the OpenAPI document the rule is a pattern, so that clients and conformance tools know
# NUL is refused; the validator enforces it with a readable message instead of a regex.
NO_NUL_PATTERN = r"^[^\u0000]*$"


class _RefuseNul:
    """Annotation for text fields: refuses NUL, and says so in the JSON schema."""

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(refuse_nul, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        json_schema = handler(schema)
        json_schema["pattern"] = NO_NUL_PATTERN
        return json_schema


NoNul = _RefuseNul()

# Text a service requires (a title, a comment's body): at least one character that is not
# whitespace (Python's idea of whitespace, the one str.strip() uses), and no NUL.
FILLED_PATTERN = r"^[^\u0000]*[^\s\u0000\u001c-\u001f][^\u0000]*$"


def refuse_blank(value: str) -> str:
    refuse_nul(value)
    if not value.strip():
        raise ValueError(gettext("Text must not be empty or only spaces"))
    return value


class _Pattern:
    """Annotation for text fields: a validator with a readable message, and the rule as a
    ``pattern`` in the JSON schema (so that clients and conformance tools know it)."""

    def __init__(self, pattern: str, check: Any) -> None:
        self.pattern, self.check = pattern, check

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(self.check, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        json_schema = handler(schema)
        json_schema["pattern"] = self.pattern
        return json_schema


Filled = _Pattern(FILLED_PATTERN, refuse_blank)

# An organization's acronym (what an intergovernmental organization signals for) or a
# country code (a government's): 2 to 40 letters, digits, spaces, '&', '.' or '-',
# starting with a letter, no space at either end.
JURISDICTION_PATTERN = r"^[A-Za-z][A-Za-z0-9&.\- ]{0,38}[A-Za-z0-9&.\-]$"


def _jurisdiction(value: str) -> str:
    refuse_nul(value)
    if not re.search(JURISDICTION_PATTERN, value):
        raise ValueError(
            gettext(
                "A jurisdiction is a country code (e.g. KE) or an organization's acronym "
                "(e.g. ITU): letters, digits, spaces, '&', '.' or '-'"
            )
        )
    return value


Jurisdiction = _Pattern(JURISDICTION_PATTERN, _jurisdiction)

# A topic: "SDG n" for one of the 17 goals, or a tag with a letter or digit (ASCII, as in
# its slug); "SDG 18" is no goal.
_SDG = r"\s*[Ssſ][Dd][Gg][\s_-]*"
TOPIC_PATTERN = (
    rf"^(?:{_SDG}(?:0?[1-9]|1[0-7])\s*"
    rf"|(?!{_SDG}\d{{1,2}}\s*$)[^\u0000]*[A-Za-z0-9][^\u0000]*)$"
)


def _topic(value: str) -> str:
    refuse_nul(value)
    if not re.search(TOPIC_PATTERN, value):
        raise ValueError(
            gettext("A topic is one of the 17 SDGs (e.g. SDG 9) or a tag with a letter or digit")
        )
    return value


Topic = _Pattern(TOPIC_PATTERN, _topic)


def _either_case(code: str) -> str:
    return "".join(f"[{c.upper()}{c.lower()}]" for c in code)


# ISO 3166-1 alpha-2 codes the forums know (stakeholders.COUNTRY_REGION), in either case.
COUNTRY_PATTERN = "^(?:" + "|".join(_either_case(c) for c in sorted(COUNTRY_REGION)) + ")$"


def known_country(value: str) -> str:
    refuse_nul(value)
    if region_of(value) is None:
        raise ValueError(
            gettext("Unknown country code '%(code)s'; use ISO 3166-1 alpha-2, e.g. KE.")
            % {"code": value[:8]}
        )
    return value


CountryCode = Annotated[
    str, StringConstraints(min_length=2, max_length=2), _Pattern(COUNTRY_PATTERN, known_country)
]
AffiliationText = Annotated[str, StringConstraints(max_length=200), NoNul]

# Database ids are 64-bit; larger numbers are refused as input rather than overflowing.
MAX_ID = 2**63 - 1
IssueId = Annotated[int, Path(ge=1, le=MAX_ID, description="The issue's id.")]


def errors(*codes: int) -> dict[int, type[ErrorOut]]:
    """Declare that an operation may answer each of ``codes`` with an ``ErrorOut`` body."""
    return dict.fromkeys(codes, ErrorOut)


# What a write can answer besides success: refused input (400), no caller (401), not
# allowed (403), unknown object (404), wrong phase or state (409), input that does not fit
# the schema (422), and a member's flood limit (429).
WRITE_ERRORS = (400, 401, 403, 404, 409, 422, 429)


def _is_number(annotation: Any) -> bool:
    """Whether a field is a number: int, float or a Literal of numbers, perhaps optional."""
    if annotation in (int, float):
        return True
    args = get_args(annotation)
    if get_origin(annotation) is Literal:
        return all(isinstance(arg, int | float) and not isinstance(arg, bool) for arg in args)
    if get_origin(annotation) in (Union, UnionType):
        return bool not in args and any(_is_number(arg) for arg in args)
    return False


# Past this many unknown fields a body is refused with one problem naming their number,
# before pydantic builds one error per field (40,000 of them cost seconds).
MAX_UNKNOWN_FIELDS = 100


def _is_integer(annotation: Any) -> bool:
    """Whether a field takes whole numbers only: int or a Literal of ints, perhaps optional."""
    if annotation is int:
        return True
    args = get_args(annotation)
    if get_origin(annotation) is Literal:
        return all(isinstance(arg, int) and not isinstance(arg, bool) for arg in args)
    if get_origin(annotation) in (Union, UnionType):
        return float not in args and any(_is_integer(arg) for arg in args)
    if get_origin(annotation) is Annotated:
        return _is_integer(args[0])
    return False


class InputSchema(Schema):
    """Base of every request body: extra fields are an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _not_too_many_unknown_fields(cls, data: Any) -> Any:
        if isinstance(data, dict) and len(data) > MAX_UNKNOWN_FIELDS:
            known = {name for name in cls.model_fields} | {
                field.alias for field in cls.model_fields.values() if field.alias
            }
            unknown = [str(key) for key in data if key not in known]
            if len(unknown) > MAX_UNKNOWN_FIELDS:
                names = ", ".join(name[:40] for name in unknown[:3])
                raise PydanticCustomError(
                    "extra_forbidden",
                    gettext("{count} fields this route does not know, such as {names}"),
                    {"count": f"{len(unknown):,}", "names": names},
                )
        return data

    @field_validator("*", mode="before")
    @classmethod
    def _no_bool_as_number(cls, value: Any, info: ValidationInfo) -> Any:
        # Pydantic's lax mode reads JSON true/false as 1/0 for numbers (even for
        # Literal[-1, 0, 1]); in a JSON body they are not numbers, so they are refused.
        field = cls.model_fields.get(info.field_name or "")
        if isinstance(value, bool) and field is not None and _is_number(field.annotation):
            raise ValueError("Input should be a number, not true or false")
        # Where the API takes a whole number, 47.0 is 47 (JSON Schema counts it an integer,
        # so the OpenAPI document cannot say otherwise) and 47.5 is refused.
        if isinstance(value, float) and field is not None and _is_integer(field.annotation):
            if not value.is_integer():
                raise ValueError(gettext("Input should be a whole number, like 47, not 47.5"))
            return int(value)
        return value


# ---------------------------------------------------------------- shared shapes


class FieldError(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    """Every error: a human-readable message (and, for 422, the field errors)."""

    detail: str
    errors: list[FieldError] | None = Field(
        default=None, description="Only with 422: each field that did not validate."
    )


class CycleRef(Schema):
    id: int
    name: str
    phase: str
    phase_label: str


class GroupCounts(Schema):
    """A count for each of the six stakeholder groups (always all six keys)."""

    government: int = 0
    intergovernmental: int = 0
    internet_institution: int = 0
    private_sector: int = 0
    civil_society: int = 0
    academic_technical: int = 0


class RegionCounts(Schema):
    """A count for each of the five UN regional groups (always all five keys)."""

    african: int = 0
    asia_pacific: int = 0
    eastern_european: int = 0
    grulac: int = 0
    weog: int = 0


class Breakdown(Schema):
    total: int
    by_group: GroupCounts
    by_region: RegionCounts
