"""The checks of the messages tables against the fold (:mod:`.fold_messages`).

Each table is compared row by row, naming the column that differs; free text by the
digest of the table's text. No Django import.
"""

from __future__ import annotations

from collections.abc import Callable

from commonground.opendata.audit import Keyed, _norm_json, _pick
from commonground.opendata.fold import Cells, Fold, text_sha256
from commonground.opendata.fold_messages import messages_of


def _with_digests(columns: tuple[str, ...], texts: tuple[str, ...]) -> Callable[[Cells], Cells]:
    """The cells of ``columns`` as written, and of ``texts`` as their digest."""

    def project(cells: Cells) -> Cells:
        out = {c: cells.get(c, "") for c in columns}
        out.update({t: text_sha256(cells.get(t, "")) for t in texts})
        return out

    return project


def _by_id(cells: Cells, fold: Fold) -> str | None:
    return cells.get("id", "")


def _designation_key(cells: Cells, fold: Fold) -> str | None:
    """A designation's row by its id; one the ledger holds without an id (entries from
    before the id was recorded) by its message and time."""
    key = cells.get("id", "")
    if key in messages_of(fold).designations:
        return key
    return f"{cells.get('message_id', '')} {cells.get('designated_at', '')}"


def _messages_project(cells: Cells) -> Cells:
    return {
        **_with_digests(
            (
                "cycle_id", "issue_id", "drafted_by", "version", "state", "created_at",
                "opens_at", "closes_at", "published_at", "referred_at",
            ),
            ("title", "text"),
        )(cells),
        "conversation_ids": _norm_json(cells.get("conversation_ids", "")),
        "report_ids": _norm_json(cells.get("report_ids", "")),
    }  # fmt: skip


_POSITION_COLUMNS = (
    "message_id", "participant_id", "stakeholder_group", "position", "version", "created_at",
    "updated_at",
)  # fmt: skip
_UPTAKE_COLUMNS = (
    "message_id", "participant_id", "stakeholder_group", "body", "action", "date", "url",
    "recorded_at",
)  # fmt: skip

MESSAGE_CHECKS: tuple[Keyed, ...] = (
    Keyed(
        "messages",
        _by_id,
        _messages_project,
        lambda f: {k: dict(v) for k, v in messages_of(f).messages.items()},
        "message",
    ),
    Keyed(
        "message_versions",
        lambda c, f: f"{c.get('message_id', '')} {c.get('number', '')}",
        _with_digests(("saved_by", "created_at"), ("title", "text", "note")),
        lambda f: {k: dict(v) for k, v in messages_of(f).versions.items()},
        "message version (message, number)",
    ),
    Keyed(
        "message_positions",
        _by_id,
        _with_digests(_POSITION_COLUMNS, ("text",)),
        lambda f: {k: dict(v) for k, v in messages_of(f).positions.items()},
        "message position",
    ),
    Keyed(
        "message_dispositions",
        lambda c, f: c.get("objection_id", ""),
        _with_digests(("disposition", "version", "decided_by", "decided_at"), ("reason",)),
        lambda f: {k: dict(v) for k, v in messages_of(f).dispositions.items()},
        "disposition of the objection",
    ),
    Keyed(
        "message_replies",
        _by_id,
        _with_digests(("objection_id", "author", "created_at"), ("text",)),
        lambda f: {k: dict(v) for k, v in messages_of(f).replies.items()},
        "reply",
    ),
    Keyed(
        "message_designations",
        _designation_key,
        lambda c: {
            **_with_digests(
                ("message_id", "designated_at", "level", "suggested_level", "designated_by"),
                ("rationale", "minority_view"),
            )(c),
            "suggested_minority_groups": _norm_json(c.get("suggested_minority_groups", "")),
        },
        lambda f: {k: dict(v) for k, v in messages_of(f).designations.items()},
        "designation",
    ),
    Keyed(
        "message_referrals",
        _by_id,
        _pick("message_id", "name", "kind", "contact", "referred_by", "referred_at"),
        lambda f: {k: dict(v) for k, v in messages_of(f).referrals.items()},
        "referral",
    ),
    Keyed(
        "message_uptake",
        _by_id,
        _with_digests(_UPTAKE_COLUMNS, ("summary",)),
        lambda f: {k: dict(v) for k, v in messages_of(f).uptake.items()},
        "uptake",
    ),
)
