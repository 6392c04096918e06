"""Contribution routes: signals, solutions, technical advice, comments and reports.

Writes answer 201 with the new record (its ``id`` first). Reading is public;
hidden contributions are left out of every list, except that their author (and
the forum's stewards) see them with ``hidden: true``. Input bodies refuse
unknown fields, so a client cannot set an author, a count or a hidden flag.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Path, Router, Schema, Status
from pydantic import Field, StringConstraints

from commonground.access.lookup import get_issue, get_visible_contribution
from commonground.access.members import AnyUser, membership_of
from commonground.access.rules import can_see
from commonground.api.auth import AUTH, optional_user
from commonground.api.schemas import MAX_ID, AuthorOut, ErrorOut, InputSchema, IssueId, NoNul
from commonground.api.serializers import author_of
from commonground.contributions import services
from commonground.contributions.models import Advice, Comment, Kind, Signal, Solution
from commonground.issues.models import Issue

router = Router(tags=["contributions"])

ERRORS: dict[int, type[ErrorOut]] = {code: ErrorOut for code in (400, 401, 403, 404, 409, 422)}
# Writes that count against a named rate limit (notifications/limits.py) can also answer 429.
LIMITED: dict[int, type[ErrorOut]] = {**ERRORS, 429: ErrorOut}

SignalId = Annotated[int, Path(ge=1, le=MAX_ID, description="The signal's id.")]
AdviceId = Annotated[int, Path(ge=1, le=MAX_ID, description="The advice's id.")]
SolutionId = Annotated[int, Path(ge=1, le=MAX_ID, description="The solution's id.")]
CommentId = Annotated[int, Path(ge=1, le=MAX_ID, description="The comment's id.")]


JurisdictionText = Annotated[str, StringConstraints(max_length=services.MAX_JURISDICTION), NoNul]
StatementText = Annotated[str, StringConstraints(max_length=services.MAX_STATEMENT), NoNul]
TitleText = Annotated[str, StringConstraints(max_length=services.MAX_TITLE), NoNul]
DescriptionText = Annotated[str, StringConstraints(max_length=services.MAX_DESCRIPTION), NoNul]
ActorText = Annotated[str, StringConstraints(max_length=services.MAX_ACTOR), NoNul]
AdviceText = Annotated[str, StringConstraints(max_length=services.MAX_ADVICE_TEXT), NoNul]
UrlText = Annotated[str, StringConstraints(max_length=services.MAX_URL), NoNul]
CommentText = Annotated[str, StringConstraints(max_length=services.MAX_COMMENT), NoNul]
NoteText = Annotated[str, StringConstraints(max_length=services.MAX_NOTE), NoNul]


GroupName = Literal[
    "government",
    "intergovernmental",
    "internet_institution",
    "private_sector",
    "civil_society",
    "academic_technical",
]


# ---------------------------------------------------------------- schemas


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


# ---------------------------------------------------------------- serialization


def _viewer(user: AnyUser, issue: Issue) -> Any:
    return membership_of(user, issue.forum)


def _shown(items: list[Any], viewer: Any) -> list[Any]:
    return [item for item in items if can_see(item, viewer)]


def _common(item: Any) -> dict[str, Any]:
    return {
        "id": item.pk,
        "author": author_of(item.author),
        "created_at": item.created_at,
        "updated_at": item.updated_at,
        "hidden": item.hidden,
    }


def signal_out(s: Signal) -> dict[str, Any]:
    return {
        **_common(s),
        "issue": s.issue_id,
        "jurisdiction": s.jurisdiction,
        "priority": s.priority,
        "statement": s.statement,
        "statement_html": s.statement_html,
    }


def solution_out(s: Solution, advice: list[Advice]) -> dict[str, Any]:
    counts = {
        value: 0 for value in ("feasible", "feasible_with_conditions", "not_feasible", "unclear")
    }
    for a in advice:
        if a.solution_id == s.pk and not a.hidden:
            counts[a.feasibility] += 1
    return {
        **_common(s),
        "issue": s.issue_id,
        "title": s.title,
        "description": s.description,
        "description_html": s.description_html,
        "actors": list(s.actors),
        "feasibility": counts,
    }


def advice_out(a: Advice) -> dict[str, Any]:
    fields = ("feasibility", "conditions", "benefits", "risks", "affected_groups", "evidence")
    return {
        **_common(a),
        "solution": a.solution_id,
        **{f: getattr(a, f) for f in fields},
        "revisions": [
            {"number": r.number, "created_at": r.created_at, **{f: getattr(r, f) for f in fields}}
            for r in a.revisions.all()
        ],
    }


def comment_out(c: Comment) -> dict[str, Any]:
    deleted = c.is_deleted
    return {
        **_common(c),
        "author": None if deleted else author_of(c.author),
        "issue": c.issue_id,
        "solution": c.solution_id,
        "parent": c.parent_id,
        "body": c.body,
        "body_html": c.body_html,
        "stance": c.stance or None,
        "deleted": deleted,
    }


def _solution(solution_id: int, user: AnyUser) -> Solution:
    solution: Solution = get_visible_contribution(Kind.SOLUTION, solution_id, user)
    return solution


def _advice_query() -> Any:
    return Advice.objects.select_related("author__user").prefetch_related("revisions")


# ---------------------------------------------------------------- signals


@router.get(
    "/issues/{issue_id}/signals",
    response={200: list[SignalOut], **ERRORS},
    summary="Signals of concern on an issue",
)
def list_signals(request: HttpRequest, issue_id: IssueId) -> list[dict[str, Any]]:
    """Governments' and IGOs' signals of concern, oldest first (no weight in recognition)."""
    user = optional_user(request)
    issue = get_issue(issue_id)
    rows = Signal.objects.filter(issue=issue).select_related("author__user")
    return [signal_out(s) for s in _shown(list(rows), _viewer(user, issue))]


@router.post(
    "/issues/{issue_id}/signals",
    auth=AUTH,
    response={201: SignalOut, **LIMITED},
    summary="Signal concern about an issue",
)
def create_signal(
    request: HttpRequest, issue_id: IssueId, payload: SignalIn
) -> Status[dict[str, Any]]:
    """Government and intergovernmental members only; one signal per member per issue."""
    signal = services.signal_concern(request.auth, get_issue(issue_id), **payload.model_dump())
    return Status(201, signal_out(Signal.objects.select_related("author__user").get(pk=signal.pk)))


# ---------------------------------------------------------------- solutions


@router.get(
    "/issues/{issue_id}/solutions",
    response={200: list[SolutionOut], **ERRORS},
    summary="Envisaged solutions to an issue",
)
def list_solutions(request: HttpRequest, issue_id: IssueId) -> list[dict[str, Any]]:
    """Solutions with the number of technical assessments per feasibility rating."""
    user = optional_user(request)
    issue = get_issue(issue_id)
    viewer = _viewer(user, issue)
    rows = _shown(list(Solution.objects.filter(issue=issue).select_related("author__user")), viewer)
    advice = list(
        Advice.objects.filter(solution__issue=issue).only("solution_id", "feasibility", "hidden")
    )
    return [solution_out(s, advice) for s in rows]


@router.post(
    "/issues/{issue_id}/solutions",
    auth=AUTH,
    response={201: SolutionOut, **LIMITED},
    summary="Propose a solution",
)
def create_solution(
    request: HttpRequest, issue_id: IssueId, payload: SolutionIn
) -> Status[dict[str, Any]]:
    """Any member of the issue's forum may propose an envisaged solution."""
    solution = services.propose_solution(request.auth, get_issue(issue_id), **payload.model_dump())
    solution = Solution.objects.select_related("author__user").get(pk=solution.pk)
    return Status(201, solution_out(solution, []))


