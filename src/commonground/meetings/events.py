"""The ledger actions of sessions (DESIGN 6a), and their builders.

Every builder takes the object's id, who acted (a participant id, or None: an operator,
the screening at a phase change, or a blind score that names nobody), the forum's slug,
an optional time (the demo dates its acts) and the entry's fields as keywords; the
registry checks them against the declaration.
"""

from __future__ import annotations

import json
from datetime import datetime
from enum import StrEnum
from typing import Any

from commonground.ledger.services import Event
from commonground.ledger.vocabulary import builds, event, text_digests

PROPOSAL_FIELDS = (
    "cycle", "title", "format", "issues", "speakers", "screening", "description_sha256",
    "policy_questions_sha256", "moderator_sha256", "rapporteur_name_sha256", "rapporteur",
    "speaker_list",
)  # fmt: skip
SPEAKER_FACTS = ("stakeholder_group", "gender", "country", "confirmed", "onsite", "participant")


def compact_json(value: Any) -> str:
    """JSON as the open data writes it (sorted keys, no spaces): what a digest is taken of."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def proposal_fields(
    *,
    cycle: int,
    title: str,
    format: str,
    description: str,
    policy_questions: list[str],
    moderator: dict[str, Any],
    rapporteur_name: str,
    rapporteur: str | None,
    issues: list[int],
    speakers: list[dict[str, Any]],
    screening: list[str],
) -> dict[str, Any]:
    """The public facts of a proposal as its entry carries them: free text (description,
    policy questions, the moderator, the rapporteur's and speakers' names) by digest, each
    speaker's other facts as they are (``participant``: a public id or None)."""
    return {
        "cycle": cycle,
        "title": title,
        "format": format,
        "issues": sorted(issues),
        "speakers": len(speakers),
        "screening": screening,
        **text_digests(
            description=description,
            policy_questions=policy_questions,
            moderator=compact_json(moderator),
            rapporteur_name=rapporteur_name,
        ),
        "rapporteur": rapporteur,
        "speaker_list": [
            {**text_digests(name=s["name"]), **{k: s.get(k) for k in SPEAKER_FACTS}}
            for s in speakers
        ],
    }


class Action(StrEnum):
    SESSION_PROPOSE = "session.propose"
    SESSION_EDIT = "session.edit"
    SESSION_WITHDRAW = "session.withdraw"
    SESSION_SCREEN = "session.screen"
    ADVISORY_GROUP_SET = "advisory_group.set"
    SESSION_CONFLICT = "session.conflict"
    SESSION_SCORE = "session.score"
    SESSION_SCORES = "session.scores"
    SESSION_DECIDE = "session.decide"
    SELECTION_PUBLISH = "selection.publish"
    SESSION_SCHEDULE = "session.schedule"
    SESSION_REPORT = "session.report"


def _session(
    action: Action,
    session_id: int,
    actor: str | None,
    forum: str,
    time: datetime | None,
    fields: dict[str, Any],
) -> Event:
    return event(action, "session", session_id, actor=actor, forum=forum, fields=fields, time=time)


@builds(Action.SESSION_PROPOSE, object_type="session", fields=PROPOSAL_FIELDS)
def session_proposed(
    session_id: int, *, actor: str | None, forum: str, time: datetime | None = None, **fields: Any
) -> Event:
    """A member proposed a session; screening lists the rules it fails as proposed."""
    return _session(Action.SESSION_PROPOSE, session_id, actor, forum, time, fields)


@builds(Action.SESSION_EDIT, object_type="session", fields=PROPOSAL_FIELDS)
def session_edited(
    session_id: int, *, actor: str | None, forum: str, time: datetime | None = None, **fields: Any
) -> Event:
    """The proposer changed the proposal during the call; the screening as it now stands."""
    return _session(Action.SESSION_EDIT, session_id, actor, forum, time, fields)


@builds(Action.SESSION_WITHDRAW, object_type="session", fields=("cycle",))
def session_withdrawn(
    session_id: int, *, actor: str | None, forum: str, cycle: int, time: datetime | None = None
) -> Event:
    """The proposer withdrew the proposal."""
    return _session(Action.SESSION_WITHDRAW, session_id, actor, forum, time, {"cycle": cycle})


@builds(Action.SESSION_SCREEN, object_type="session", fields=("status", "failures"))
def session_screened(
    session_id: int,
    *,
    actor: str | None,
    forum: str,
    status: str,
    failures: list[str],
    time: datetime | None = None,
) -> Event:
    """Screening when evaluation began: screened_in, or declined with the failing rules."""
    fields = {"status": status, "failures": failures}
    return _session(Action.SESSION_SCREEN, session_id, actor, forum, time, fields)


