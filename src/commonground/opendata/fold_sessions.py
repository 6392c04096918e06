"""The sessions tables as the ledger makes them (issue 18; docs/ledger.md, section 11).

Folds ``session.*``, ``selection.publish`` and ``advisory_group.set`` entries of one forum
into the rows of ``sessions``, ``session_speakers``, ``session_scores``,
``selection_publications``, ``session_reports`` and ``advisory_seats``, in the tables'
cell text. Descriptions, policy questions, the moderator, the rapporteur's and speakers'
names and a selection's entries are in the ledger by digest. Individual scores never enter
the ledger (scoring is blind): ``session.scores``, appended when evaluation ends, carries
each proposal's aggregates as the table writes them. A fact an older entry does not carry
is left out of the row, so it is not compared.

No Django import: an auditor can run it on an export alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from commonground.opendata.fold import Cells, Fold, _bool, _int, _json, _on, _text

#: Phases in which a cycle's proposals are not public (evaluation is blind).
BLIND_PHASES = frozenset({"call_for_sessions", "evaluation"})

_DIGESTS = ("description", "policy_questions", "moderator", "rapporteur_name")
SCORE_COLUMNS = (
    "scores", "mean_score", "spread", "relevance", "content", "interaction", "diversity",
)  # fmt: skip


@dataclass
class SessionsFold:
    """The session proposals of one forum and what hangs from them."""

    sessions: dict[str, Cells] = field(default_factory=dict)
    speakers: dict[str, dict[str, Cells]] = field(default_factory=dict)  # session -> position
    scores: dict[str, Cells] = field(default_factory=dict)  # by session
    publications: dict[str, Cells] = field(default_factory=dict)
    reports: dict[str, Cells] = field(default_factory=dict)  # by session
    seats: dict[str, str] = field(default_factory=dict)  # participant -> appointed_at or ""


def sessions_of(fold: Fold) -> SessionsFold:
    part = fold.parts.get("sessions")
    if part is None:
        part = fold.parts["sessions"] = SessionsFold()
    assert isinstance(part, SessionsFold)
    return part


def is_public(fold: Fold, cycle_id: str) -> bool:
    """Whether the cycle's proposals are public (not open in a blind phase)."""
    cycle = fold.cycles.get(cycle_id, {})
    return not (cycle.get("is_open") == "true" and cycle.get("phase") in BLIND_PHASES)


@_on("session.propose", "session.edit")
def _proposal(s: Fold, oid: str, actor: str, f: Mapping[str, Any], doc: Mapping[str, Any]) -> None:
    part = sessions_of(s)
    row = part.sessions.setdefault(oid, {})
    time = _text(doc.get("time"))
    if doc["action"] == "session.propose":
        row.update(
            cycle_id=_int(f.get("cycle")),
            proposed_by=actor,
            status="submitted",
            screening_failures="[]",
            decision="",
            merge_with="",
            decision_reason="",
            room="",
            starts_at="",
            duration_minutes="",
        )
    row.update(
        title=_text(f.get("title")),
        format=_text(f.get("format")),
        issue_ids=_json(sorted(int(i) for i in f.get("issues") or [])),
    )
    if "description_sha256" in f:  # entries since the fold of sessions: their times are
        # the rows' own (older services stamped the row and the entry apart)
        row.update({name: _text(f.get(f"{name}_sha256")) for name in _DIGESTS})
        row.update(rapporteur=_text(f.get("rapporteur")), updated_at=time)
        if doc["action"] == "session.propose":
            row.update(submitted_at=time, decided_at="")
    if isinstance(f.get("speaker_list"), list):
        part.speakers[oid] = {
            str(n): {
                "name": _text(p.get("name_sha256")),
                "stakeholder_group": _text(p.get("stakeholder_group")),
                "gender": _text(p.get("gender")),
                "country": _text(p.get("country")),
                "confirmed": _bool(p.get("confirmed")),
                "onsite": _bool(p.get("onsite")),
                "participant": _text(p.get("participant")),
            }
            for n, p in enumerate(f["speaker_list"])
        }
    else:  # an older entry: the speakers are not in it
        part.speakers.pop(oid, None)


