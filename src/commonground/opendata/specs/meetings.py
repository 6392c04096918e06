"""Specs of the session tables: proposals, speakers, score aggregates, selections, reports
and advisory seats (DESIGN 6a).

Evaluation is blind, so a cycle still in its call for sessions or evaluation exports no
proposal (nor anything hanging from one). Individual scores never leave: ``session_scores``
carries per-proposal aggregates, computed from the scores where they are here and read
from ``ScoreSummary`` where a package brought them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from django.db.models import Q, QuerySet

from commonground.access.rules import BLIND_PHASES
from commonground.analysis.programme import CRITERIA, score_aggregates
from commonground.forums.models import Forum
from commonground.meetings.models import (
    AdvisorySeat,
    Report,
    Score,
    ScoreSummary,
    SelectionPublication,
    Session,
    Speaker,
)
from commonground.opendata import resources as r
from commonground.opendata.specs.base import BATCH, Exporting, Importing, Row, TableSpec, pick

_SESSION_FIELDS = (
    "title", "format", "description", "policy_questions", "moderator", "rapporteur_name",
    "status", "screening_failures", "submitted_at", "updated_at", "decision",
    "decision_reason", "decided_at", "room", "starts_at", "duration_minutes",
)  # fmt: skip


def public_sessions(forum: Forum) -> QuerySet[Session]:
    """The forum's sessions but those of a cycle whose evaluation is still blind."""
    blind = Q(cycle__is_open=True, cycle__phase__in=BLIND_PHASES)
    return Session.objects.filter(forum=forum).exclude(blind)


def _export_sessions(at: Exporting) -> Iterator[Sequence[Any]]:
    sessions = public_sessions(at.forum)
    issues: dict[int, list[int]] = {}
    through = Session.issues.through.objects.filter(session__in=sessions)
    for session_id, issue_id in through.values_list("session_id", "issue_id"):
        issues.setdefault(session_id, []).append(issue_id)
    rows = sessions.order_by("pk").values_list(
        "pk", "cycle_id", "proposer__user__public_id", "title", "format", "description",
        "policy_questions", "moderator", "rapporteur_name", "rapporteur__user__public_id",
        "status", "screening_failures", "submitted_at", "updated_at", "decision",
        "merge_with_id", "decision_reason", "decided_at", "room", "starts_at",
        "duration_minutes",
    )  # fmt: skip
    for row in rows:
        values = list(row)
        yield (*values[:6], values[6], sorted(issues.get(row[0], [])), *values[7:])


def _load_sessions(rows: list[Row], into: Importing) -> None:
    Session.objects.bulk_create(
        [
            Session(
                pk=s["id"],
                forum=into.the_forum,
                cycle_id=s["cycle_id"],
                proposer=into.member[s["proposed_by"]],
                rapporteur=into.member[s["rapporteur"]] if s["rapporteur"] else None,
                merge_with_id=s["merge_with"],
                **{name: s[name] if s[name] is not None else "" for name in _TEXTS},
                **pick(s, *(f for f in _SESSION_FIELDS if f not in _TEXTS)),
            )
            for s in rows
        ],
        batch_size=BATCH,
    )
    link = Session.issues.through
    link.objects.bulk_create(
        [link(session_id=s["id"], issue_id=i) for s in rows for i in s["issue_ids"]],
        batch_size=BATCH,
    )


# Text columns whose empty cell reads back as None: stored as "".
_TEXTS = (
    "title",
    "format",
    "description",
    "rapporteur_name",
    "decision",
    "decision_reason",
    "room",
)

SESSIONS = TableSpec(r.SESSIONS, Session, export=_export_sessions, load=_load_sessions)

SESSION_SPEAKERS = TableSpec(
    r.SESSION_SPEAKERS,
    Speaker,
    (
        "pk",
        "session_id",
        "position",
        "name",
        "stakeholder_group",
        "gender",
        "country",
        "confirmed",
        "onsite",
        "participant__user__public_id",
    ),
    query=lambda forum: Speaker.objects.filter(session__in=public_sessions(forum)),
    build=lambda s, into: Speaker(
        pk=s["id"],
        participant=into.member[s["participant"]] if s["participant"] else None,
        country=s["country"] or "",
        **pick(s, "session_id", "position", "name", "stakeholder_group", "gender"),
        **pick(s, "confirmed", "onsite"),
    ),
)


def _export_scores(at: Exporting) -> Iterator[Sequence[Any]]:
    by_session: dict[int, list[tuple[int, ...]]] = {}
    sessions = public_sessions(at.forum)
    for score in Score.objects.filter(session__in=sessions).order_by("session_id", "pk"):
        by_session.setdefault(score.session_id, []).append(score.values)
    summaries = {s.session_id: s for s in ScoreSummary.objects.filter(session__in=sessions)}
    for session_id in sorted(set(by_session) | set(summaries)):
        scores = by_session.get(session_id)
        if not scores:
            s = summaries[session_id]
            yield (session_id, s.scores, s.mean_score, s.spread, *(getattr(s, c) for c in CRITERIA))
            continue
        yield (session_id, *score_aggregates(scores))


SESSION_SCORES = TableSpec(
    r.SESSION_SCORES,
    ScoreSummary,
    export=_export_scores,
    build=lambda s, into: ScoreSummary(
        **pick(s, "session_id", "scores", "mean_score", "spread", *CRITERIA)
    ),
    keeps_ids=False,
)

SELECTION_PUBLICATIONS = TableSpec(
    r.SELECTION_PUBLICATIONS,
    SelectionPublication,
    ("pk", "cycle_id", "number", "published_at", "published_by__public_id", "entries"),
    query=lambda forum: SelectionPublication.objects.filter(cycle__forum=forum).exclude(
        cycle__is_open=True, cycle__phase__in=BLIND_PHASES
    ),
    build=lambda p, into: SelectionPublication(
        pk=p["id"],
        published_by=into.user[p["published_by"]] if p["published_by"] else None,
        **pick(p, "cycle_id", "number", "published_at", "entries"),
    ),
)

SESSION_REPORTS = TableSpec(
    r.SESSION_REPORTS,
    Report,
    (
        "pk",
        "session_id",
        "author__user__public_id",
        "key_takeaways",
        "calls_to_action",
        "onsite",
        "online",
        "women_share",
        "filed_at",
        "updated_at",
        "due_at",
    ),
    query=lambda forum: Report.objects.filter(session__in=public_sessions(forum)),
    build=lambda p, into: Report(
        pk=p["id"],
        author=into.member[p["filed_by"]],
        **pick(p, "session_id", "key_takeaways", "calls_to_action", "onsite", "online"),
        **pick(p, "women_share", "filed_at", "updated_at", "due_at"),
    ),
)

ADVISORY_SEATS = TableSpec(
    r.ADVISORY_SEATS,
    AdvisorySeat,
    ("pk", "membership__user__public_id", "appointed_at"),
    query=lambda forum: AdvisorySeat.objects.filter(forum=forum),
    build=lambda s, into: AdvisorySeat(
        pk=s["id"],
        forum=into.the_forum,
        membership=into.member[s["participant"]],
        appointed_at=s["appointed_at"],
    ),
)
