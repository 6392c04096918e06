"""Session routes (docs/sessions.md): proposals, the advisory group, blind scoring, ranking and
decisions, the published selection, the schedule and reports. Same services as the pages."""

from __future__ import annotations

from typing import Annotated, Any

from ninja import Path, Query, Router, Schema, Status
from pydantic import Field

from commonground.access.lookup import get_forum, get_live_session, open_cycle_of
from commonground.access.members import membership_of, require_member, require_steward
from commonground.access.rules import (
    can_see_proposer,
    require_advisory_member,
    require_phase,
)
from commonground.api.auth import AUTH, ApiRequest, optional_user
from commonground.api.meetings_schemas import (
    AdvisoryGroupIn,
    AdvisoryGroupOut,
    BlindSessionOut,
    ConflictOut,
    DecisionIn,
    LiveScreeningOut,
    RankedOut,
    ScheduleIn,
    ScoreIn,
    ScoreOut,
    SelectionOut,
    SessionIn,
    SessionOut,
    SessionReportIn,
    SessionReportOut,
)
from commonground.api.schemas import MAX_ID, WRITE_ERRORS, ErrorOut, errors
from commonground.forums.models import Forum
from commonground.meetings.models import Report, Score, SelectionPublication, Session
from commonground.meetings.services import advisory, proposals, reports, schedule, selection
from commonground.participants.models import Membership

router = Router(tags=["sessions"])

ERRORS = errors(*WRITE_ERRORS)
READ_ERRORS = errors(401, 403, 404, 409, 422)


SessionId = Annotated[int, Path(ge=1, le=MAX_ID, description="The session's id.")]


def report_out(report: Report) -> dict[str, Any]:
    return {
        "session": report.session_id,
        "key_takeaways": report.key_takeaways,
        "calls_to_action": report.calls_to_action,
        "attendance": {
            "onsite": report.onsite,
            "online": report.online,
            "women_share": report.women_share,
        },
        "filed_by": report.author.user.public_id,
        "filed_at": report.filed_at,
        "due_at": report.due_at,
        "late": report.late,
    }


def _speakers(session: Session) -> list[dict[str, Any]]:
    return [proposals.speaker_fields(s) for s in session.speakers.all()]


def session_out(session: Session, viewer: Membership | None) -> dict[str, Any]:
    """A proposal or session as its readers see it; the proposer hidden while blind."""
    if session.status == Session.Status.SUBMITTED:
        screening = proposals.screening_of(session).as_json()
    else:
        screening = {
            "passed": not session.screening_failures,
            "failures": session.screening_failures,
        }
    report = Report.objects.select_related("author__user").filter(session=session).first()
    ends = session.ends_at
    return {
        "id": session.pk,
        "forum": session.forum.slug,
        "cycle": session.cycle_id,
        "status": session.status,
        "title": session.title,
        "format": session.format,
        "issue_ids": sorted(i.pk for i in session.issues.all()),
        "description": session.description,
        "policy_questions": session.policy_questions,
        "moderator": {
            "name": session.moderator.get("name", ""),
            "stakeholder_group": session.moderator.get("stakeholder_group"),
        },
        "rapporteur": {
            "name": session.rapporteur_name,
            "participant_id": session.rapporteur.user.public_id if session.rapporteur else None,
        },
        "speakers": _speakers(session),
        "proposer": session.proposer.user.public_id if can_see_proposer(viewer, session) else None,
        "screening": screening,
        "submitted_at": session.submitted_at,
        "decision": {
            "decision": session.decision,
            "merge_with": session.merge_with_id,
            "reason": session.decision_reason,
        }
        if session.decision
        else None,
        "schedule": {
            "room": session.room,
            "starts_at": session.starts_at,
            "ends_at": ends,
            "duration_minutes": session.duration_minutes,
        }
        if ends is not None
        else None,
        "report": report_out(report) if report else None,
        "report_overdue": reports.is_overdue(session) if report is None else False,
    }


def _viewer(request: ApiRequest, forum: Forum) -> Membership | None:
    return membership_of(optional_user(request), forum)


def _fresh(session_id: int) -> Session:
    return get_live_session(session_id)