# ---------------------------------------------------------------- advice


@router.get(
    "/solutions/{solution_id}/advice",
    response={200: list[AdviceOut], **ERRORS},
    summary="Technical advice on a solution",
)
def list_advice(request: HttpRequest, solution_id: SolutionId) -> list[dict[str, Any]]:
    """Every assessment of the solution with its full revision history."""
    user = optional_user(request)
    solution = _solution(solution_id, user)
    rows = _shown(
        list(_advice_query().filter(solution=solution)), membership_of(user, solution.forum)
    )
    return [advice_out(a) for a in rows]


@router.post(
    "/solutions/{solution_id}/advice",
    auth=AUTH,
    response={201: AdviceOut, **LIMITED},
    summary="Give technical advice on a solution",
)
def create_advice(
    request: HttpRequest, solution_id: SolutionId, payload: AdviceIn
) -> Status[dict[str, Any]]:
    """Academic & technical community and Internet institution members only; one per solution."""
    advice = services.give_advice(
        request.auth, _solution(solution_id, request.auth), **payload.model_dump()
    )
    return Status(201, advice_out(_advice_query().get(pk=advice.pk)))


# ---------------------------------------------------------------- comments


def _comments(user: AnyUser, forum_issue: Issue, **target: Any) -> list[dict[str, Any]]:
    viewer = _viewer(user, forum_issue)
    rows = (
        Comment.objects.filter(**target).select_related("author__user").order_by("created_at", "id")
    )
    return [comment_out(c) for c in _shown(list(rows), viewer)]


