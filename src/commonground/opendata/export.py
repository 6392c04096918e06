"""Export every public record of a forum as a Frictionless Data Package, with its ledger.

The package (``docs/open-data.md``) holds one CSV file per table of
:mod:`commonground.opendata.resources`, the instance's ledger as ``ledger.jsonl`` (one
canonical entry per line, as ``commonground ledger export-entries`` writes it) and the
latest signed checkpoint as ``checkpoint.json``. Participant ids are the pseudonymous
public ids; no e-mail, name, affiliation, reporter or token is written. Hidden
contributions (and what only their author and the stewards may see under them) are left
out. Of the dialogue, accepted statements are exported whole and rejected ones by id only
(no text, no author), with the votes on both, since an opinion map counts rejected
statements; pending statements and their votes are left out, as the map leaves them out.
Opinion maps are derived from the votes and not exported. Rows are ordered by id
and values are written one way only, so two exports of the same records are
byte-identical; ``created`` in ``datapackage.json`` is the checkpoint's time.

All tables are read in one database snapshot in which the latest checkpoint covers the
whole ledger, so the tables and the ledger describe the same moment.
"""

from __future__ import annotations

import contextlib
import csv
import json
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.db.models import Q

from commonground.contributions.models import (
    Advice,
    AdviceRevision,
    Comment,
    ContributionSettings,
    ModerationAction,
    Signal,
    Solution,
)
from commonground.core.errors import Conflict, InvalidInput
from commonground.dialogue.models import Conversation, Statement, Vote
from commonground.forums.models import Cycle, Forum, PhaseChange
from commonground.issues.models import Issue, Support, Topic
from commonground.ledger.merkle import canonical_json, format_timestamp
from commonground.ledger.models import Checkpoint, LedgerEntry
from commonground.ledger.services import (
    LedgerDamaged,
    checkpoint_document,
    entry_document,
    latest_checkpoint,
    ledger_size,
    publish_checkpoint,
)
from commonground.opendata import resources as r
from commonground.participants.models import Membership
from commonground.recognition.models import AgendaPublication
from commonground.recognition.services import settings_of

PROFILE = "tabular-data-package"
CHUNK = 5000

# ISO 8601 UTC with microseconds and a Z, e.g. 2027-03-01T12:00:00.000000Z: the ledger's format.
iso_utc = format_timestamp

# How often to sign a fresh checkpoint and retry when entries land between the signature
# and the snapshot (each try is short; a forum that is that busy is asked to try again).
ATTEMPTS = 5


def _write_table(folder: Path, table: r.Table, rows: Iterable[Sequence[Any]]) -> int:
    """Write ``rows`` (Python values, in the table's column order) as the table's CSV file."""
    columns = table.columns
    count = 0
    with (folder / table.path).open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(table.header)
        for row in rows:
            writer.writerow(
                [column.write(value) for column, value in zip(columns, row, strict=True)]
            )
            count += 1
    return count