# ---------------------------------------------------------------- proposals


@router.post(
    "/forums/{slug}/sessions",
    auth=AUTH,
    response={201: SessionOut, **ERRORS},
    summary="Propose a session (call for sessions)",
)
def propose(request: ApiRequest, slug: str, payload: SessionIn) -> Status[dict[str, Any]]:
    """Any member proposes a session on issues of the cycle's latest published agenda.
    201 with ``status: submitted`` and the live ``screening`` (passed, failing rule codes).
    409 outside the call for sessions."""
    forum = get_forum(slug)
    session, _ = proposals.propose_session(
        request.auth, forum, payload.model_dump(exclude_unset=True)
    )
    return Status(201, session_out(_fresh(session.pk), _viewer(request, forum)))


@router.get(
    "/forums/{slug}/sessions",
    response={200: list[SessionOut], **READ_ERRORS},
    summary="The sessions of the forum's open cycle",
)
def list_sessions(request: ApiRequest, slug: str) -> list[dict[str, Any]]:
    """Every proposal of the open cycle but the withdrawn ones, in submission order."""
    forum = get_forum(slug)
    cycle = open_cycle_of(forum)
    viewer = _viewer(request, forum)
    rows = (
        Session.objects.filter(cycle=cycle)
        .exclude(status=Session.Status.WITHDRAWN)
        .select_related("forum", "cycle", "proposer__user", "rapporteur__user")
        .prefetch_related("issues", "speakers")
    )
    return [session_out(s, viewer) for s in rows]


@router.get(
    "/forums/{slug}/sessions/ranking",
    auth=AUTH,
    response={200: list[RankedOut], **READ_ERRORS},
    summary="Screened-in proposals ranked by mean score (stewards)",
)
def ranking(request: ApiRequest, slug: str) -> list[dict[str, Any]]:
    """By mean score (ties: more scores, then earlier submission), with the spread of the
    scores and suggested merges of similar proposals on the same issue."""
    forum = get_forum(slug)
    require_steward(request.auth, forum)
    cycle = open_cycle_of(forum)
    sessions = {s.pk: s for s in Session.objects.filter(cycle=cycle)}
    return [
        {
            "id": r.id,
            "title": sessions[r.id].title,
            "mean_score": r.mean_score,
            "scores": r.scores,
            "spread": r.spread,
            "suggested_merge_with": r.suggested_merge_with,
            "decision": sessions[r.id].decision,
        }
        for r in selection.ranking(cycle)
    ]


@router.post(
    "/forums/{slug}/sessions/selection",
    auth=AUTH,
    response={201: SelectionOut, **ERRORS},
    summary="Publish the selection: a frozen, numbered snapshot of the decisions (stewards)",
)
def publish(request: ApiRequest, slug: str) -> Status[dict[str, Any]]:
    publication = selection.publish_selection(request.auth, get_forum(slug))
    return Status(201, selection_out(publication))


def selection_out(publication: SelectionPublication) -> dict[str, Any]:
    return {
        "number": publication.number,
        "cycle": publication.cycle_id,
        "published_at": publication.published_at,
        "published_by": publication.published_by.public_id if publication.published_by else None,
        "entries": publication.entries,
        "diff": selection.selection_diff(publication),
    }


@router.get(
    "/forums/{slug}/sessions/selection",
    response={200: list[SelectionOut], 404: ErrorOut},
    summary="Published selections of the forum, newest first",
)
def selections(request: ApiRequest, slug: str) -> list[dict[str, Any]]:
    forum = get_forum(slug)
    rows = SelectionPublication.objects.filter(cycle__forum=forum).select_related("published_by")
    return [selection_out(p) for p in rows.order_by("-published_at", "-number")]


@router.get(
    "/sessions/{session_id}",
    response={200: SessionOut, **READ_ERRORS},
    summary="One session, with its schedule and report",
)
def session_detail(request: ApiRequest, session_id: SessionId) -> dict[str, Any]:
    session = get_live_session(session_id)
    return session_out(session, _viewer(request, session.forum))