@_on("session.withdraw")
def _withdraw(s: Fold, oid: str, actor: str, f: Mapping[str, Any], doc: Mapping[str, Any]) -> None:
    row = sessions_of(s).sessions.setdefault(oid, {})
    row["status"] = "withdrawn"
    if "updated_at" in row:
        row["updated_at"] = _text(doc.get("time"))


@_on("session.screen")
def _screen(s: Fold, oid: str, actor: str, f: Mapping[str, Any], doc: Mapping[str, Any]) -> None:
    row = sessions_of(s).sessions.setdefault(oid, {})
    row.update(
        status=_text(f.get("status")), screening_failures=_json(list(f.get("failures") or []))
    )


@_on("session.scores")
def _scores(s: Fold, oid: str, actor: str, f: Mapping[str, Any], doc: Mapping[str, Any]) -> None:
    sessions_of(s).scores[oid] = {name: _text(f.get(name)) for name in SCORE_COLUMNS}


@_on("session.decide")
def _decide(s: Fold, oid: str, actor: str, f: Mapping[str, Any], doc: Mapping[str, Any]) -> None:
    row = sessions_of(s).sessions.setdefault(oid, {})
    row.update(
        decision=_text(f.get("decision")),
        merge_with=_int(f.get("merge_with")),
        decision_reason=_text(f.get("reason")),
    )
    if "updated_at" in row:  # proposed since the fold of sessions: the entry's time is the row's
        row["decided_at"] = _text(doc.get("time"))


@_on("selection.publish")
def _select(s: Fold, oid: str, actor: str, f: Mapping[str, Any], doc: Mapping[str, Any]) -> None:
    row = {
        "cycle_id": _int(f.get("cycle")),
        "number": _int(f.get("number")),
        "published_by": actor,
    }
    if "entries_sha256" in f:
        row.update(entries=_text(f.get("entries_sha256")), published_at=_text(doc.get("time")))
    sessions_of(s).publications[oid] = row


@_on("session.schedule")
def _schedule(s: Fold, oid: str, actor: str, f: Mapping[str, Any], doc: Mapping[str, Any]) -> None:
    row = sessions_of(s).sessions.setdefault(oid, {})
    starts = _text(f.get("starts_at"))
    if starts.endswith("Z") and "." not in starts:  # whole seconds: the table's microseconds
        starts = starts[:-1] + ".000000Z"
    row.update(
        room=_text(f.get("room")),
        starts_at=starts,
        duration_minutes=_int(f.get("duration_minutes")),
    )


@_on("session.report")
def _report(s: Fold, oid: str, actor: str, f: Mapping[str, Any], doc: Mapping[str, Any]) -> None:
    part = sessions_of(s)
    time = _text(doc.get("time"))
    row = part.reports.setdefault(oid, {})
    if "due_at" in f and not row:  # since the fold of sessions: the entry's time is the row's
        row["filed_at"] = time
    share = f.get("women_share")
    row.update(
        filed_by=actor,
        key_takeaways=_json(list(f.get("key_takeaways") or [])),
        calls_to_action=_json(list(f.get("calls_to_action") or [])),
        onsite=_int(f.get("onsite")),
        online=_int(f.get("online")),
        women_share="" if share is None else repr(float(share)),
    )
    if "due_at" in f:
        row.update(due_at=_text(f.get("due_at")), updated_at=time)


@_on("advisory_group.set")
def _advisory(s: Fold, oid: str, actor: str, f: Mapping[str, Any], doc: Mapping[str, Any]) -> None:
    part = sessions_of(s)
    new = {str(p) for p in f.get("appointed") or []}  # since the fold of sessions
    time = _text(doc.get("time"))
    part.seats = {
        str(p): time if str(p) in new else part.seats.get(str(p), "")
        for p in f.get("members") or []
    }
