"""The rules a package's rows must keep before anything is written (``import_package``).

What the database's own constraints would refuse is said here first, with the file and the
data row (1-based, the header not counted) that breaks it: an :class:`ImportRefused`.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from commonground.forums.services import SLUG_RE
from commonground.opendata import resources as r
from commonground.stakeholders import GROUPS

Row = dict[str, Any]


class ImportRefused(Exception):
    """The package cannot be imported here: one line saying where and why."""

    def __init__(self, file: str, row: int | None, problem: str) -> None:
        where = file if row is None else f"{file} row {row}"
        super().__init__(f"{where}: {problem}" if file else problem)


def check_keys(tables: dict[str, list[Row]]) -> None:
    """Primary keys are unique and every foreign key points at a row of the package."""
    for table in r.TABLES:
        seen: dict[tuple[Any, ...], int] = {}
        for number, row in enumerate(tables[table.name], start=1):
            key = tuple(row[c] for c in table.primary_key)
            if key in seen:
                shown = ", ".join(str(k) for k in key)
                raise ImportRefused(
                    table.path, number, f"duplicate key {shown} (first at row {seen[key]})"
                )
            seen[key] = number
    for table in r.TABLES:
        for fk in table.foreign_keys:
            target = fk.resource or table.name
            (column,), (ref,) = fk.columns, fk.ref_columns
            known = {row[ref] for row in tables[target]}
            for number, row in enumerate(tables[table.name], start=1):
                value = row[column]
                if value not in (None, "") and value not in known:
                    raise ImportRefused(
                        table.path, number, f"{column} {value!r} is not in {target}.csv"
                    )


def check_rules(tables: dict[str, list[Row]], slug: str) -> None:
    """What the database's own constraints would refuse, said with the row that breaks it."""
    forum = tables["forum"]
    if len(forum) != 1 or forum[0]["slug"] != slug:
        raise ImportRefused("forum.csv", None, f"must hold exactly one row, the forum {slug!r}")
    open_rows = [n for n, c in enumerate(tables["cycles"], start=1) if c["is_open"]]
    if len(open_rows) > 1:
        raise ImportRefused("cycles.csv", open_rows[1], "a second open cycle")
    names: dict[str, int] = {}
    for number, cycle in enumerate(tables["cycles"], start=1):
        if cycle["name"] in names:
            raise ImportRefused("cycles.csv", number, f"cycle name {cycle['name']!r} repeats")
        names[cycle["name"]] = number
    issue_cycle = {row["id"]: row["cycle_id"] for row in tables["issues"]}
    pairs: dict[tuple[str, int], int] = {}
    for number, support in enumerate(tables["supports"], start=1):
        pair = (support["participant_id"], support["issue_id"])
        if pair in pairs:
            raise ImportRefused(
                "supports.csv", number, f"a second support of issue {pair[1]} by {pair[0]}"
            )
        pairs[pair] = number
        if issue_cycle[support["issue_id"]] != support["cycle_id"]:
            raise ImportRefused("supports.csv", number, "cycle_id is not the issue's cycle")
    for name, columns in (
        ("signals", ("issue_id", "author")),
        ("advice", ("solution_id", "author")),
    ):
        taken: dict[tuple[Any, ...], int] = {}
        for number, row in enumerate(tables[name], start=1):
            key = tuple(row[c] for c in columns)
            if key in taken:
                raise ImportRefused(f"{name}.csv", number, f"a second {name} by {key[1]} here")
            taken[key] = number
    _check_lists(tables)
    revisions: set[tuple[int, int]] = set()
    for number, row in enumerate(tables["advice_revisions"], start=1):
        key = (row["advice_id"], row["number"])
        if key in revisions:
            raise ImportRefused("advice_revisions.csv", number, "revision number repeats")
        revisions.add(key)
    publications: set[tuple[int, int]] = set()
    for number, row in enumerate(tables["agenda_publications"], start=1):
        key = (row["cycle_id"], row["number"])
        if key in publications:
            raise ImportRefused("agenda_publications.csv", number, "publication number repeats")
        publications.add(key)
    _check_dialogue(tables)


