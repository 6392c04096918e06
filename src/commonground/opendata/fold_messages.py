"""The messages tables as the ledger makes them (issue 18; docs/ledger.md, section 11).

Folds the ``message.*`` entries of one forum into the rows of ``messages``,
``message_versions``, ``message_positions``, ``message_dispositions``,
``message_replies``, ``message_designations``, ``message_referrals`` and
``message_uptake``, in the tables' cell text. Titles, texts, objections, replies, reasons,
rationales and summaries are in the ledger by digest, so the fold keeps their SHA-256 and
the checks (:mod:`commonground.opendata.audit_messages`) compare the digest of the table's
text. A fact an older entry does not carry (a version's note, the uptake's stakeholder
group: added to the entries later) is left out of the row, so it is not compared.

No Django import: an auditor can run it on an export alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from commonground.opendata.fold import Cells, Fold, _int, _json, _on, _text

DATETIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"  # the tables' (resources.columns)


def moment(value: Any) -> str:
    """An ISO 8601 moment as the tables write it (UTC, microseconds, ``Z``); "" for none."""
    if not value:
        return ""
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return str(value)
    if parsed.tzinfo is None:
        return str(value)
    return parsed.astimezone(UTC).strftime(DATETIME_FORMAT)


@dataclass
class MessagesFold:
    """The messages of one forum and everything said on them."""

    messages: dict[str, Cells] = field(default_factory=dict)
    versions: dict[str, Cells] = field(default_factory=dict)  # "message number"
    positions: dict[str, Cells] = field(default_factory=dict)
    dispositions: dict[str, Cells] = field(default_factory=dict)  # by objection id
    replies: dict[str, Cells] = field(default_factory=dict)
    # By designation id; those of older entries (no id) by "message designated_at".
    designations: dict[str, Cells] = field(default_factory=dict)
    referrals: dict[str, Cells] = field(default_factory=dict)
    uptake: dict[str, Cells] = field(default_factory=dict)


def messages_of(fold: Fold) -> MessagesFold:
    part = fold.parts.get("messages")
    if part is None:
        part = fold.parts["messages"] = MessagesFold()
    assert isinstance(part, MessagesFold)
    return part


def _version(
    m: MessagesFold, oid: str, actor: str, f: Mapping[str, Any], doc: Mapping[str, Any]
) -> None:
    number = _int(f.get("version"))
    row = {
        "title": _text(f.get("title_sha256")),
        "text": _text(f.get("text_sha256")),
        "saved_by": actor,
        "created_at": _text(doc.get("time")),
    }
    if "note_sha256" in f:
        row["note"] = _text(f.get("note_sha256"))
    m.versions[f"{oid} {number}"] = row
    current = m.messages.setdefault(oid, {})
    current.update(title=row["title"], text=row["text"], version=number)


@_on("message.draft")
def _draft(s: Fold, oid: str, actor: str, f: Mapping[str, Any], doc: Mapping[str, Any]) -> None:
    m = messages_of(s)
    m.messages[oid] = {
        "cycle_id": _int(f.get("cycle")),
        "issue_id": _int(f.get("issue")),
        "drafted_by": actor,
        "state": "draft",
        "created_at": _text(doc.get("time")),
        "opens_at": "",
        "closes_at": "",
        "published_at": "",
        "referred_at": "",
        "conversation_ids": _json(sorted(int(c) for c in f.get("conversations") or [])),
        "report_ids": _json(sorted(int(r) for r in f.get("reports") or [])),
    }
    _version(m, oid, actor, {**f, "note_sha256": _EMPTY_SHA}, doc)


#: The digest of "" (a first draft has no note).
_EMPTY_SHA = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


@_on("message.revise")
def _revise(s: Fold, oid: str, actor: str, f: Mapping[str, Any], doc: Mapping[str, Any]) -> None:
    _version(messages_of(s), oid, actor, f, doc)


@_on("message.window")
def _window(s: Fold, oid: str, actor: str, f: Mapping[str, Any], doc: Mapping[str, Any]) -> None:
    row = messages_of(s).messages.setdefault(oid, {})
    row.update(
        opens_at=moment(f.get("opens_at")),
        closes_at=moment(f.get("closes_at")),
        state="public_comment",
    )


@_on("message.position")
def _position(s: Fold, oid: str, actor: str, f: Mapping[str, Any], doc: Mapping[str, Any]) -> None:
    m = messages_of(s)
    row = m.positions.get(oid)
    if row is None:
        row = m.positions[oid] = {"created_at": _text(doc.get("time"))}
    else:
        # A changed position is a new one: an earlier answer to it no longer holds.
        m.dispositions.pop(oid, None)
    row.update(
        message_id=_int(f.get("message")),
        participant_id=actor,
        stakeholder_group=_text(f.get("stakeholder_group")),
        position=_text(f.get("position")),
        text=_text(f.get("text_sha256")),
        version=_int(f.get("version")),
        updated_at=_text(doc.get("time")),
    )


@_on("message.reply")
def _reply(s: Fold, oid: str, actor: str, f: Mapping[str, Any], doc: Mapping[str, Any]) -> None:
    messages_of(s).replies[oid] = {
        "objection_id": _int(f.get("objection")),
        "author": actor,
        "text": _text(f.get("text_sha256")),
        "created_at": _text(doc.get("time")),
    }


@_on("message.disposition")
def _disposition(
    s: Fold, oid: str, actor: str, f: Mapping[str, Any], doc: Mapping[str, Any]
) -> None:
    messages_of(s).dispositions[oid] = {
        "disposition": _text(f.get("disposition")),
        "reason": _text(f.get("reason_sha256")),
        "version": _int(f.get("version")),
        "decided_by": actor,
        "decided_at": _text(doc.get("time")),
    }


@_on("message.designate")
def _designate(s: Fold, oid: str, actor: str, f: Mapping[str, Any], doc: Mapping[str, Any]) -> None:
    suggested = f.get("suggested") or {}
    when = _text(doc.get("time"))
    row: Cells = {}
    if "designation" in f:  # the designation's id: its row is found by id
        key = _int(f.get("designation"))
        row.update(message_id=oid, designated_at=when)
    else:  # older entries name only the message: matched by message and time
        key = f"{oid} {when}"
    messages_of(s).designations[key] = row
    row.update(
        {
            "level": _text(f.get("level")),
            "rationale": _text(f.get("rationale_sha256")),
            "minority_view": _text(f.get("minority_view_sha256")),
            "suggested_level": _text(suggested.get("level")),
            "suggested_minority_groups": _json(list(suggested.get("minority_groups") or [])),
            "designated_by": actor,
        }
    )


@_on("message.publish")
def _publish(s: Fold, oid: str, actor: str, f: Mapping[str, Any], doc: Mapping[str, Any]) -> None:
    row = messages_of(s).messages.setdefault(oid, {})
    row.update(state="published", published_at=_text(doc.get("time")))


@_on("message.refer")
def _refer(s: Fold, oid: str, actor: str, f: Mapping[str, Any], doc: Mapping[str, Any]) -> None:
    m = messages_of(s)
    message_id = _int(f.get("message"))
    m.referrals[oid] = {
        "message_id": message_id,
        "name": _text(f.get("name")),
        "kind": _text(f.get("kind")),
        "contact": _text(f.get("contact")),
        "referred_by": actor,
        "referred_at": _text(doc.get("time")),
    }
    row = m.messages.setdefault(message_id, {})
    if row.get("state") != "referred":  # the first referral refers the message
        row.update(state="referred", referred_at=_text(doc.get("time")))


@_on("message.uptake")
def _uptake(s: Fold, oid: str, actor: str, f: Mapping[str, Any], doc: Mapping[str, Any]) -> None:
    row = {
        "message_id": _int(f.get("message")),
        "participant_id": actor,
        "body": _text(f.get("body")),
        "action": _text(f.get("action")),
        "summary": _text(f.get("summary_sha256")),
        "date": _text(f.get("date")),
        "url": _text(f.get("url")),
        "recorded_at": _text(doc.get("time")),
    }
    if "stakeholder_group" in f:
        row["stakeholder_group"] = _text(f.get("stakeholder_group"))
    messages_of(s).uptake[oid] = row