@builds(
    Action.ADVISORY_GROUP_SET,
    object_type="forum",
    fields=("members", "seats_by_group", "appointed"),
)
def advisory_group_set(
    forum: str,
    *,
    actor: str | None,
    members: list[str],
    seats_by_group: dict[str, int],
    appointed: list[str],
    time: datetime | None = None,
) -> Event:
    """A steward appointed the forum's advisory group (its members, seats by group, and who
    took a seat by this act)."""
    return event(
        Action.ADVISORY_GROUP_SET,
        "forum",
        forum,
        actor=actor,
        forum=forum,
        fields={"members": members, "seats_by_group": seats_by_group, "appointed": appointed},
        time=time,
    )


@builds(Action.SESSION_CONFLICT, object_type="session", fields=())
def conflict_declared(session_id: int, *, actor: str | None, forum: str) -> Event:
    """An advisory member declared a conflict of interest on a proposal."""
    return _session(Action.SESSION_CONFLICT, session_id, actor, forum, None, {})


@builds(Action.SESSION_SCORE, object_type="session", fields=("new",))
def session_scored(
    session_id: int, *, forum: str, new: bool, time: datetime | None = None
) -> Event:
    """A proposal was scored (blind: the entry names neither the member nor the score)."""
    return _session(Action.SESSION_SCORE, session_id, None, forum, time, {"new": new})


SCORE_FIELDS = (
    "scores", "mean_score", "spread", "relevance", "content", "interaction", "diversity",
)  # fmt: skip


@builds(Action.SESSION_SCORES, object_type="session", fields=SCORE_FIELDS)
def session_scores(
    session_id: int, *, forum: str, aggregates: tuple[float, ...], time: datetime | None = None
) -> Event:
    """Evaluation ended: a proposal's score aggregates as published (never a member's)."""
    # As the table writes them (the ledger refuses floats): the count, then decimals.
    cells = [str(int(aggregates[0])), *(repr(float(v)) for v in aggregates[1:])]
    fields = dict(zip(SCORE_FIELDS, cells, strict=True))
    return _session(Action.SESSION_SCORES, session_id, None, forum, time, fields)


@builds(Action.SESSION_DECIDE, object_type="session", fields=("decision", "merge_with", "reason"))
def session_decided(
    session_id: int,
    *,
    actor: str | None,
    forum: str,
    decision: str,
    merge_with: int | None,
    reason: str,
    time: datetime | None = None,
) -> Event:
    """A steward decided a screened-in proposal, with the reason."""
    fields = {"decision": decision, "merge_with": merge_with, "reason": reason}
    return _session(Action.SESSION_DECIDE, session_id, actor, forum, time, fields)


@builds(
    Action.SELECTION_PUBLISH,
    object_type="selection_publication",
    fields=("cycle", "number", "decisions", "entries_sha256"),
)
def selection_published(
    publication_id: int,
    *,
    actor: str | None,
    forum: str,
    cycle: int,
    number: int,
    decisions: dict[str, str],
    entries: list[dict[str, Any]],
    time: datetime | None = None,
) -> Event:
    """A steward published the cycle's decisions as its next numbered selection (the
    published entries, with titles and reasons, by digest)."""
    return event(
        Action.SELECTION_PUBLISH,
        "selection_publication",
        publication_id,
        actor=actor,
        forum=forum,
        fields={
            "cycle": cycle,
            "number": number,
            "decisions": decisions,
            **text_digests(entries=compact_json(entries)),
        },
        time=time,
    )


@builds(
    Action.SESSION_SCHEDULE,
    object_type="session",
    fields=("room", "starts_at", "duration_minutes"),
)
def session_scheduled(
    session_id: int,
    *,
    actor: str | None,
    forum: str,
    room: str,
    starts_at: str,
    duration_minutes: int,
    time: datetime | None = None,
) -> Event:
    """A steward gave an approved session its room and slot (the start in UTC)."""
    fields = {"room": room, "starts_at": starts_at, "duration_minutes": duration_minutes}
    return _session(Action.SESSION_SCHEDULE, session_id, actor, forum, time, fields)


REPORT_FIELDS = (
    "new", "key_takeaways", "calls_to_action", "onsite", "online", "women_share", "late",
    "due_at",
)  # fmt: skip


@builds(Action.SESSION_REPORT, object_type="session", fields=REPORT_FIELDS)
def session_reported(
    session_id: int, *, actor: str | None, forum: str, time: datetime | None = None, **fields: Any
) -> Event:
    """The rapporteur (or the proposer) filed or amended the session's report."""
    return _session(Action.SESSION_REPORT, session_id, actor, forum, time, fields)
