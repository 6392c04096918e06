"""The global forum's 2026 session programme (``demo/data/sessions.toml``): an advisory
group of 20 that passes the composition rule, 60 proposals (some declined at screening),
blind scores, decisions and a published selection, a two-day programme in four rooms and
the reports of the sessions held, some late and some missing.

The 2026 cycle is closed when this runs (``demo/outcomes.py`` ran it through its phases),
so the rows are written in bulk, dated inside the cycle's phases, each with its ledger
entry, as the rest of the demo is. The advisory group is appointed through the service.
"""

from __future__ import annotations

import random
import tomllib
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from commonground.analysis.programme import (
    ProposalFacts,
    SpeakerFacts,
    score_aggregates,
    screen,
)
from commonground.forums.models import Cycle, Forum, PhaseChange
from commonground.issues.models import Issue
from commonground.ledger.merkle import format_timestamp
from commonground.ledger.services import Event, append_many
from commonground.meetings.events import (
    proposal_fields,
    selection_published,
    session_decided,
    session_proposed,
    session_reported,
    session_scheduled,
    session_scored,
    session_scores,
    session_screened,
)
from commonground.meetings.models import (
    Report,
    Score,
    SelectionPublication,
    Session,
    Speaker,
)
from commonground.meetings.services import advisory, selection
from commonground.meetings.services.common import screening_settings, settings_of
from commonground.participants.models import Membership, User
from commonground.stakeholders import GROUPS

DATA = Path(__file__).parent / "data" / "sessions.toml"
MESSAGES = Path(__file__).parent / "data" / "messages.toml"
DAY = timedelta(days=1)
GENDERS = ("woman", "man", "woman", "man", "non_binary", "undisclosed")


def load() -> dict[str, Any]:
    with DATA.open("rb") as handle:
        return tomllib.load(handle)


def _agenda_issues(cycle: Cycle) -> list[Issue]:
    with MESSAGES.open("rb") as handle:
        titles = [m["issue"] for m in tomllib.load(handle)["message"]]
    by_title = {i.title: i for i in Issue.objects.filter(cycle=cycle)}
    return [by_title[t] for t in titles]


def _phase_times(cycle: Cycle) -> dict[str, datetime]:
    return {
        c.to_phase: c.changed_at for c in PhaseChange.objects.filter(cycle=cycle).order_by("pk")
    }


def seed_sessions(forum: Forum, steward: User, rng: random.Random) -> int:
    """Seed the 2026 programme of ``forum``; returns the number of proposals."""
    data = load()
    cycle = Cycle.objects.get(forum=forum, name=data["cycle"])
    issues = _agenda_issues(cycle)
    times = _phase_times(cycle)
    members = list(
        Membership.objects.filter(forum=forum, status="active")
        .exclude(user=steward)
        .select_related("user")
        .order_by("pk")
    )
    by_group: dict[str, list[Membership]] = {g: [] for g in GROUPS}
    for m in members:
        by_group[m.stakeholder_group].append(m)
    with transaction.atomic():
        seats = [m for g, n in data["advisory_seats"].items() for m in rng.sample(by_group[g], n)]
        advisory.set_advisory_group(steward, forum, [m.user.public_id for m in seats])
        taken = {m.pk for m in seats}
        pool = [m for m in members if m.pk not in taken]
        rng.shuffle(pool)
        events: list[Event] = []
        sessions = _proposals(data, forum, cycle, issues, pool, times["call_for_sessions"], events)
        _screen(sessions, forum, times["evaluation"], events)
        _scores(data, sessions, seats, rng, times["evaluation"], times["forum"], events)
        approved = _decide(data, cycle, steward, rng, times["evaluation"] + 25 * DAY, events)
        _schedule(data, approved, steward, times["forum"] + 10 * DAY, events)
        _reports(data, approved, rng, events)
        events.sort(key=lambda e: e.time or timezone.now())
        append_many(events)
    return len(sessions)


