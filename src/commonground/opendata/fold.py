"""The public state is a fold of the ledger (issue 18; docs/ledger.md, section 11).

:class:`Fold` reads ledger entry documents in order and keeps, for one forum, every public
fact the open-data tables carry, in the tables' own cell text (what
:meth:`commonground.opendata.resources.Column.write` writes). Free text the ledger keeps by
digest (contributions, statements) is kept as its SHA-256, and checked against the
digest of the table's text. :func:`expected_tables` turns the fold into, per table,
``key -> {column: cell}``; :mod:`commonground.opendata.audit` compares it with the rows of
a package or of the database.

This module imports no Django: an auditor can run it on an export alone.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

Cells = dict[str, str]


def text_sha256(value: str | list[Any]) -> str:
    """The digest the services put in the ledger for free text (``text_digests``)."""
    if not isinstance(value, str):
        value = json.dumps(list(value), ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def _bool(value: Any) -> str:
    return "true" if value else "false"


def _int(value: Any) -> str:
    return "" if value is None else str(int(value))


def _text(value: Any) -> str:
    return "" if value is None else str(value)


@dataclass
class Fold:
    """The public state of one forum, as its ledger entries make it."""

    forum: str
    entries: int = 0
    forum_row: Cells = field(default_factory=dict)
    cycles: dict[str, Cells] = field(default_factory=dict)
    phase_changes: Counter[tuple[str, ...]] = field(default_factory=Counter)
    participants: dict[str, Cells] = field(default_factory=dict)
    issues: dict[str, Cells] = field(default_factory=dict)
    issue_topics: dict[str, list[str]] = field(default_factory=dict)
    supports: dict[str, Cells] = field(default_factory=dict)
    signals: dict[str, Cells] = field(default_factory=dict)
    solutions: dict[str, Cells] = field(default_factory=dict)
    advice: dict[str, Cells] = field(default_factory=dict)
    advice_revisions: dict[str, Cells] = field(default_factory=dict)
    comments: dict[str, Cells] = field(default_factory=dict)
    hidden: set[tuple[str, str]] = field(default_factory=set)
    moderation: Counter[tuple[str, ...]] = field(default_factory=Counter)
    publications: dict[str, Cells] = field(default_factory=dict)
    conversations: dict[str, Cells] = field(default_factory=dict)
    imported_conversations: set[str] = field(default_factory=set)
    statements: dict[str, Cells] = field(default_factory=dict)
    votes: dict[str, Cells] = field(default_factory=dict)
    # The domains folded in their own modules keep their state here, by domain name.
    parts: dict[str, Any] = field(default_factory=dict)

    def feed(self, doc: Mapping[str, Any]) -> None:
        """Fold one entry document (entries of other forums are skipped)."""
        if entry_forum(doc) != self.forum:
            return
        handlers = _HANDLERS.get(str(doc.get("action")))
        if not handlers:
            return
        obj = doc.get("object") or {}
        fields = doc.get("fields") or {}
        for handler in handlers:
            handler(self, str(obj.get("id")), doc.get("actor") or "", fields, doc)
        self.entries += 1

    def feed_all(self, docs: Iterable[Mapping[str, Any]]) -> Fold:
        for doc in docs:
            self.feed(doc)
        return self


Handler = Callable[[Fold, str, str, Mapping[str, Any], Mapping[str, Any]], None]
_HANDLERS: dict[str, list[Handler]] = {}
#: Actions whose entry names one forum but whose public record belongs to another (a
#: forward is the source forum's act; forwards.csv is the target's): action -> that forum.
_RECORDED_BY: dict[str, Callable[[Mapping[str, Any]], str]] = {}


def recorded_by(action: str, forum_of: Callable[[Mapping[str, Any]], str]) -> None:
    """Fold ``action``'s entries into the forum ``forum_of(entry)`` names, not the entry's."""
    _RECORDED_BY[action] = forum_of


def entry_forum(doc: Mapping[str, Any]) -> str:
    """The forum whose public state the entry changes (usually the entry's ``forum``)."""
    route = _RECORDED_BY.get(str(doc.get("action")))
    return route(doc) if route is not None else str(doc.get("forum") or "")


def _on(*actions: str) -> Callable[[Handler], Handler]:
    """Register a handler of these actions (several modules may handle one action)."""

    def register(fn: Handler) -> Handler:
        for action in actions:
            _HANDLERS.setdefault(action, []).append(fn)
        return fn

    return register


#: For the domain modules (``fold_network``) that register their handlers here.
on = _on


# -- forum, cycles, people --------------------------------------------------------------------


@_on("forum.create")
def _forum(s: Fold, oid: str, actor: str, f: Mapping[str, Any], doc: Mapping[str, Any]) -> None:
    s.forum_row.update(
        name=_text(f.get("name")),
        level=_text(f.get("level")),
        country=_text(f.get("country")),
        region=_text(f.get("region")),
    )


@_on("forum.recognition_settings")
def _recognition(s: Fold, oid: str, actor: str, f: Mapping[str, Any], doc: Any) -> None:
    s.forum_row.update(
        min_groups=_int(f.get("min_groups")),
        min_supporters=_int(f.get("min_supporters")),
        min_share=_text(f.get("min_share")),
        agenda_slots=_int(f.get("slots")),
    )


@_on("forum.contribution_settings")
def _contribution(s: Fold, oid: str, actor: str, f: Mapping[str, Any], doc: Any) -> None:
    s.forum_row.update(
        verified_required_for_signals_and_advice=_bool(
            f.get("verified_required_for_signals_and_advice")
        ),
        report_threshold=_int(f.get("report_threshold")),
    )


@_on("forum.settings")
def _settings(s: Fold, oid: str, actor: str, f: Mapping[str, Any], doc: Any) -> None:
    for name, value in f.items():
        if name.endswith("_sha256"):  # long text by digest (the description)
            s.forum_row[name.removesuffix("_sha256")] = _text(value)
        elif isinstance(value, bool):
            s.forum_row[name] = _bool(value)
        else:
            s.forum_row[name] = _text(value)


@_on("cycle.open", "cycle.advance", "cycle.correct", "cycle.close")
def _cycle(s: Fold, oid: str, actor: str, f: Mapping[str, Any], doc: Mapping[str, Any]) -> None:
    action = doc["action"]
    if action == "cycle.open":
        s.cycles[oid] = {"name": _text(f.get("name")), "phase": _text(f.get("phase"))}
        s.cycles[oid]["is_open"] = "true"
        change = (oid, "", _text(f.get("phase")), actor)
    elif action in ("cycle.advance", "cycle.correct"):  # a correction steps back
        s.cycles.setdefault(oid, {})["phase"] = _text(f.get("to"))
        change = (oid, _text(f.get("from")), _text(f.get("to")), actor)
    else:
        s.cycles.setdefault(oid, {})["is_open"] = "false"
        change = (oid, _text(f.get("phase")), "closed", actor)
    s.phase_changes[change] += 1


@_on("membership.join")
def _join(s: Fold, oid: str, actor: str, f: Mapping[str, Any], doc: Any) -> None:
    s.participants[oid] = {
        "id": actor,
        "stakeholder_group": _text(f.get("stakeholder_group")),
        "country": _text(f.get("country")),
        "region": _text(f.get("region")),
        "other_hats": _json(list(f.get("other_hats") or [])),
        "verified": "false",
        "role": "participant",
        "status": "active",
    }


@_on(
    "membership.verify",
    "membership.unverify",
    "membership.steward",
    "membership.suspend",
    "membership.unsuspend",
)
def _membership(
    s: Fold, oid: str, actor: str, f: Mapping[str, Any], doc: Mapping[str, Any]
) -> None:
    row = s.participants.setdefault(oid, {})
    action = doc["action"]
    if action in ("membership.verify", "membership.unverify"):
        row["verified"] = _bool(f.get("verified", action == "membership.verify"))
    elif action == "membership.steward":
        row["role"] = "steward"
    else:
        row["status"] = "suspended" if action == "membership.suspend" else "active"


# -- issues and supports ----------------------------------------------------------------------


@_on("issue.raise", "issue.edit")
def _issue(s: Fold, oid: str, actor: str, f: Mapping[str, Any], doc: Mapping[str, Any]) -> None:
    row = s.issues.setdefault(oid, {})
    if doc["action"] == "issue.raise":
        row.update(cycle_id=_int(f.get("cycle")), raised_by=actor)
    row.update(title=_text(f.get("title")), description=_text(f.get("description")))
    s.issue_topics[oid] = sorted({str(t) for t in f.get("topics") or []})


@_on("support.add", "support.withdraw")
def _support(s: Fold, oid: str, actor: str, f: Mapping[str, Any], doc: Mapping[str, Any]) -> None:
    key = f"{actor} {oid}"
    if doc["action"] == "support.withdraw":
        s.supports.pop(key, None)
        return
    cycle = s.issues.get(oid, {}).get("cycle_id", "")
    s.supports[key] = {
        "stakeholder_group": _text(f.get("stakeholder_group")),
        "cycle_id": cycle,
        "created_at": _text(doc.get("time")),
    }


@_on("issue.merge")
def _merge(s: Fold, oid: str, actor: str, f: Mapping[str, Any], doc: Mapping[str, Any]) -> None:
    """Issue ``oid`` merged into ``into`` (network): supports move, one per member; topics
    join; solutions and comments move; a signal moves unless its author signalled both."""
    into = _int(f.get("into"))
    for key in [k for k in s.supports if k.endswith(f" {oid}")]:
        row = s.supports.pop(key)
        moved = f"{key.rsplit(' ', 1)[0]} {into}"
        s.supports.setdefault(moved, row)
    s.issue_topics[into] = sorted({*s.issue_topics.get(into, []), *s.issue_topics.get(oid, [])})
    for rows in (s.solutions, s.comments):
        for row in rows.values():
            if row.get("issue_id") == oid:
                row["issue_id"] = into
    signalled = {r.get("author") for r in s.signals.values() if r.get("issue_id") == into}
    for row in s.signals.values():
        if row.get("issue_id") == oid and row.get("author") not in signalled:
            row["issue_id"] = into


# -- contributions ----------------------------------------------------------------------------


@_on("signal.add", "signal.edit", "signal.withdraw")
def _signal(s: Fold, oid: str, actor: str, f: Mapping[str, Any], doc: Mapping[str, Any]) -> None:
    if doc["action"] == "signal.withdraw":
        s.signals.pop(oid, None)
        return
    row = s.signals.setdefault(oid, {})
    if doc["action"] == "signal.add":
        row.update(issue_id=_int(f.get("issue")), author=actor)
    row.update(
        jurisdiction=_text(f.get("jurisdiction")),
        priority=_text(f.get("priority")),
        statement=_text(f.get("statement_sha256")),
    )


@_on("solution.propose", "solution.edit")
def _solution(s: Fold, oid: str, actor: str, f: Mapping[str, Any], doc: Mapping[str, Any]) -> None:
    row = s.solutions.setdefault(oid, {})
    if doc["action"] == "solution.propose":
        row.update(issue_id=_int(f.get("issue")), author=actor)
    for name in ("title", "description", "actors"):
        row[name] = _text(f.get(f"{name}_sha256"))


_ADVICE_TEXT = ("conditions", "benefits", "risks", "evidence")


@_on("advice.give", "advice.revise")
def _advice(s: Fold, oid: str, actor: str, f: Mapping[str, Any], doc: Mapping[str, Any]) -> None:
    row = s.advice.setdefault(oid, {})
    if doc["action"] == "advice.give":
        row.update(solution_id=_int(f.get("solution")), author=actor, revision_count="1")
    else:
        row["revision_count"] = _int(f.get("revision"))
    body = {
        "feasibility": _text(f.get("feasibility")),
        "affected_groups": _json(list(f.get("affected_groups") or [])),
        **{name: _text(f.get(f"{name}_sha256")) for name in _ADVICE_TEXT},
    }
    row.update(body)
    s.advice_revisions[f"{oid} {row['revision_count']}"] = dict(body)


@_on("comment.add", "comment.edit", "comment.delete")
def _comment(s: Fold, oid: str, actor: str, f: Mapping[str, Any], doc: Mapping[str, Any]) -> None:
    row = s.comments.setdefault(oid, {})
    action = doc["action"]
    if action == "comment.add":
        row.update(
            issue_id=_int(f.get("issue")),
            solution_id=_int(f.get("solution")),
            parent_id=_int(f.get("parent")),
            author=actor,
            deleted="false",
        )
    if action == "comment.delete":
        row.update(body=text_sha256(""), stance=row.get("stance", ""), deleted="true")
    else:
        row.update(body=_text(f.get("body_sha256")), stance=_text(f.get("stance")))


@_on("moderation.hide", "moderation.restore")
def _moderation(
    s: Fold, oid: str, actor: str, f: Mapping[str, Any], doc: Mapping[str, Any]
) -> None:
    kind = str((doc.get("object") or {}).get("type"))
    hide = doc["action"] == "moderation.hide"
    if hide:
        s.hidden.add((kind, oid))
    else:
        s.hidden.discard((kind, oid))
    act = (kind, oid, "hide" if hide else "restore", _bool(f.get("automatic")))
    s.moderation[(*act, _text(f.get("reason")), actor)] += 1


# -- agenda and dialogue ----------------------------------------------------------------------


@_on("agenda.publish")
def _publish(s: Fold, oid: str, actor: str, f: Mapping[str, Any], doc: Any) -> None:
    s.publications[oid] = {
        "cycle_id": _int(f.get("cycle")),
        "number": _int(f.get("number")),
        "published_by": actor,
        "agenda": _json(list(f.get("agenda") or [])),
    }


@_on("conversation.open", "conversation.import")
def _conversation(
    s: Fold, oid: str, actor: str, f: Mapping[str, Any], doc: Mapping[str, Any]
) -> None:
    imported = doc["action"] == "conversation.import"
    s.conversations[oid] = {
        "issue_id": _int(f.get("issue")),
        "opened_by": "" if imported else actor,
        "topic": _text(f.get("topic")),
        "source": _text(f.get("source")) if imported else "",
    }
    if imported:
        s.imported_conversations.add(oid)


@_on("statement.add", "statement.moderate")
def _statement(s: Fold, oid: str, actor: str, f: Mapping[str, Any], doc: Mapping[str, Any]) -> None:
    row = s.statements.setdefault(oid, {})
    if doc["action"] == "statement.add":
        row.update(
            conversation_id=_int(f.get("conversation")),
            # Not public (the author is shown only to stewards and to the author): older
            # entries name an actor, and the package never does.
            author="",
            text=_text(f.get("text_sha256")),
            status=_text(f.get("status")),
        )
    else:
        row["status"] = _text(f.get("to"))


@_on("vote.cast")
def _vote(s: Fold, oid: str, actor: str, f: Mapping[str, Any], doc: Mapping[str, Any]) -> None:
    s.votes[f"{actor} {oid}"] = {
        "conversation_id": _int(f.get("conversation")),
        "vote": _int(f.get("vote")),
    }


#: Registered ledger actions the fold leaves out, and why (tests/opendata/test_fold_coverage.py
#: fails when an action is neither folded nor listed here, so a new domain is not forgotten).
NOT_FOLDED: dict[str, str] = {
    "peer.add": "peers are the operator's configuration, not a forum's record (docs/federation.md)",
    "peer.repin": "peers are the operator's configuration, not a forum's record",
    "peer.remove": "peers are the operator's configuration, not a forum's record",
    "forum.remote_parent": "no package table: the package names a parent by its local slug "
    "only (an import makes the forum a root); the link between instances is in the peers' "
    "well-known documents (docs/federation.md)",
    "remote_forum.block": "no package table: a block refuses a remote forum's deliveries, a "
    "protective act on this instance, not a forum's public record; the entry is its record",
    "remote_forum.unblock": "no package table: see remote_forum.block",
    "issue.forward_remote": "no package table in the sender's package: the entry carries the "
    "whole record sent, the receiver's forwards.csv holds it (folded from its "
    "issue.receive_remote, which cites this entry's leaf hash) and `federation audit` "
    "checks both sides (docs/federation.md)",
    "issue.dismiss_similar": "dismissed suggestions are not a package table",
    "conversation.opinion_map": "opinion maps are derived from the votes, not in the package",
    "participant.profile": "display names are not open data",
    "report.add": "reports and reporters are private",
    "report.dismiss": "reports are private",
    "session.conflict": "conflicts of interest are not public (docs/sessions.md)",
    "session.score": "a blind score names neither the member nor the values; session.scores "
    "carries each proposal's aggregates when evaluation ends",
}


def folded_actions() -> set[str]:
    """The actions the fold reads."""
    return set(_HANDLERS)


# The domains folded in their own modules register their handlers on import (they import
# this module, so they come last).
from commonground.opendata import (  # noqa: E402, F401
    fold_messages,
    fold_network,
    fold_sessions,
    fold_translations,
)