def _public_rows(forum: Forum) -> dict[str, Iterator[Sequence[Any]]]:
    """The rows of every table except checkpoints, as lazy iterators, by table name."""

    def forums() -> Iterator[Sequence[Any]]:
        f = forum
        extra = ContributionSettings.objects.filter(forum=f).first() or ContributionSettings()
        parent = f.parent.slug if f.parent is not None else _recorded_parent(f)
        yield (
            f.slug,
            f.name,
            f.level,
            parent,
            f.country,
            f.region,
            f.description,
            f.created_at,
            f.min_groups,
            f.min_supporters,
            f.min_share,
            f.agenda_slots,
            extra.verified_required_for_signals_and_advice,
            extra.report_threshold,
        )

    cycles = Cycle.objects.filter(forum=forum).order_by("pk")
    issues = Issue.objects.filter(forum=forum)
    signals = Signal.objects.filter(forum=forum, hidden=False)
    solutions = Solution.objects.filter(forum=forum, hidden=False)
    advice = Advice.objects.filter(forum=forum, hidden=False, solution__hidden=False)
    # A comment is public unless it, its solution or its parent is hidden.
    comments = Comment.objects.filter(forum=forum, hidden=False).exclude(
        Q(solution__hidden=True) | Q(parent__hidden=True)
    )

    # The statements and votes the opinion map is computed from (dialogue.votes.load_votes):
    # accepted and rejected ones, not pending ones. Only accepted statements are public,
    # so a rejected one goes out by id only (statement_rows blanks the rest); its votes
    # must go too, as the map counts them. Opinion snapshots are derived: left out.
    conversations = Conversation.objects.filter(forum=forum)
    statements = Statement.objects.filter(
        conversation__forum=forum,
        status__in=(Statement.Status.ACCEPTED, Statement.Status.REJECTED),
    )
    votes = Vote.objects.filter(conversation__forum=forum, statement__in=statements.values("pk"))

    def values(query: Any, *names: str) -> Iterator[Sequence[Any]]:
        return query.order_by("pk").values_list(*names).iterator(chunk_size=CHUNK)

    def vote_rows() -> Iterator[Sequence[Any]]:
        # A member's vote names the member; a voter imported from a Polis export keeps the
        # pseudonymous key it had there (x and the export's participant id).
        for pk, conversation, statement, member, key, value, updated in values(
            votes,
            "pk",
            "conversation_id",
            "statement_id",
            "membership__user__public_id",
            "participant_key",
            "value",
            "updated_at",
        ):
            external = "" if member else key
            yield (pk, conversation, statement, member, external, value, updated)

    def statement_rows() -> Iterator[Sequence[Any]]:
        for pk, conversation, author, text, status, created, external in values(
            statements,
            "pk",
            "conversation_id",
            "author__user__public_id",
            "text",
            "status",
            "created_at",
            "external_id",
        ):
            if status != Statement.Status.ACCEPTED:
                author, text = None, ""  # moderated out: its words and author are not public
            yield (pk, conversation, author, text, status, created, external)

    return {
        "forum": forums(),
        "cycles": values(
            cycles, "pk", "name", "phase", "is_open", "opened_at", "closed_at", "tally_version"
        ),
        "phase_changes": values(
            PhaseChange.objects.filter(cycle__forum=forum),
            "pk",
            "cycle_id",
            "from_phase",
            "to_phase",
            "changed_by__public_id",
            "changed_at",
        ),
        "participants": values(
            Membership.objects.filter(forum=forum),
            "user__public_id",
            "stakeholder_group",
            "country",
            "region",
            "other_hats",
            "verified",
            "verified_at",
            "role",
            "status",
            "joined_at",
            "pk",
        ),
        "topics": Topic.objects.filter(issues__forum=forum)
        .distinct()
        .order_by("slug")
        .values_list("slug", "label", "is_sdg")
        .iterator(chunk_size=CHUNK),
        "issues": values(
            issues,
            "pk",
            "cycle_id",
            "title",
            "description",
            "language",
            "author__user__public_id",
            "raised_at",
            "updated_at",
        ),
        "issue_topics": Issue.topics.through.objects.filter(issue__forum=forum)
        .order_by("issue_id", "topic__slug")
        .values_list("issue_id", "topic__slug")
        .iterator(chunk_size=CHUNK),
        "supports": values(
            Support.objects.filter(issue__forum=forum),
            "pk",
            "membership__user__public_id",
            "issue_id",
            "cycle_id",
            "stakeholder_group",
            "created_at",
        ),
        "signals": values(
            signals,
            "pk",
            "issue_id",
            "author__user__public_id",
            "jurisdiction",
            "priority",
            "statement",
            "created_at",
            "updated_at",
        ),
        "solutions": values(
            solutions,
            "pk",
            "issue_id",
            "author__user__public_id",
            "title",
            "description",
            "actors",
            "created_at",
            "updated_at",
        ),
        "advice": values(
            advice,
            "pk",
            "solution_id",
            "author__user__public_id",
            "feasibility",
            "conditions",
            "benefits",
            "risks",
            "affected_groups",
            "evidence",
            "revision_count",
            "created_at",
            "updated_at",
        ),
        "advice_revisions": values(
            AdviceRevision.objects.filter(advice__in=advice.values("pk")),
            "pk",
            "advice_id",
            "number",
            "feasibility",
            "conditions",
            "benefits",
            "risks",
            "affected_groups",
            "evidence",
            "created_at",
        ),
        "comments": values(
            comments,
            "pk",
            "issue_id",
            "solution_id",
            "parent_id",
            "author__user__public_id",
            "body",
            "stance",
            "created_at",
            "updated_at",
            "deleted_at",
        ),
        "moderation_log": values(
            ModerationAction.objects.filter(forum=forum),
            "pk",
            "kind",
            "object_id",
            "issue_id",
            "action",
            "automatic",
            "reason",
            "steward__user__public_id",
            "created_at",
        ),
        "agenda_publications": values(
            AgendaPublication.objects.filter(cycle__forum=forum),
            "pk",
            "cycle_id",
            "number",
            "published_at",
            "published_by__public_id",
            "settings",
            "agenda",
            "entries",
        ),
        "conversations": values(
            conversations,
            "pk",
            "issue_id",
            "created_by__user__public_id",
            "topic",
            "description",
            "moderation",
            "is_open",
            "created_at",
            "last_vote_at",
            "source",
        ),
        "statements": statement_rows(),
        "votes": vote_rows(),
    }


def _recorded_parent(forum: Forum) -> str:
    """The parent slug an import recorded for a forum whose parent lives elsewhere."""
    from commonground.opendata.models import ImportRecord

    record = ImportRecord.objects.filter(forum=forum).values_list("parent_slug", flat=True)
    return record.first() or ""


