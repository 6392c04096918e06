"""The checks of the sessions tables against the fold (:mod:`.fold_sessions`).

Each table is compared row by row, naming the column that differs; free text by the
digest of the table's text. Proposals of a cycle in a blind phase are in neither the
tables nor the expected rows. No Django import.
"""

from __future__ import annotations

from commonground.opendata.audit import Keyed, _list_sha, _norm_json, _pick
from commonground.opendata.fold import Cells, Fold, text_sha256
from commonground.opendata.fold_sessions import SCORE_COLUMNS, is_public, sessions_of

_SESSION_COLUMNS = (
    "cycle_id", "proposed_by", "title", "format", "status", "submitted_at", "updated_at",
    "decision", "merge_with", "decision_reason", "decided_at", "room", "starts_at",
    "duration_minutes", "rapporteur",
)  # fmt: skip


def _session_cells(cells: Cells) -> Cells:
    return {
        **{c: cells.get(c, "") for c in _SESSION_COLUMNS},
        "issue_ids": _norm_json(cells.get("issue_ids", "")),
        "screening_failures": _norm_json(cells.get("screening_failures", "")),
        "description": text_sha256(cells.get("description", "")),
        "policy_questions": _list_sha(cells.get("policy_questions", "")),
        "moderator": text_sha256(_norm_json(cells.get("moderator", ""))),
        "rapporteur_name": text_sha256(cells.get("rapporteur_name", "")),
    }


def _public_sessions(fold: Fold) -> dict[str, Cells]:
    return {
        k: dict(v)
        for k, v in sessions_of(fold).sessions.items()
        if is_public(fold, v.get("cycle_id", ""))
    }


def _of_public(fold: Fold, rows: dict[str, Cells]) -> dict[str, Cells]:
    public = _public_sessions(fold)
    return {k: dict(v) for k, v in rows.items() if k in public}


def _speakers_expected(fold: Fold) -> dict[str, Cells]:
    public = _public_sessions(fold)
    return {
        f"{session} {position}": dict(row)
        for session, speakers in sessions_of(fold).speakers.items()
        if session in public
        for position, row in speakers.items()
    }


def _speaker_key(cells: Cells, fold: Fold) -> str | None:
    session = cells.get("session_id", "")
    if session in sessions_of(fold).sessions and session not in sessions_of(fold).speakers:
        return None  # proposed before the entries carried the speakers
    return f"{session} {cells.get('position', '')}"


def _speaker_cells(cells: Cells) -> Cells:
    return {
        **_pick("stakeholder_group", "gender", "country", "confirmed", "onsite")(cells),
        "participant": cells.get("participant", ""),
        "name": text_sha256(cells.get("name", "")),
    }


def _scores_key(cells: Cells, fold: Fold) -> str | None:
    session = sessions_of(fold).sessions.get(cells.get("session_id", ""))
    if session is not None and "updated_at" not in session:
        return None  # proposed before session.scores existed: its evaluation made none
    return cells.get("session_id", "")


def _publications_expected(fold: Fold) -> dict[str, Cells]:
    return {
        k: dict(v)
        for k, v in sessions_of(fold).publications.items()
        if is_public(fold, v.get("cycle_id", ""))
    }


def _seats_expected(fold: Fold) -> dict[str, Cells]:
    return {
        p: ({"appointed_at": when} if when else {}) for p, when in sessions_of(fold).seats.items()
    }


SESSION_CHECKS: tuple[Keyed, ...] = (
    Keyed("sessions", lambda c, f: c.get("id", ""), _session_cells, _public_sessions, "session"),
    Keyed(
        "session_speakers",
        _speaker_key,
        _speaker_cells,
        _speakers_expected,
        "speaker (session, position)",
    ),
    Keyed(
        "session_scores",
        _scores_key,
        _pick(*SCORE_COLUMNS),
        lambda f: _of_public(f, sessions_of(f).scores),
        "score aggregates of the session",
    ),
    Keyed(
        "selection_publications",
        lambda c, f: c.get("id", ""),
        lambda c: {
            **_pick("cycle_id", "number", "published_by", "published_at")(c),
            "entries": text_sha256(_norm_json(c.get("entries", ""))),
        },
        _publications_expected,
        "selection publication",
    ),
    Keyed(
        "session_reports",
        lambda c, f: c.get("session_id", ""),
        lambda c: {
            **_pick("filed_by", "onsite", "online", "women_share", "filed_at", "updated_at")(c),
            **_pick("due_at")(c),
            "key_takeaways": _norm_json(c.get("key_takeaways", "")),
            "calls_to_action": _norm_json(c.get("calls_to_action", "")),
        },
        lambda f: _of_public(f, sessions_of(f).reports),
        "report of the session",
    ),
    Keyed(
        "advisory_seats",
        lambda c, f: c.get("participant", ""),
        _pick("appointed_at"),
        _seats_expected,
        "advisory seat of",
    ),
)