def _check_dialogue(tables: dict[str, list[Row]]) -> None:
    """Conversations fit their columns; an accepted statement has text and a rejected one
    has none (nor an author); each vote has one voter, once per statement, and belongs to
    its statement's conversation."""
    limits = {"topic": 300, "source": 200}  # the model's field lengths
    for number, row in enumerate(tables["conversations"], start=1):
        for column, limit in limits.items():
            if len(row[column]) > limit:
                raise ImportRefused(
                    "conversations.csv", number, f"{column} is longer than {limit} characters"
                )
    for number, row in enumerate(tables["statements"], start=1):
        if row["status"] == "accepted" and not row["text"]:
            raise ImportRefused("statements.csv", number, "an accepted statement needs its text")
        # A rejected statement's words are not public: a package that carries them was not
        # written by an export, and importing it would put them on this instance.
        if row["status"] == "rejected" and (row["text"] or row["author"]):
            raise ImportRefused(
                "statements.csv",
                number,
                "a rejected statement is exported by id only: text and author must be empty",
            )
    conversation_of = {row["id"]: row["conversation_id"] for row in tables["statements"]}
    voted: dict[tuple[int, str], int] = {}
    for number, row in enumerate(tables["votes"], start=1):
        member, external = row["participant_id"], row["external_participant"]
        if bool(member) == bool(external):
            raise ImportRefused(
                "votes.csv", number, "needs exactly one of participant_id, external_participant"
            )
        if conversation_of[row["statement_id"]] != row["conversation_id"]:
            raise ImportRefused(
                "votes.csv", number, "conversation_id is not the statement's conversation"
            )
        key = (row["statement_id"], member or external)
        if key in voted:
            raise ImportRefused(
                "votes.csv",
                number,
                f"a second vote on statement {key[0]} by {key[1]} (first at row {voted[key]})",
            )
        voted[key] = number


_http_url = URLValidator(schemes=["http", "https"])


def _check_lists(tables: dict[str, list[Row]]) -> None:
    """JSON list cells hold what the site would have accepted (pages render them as links)."""

    def groups(value: list[Any]) -> bool:
        return all(g in GROUPS for g in value)

    def texts(value: list[Any]) -> bool:
        return all(isinstance(v, str) and v and "\x00" not in v for v in value)

    def links(value: list[Any]) -> bool:
        try:
            for link in value:
                _http_url(link)
        except (ValidationError, TypeError):
            return False
        return True

    def ids(value: list[Any]) -> bool:
        return all(isinstance(v, str) and v.isdigit() for v in value)

    def entries(value: list[Any]) -> bool:
        return all(isinstance(e, dict) and ids([e.get("issue_id")]) for e in value)

    checks = {
        "participants": (("other_hats", groups, "stakeholder groups"),),
        "solutions": (("actors", texts, "names"),),
        "advice": (("affected_groups", groups, "stakeholder groups"), ("evidence", links, "links")),
        "advice_revisions": (
            ("affected_groups", groups, "stakeholder groups"),
            ("evidence", links, "links"),
        ),
        "agenda_publications": (
            ("agenda", ids, "issue ids"),
            ("entries", entries, "entries with an issue_id"),
        ),
    }
    for name, columns in checks.items():
        for number, row in enumerate(tables[name], start=1):
            for column, check, what in columns:
                if not check(row[column]):
                    raise ImportRefused(f"{name}.csv", number, f"{column} must list {what}")
    for number, row in enumerate(tables["forum"], start=1):
        if not SLUG_RE.match(row["slug"]):
            raise ImportRefused("forum.csv", number, f"slug {row['slug'][:60]!r} is not valid")