def _proposals(
    data: dict[str, Any],
    forum: Forum,
    cycle: Cycle,
    issues: list[Issue],
    pool: list[Membership],
    opened: datetime,
    events: list[Event],
) -> list[Session]:
    """Sixty proposals; every eighth is built to fail one screening rule."""
    sessions: list[Session] = []
    speakers: list[Speaker] = []
    links = []
    people = iter(pool)
    k = 0
    for stem in data["stem"]:
        for angle in data["angles"]:
            proposer = next(people)
            t = opened + timedelta(hours=6 * k + 1)
            fmt = stem["format"]
            session = Session(
                forum=forum,
                cycle=cycle,
                proposer=proposer,
                title=f"{stem['title']}: {angle}",
                format=fmt,
                description=data["description"].format(
                    format=fmt.replace("_", " "), stem_lower=stem["title"].lower(), angle=angle
                ),
                policy_questions=data["policy_questions"][: 1 + k % 3],
                moderator={"name": next(people).user.recorded_name},
                rapporteur_name=proposer.user.recorded_name,
                rapporteur=proposer,
                submitted_at=t,
                updated_at=t,
            )
            session._demo_speakers = []  # type: ignore[attr-defined]
            fail = k % 8 == 7
            for n in range(4):
                member = next(people)
                gender = GENDERS[(k + n) % len(GENDERS)]
                if fail and k % 3 == 0:
                    gender = "man"  # all of one gender
                session._demo_speakers.append(  # type: ignore[attr-defined]
                    Speaker(
                        position=n,
                        name=member.user.recorded_name,
                        stakeholder_group=member.stakeholder_group,
                        gender=gender,
                        country=member.country,
                        confirmed=not (fail and k % 3 == 1 and n > 1),  # only two confirmed
                        onsite=n != 3,
                        participant=member,
                    )
                )
            session._demo_issue = issues[stem["issue"]]  # type: ignore[attr-defined]
            sessions.append(session)
            k += 1
    Session.objects.bulk_create(sessions)
    for session in sessions:
        links.append(Session.issues.through(session=session, issue=session._demo_issue))  # type: ignore[attr-defined]
        for s in session._demo_speakers:  # type: ignore[attr-defined]
            s.session = session
            speakers.append(s)
        lineup = [
            {
                "name": p.name, "stakeholder_group": p.stakeholder_group, "gender": p.gender,
                "country": p.country, "confirmed": p.confirmed, "onsite": p.onsite,
                "participant": p.participant.user.public_id if p.participant else None,
            }
            for p in session._demo_speakers  # type: ignore[attr-defined]
        ]  # fmt: skip
        events.append(
            session_proposed(
                session.pk, actor=session.proposer.user.public_id, forum=forum.slug,
                time=session.submitted_at,
                **proposal_fields(
                    cycle=cycle.pk, title=session.title, format=session.format,
                    description=session.description,
                    policy_questions=session.policy_questions, moderator=session.moderator,
                    rapporteur_name=session.rapporteur_name,
                    rapporteur=session.proposer.user.public_id,
                    issues=[session._demo_issue.pk],  # type: ignore[attr-defined]
                    speakers=lineup, screening=[],
                ),
            )
        )  # fmt: skip
    Session.issues.through.objects.bulk_create(links)
    Speaker.objects.bulk_create(speakers)
    return sessions


def _screen(sessions: list[Session], forum: Forum, at: datetime, events: list[Event]) -> None:
    rules = screening_settings(settings_of(forum))
    for session in sessions:
        facts = ProposalFacts(
            missing_fields=(),
            speakers=tuple(
                SpeakerFacts(s.stakeholder_group, s.gender, s.confirmed)
                for s in session._demo_speakers  # type: ignore[attr-defined]
            ),
            proposer_is_advisory_member=False,
            sessions_without_report=0,
            position_among_proposers_proposals=1,
        )
        failures = screen(facts, rules)
        session.status = Session.Status.DECLINED if failures else Session.Status.SCREENED_IN
        session.screening_failures = failures
        events.append(
            session_screened(
                session.pk,
                actor=None,
                forum=forum.slug,
                status=session.status,
                failures=failures,
                time=at,
            )
        )
    Session.objects.bulk_update(sessions, ["status", "screening_failures"])


def _scores(
    data: dict[str, Any],
    sessions: list[Session],
    seats: list[Membership],
    rng: random.Random,
    start: datetime,
    ended: datetime,
    events: list[Event],
) -> None:
    """Blind scores: each screened-in proposal by a few advisory members; the aggregates
    when evaluation ended."""
    rows = []
    reasons = data["reason_comments"]
    for session in sessions:
        if session.status != Session.Status.SCREENED_IN:
            continue
        quality = rng.gauss(3.7, 0.5)
        for member in rng.sample(seats, data["scores_per_proposal"]):
            values = [min(5, max(1, round(rng.gauss(quality, 0.7)))) for _ in range(4)]
            reason = rng.choice(reasons) if min(values) <= 3 else {"code": "", "comment": ""}
            t = start + timedelta(hours=rng.randrange(1, 24 * 20))
            rows.append(
                Score(
                    session=session, member=member, relevance=values[0], content=values[1],
                    interaction=values[2], diversity=values[3], reason_code=reason["code"],
                    comment=reason["comment"], scored_at=t,
                )
            )  # fmt: skip
            events.append(session_scored(session.pk, forum=session.forum.slug, new=True, time=t))
    Score.objects.bulk_create(rows)
    by_session: dict[int, list[tuple[int, ...]]] = {}
    for score in rows:
        by_session.setdefault(score.session_id, []).append(score.values)
    for session_id, values in sorted(by_session.items()):  # as evaluation ended
        events.append(
            session_scores(
                session_id,
                forum=sessions[0].forum.slug,
                aggregates=score_aggregates(values),
                time=ended,
            )
        )


