"""What the contribution routes share: the router, their error answers, ids and text bounds."""

from __future__ import annotations

from typing import Annotated

from ninja import Path, Router
from pydantic import StringConstraints

from commonground.api.schemas import MAX_ID, ErrorOut, Filled, Jurisdiction, NoNul
from commonground.contributions import services

router = Router(tags=["contributions"])

ERRORS: dict[int, type[ErrorOut]] = {code: ErrorOut for code in (400, 401, 403, 404, 409, 422)}
# Writes that count against a named rate limit (notifications/limits.py) can also answer 429.
LIMITED: dict[int, type[ErrorOut]] = {**ERRORS, 429: ErrorOut}

SignalId = Annotated[int, Path(ge=1, le=MAX_ID, description="The signal's id.")]
AdviceId = Annotated[int, Path(ge=1, le=MAX_ID, description="The advice's id.")]
SolutionId = Annotated[int, Path(ge=1, le=MAX_ID, description="The solution's id.")]
CommentId = Annotated[int, Path(ge=1, le=MAX_ID, description="The comment's id.")]


# Required text is Filled (not empty, not only spaces): the schema says what the service
# refuses, so that no input the OpenAPI document allows is refused as invalid.
JurisdictionText = Annotated[
    str, StringConstraints(max_length=services.MAX_JURISDICTION), Jurisdiction
]
StatementText = Annotated[str, StringConstraints(max_length=services.MAX_STATEMENT), Filled]
TitleText = Annotated[str, StringConstraints(max_length=services.MAX_TITLE), Filled]
DescriptionText = Annotated[str, StringConstraints(max_length=services.MAX_DESCRIPTION), Filled]
ActorText = Annotated[str, StringConstraints(max_length=services.MAX_ACTOR), NoNul]
AdviceText = Annotated[str, StringConstraints(max_length=services.MAX_ADVICE_TEXT), NoNul]
UrlText = Annotated[str, StringConstraints(max_length=services.MAX_URL), NoNul]
CommentText = Annotated[str, StringConstraints(max_length=services.MAX_COMMENT), Filled]
NoteText = Annotated[str, StringConstraints(max_length=services.MAX_NOTE), NoNul]