@router.patch(
    "/sessions/{session_id}",
    auth=AUTH,
    response={200: SessionOut, **ERRORS},
    summary="Change a proposal (its proposer, during the call)",
)
def change(request: ApiRequest, session_id: SessionId, payload: SessionIn) -> dict[str, Any]:
    """The fields present replace the stored ones; the answer carries the new screening."""
    session = get_live_session(session_id)
    proposals.edit_session(request.auth, session, payload.model_dump(exclude_unset=True))
    return session_out(_fresh(session.pk), _viewer(request, session.forum))


@router.delete(
    "/sessions/{session_id}",
    auth=AUTH,
    response={204: None, **ERRORS},
    summary="Withdraw a proposal (its proposer, during the call)",
)
def withdraw(request: ApiRequest, session_id: SessionId) -> Status[None]:
    """The proposal is withdrawn: from then on this session's routes answer 404 (the web
    pages still show it to its proposer and the stewards, and the ledger keeps it)."""
    proposals.withdraw_session(request.auth, get_live_session(session_id))
    return Status(204, None)


@router.get(
    "/sessions/{session_id}/screening",
    auth=AUTH,
    response={200: LiveScreeningOut, **READ_ERRORS},
    summary="The live screening of a proposal, rule by rule (its proposer and stewards)",
)
def live_screening(request: ApiRequest, session_id: SessionId) -> dict[str, Any]:
    """Which rules pass and which fail, each in words, as the proposal stands now."""
    session = get_live_session(session_id)
    member = require_member(request.auth, session.forum)
    if session.proposer_id != member.pk:
        require_steward(request.auth, session.forum)
    result = proposals.screening_of(session)
    return {**result.as_json(), "rules": [r.__dict__ for r in result.rules]}


# ---------------------------------------------------------------- advisory group


def advisory_out(forum: Forum) -> dict[str, Any]:
    members = advisory.advisory_members(forum)
    return {
        "members": [
            {
                "participant_id": m.user.public_id,
                "name": m.user.public_name,
                "stakeholder_group": m.stakeholder_group,
                "country": m.country,
                "observer": m.stakeholder_group == "intergovernmental",
            }
            for m in members
        ],
        "seats_by_group": advisory.seats_by_group(members),
    }


@router.get(
    "/forums/{slug}/advisory-group",
    response={200: AdvisoryGroupOut, 404: ErrorOut},
    summary="The forum's advisory group and its seats by stakeholder group",
)
def advisory_group(request: ApiRequest, slug: str) -> dict[str, Any]:
    return advisory_out(get_forum(slug))


@router.put(
    "/forums/{slug}/advisory-group",
    auth=AUTH,
    response={200: AdvisoryGroupOut, **ERRORS},
    summary="Appoint the advisory group (stewards)",
)
def set_advisory_group(request: ApiRequest, slug: str, payload: AdvisoryGroupIn) -> dict[str, Any]:
    """Replaces the group with these members. A group that breaks the composition rule
    (governments at most 40 % of the seats, IGO observers not counted; civil society,
    private sector and the technical community within 1 seat) is a 400 whose ``detail``
    names the rule and the counts; nothing changes."""
    forum = get_forum(slug)
    advisory.set_advisory_group(request.auth, forum, payload.members)
    return advisory_out(forum)


# ---------------------------------------------------------------- blind scoring


def score_out(score: Score) -> dict[str, Any]:
    return {
        "session": score.session_id,
        "relevance": score.relevance,
        "content": score.content,
        "interaction": score.interaction,
        "diversity": score.diversity,
        "reason_code": score.reason_code,
        "comment": score.comment,
        "scored_at": score.scored_at,
    }


class QueueQuery(Schema):
    forum: str = Field(min_length=1, max_length=60, description="The forum's slug.")