@router.get(
    "/issues/{issue_id}/comments",
    response={200: list[CommentOut], **ERRORS},
    summary="Comments on an issue",
)
def list_issue_comments(request: HttpRequest, issue_id: IssueId) -> list[dict[str, Any]]:
    """The discussion of the issue itself (not its solutions), oldest first."""
    user = optional_user(request)
    issue = get_issue(issue_id)
    return _comments(user, issue, issue=issue, solution__isnull=True)


@router.get(
    "/solutions/{solution_id}/comments",
    response={200: list[CommentOut], **ERRORS},
    summary="Comments on a solution",
)
def list_solution_comments(request: HttpRequest, solution_id: SolutionId) -> list[dict[str, Any]]:
    user = optional_user(request)
    solution = _solution(solution_id, user)
    return _comments(user, solution.issue, solution=solution)


def _reloaded_comment(comment: Comment) -> dict[str, Any]:
    """A comment as the API shows it, re-read with its author after a write."""
    return comment_out(Comment.objects.select_related("author__user").get(pk=comment.pk))


@router.post(
    "/issues/{issue_id}/comments",
    auth=AUTH,
    response={201: CommentOut, **LIMITED},
    summary="Comment on an issue",
)
def create_issue_comment(
    request: HttpRequest, issue_id: IssueId, payload: CommentIn
) -> Status[dict[str, Any]]:
    """Any member; ``parent`` makes it a reply to a top-level comment on the same issue."""
    comment = services.add_comment(request.auth, issue=get_issue(issue_id), **payload.model_dump())
    return Status(201, _reloaded_comment(comment))


@router.post(
    "/solutions/{solution_id}/comments",
    auth=AUTH,
    response={201: CommentOut, **LIMITED},
    summary="Comment on a solution",
)
def create_solution_comment(
    request: HttpRequest, solution_id: SolutionId, payload: CommentIn
) -> Status[dict[str, Any]]:
    """Any member; ``parent`` makes it a reply to a top-level comment on the same solution."""
    solution = _solution(solution_id, request.auth)
    comment = services.add_comment(request.auth, solution=solution, **payload.model_dump())
    return Status(201, _reloaded_comment(comment))


@router.post(
    "/comments/{comment_id}/reports",
    auth=AUTH,
    response={201: ReportOut, **LIMITED},
    summary="Report a comment",
)
def report_comment(
    request: HttpRequest, comment_id: CommentId, payload: ReportIn
) -> Status[dict[str, Any]]:
    """One report per member per comment; enough distinct reporters hide it."""
    comment = get_visible_contribution(Kind.COMMENT, comment_id, request.auth)
    created, hidden = services.report(request.auth, Kind.COMMENT, comment, **payload.model_dump())
    return Status(
        201, {"id": created.pk, "comment": comment.pk, "reason": created.reason, "hidden": hidden}
    )


