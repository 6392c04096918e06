"""Restore a forum from its data package into an empty instance (``commonground import DIR``).

The import is not a forum event: it writes the rows directly, in one transaction, and
appends nothing to the ledger. The package's ledger entries and checkpoints are written as
they are (the append-only triggers allow INSERT), after checking offline that every entry
hashes to its leaf and every checkpoint's signature and root hold. Exporting the restored
forum again gives the same package, byte for byte (a test checks it), until its opinion
maps are computed: once the rows are committed a recompute of every imported conversation
is queued (the package holds no map), and each map stored appends its
``conversation.opinion_map`` entry to the ledger, as on any instance.

Imported participants get accounts that cannot log in: an address under the reserved
``.invalid`` domain (never delivered), no verified e-mail and an unusable password. A
parent forum is not part of the package: the imported forum becomes a root and its
:class:`ImportRecord` keeps the parent's slug.

Every refusal is an :class:`ImportRefused` with one line naming the file, the data row
(1-based, the header not counted) and the problem; nothing is written then.
"""

from __future__ import annotations

import csv
import json
import logging
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.core.validators import URLValidator
from django.db import DatabaseError, connection, transaction

from commonground.contributions.models import (
    Advice,
    AdviceRevision,
    Comment,
    ContributionSettings,
    ModerationAction,
    Signal,
    Solution,
)
from commonground.core.markdown import render_markdown
from commonground.dialogue.models import Conversation, Statement, Vote
from commonground.dialogue.services import member_key
from commonground.forums.models import Cycle, Forum, PhaseChange
from commonground.forums.services import SLUG_RE
from commonground.issues.models import TALLY_FIELDS, ActiveTally, Issue, Support, Topic
from commonground.ledger.cli import audit
from commonground.ledger.merkle import SignedCheckpoint, canonical_json
from commonground.ledger.models import Checkpoint, LedgerEntry, LedgerHead
from commonground.ledger.services import entry_document
from commonground.opendata import resources as r
from commonground.opendata.models import ImportRecord
from commonground.participants.emails import email_skeleton
from commonground.participants.models import Membership, User
from commonground.recognition.models import AgendaPublication
from commonground.stakeholders import GROUPS

logger = logging.getLogger(__name__)

BATCH = 2000
CHECKPOINT_FIELDS = ("tree_size", "root_hash", "timestamp", "origin", "public_key", "signature")
# Placeholder addresses of imported accounts: .invalid is reserved (RFC 2606), so no mail
# can ever be delivered and nobody can claim the account by e-mail.
NO_EMAIL_DOMAIN = "imported.invalid"

Row = dict[str, Any]


class ImportRefused(Exception):
    """The package cannot be imported here: one line saying where and why."""

    def __init__(self, file: str, row: int | None, problem: str) -> None:
        where = file if row is None else f"{file} row {row}"
        super().__init__(f"{where}: {problem}" if file else problem)


@dataclass(frozen=True)
class ImportSummary:
    forum: str
    counts: dict[str, int]
    ledger_entries: int
    checkpoints: int
    maps_queued: int = 0  # conversations whose opinion map was queued after the commit

    def line(self) -> str:
        rows = sum(v for k, v in self.counts.items() if k != "checkpoints")
        plural = "s" if self.maps_queued != 1 else ""
        maps = f"; opinion maps queued for {self.maps_queued} conversation{plural}"
        return (
            f"imported forum {self.forum}: {rows} rows, {self.ledger_entries} ledger entries, "
            f"{self.checkpoints} checkpoints" + (maps if self.maps_queued else "")
        )


# -- reading the package ----------------------------------------------------------------------