def _decide(
    data: dict[str, Any],
    cycle: Cycle,
    steward: User,
    rng: random.Random,
    at: datetime,
    events: list[Event],
) -> list[Session]:
    """Decisions down the ranking: the top ones approved, two merged, the rest declined;
    then the published selection. Returns the approved sessions in rank order."""
    ranked = selection.ranking(cycle)
    by_id = {s.pk: s for s in Session.objects.filter(cycle=cycle).select_related("forum")}
    approved: list[Session] = []
    changed = []
    for n, r in enumerate(ranked):
        session = by_id[r.id]
        if n < data["approved"]:
            session.decision, session.decision_reason = "approved", data["approve_reason"]
            approved.append(session)
        elif n < data["approved"] + data["merged"]:
            partner = next((by_id[i] for i in r.suggested_merge_with if by_id[i] in approved), None)
            session.merge_with = partner or approved[n % len(approved)]
            session.decision, session.decision_reason = "approved_if_merged", data["merge_reason"]
        else:
            session.decision = "declined"
            session.decision_reason = data["decline_reasons"][n % len(data["decline_reasons"])]
        session.decided_at = at
        changed.append(session)
        events.append(
            session_decided(
                session.pk, actor=steward.public_id, forum=session.forum.slug, time=at,
                decision=session.decision,
                merge_with=session.merge_with_id, reason=session.decision_reason,
            )
        )  # fmt: skip
    Session.objects.bulk_update(
        changed, ["decision", "merge_with", "decision_reason", "decided_at"]
    )
    entries = selection.selection_entries(cycle)
    published = SelectionPublication.objects.create(
        cycle=cycle, number=1, published_at=at + DAY, published_by=steward, entries=entries
    )
    events.append(
        selection_published(
            published.pk, actor=steward.public_id, forum=cycle.forum.slug, time=at + DAY,
            cycle=cycle.pk, number=1, decisions={str(e["id"]): e["decision"] for e in entries},
            entries=entries,
        )
    )  # fmt: skip
    return approved


def _schedule(
    data: dict[str, Any],
    approved: list[Session],
    steward: User,
    first_day: datetime,
    events: list[Event],
) -> None:
    """Two days, four rooms, four slots a day: the approved sessions in rank order."""
    day0 = timezone.localtime(first_day).date()
    slots = [
        (day, time.fromisoformat(hhmm), room)
        for day in (day0, day0 + DAY)
        for hhmm in data["slots"]
        for room in data["rooms"]
    ]
    for session, (day, start, room) in zip(approved, slots, strict=False):
        session.room = room
        session.starts_at = timezone.make_aware(datetime.combine(day, start))
        session.duration_minutes = data["duration_minutes"]
        events.append(
            session_scheduled(
                session.pk, actor=steward.public_id, forum=session.forum.slug,
                time=first_day - 5 * DAY, room=room,
                starts_at=session.starts_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                duration_minutes=session.duration_minutes,
            )
        )  # fmt: skip
    Session.objects.bulk_update(approved, ["room", "starts_at", "duration_minutes"])


def _reports(
    data: dict[str, Any], approved: list[Session], rng: random.Random, events: list[Event]
) -> None:
    """Most sessions report within 14 days; a few late; one in eight never does."""
    due_days = settings_of(approved[0].forum).report_due_days if approved else 14
    rows = []
    for n, session in enumerate(approved):
        if n % 8 == 5:
            continue  # no report: the programme flags it
        end = session.ends_at
        assert end is not None
        filed = end + timedelta(days=rng.choice((2, 5, 9, 13, 18)), hours=3)
        takeaways = rng.sample(data["takeaways"], 1 + n % 3)
        calls = rng.sample(data["calls_to_action"], n % 3)
        report = Report(
            session=session, author=session.proposer, key_takeaways=takeaways,
            calls_to_action=calls, onsite=rng.randrange(20, 180), online=rng.randrange(10, 300),
            women_share=round(rng.uniform(0.3, 0.6), 2), filed_at=filed, updated_at=filed,
            due_at=end + due_days * DAY,
        )  # fmt: skip
        rows.append(report)
        events.append(
            session_reported(
                session.pk, actor=session.proposer.user.public_id, forum=session.forum.slug,
                time=filed, new=True,
                key_takeaways=takeaways, calls_to_action=calls, onsite=report.onsite,
                online=report.online, women_share=repr(report.women_share), late=report.late,
                due_at=format_timestamp(report.due_at),
            )
        )  # fmt: skip
    Report.objects.bulk_create(rows)