# ---------------------------------------------------------------- the author's changes


def _own(kind: str, pk: int, user: AnyUser) -> Any:
    """A contribution the caller can see (else 404); the service checks authorship (403)."""
    return get_visible_contribution(kind, pk, user)


@router.patch(
    "/signals/{signal_id}",
    auth=AUTH,
    response={200: SignalOut, **LIMITED},
    summary="Change your signal",
)
def edit_signal(request: HttpRequest, signal_id: SignalId, payload: SignalPatch) -> dict[str, Any]:
    """The author changes jurisdiction, priority or statement; fields not sent stay."""
    signal = _own(Kind.SIGNAL, signal_id, request.auth)
    sent = payload.model_dump(exclude_unset=True, exclude_none=True)
    services.edit_signal(
        request.auth,
        signal,
        jurisdiction=sent.get("jurisdiction", signal.jurisdiction),
        priority=sent.get("priority", signal.priority),
        statement=sent.get("statement", signal.statement),
    )
    return signal_out(Signal.objects.select_related("author__user").get(pk=signal.pk))


@router.delete(
    "/signals/{signal_id}",
    auth=AUTH,
    response={204: None, **ERRORS},
    summary="Withdraw your signal",
)
def withdraw_signal(request: HttpRequest, signal_id: SignalId) -> HttpResponse:
    services.withdraw_signal(request.auth, _own(Kind.SIGNAL, signal_id, request.auth))
    return HttpResponse(status=204)


@router.patch(
    "/solutions/{solution_id}",
    auth=AUTH,
    response={200: SolutionOut, **LIMITED},
    summary="Change your solution",
)
def edit_solution(
    request: HttpRequest, solution_id: SolutionId, payload: SolutionPatch
) -> dict[str, Any]:
    """The author changes title, description or actors; fields not sent stay."""
    solution = _own(Kind.SOLUTION, solution_id, request.auth)
    sent = payload.model_dump(exclude_unset=True, exclude_none=True)
    services.edit_solution(
        request.auth,
        solution,
        title=sent.get("title", solution.title),
        description=sent.get("description", solution.description),
        actors=sent.get("actors", solution.actors),
    )
    fresh = Solution.objects.select_related("author__user").get(pk=solution.pk)
    advice = list(
        Advice.objects.filter(solution=fresh).only("solution_id", "feasibility", "hidden")
    )
    return solution_out(fresh, advice)


@router.put(
    "/advice/{advice_id}",
    auth=AUTH,
    response={200: AdviceOut, **LIMITED},
    summary="Revise your advice",
)
def revise_advice(request: HttpRequest, advice_id: AdviceId, payload: AdviceIn) -> dict[str, Any]:
    """The advisor sends the whole new version; every earlier version stays in ``revisions``."""
    advice = _own(Kind.ADVICE, advice_id, request.auth)
    services.revise_advice(request.auth, advice, **payload.model_dump())
    return advice_out(_advice_query().get(pk=advice.pk))


@router.patch(
    "/comments/{comment_id}",
    auth=AUTH,
    response={200: CommentOut, **LIMITED},
    summary="Edit your comment",
)
def edit_comment(
    request: HttpRequest, comment_id: CommentId, payload: CommentPatch
) -> dict[str, Any]:
    comment = _own(Kind.COMMENT, comment_id, request.auth)
    sent = payload.model_dump(exclude_unset=True)
    services.edit_comment(
        request.auth,
        comment,
        body=sent.get("body") or comment.body,
        stance=sent.get("stance", comment.stance),
    )
    return _reloaded_comment(comment)


@router.delete(
    "/comments/{comment_id}",
    auth=AUTH,
    response={204: None, **ERRORS},
    summary="Delete your comment",
)
def delete_comment(request: HttpRequest, comment_id: CommentId) -> HttpResponse:
    """The comment stays in its thread as deleted, without its text or author."""
    services.delete_comment(request.auth, _own(Kind.COMMENT, comment_id, request.auth))
    return HttpResponse(status=204)