def _descriptor(folder: Path) -> dict[str, Any]:
    name = r.DESCRIPTOR_FILE
    try:
        data = json.loads((folder / name).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ImportRefused(name, None, "file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ImportRefused(name, None, f"cannot be read: {exc}") from None
    except ValueError as exc:
        raise ImportRefused(name, None, f"not valid JSON: {exc}") from None
    section = data.get("commonground") if isinstance(data, dict) else None
    if not isinstance(section, dict):
        raise ImportRefused(name, None, 'no "commonground" object: not a Common Ground package')
    if section.get("format") != r.PACKAGE_FORMAT:
        raise ImportRefused(
            name,
            None,
            f"commonground.format is {section.get('format')!r}, expected {r.PACKAGE_FORMAT!r}",
        )
    if not isinstance(section.get("forum"), str):
        raise ImportRefused(name, None, "commonground.forum must be the forum's slug")
    return data


def _read_table(folder: Path, table: r.Table) -> list[Row]:
    """Every row of the table's CSV file as typed values (see resources.Column.read)."""
    path = folder / table.path
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle, strict=True)
            header = next(reader, None)
            if not header:
                raise ImportRefused(table.path, None, "empty file: no header row")
            missing = [c for c in table.header if c not in header]
            if missing:
                raise ImportRefused(table.path, None, f"missing column '{missing[0]}'")
            unknown = [c for c in header if c not in table.header]
            if unknown:
                raise ImportRefused(table.path, None, f"unknown column '{unknown[0][:40]}'")
            if len(set(header)) != len(header):
                raise ImportRefused(table.path, None, "a column appears twice in the header")
            columns = [next(c for c in table.columns if c.name == name) for name in header]
            rows: list[Row] = []
            for number, record in enumerate(reader, start=1):
                if len(record) != len(columns):
                    raise ImportRefused(
                        table.path,
                        number,
                        f"expected {len(columns)} fields, found {len(record)}",
                    )
                try:
                    rows.append(
                        {c.name: c.read(text) for c, text in zip(columns, record, strict=True)}
                    )
                except r.ValueProblem as exc:
                    raise ImportRefused(table.path, number, str(exc)) from None
    except FileNotFoundError:
        raise ImportRefused(table.path, None, "file not found") from None
    except UnicodeDecodeError:
        raise ImportRefused(table.path, None, "not valid UTF-8 text") from None
    except csv.Error as exc:
        raise ImportRefused(table.path, None, f"not valid CSV: {exc}") from None
    except OSError as exc:
        raise ImportRefused(table.path, None, f"cannot be read: {exc.strerror}") from None
    return rows


def _check_keys(tables: dict[str, list[Row]]) -> None:
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


def _check_rules(tables: dict[str, list[Row]], slug: str) -> None:
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


def _ledger_lines(folder: Path) -> Iterator[tuple[int, dict[str, Any], str]]:
    """(line number, entry document, stored leaf hash) for every line of ledger.jsonl."""
    name = r.LEDGER_FILE
    try:
        with (folder / name).open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    doc = json.loads(line)
                except ValueError:
                    raise ImportRefused(name, number, "not valid JSON") from None
                if not isinstance(doc, dict) or not isinstance(doc.get("leaf_hash"), str):
                    raise ImportRefused(name, number, "not an entry with its leaf_hash")
                stored = doc.pop("leaf_hash")
                yield number, doc, stored
    except FileNotFoundError:
        raise ImportRefused(name, None, "file not found") from None
    except UnicodeDecodeError:
        raise ImportRefused(name, None, "not valid UTF-8 text") from None
    except OSError as exc:
        raise ImportRefused(name, None, f"cannot be read: {exc.strerror}") from None


def _entry(number: int, doc: dict[str, Any], stored: str) -> LedgerEntry:
    """The database row of one entry; refused unless it gives back exactly this document."""
    name = r.LEDGER_FILE
    obj = doc.get("object")
    try:
        if set(doc) != {"seq", "time", "actor", "action", "object", "forum", "fields"}:
            raise ValueError("keys must be seq, time, actor, action, object, forum, fields")
        if not isinstance(obj, dict) or set(obj) != {"type", "id"}:
            raise ValueError("object must hold type and id")
        if not isinstance(doc["seq"], int) or isinstance(doc["seq"], bool) or doc["seq"] < 1:
            raise ValueError("seq must be a positive integer")
        if not isinstance(doc["time"], str):
            raise ValueError("time must be a string")
        entry = LedgerEntry(
            seq=doc["seq"],
            time=r.READERS["datetime"](doc["time"], "time"),
            actor=doc["actor"],
            action=doc["action"],
            object_type=obj["type"],
            object_id=obj["id"],
            forum=doc["forum"],
            fields=doc["fields"],
            leaf_hash=stored,
        )
        limits = {"action": 60, "object_type": 40, "object_id": 64, "forum": 60}
        for attr, limit in limits.items():
            value = getattr(entry, attr)
            if not isinstance(value, str) or len(value) > limit:
                raise ValueError(f"{attr} must be a string of at most {limit} characters")
        if entry.actor is not None and (not isinstance(entry.actor, str) or len(entry.actor) > 32):
            raise ValueError("actor must be null or a string of at most 32 characters")
        if not isinstance(entry.fields, dict):
            raise ValueError("fields must be an object")
        if "\x00" in canonical_json(doc).decode("utf-8"):
            raise ValueError("entries may not hold NUL characters")
        if canonical_json(entry_document(entry)) != canonical_json(doc):
            raise ValueError("the entry is not in the canonical form this instance stores")
    except (ValueError, TypeError, r.ValueProblem) as exc:
        raise ImportRefused(name, number, str(exc)) from None
    return entry


def _check_ledger(folder: Path, tables: dict[str, list[Row]], section: dict[str, Any]) -> int:
    """Audit ledger.jsonl against every checkpoint; returns the number of entries."""
    checkpoints = _signed_checkpoints(tables["checkpoints"])
    try:
        latest = json.loads((folder / r.CHECKPOINT_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ImportRefused(r.CHECKPOINT_FILE, None, "file not found") from None
    except (OSError, ValueError) as exc:
        raise ImportRefused(r.CHECKPOINT_FILE, None, f"cannot be read: {exc}") from None
    if not checkpoints or latest != checkpoints[-1].to_json_dict():
        raise ImportRefused(
            r.CHECKPOINT_FILE, None, "is not the last checkpoint of checkpoints.csv"
        )
    size = checkpoints[-1].checkpoint.tree_size
    declared = (
        section.get("ledger", {}).get("tree_size")
        if isinstance(section.get("ledger"), dict)
        else None
    )
    if declared != size:
        raise ImportRefused(r.DESCRIPTOR_FILE, None, f"commonground.ledger.tree_size is not {size}")
    for number, doc, stored in _ledger_lines(folder):
        _entry(number, doc, stored)  # the stored form must give back this exact entry
    result = audit(
        ((doc.get("seq"), doc, stored) for _, doc, stored in _ledger_lines(folder)), checkpoints
    )
    if not result.ok:
        raise ImportRefused(r.LEDGER_FILE, None, result.line())
    if result.entries != size:
        raise ImportRefused(
            r.LEDGER_FILE, None, f"holds {result.entries} entries; the checkpoint covers {size}"
        )
    return size


def _signed_checkpoints(rows: list[Row]) -> list[SignedCheckpoint]:
    out = []
    for number, row in enumerate(rows, start=1):
        doc = {
            "format": "commonground-checkpoint/v1",
            "algorithm": "Ed25519",
            **{k: row[k] for k in ("origin", "tree_size", "root_hash", "timestamp")},
            "public_key": row["public_key"],
            "signature": row["signature"],
        }
        try:
            out.append(SignedCheckpoint.from_json_dict(doc))
        except ValueError as exc:
            raise ImportRefused("checkpoints.csv", number, str(exc)) from None
    return sorted(out, key=lambda c: c.checkpoint.tree_size)


# -- writing ----------------------------------------------------------------------------------


def _require_empty(tables: dict[str, list[Row]], people: set[str]) -> None:
    if Forum.objects.exists() or Membership.objects.exists():
        raise ImportRefused("", None, "this instance is not empty: it has forums already")
    if LedgerEntry.objects.exists() or Checkpoint.objects.exists():
        raise ImportRefused("", None, "this instance is not empty: its ledger has entries")
    if LedgerHead.objects.filter(size__gt=0).exists():
        raise ImportRefused("", None, "this instance is not empty: its ledger head is not zero")
    taken = User.objects.filter(public_id__in=people).values_list("public_id", flat=True)
    clash = sorted(taken)
    if clash:
        raise ImportRefused("", None, f"an account with participant id {clash[0]} exists here")
    existing = {t.slug: t for t in Topic.objects.all()}
    for number, row in enumerate(tables["topics"], start=1):
        topic = existing.get(row["slug"])
        if topic is not None and (topic.label, topic.is_sdg) != (row["label"], row["is_sdg"]):
            raise ImportRefused("topics.csv", number, "a topic with this slug differs here")


def _people(tables: dict[str, list[Row]]) -> set[str]:
    """Every participant id the package names (members, and stewards of past acts)."""
    ids = {row["id"] for row in tables["participants"]}
    ids |= {row["changed_by"] for row in tables["phase_changes"] if row["changed_by"]}
    ids |= {row["published_by"] for row in tables["agenda_publications"] if row["published_by"]}
    for person in ids:
        if not r.PUBLIC_ID_RE.match(person):
            raise ImportRefused("", None, f"participant id {person[:40]!r} is not valid")
    return ids


def _write(
    folder: Path, tables: dict[str, list[Row]], descriptor: dict[str, Any], size: int
) -> None:
    section = descriptor["commonground"]
    people = _people(tables)
    _require_empty(tables, people)
    f = tables["forum"][0]
    forum = Forum.objects.create(
        slug=f["slug"],
        name=f["name"],
        level=f["level"],
        parent=None,
        country=f["country"],
        region=f["region"],
        description=f["description"],
        created_at=f["created_at"],
        min_groups=f["min_groups"],
        min_supporters=f["min_supporters"],
        min_share=f["min_share"],
        agenda_slots=f["agenda_slots"],
    )
    ContributionSettings.objects.create(
        forum=forum,
        verified_required_for_signals_and_advice=f["verified_required_for_signals_and_advice"],
        report_threshold=f["report_threshold"],
    )
    ImportRecord.objects.create(
        forum=forum,
        parent_slug=f["parent"],
        package_name=str(descriptor.get("name", ""))[:200],
        tree_size=size,
        root_hash=section["ledger"]["root_hash"] if size else "",
    )

    unusable = make_password(None)
    User.objects.bulk_create(
        [
            User(
                email=f"{pid}@{NO_EMAIL_DOMAIN}",
                email_skeleton=email_skeleton(f"{pid}@{NO_EMAIL_DOMAIN}"),  # no save() here
                public_id=pid,
                password=unusable,
            )
            for pid in sorted(people)
        ],
        batch_size=BATCH,
    )
    user = {u.public_id: u for u in User.objects.filter(public_id__in=people)}
    member: dict[str, Membership] = {}
    rows = []
    for p in tables["participants"]:
        m = Membership(
            pk=p["membership_id"],
            forum=forum,
            user=user[p["id"]],
            stakeholder_group=p["stakeholder_group"],
            country=p["country"],
            region=p["region"],
            other_hats=p["other_hats"],
            verified=p["verified"],
            verified_at=p["verified_at"],
            role=p["role"],
            status=p["status"],
            joined_at=p["joined_at"],
        )
        member[p["id"]] = m
        rows.append(m)
    Membership.objects.bulk_create(rows, batch_size=BATCH)

    Cycle.objects.bulk_create(
        [
            Cycle(
                pk=c["id"],
                forum=forum,
                name=c["name"],
                phase=c["phase"],
                is_open=c["is_open"],
                opened_at=c["opened_at"],
                closed_at=c["closed_at"],
                tally_version=c["tally_version"],
            )
            for c in tables["cycles"]
        ]
    )
    PhaseChange.objects.bulk_create(
        [
            PhaseChange(
                pk=c["id"],
                cycle_id=c["cycle_id"],
                from_phase=c["from_phase"],
                to_phase=c["to_phase"],
                changed_by=user[c["changed_by"]] if c["changed_by"] else None,
                changed_at=c["changed_at"],
            )
            for c in tables["phase_changes"]
        ],
        batch_size=BATCH,
    )

    existing = {t.slug: t for t in Topic.objects.all()}
    Topic.objects.bulk_create(
        [
            Topic(slug=t["slug"], label=t["label"], is_sdg=t["is_sdg"])
            for t in tables["topics"]
            if t["slug"] not in existing
        ]
    )
    topic_pk = dict(Topic.objects.values_list("slug", "pk"))

    # The tallies are derived data: recounted from the supports, as the services keep them.
    per_issue: dict[int, Counter[str]] = defaultdict(Counter)
    active: dict[int, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for s in tables["supports"]:
        per_issue[s["issue_id"]][s["stakeholder_group"]] += 1
        active[s["cycle_id"]][s["stakeholder_group"]].add(s["participant_id"])
    issues = []
    for i in tables["issues"]:
        counts = per_issue[i["id"]]
        issues.append(
            Issue(
                pk=i["id"],
                cycle_id=i["cycle_id"],
                forum=forum,
                author=member[i["raised_by"]],
                title=i["title"],
                description=i["description"],
                description_html=render_markdown(i["description"]),
                language=i["language"],
                raised_at=i["raised_at"],
                updated_at=i["updated_at"],
                support_count=sum(counts.values()),
                **{TALLY_FIELDS[g]: counts[g] for g in GROUPS},
            )
        )
    Issue.objects.bulk_create(issues, batch_size=BATCH)
    Through = Issue.topics.through
    Through.objects.bulk_create(
        [
            Through(issue_id=t["issue_id"], topic_id=topic_pk[t["topic"]])
            for t in tables["issue_topics"]
        ],
        batch_size=BATCH,
    )
    Support.objects.bulk_create(
        [
            Support(
                pk=s["id"],
                issue_id=s["issue_id"],
                membership=member[s["participant_id"]],
                cycle_id=s["cycle_id"],
                stakeholder_group=s["stakeholder_group"],
                created_at=s["created_at"],
            )
            for s in tables["supports"]
        ],
        batch_size=BATCH,
    )
    ActiveTally.objects.bulk_create(
        [
            ActiveTally(cycle_id=c["id"], stakeholder_group=g, count=len(active[c["id"]][g]))
            for c in tables["cycles"]
            for g in GROUPS
        ]
    )

    Signal.objects.bulk_create(
        [
            Signal(
                pk=s["id"],
                forum=forum,
                issue_id=s["issue_id"],
                author=member[s["author"]],
                jurisdiction=s["jurisdiction"],
                priority=s["priority"],
                statement=s["statement"],
                statement_html=render_markdown(s["statement"]),
                created_at=s["created_at"],
                updated_at=s["updated_at"],
            )
            for s in tables["signals"]
        ],
        batch_size=BATCH,
    )
    Solution.objects.bulk_create(
        [
            Solution(
                pk=s["id"],
                forum=forum,
                issue_id=s["issue_id"],
                author=member[s["author"]],
                title=s["title"],
                description=s["description"],
                description_html=render_markdown(s["description"]),
                actors=s["actors"],
                created_at=s["created_at"],
                updated_at=s["updated_at"],
            )
            for s in tables["solutions"]
        ],
        batch_size=BATCH,
    )
    body = ("feasibility", "conditions", "benefits", "risks", "affected_groups", "evidence")
    Advice.objects.bulk_create(
        [
            Advice(
                pk=a["id"],
                forum=forum,
                solution_id=a["solution_id"],
                author=member[a["author"]],
                revision_count=a["revision_count"],
                created_at=a["created_at"],
                updated_at=a["updated_at"],
                **{k: a[k] for k in body},
            )
            for a in tables["advice"]
        ],
        batch_size=BATCH,
    )
    AdviceRevision.objects.bulk_create(
        [
            AdviceRevision(
                pk=a["id"],
                advice_id=a["advice_id"],
                number=a["number"],
                created_at=a["created_at"],
                **{k: a[k] for k in body},
            )
            for a in tables["advice_revisions"]
        ],
        batch_size=BATCH,
    )
    Comment.objects.bulk_create(
        [
            Comment(
                pk=c["id"],
                forum=forum,
                issue_id=c["issue_id"],
                solution_id=c["solution_id"],
                parent_id=c["parent_id"],
                author=member[c["author"]],
                body=c["body"],
                body_html=render_markdown(c["body"]) if c["body"] else "",
                stance=c["stance"],
                created_at=c["created_at"],
                updated_at=c["updated_at"],
                deleted_at=c["deleted_at"],
            )
            for c in tables["comments"]
        ],
        batch_size=BATCH,
    )
    ModerationAction.objects.bulk_create(
        [
            ModerationAction(
                pk=m["id"],
                forum=forum,
                kind=m["kind"],
                object_id=m["object_id"],
                issue_id=m["issue_id"],
                action=m["action"],
                automatic=m["automatic"],
                reason=m["reason"],
                steward=member[m["steward"]] if m["steward"] else None,
                created_at=m["created_at"],
            )
            for m in tables["moderation_log"]
        ],
        batch_size=BATCH,
    )
    AgendaPublication.objects.bulk_create(
        [
            AgendaPublication(
                pk=a["id"],
                cycle_id=a["cycle_id"],
                number=a["number"],
                published_at=a["published_at"],
                published_by=user[a["published_by"]] if a["published_by"] else None,
                # Names are not open data: the snapshot names the publisher by pseudonym.
                publisher_name=f"Participant {a['published_by']}" if a["published_by"] else "",
                settings=a["settings"],
                agenda=a["agenda"],
                entries=a["entries"],
            )
            for a in tables["agenda_publications"]
        ],
        batch_size=BATCH,
    )

    _write_dialogue(tables, forum, member)

    Checkpoint.objects.bulk_create(
        [Checkpoint(**{k: row[k] for k in CHECKPOINT_FIELDS}) for row in tables["checkpoints"]]
    )
    batch: list[LedgerEntry] = []
    for number, doc, stored in _ledger_lines(folder):
        batch.append(_entry(number, doc, stored))
        if len(batch) >= BATCH:
            LedgerEntry.objects.bulk_create(batch)
            batch = []
    LedgerEntry.objects.bulk_create(batch)
    LedgerHead.objects.update_or_create(id=1, defaults={"size": size})

    # Rows were written with their ids: move PostgreSQL's sequences past them.
    models = [
        Membership, Cycle, PhaseChange, Issue, Support, Signal, Solution, Advice,
        AdviceRevision, Comment, ModerationAction, AgendaPublication, Conversation, Statement,
        Vote,
    ]  # fmt: skip
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def _write_dialogue(
    tables: dict[str, list[Row]], forum: Forum, member: dict[str, Membership]
) -> None:
    """Conversations, their statements (rejected ones without text) and the votes on them.
    No opinion map is written: snapshots are derived data, recomputed from these votes
    (import_package queues that once the rows are committed)."""
    Conversation.objects.bulk_create(
        [
            Conversation(
                pk=c["id"],
                forum=forum,
                issue_id=c["issue_id"],
                created_by=member[c["opened_by"]] if c["opened_by"] else None,
                topic=c["topic"],
                description=c["description"],
                moderation=c["moderation"],
                is_open=c["is_open"],
                created_at=c["created_at"],
                last_vote_at=c["last_vote_at"],
                source=c["source"],
            )
            for c in tables["conversations"]
        ],
        batch_size=BATCH,
    )
    Statement.objects.bulk_create(
        [
            Statement(
                pk=s["id"],
                conversation_id=s["conversation_id"],
                author=member[s["author"]] if s["author"] else None,
                text=s["text"],
                status=s["status"],
                created_at=s["created_at"],
                external_id=s["external_id"],
            )
            for s in tables["statements"]
        ],
        batch_size=BATCH,
    )
    votes = []
    for v in tables["votes"]:
        voter = member.get(v["participant_id"])
        votes.append(
            Vote(
                pk=v["id"],
                conversation_id=v["conversation_id"],
                statement_id=v["statement_id"],
                # The key the services give a member's votes, or the imported voter's own.
                participant_key=member_key(voter) if voter else v["external_participant"],
                membership=voter,
                value=v["vote"],
                updated_at=v["updated_at"],
            )
        )
    Vote.objects.bulk_create(votes, batch_size=BATCH)


def read_package(path: str | Path) -> tuple[dict[str, Any], dict[str, list[Row]]]:
    """The descriptor and every table of the package, checked; raises ImportRefused."""
    folder = Path(path)
    if not folder.is_dir():
        raise ImportRefused(str(path), None, "not a folder (expected a data package folder)")
    descriptor = _descriptor(folder)
    tables = {table.name: _read_table(folder, table) for table in r.TABLES}
    _check_keys(tables)
    _check_rules(tables, descriptor["commonground"]["forum"])
    return descriptor, tables


def import_package(path: str | Path) -> ImportSummary:
    """Restore the forum in the package at ``path`` into this empty instance.

    Checks the whole package first (tables, keys, the ledger against its checkpoints),
    then writes every row in one transaction without appending to the ledger. Raises
    :class:`ImportRefused` (nothing written) for a malformed package or an instance that
    is not empty.
    """
    folder = Path(path)
    descriptor, tables = read_package(folder)
    size = _check_ledger(folder, tables, descriptor["commonground"])
    try:
        with transaction.atomic():
            _write(folder, tables, descriptor, size)
    except DatabaseError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ImportRefused("", None, f"the database refused the package: {first}") from None
    queued = _queue_maps([row["id"] for row in tables["conversations"]])
    return ImportSummary(
        forum=descriptor["commonground"]["forum"],
        counts={name: len(rows) for name, rows in tables.items()},
        ledger_entries=size,
        checkpoints=len(tables["checkpoints"]),
        maps_queued=queued,
    )


def _queue_maps(conversation_ids: list[int]) -> int:
    """Queue the opinion map of every imported conversation; returns how many were queued.

    The package holds no map (maps are derived), and until one is stored the map page
    says a map is on its way; the dialogue's own queue computes it, with the worker of the
    database backend or at once with the immediate one. Called after the import has
    committed: the rows are there whatever happens, so a failure to queue is logged and
    the next vote in that conversation queues it again.
    """
    from commonground.dialogue.services import schedule_recompute

    queued = 0
    for pk in sorted(conversation_ids):
        try:
            queued += schedule_recompute(pk)
        except Exception:
            logger.exception("queueing the opinion map of imported conversation %s failed", pk)
    return queued


__all__ = ["ImportRefused", "ImportSummary", "import_package", "read_package"]