@contextlib.contextmanager
def _snapshot() -> Iterator[None]:
    """One consistent view of the database for all the reads inside.

    On PostgreSQL a REPEATABLE READ, READ ONLY transaction; on SQLite any transaction
    reads one snapshot. Inside an outer transaction (tests) that transaction is the view.
    """
    outer = connection.in_atomic_block
    with transaction.atomic():
        if not outer and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def _write_ledger(folder: Path, tree_size: int, forum_slug: str) -> int:
    """Write entries 1..tree_size as ledger.jsonl; returns how many belong to the forum."""
    own = 0
    rows = LedgerEntry.objects.filter(seq__lte=tree_size).order_by("seq").iterator(chunk_size=CHUNK)
    with (folder / r.LEDGER_FILE).open("w", encoding="utf-8", newline="\n") as out:
        for entry in rows:
            try:
                data = canonical_json({**entry_document(entry), "leaf_hash": entry.leaf_hash})
            except ValueError as exc:
                raise InvalidInput(f"ledger entry {entry.seq} cannot be encoded: {exc}") from None
            out.write(data.decode("utf-8") + "\n")
            own += entry.forum == forum_slug
    return own


def _prepare(directory: str | Path) -> Path:
    target = Path(directory)
    if target.exists() and not target.is_dir():
        raise InvalidInput(f"{target} exists and is not a directory.")
    if target.exists() and any(target.iterdir()):
        raise InvalidInput(f"{target} is not empty; export into a new or empty directory.")
    target.mkdir(parents=True, exist_ok=True)
    return target


def _recognition_cycle(forum: Forum) -> Cycle | None:
    """The cycle ``agenda --from`` recomputes: the open one, else the latest opened."""
    return Cycle.objects.filter(forum=forum).order_by("-is_open", "-opened_at", "-pk").first()


def export_forum(forum: Forum, directory: str | Path) -> Path:
    """Write the forum's data package with the ledger into ``directory``; returns its path.

    Signs a checkpoint first when the ledger has grown since the latest one (publishing a
    checkpoint is not a ledger entry), so that ``ledger.jsonl`` covers every record in the
    tables. Raises :class:`InvalidInput` for a non-empty target directory and
    :class:`Conflict` when the ledger keeps growing faster than a snapshot can be taken.
    """
    target = _prepare(directory)
    for _ in range(ATTEMPTS):
        try:
            publish_checkpoint()
        except LedgerDamaged as exc:
            raise InvalidInput(f"cannot export a damaged ledger: {exc}") from None
        with _snapshot():
            checkpoint = latest_checkpoint()
            if checkpoint is None or checkpoint.tree_size != ledger_size():
                continue  # entries landed after the signature: sign again
            _write_package(Forum.objects.get(pk=forum.pk), target, checkpoint)
            return target
    raise Conflict("The ledger kept growing during the export; try again.")


def _write_package(forum: Forum, target: Path, checkpoint: Checkpoint) -> None:
    counts: dict[str, int] = {}
    for table, rows in _public_rows(forum).items():
        counts[table] = _write_table(target, _table(table), rows)
    counts["checkpoints"] = _write_table(
        target,
        r.CHECKPOINTS,
        Checkpoint.objects.filter(tree_size__lte=checkpoint.tree_size)
        .order_by("tree_size")
        .values_list("tree_size", "root_hash", "timestamp", "origin", "public_key", "signature"),
    )
    own = _write_ledger(target, checkpoint.tree_size, forum.slug)
    (target / r.CHECKPOINT_FILE).write_text(
        json.dumps(checkpoint_document(checkpoint), indent=2) + "\n", encoding="utf-8"
    )
    cycle = _recognition_cycle(forum)
    section: dict[str, Any] = {
        "format": r.PACKAGE_FORMAT,
        "forum": forum.slug,
        "level": forum.level,
        "cycle": cycle.name if cycle else None,
        "cycle_id": str(cycle.pk) if cycle else None,
        "phase": cycle.phase if cycle else None,
        "counts": counts,
        "recognition": settings_of(forum).to_dict(),
        "ledger": {
            "entries": r.LEDGER_FILE,
            "checkpoint": r.CHECKPOINT_FILE,
            "tree_size": checkpoint.tree_size,
            "root_hash": checkpoint.root_hash,
            "forum_entries": own,
        },
    }
    descriptor = {
        "profile": PROFILE,
        "name": f"commonground-{forum.slug}",
        "title": f"{forum.name}: open data",
        "description": (
            f"Every public record of the forum {forum.name}, with the instance's ledger "
            f"({r.LEDGER_FILE}, entries of this forum have forum = {forum.slug!r}) and its "
            f"latest signed checkpoint ({r.CHECKPOINT_FILE})."
        ),
        "licenses": [
            {
                "name": "CC-BY-4.0",
                "path": "https://creativecommons.org/licenses/by/4.0/",
                "title": "Creative Commons Attribution 4.0",
            }
        ],
        # The checkpoint's time, not the clock: the package states the ledger at that
        # checkpoint, and a second export of the same records gives the same bytes.
        "created": checkpoint.timestamp,
        "resources": [table.resource() for table in r.TABLES],
        "commonground": section,
    }
    (target / r.DESCRIPTOR_FILE).write_text(
        json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )


def _table(name: str) -> r.Table:
    return next(t for t in r.TABLES if t.name == name)
