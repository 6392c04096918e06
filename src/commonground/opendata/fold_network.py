"""The network's tables as a fold of the ledger (issue 18; docs/ledger.md, section 11).

``forwards.csv`` (the provenance of the forum's forwarded issues), ``merges.csv``,
``nri_team.csv`` and ``annual_reports.csv`` follow from these entries:

* ``issue.forward``: a forward between two forums of this instance. The entry is the
  source forum's act (its ``forum``), but the record belongs to the target's package, so
  it is folded into the forum its ``to`` names. Its fields are the whole record.
* ``issue.receive_remote``: a forward from a forum on another instance, folded into the
  target (the entry's own forum). Entries written before the record's text and figures
  were added to it carry only the source: the fold then checks the source and the issue,
  and leaves the other columns unchecked (they are in the sender's ledger, which the
  receiver's entry cites by its leaf hash).
* ``issue.merge``: the provenance moves to the issue merged into; the merge itself is a
  row of ``merges.csv``, keyed by the issue merged (an issue is merged once).
* ``team.add`` / ``team.remove``: the organizing team; adding a coordinator makes the
  previous one an ordinary member, as the service does.
* ``report.file``: an annual report (one per cycle, never edited).

Registered by :mod:`commonground.opendata.fold` (the handlers) and
:mod:`commonground.opendata.audit` (the tables). No Django import.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from commonground.opendata.fold import Cells, Fold, on, recorded_by

#: The cell format of datetime columns (resources.columns.DATETIME_FORMAT).
_DATETIME = "%Y-%m-%dT%H:%M:%S.%fZ"
_FORWARD_ACTIONS = ("issue.forward", "issue.receive_remote")


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _int(value: Any) -> str:
    return "" if value is None or value == "" else str(int(value))


def _number(value: Any) -> str:
    return "" if value is None or value == "" else repr(float(value))


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _moment(value: Any) -> str:
    """An ISO 8601 time (as the forward record writes it) in the tables' cell format."""
    if not value:
        return ""
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return str(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime(_DATETIME)


def _rows(fold: Fold, name: str) -> dict[str, Cells]:
    """One of the network's tables in the fold (``fold.parts["network"]``)."""
    network: dict[str, dict[str, Cells]] = fold.parts.setdefault("network", {})
    return network.setdefault(name, {})


# -- forwards ---------------------------------------------------------------------------------

recorded_by("issue.forward", lambda doc: str((doc.get("fields") or {}).get("to") or ""))


def _source_cells(source: Mapping[str, Any]) -> Cells:
    return {
        "source_instance": _text(source.get("instance")),
        "source_forum": _text(source.get("forum")),
        "source_forum_name": _text(source.get("forum_name")),
        "source_level": _text(source.get("level")),
        "source_country": _text(source.get("country")),
        "source_region": _text(source.get("region")),
        "source_kind": _text(source.get("kind")),
        "source_id": _int(source.get("id")),
        "source_issue_id": _int(source.get("issue_id")),
        "source_cycle": _text(source.get("cycle")),
    }


def _record_cells(f: Mapping[str, Any]) -> Cells:
    """The record's text and figures (absent from receive entries of older versions)."""
    if not isinstance(f.get("what"), Mapping):
        return {}
    what, figures = f["what"], f.get("figures") or {}
    by = f.get("by") or {}
    return {
        "title": _text(what.get("title")),
        "description": _text(what.get("description")),
        "topics": _json(list(what.get("topics") or [])),
        "language": _text(what.get("language")),
        "publication_number": _int(figures.get("publication_number")),
        "published_at": _moment(figures.get("published_at")),
        "agenda_rank": _int(figures.get("agenda_rank")),
        "balanced_support": _number(figures.get("balanced_support")),
        "breadth": _int(figures.get("breadth")),
        "supports_by_group": _json(dict(figures.get("supports_by_group") or {})),
        "origins": _json(list(f.get("origins") or [])),
        "forwarded_by": _text(by.get("public_id")),
        "forwarded_by_name": _text(by.get("name")),
    }


@on(*_FORWARD_ACTIONS)
def _forward(s: Fold, oid: str, actor: str, f: Mapping[str, Any], doc: Mapping[str, Any]) -> None:
    created = _int(f.get("issue_id"))
    _rows(s, "forwards")[oid] = {
        "issue_id": created,
        "created_issue_id": created,
        **_source_cells(f.get("source") or {}),
        **_record_cells(f),
        "forwarded_at": _text(doc.get("time")),  # the entry's time is the forward's
    }


@on("issue.merge")
def _merge(s: Fold, oid: str, actor: str, f: Mapping[str, Any], doc: Mapping[str, Any]) -> None:
    into = _int(f.get("into"))
    for row in _rows(s, "forwards").values():
        if row.get("issue_id") == oid:
            row["issue_id"] = into
    _rows(s, "merges")[oid] = {
        "into_id": into,
        "merged_by": actor,
        "merged_at": _text(doc.get("time")),
        "supports_moved": _int(f.get("supports_moved")),
        "supports_deduplicated": _int(f.get("supports_deduplicated")),
    }


# -- the NRI's team and annual reports --------------------------------------------------------


@on("team.add", "team.remove")
def _team(s: Fold, oid: str, actor: str, f: Mapping[str, Any], doc: Mapping[str, Any]) -> None:
    team = _rows(s, "nri_team")
    if doc["action"] == "team.remove":
        team.pop(oid, None)
        return
    if f.get("coordinator"):  # one coordinator: the new one replaces any other
        for row in team.values():
            row["is_coordinator"] = "false"
    team[oid] = {
        "name": _text(f.get("name")),
        "stakeholder_group": _text(f.get("stakeholder_group")),
        "role": _text(f.get("role")),
        "is_coordinator": "true" if f.get("coordinator") else "false",
        "added_at": _text(doc.get("time")),
    }


@on("report.file")
def _report(s: Fold, oid: str, actor: str, f: Mapping[str, Any], doc: Mapping[str, Any]) -> None:
    _rows(s, "annual_reports")[oid] = {
        "cycle_id": _int(f.get("cycle")),
        **{k: _text(f.get(k)) for k in ("edition", "dates", "venue", "preparation", "outcomes")},
        "filed_by": actor,
        "filed_at": _text(doc.get("time")),
    }


# -- the tables, for the audit ----------------------------------------------------------------

KeyOf = Callable[[Cells, Fold], str | None]


def _by(column: str) -> KeyOf:
    return lambda cells, fold: cells.get(column, "")


def _same(cells: Cells) -> Cells:
    return cells


def _table(name: str) -> Callable[[Fold], dict[str, Cells]]:
    return lambda fold: {k: dict(v) for k, v in _rows(fold, name).items()}


#: (table, key of a row, its cells as compared, the fold's rows, what a missing row is):
#: the arguments of :class:`commonground.opendata.audit.Keyed`.
TABLES: tuple[tuple[str, KeyOf, Callable[[Cells], Cells], Callable[[Fold], Any], str], ...] = (
    ("forwards", _by("id"), _same, _table("forwards"), "forward"),
    ("merges", _by("issue_id"), _same, _table("merges"), "merge of issue"),
    ("nri_team", _by("id"), _same, _table("nri_team"), "team member"),
    ("annual_reports", _by("id"), _same, _table("annual_reports"), "annual report"),
)