@router.get(
    "/advisory/queue",
    auth=AUTH,
    response={200: list[BlindSessionOut], **READ_ERRORS},
    summary="An advisory member's blind queue of screened-in proposals",
)
def queue(request: ApiRequest, query: Query[QueueQuery]) -> list[dict[str, Any]]:
    """Screened-in proposals without any field naming the proposer or their organisation,
    and without those the member has a conflict on (declared, a speaker, their
    organisation's). ``my_score`` is the member's own score, if any."""
    forum = get_forum(query.forum)
    member = require_member(request.auth, forum)
    require_advisory_member(member)
    cycle = open_cycle_of(forum)
    require_phase(cycle, "score_session")
    sessions = list(advisory.queue_for(member, cycle))
    mine = {s.session_id: s for s in Score.objects.filter(member=member, session__in=sessions)}
    return [
        {
            "id": s.pk,
            "title": s.title,
            "format": s.format,
            "issue_ids": sorted(i.pk for i in s.issues.all()),
            "description": s.description,
            "policy_questions": s.policy_questions,
            "moderator": s.moderator.get("name", ""),
            "speakers": _speakers(s),
            "my_score": score_out(mine[s.pk]) if s.pk in mine else None,
        }
        for s in sessions
    ]


@router.post(
    "/sessions/{session_id}/conflict",
    auth=AUTH,
    response={201: ConflictOut, **ERRORS},
    summary="Declare a conflict of interest on a proposal (advisory members)",
)
def conflict(request: ApiRequest, session_id: SessionId) -> Status[dict[str, Any]]:
    """The proposal leaves the member's queue (and a score they gave it is removed)."""
    advisory.declare_conflict(request.auth, get_live_session(session_id))
    return Status(201, {"session": session_id, "declared": True})


@router.post(
    "/sessions/{session_id}/scores",
    auth=AUTH,
    response={200: ScoreOut, 201: ScoreOut, **ERRORS},
    summary="Score a proposal from the queue (advisory members, during evaluation)",
)
def score(request: ApiRequest, session_id: SessionId, payload: ScoreIn) -> Status[dict[str, Any]]:
    """One score per member and proposal: 201 the first time, 200 when changed. Any
    criterion at 3 or less needs ``reason_code`` and ``comment``. 403 for anyone but an
    advisory member without a conflict on it."""
    result, created = advisory.score_session(
        request.auth, get_live_session(session_id), payload.model_dump()
    )
    return Status(201 if created else 200, score_out(result))


# ---------------------------------------------------------------- decisions, schedule, reports


@router.post(
    "/sessions/{session_id}/decision",
    auth=AUTH,
    response={200: SessionOut, **ERRORS},
    summary="Decide a screened-in proposal (stewards, during evaluation)",
)
def decide(request: ApiRequest, session_id: SessionId, payload: DecisionIn) -> dict[str, Any]:
    """``approved``, ``approved_if_merged`` (``merge_with`` names the other proposal) or
    ``declined``, always with a ``reason``."""
    session = selection.decide_session(
        request.auth, get_live_session(session_id), payload.model_dump()
    )
    return session_out(_fresh(session.pk), _viewer(request, session.forum))


@router.post(
    "/sessions/{session_id}/schedule",
    auth=AUTH,
    response={200: SessionOut, **ERRORS},
    summary="Give an approved session its room and time (stewards)",
)
def schedule_route(
    request: ApiRequest, session_id: SessionId, payload: ScheduleIn
) -> dict[str, Any]:
    """409 naming the clash: a room holding two sessions at once, a speaker in two
    overlapping sessions, or a speaker in more sessions than the forum allows (3)."""
    session = schedule.schedule_session(
        request.auth,
        get_live_session(session_id),
        room=payload.room,
        starts_at=payload.starts_at,
        duration_minutes=payload.duration_minutes,
    )
    return session_out(_fresh(session.pk), _viewer(request, session.forum))


@router.post(
    "/sessions/{session_id}/report",
    auth=AUTH,
    response={200: SessionReportOut, 201: SessionReportOut, **ERRORS},
    summary="File the session's report (its rapporteur, or failing that its proposer)",
)
def report(
    request: ApiRequest, session_id: SessionId, payload: SessionReportIn
) -> Status[dict[str, Any]]:
    """Accepted once the session has started: 201 the first time, 200 when amended. Due
    14 days after the session (the forum's setting); a later one is marked ``late``."""
    filed, created = reports.file_report(
        request.auth, get_live_session(session_id), payload.model_dump()
    )
    filed = Report.objects.select_related("author__user").get(pk=filed.pk)
    return Status(201 if created else 200, report_out(filed))
