"""Compare a forum's tables with the fold of its ledger, naming every difference.

The same comparison serves ``commonground ledger audit`` (the database's public rows) and
the package check of ``import`` and ``agenda --from`` (the package's CSV files). Rows
come in as ``{column: cell text}``, exactly as the CSV files hold them, and are compared
with :func:`commonground.opendata.fold.Fold` table by table: a row the ledger does not
make is reported by file and row number (``supports.csv row 812: not in the ledger``), a
cell that differs names its column, and what the ledger makes but no row holds is
reported last. Streams the rows: memory is the fold's, not the tables'.

No Django import.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from commonground.ledger.anchors import gettext_if_ready as _
from commonground.opendata import fold_network
from commonground.opendata.fold import Cells, Fold, text_sha256

Rows = Iterable[tuple[int, Cells]]


@dataclass(frozen=True)
class Difference:
    """One way a table differs from its ledger."""

    file: str
    row: int | None
    problem: str

    def line(self) -> str:
        where = f"{self.file} row {self.row}" if self.row is not None else self.file
        return f"{where}: {self.problem}"


def _norm_json(cell: str) -> str:
    try:
        return json.dumps(
            json.loads(cell), ensure_ascii=False, separators=(",", ":"), sort_keys=True
        )
    except ValueError:
        return cell


def _list_sha(cell: str) -> str:
    try:
        value = json.loads(cell)
    except ValueError:
        return cell
    return text_sha256(value if isinstance(value, list) else cell)


def _shown(value: str) -> str:
    return repr(value if len(value) <= 40 else value[:37] + "...")


@dataclass(frozen=True)
class Keyed:
    """A table whose rows have a key in the ledger: each key once, with checked cells."""

    name: str
    key: Callable[[Cells, Fold], str | None]  # None: a row the ledger does not speak of
    project: Callable[[Cells], Cells]
    expected: Callable[[Fold], dict[str, Cells]]
    what: str  # how a missing row is named, e.g. "support"

    def compare(self, rows: Rows, fold: Fold) -> Iterator[Difference]:
        file = f"{self.name}.csv"
        expected = self.expected(fold)
        seen: set[str] = set()
        for number, cells in rows:
            key = self.key(cells, fold)
            if key is None:
                continue
            if key in seen:
                yield Difference(file, number, _("appears twice"))
                continue
            seen.add(key)
            want = expected.pop(key, None)
            if want is None:
                yield Difference(file, number, _("not in the ledger"))
                continue
            have = self.project(cells)
            for column, value in want.items():
                if have.get(column, "") != value:
                    yield Difference(
                        file,
                        number,
                        _("%(column)s %(have)s differs from the ledger's %(want)s")
                        % {
                            "column": column,
                            "have": _shown(have.get(column, "")),
                            "want": _shown(value),
                        },
                    )
                    break
        for key in sorted(expected):
            yield Difference(
                file,
                None,
                _("the ledger's %(what)s %(key)s is missing") % {"what": self.what, "key": key},
            )


@dataclass(frozen=True)
class Counted:
    """A log table (no key of its own in the ledger): compared as a multiset of rows."""

    name: str
    project: Callable[[Cells], tuple[str, ...]]
    expected: Callable[[Fold], Counter[tuple[str, ...]]]

    def compare(self, rows: Rows, fold: Fold) -> Iterator[Difference]:
        file = f"{self.name}.csv"
        left = Counter(self.expected(fold))
        for number, cells in rows:
            row = self.project(cells)
            if left[row] > 0:
                left[row] -= 1
            else:
                yield Difference(file, number, _("not in the ledger"))
        for row, count in sorted(left.items()):
            if count > 0:
                yield Difference(
                    file, None, _("the ledger's %(row)s is missing") % {"row": " ".join(row)}
                )


def _pick(*columns: str) -> Callable[[Cells], Cells]:
    return lambda cells: {c: cells.get(c, "") for c in columns}


def _visible(fold: Fold, kind: str, rows: dict[str, Cells]) -> dict[str, Cells]:
    return {k: dict(v) for k, v in rows.items() if (kind, k) not in fold.hidden}


def _advice_expected(fold: Fold) -> dict[str, Cells]:
    return {
        k: v
        for k, v in _visible(fold, "advice", fold.advice).items()
        if ("solution", v.get("solution_id", "")) not in fold.hidden
    }


def _revisions_expected(fold: Fold) -> dict[str, Cells]:
    public = _advice_expected(fold)
    return {k: dict(v) for k, v in fold.advice_revisions.items() if k.split(" ")[0] in public}


def _comments_expected(fold: Fold) -> dict[str, Cells]:
    out = {}
    for k, v in _visible(fold, "comment", fold.comments).items():
        if ("solution", v.get("solution_id", "")) in fold.hidden:
            continue
        if ("comment", v.get("parent_id", "")) in fold.hidden:
            continue
        out[k] = v
    return out


def _statements_expected(fold: Fold) -> dict[str, Cells]:
    out = {}
    for k, v in fold.statements.items():
        if v.get("status") == "accepted":
            out[k] = dict(v)
        elif v.get("status") == "rejected":
            out[k] = {"conversation_id": v.get("conversation_id", ""), "status": "rejected"}
    return out


def _statement_cells(cells: Cells) -> Cells:
    if cells.get("status") == "rejected":
        return {"conversation_id": cells.get("conversation_id", ""), "status": "rejected"}
    return {
        "conversation_id": cells.get("conversation_id", ""),
        "author": cells.get("author", ""),
        "text": text_sha256(cells.get("text", "")),
        "status": cells.get("status", ""),
    }


def _statement_key(cells: Cells, fold: Fold) -> str | None:
    sid = cells.get("id", "")
    if sid not in fold.statements and cells.get("conversation_id") in fold.imported_conversations:
        return None  # imported from a Polis export: the import entry counts them
    return sid


def _votes_expected(fold: Fold) -> dict[str, Cells]:
    return {
        k: dict(v)
        for k, v in fold.votes.items()
        if fold.statements.get(k.split(" ")[1], {}).get("status") != "pending"
    }


def _vote_key(cells: Cells, fold: Fold) -> str | None:
    if not cells.get("participant_id"):
        return None  # a voter of an imported Polis export
    return f"{cells['participant_id']} {cells.get('statement_id', '')}"


def _by_id(cells: Cells, fold: Fold) -> str | None:
    return cells.get("id", "")


_ADVICE_TEXT = ("conditions", "benefits", "risks")


def _advice_cells(cells: Cells) -> Cells:
    out = {
        "feasibility": cells.get("feasibility", ""),
        "affected_groups": _norm_json(cells.get("affected_groups", "")),
        "evidence": _list_sha(cells.get("evidence", "")),
        **{name: text_sha256(cells.get(name, "")) for name in _ADVICE_TEXT},
    }
    for extra in ("solution_id", "author", "revision_count"):
        if extra in cells:
            out[extra] = cells[extra]
    return out


CHECKS: tuple[Keyed | Counted, ...] = (
    Keyed(
        "forum",
        lambda c, f: c.get("slug", ""),
        lambda c: {**c, "description": text_sha256(c.get("description", ""))},
        lambda f: {f.forum: dict(f.forum_row)} if f.forum_row else {},
        "forum",
    ),
    Keyed("cycles", _by_id, _pick("name", "phase", "is_open"), lambda f: dict(f.cycles), "cycle"),
    Counted(
        "phase_changes",
        lambda c: tuple(c.get(k, "") for k in ("cycle_id", "from_phase", "to_phase", "changed_by")),
        lambda f: f.phase_changes,
    ),
    Keyed(
        "participants",
        lambda c, f: c.get("membership_id", ""),
        lambda c: {
            **_pick("id", "stakeholder_group", "country", "region", "verified", "role", "status")(
                c
            ),
            "other_hats": _norm_json(c.get("other_hats", "")),
        },
        lambda f: dict(f.participants),
        "membership",
    ),
    Keyed(
        "issues",
        _by_id,
        _pick("cycle_id", "title", "description", "raised_by"),
        lambda f: dict(f.issues),
        "issue",
    ),
    Keyed(
        "issue_topics",
        lambda c, f: f"{c.get('issue_id', '')} {c.get('topic', '')}",
        lambda c: {},
        lambda f: {f"{i} {t}": {} for i, topics in f.issue_topics.items() for t in topics},
        "issue topic",
    ),
    Keyed(
        "supports",
        lambda c, f: f"{c.get('participant_id', '')} {c.get('issue_id', '')}",
        _pick("stakeholder_group", "cycle_id", "created_at"),
        lambda f: dict(f.supports),
        "support (participant, issue)",
    ),
    Keyed(
        "signals",
        _by_id,
        lambda c: {
            **_pick("issue_id", "author", "jurisdiction", "priority")(c),
            "statement": text_sha256(c.get("statement", "")),
        },
        lambda f: _visible(f, "signal", f.signals),
        "signal",
    ),
    Keyed(
        "solutions",
        _by_id,
        lambda c: {
            **_pick("issue_id", "author")(c),
            "title": text_sha256(c.get("title", "")),
            "description": text_sha256(c.get("description", "")),
            "actors": _list_sha(c.get("actors", "")),
        },
        lambda f: _visible(f, "solution", f.solutions),
        "solution",
    ),
    Keyed("advice", _by_id, _advice_cells, _advice_expected, "advice"),
    Keyed(
        "advice_revisions",
        lambda c, f: f"{c.get('advice_id', '')} {c.get('number', '')}",
        _advice_cells,
        _revisions_expected,
        "advice revision (advice, number)",
    ),
    Keyed(
        "comments",
        _by_id,
        lambda c: {
            **_pick("issue_id", "solution_id", "parent_id", "author", "stance")(c),
            "body": text_sha256(c.get("body", "")),
            "deleted": "true" if c.get("deleted_at") else "false",
        },
        _comments_expected,
        "comment",
    ),
    Counted(
        "moderation_log",
        lambda c: tuple(
            c.get(k, "") for k in ("kind", "object_id", "action", "automatic", "reason", "steward")
        ),
        lambda f: f.moderation,
    ),
    Keyed(
        "agenda_publications",
        _by_id,
        lambda c: {
            **_pick("cycle_id", "number", "published_by")(c),
            "agenda": _norm_json(c.get("agenda", "")),
        },
        lambda f: dict(f.publications),
        "agenda publication",
    ),
    Keyed(
        "conversations",
        _by_id,
        _pick("issue_id", "opened_by", "topic", "source"),
        lambda f: dict(f.conversations),
        "conversation",
    ),
    Keyed("statements", _statement_key, _statement_cells, _statements_expected, "statement"),
    Keyed(
        "votes",
        _vote_key,
        _pick("conversation_id", "vote"),
        _votes_expected,
        "vote (participant, statement)",
    ),
    *(Keyed(*table) for table in fold_network.TABLES),
)

#: The tables the ledger speaks for (topics and checkpoints are not state changes).
CHECKED_TABLES = tuple(check.name for check in CHECKS)


def all_checks() -> tuple[Keyed | Counted, ...]:
    """:data:`CHECKS` and those of the domains folded in their own modules (imported here,
    since they build on :class:`Keyed`)."""
    from commonground.opendata.audit_messages import MESSAGE_CHECKS
    from commonground.opendata.audit_sessions import SESSION_CHECKS
    from commonground.opendata.audit_translations import TRANSLATION_CHECKS

    return (*CHECKS, *SESSION_CHECKS, *MESSAGE_CHECKS, *TRANSLATION_CHECKS)


def compare(fold: Fold, rows_of: Callable[[str], Rows]) -> Iterator[Difference]:
    """Every difference between the tables (``rows_of(name)``) and the fold, table by table."""
    for check in all_checks():
        yield from check.compare(rows_of(check.name), fold)


def first_difference(fold: Fold, rows_of: Callable[[str], Rows]) -> Difference | None:
    return next(iter(compare(fold, rows_of)), None)


__all__ = ["CHECKED_TABLES", "Difference", "compare", "first_difference"]
