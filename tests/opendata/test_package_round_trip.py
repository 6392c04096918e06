"""A forum's complete data package: every public record, the ledger, and a lossless import.

The forum is seeded through the services with every kind of record; the export must hold
the public ones (and nothing hidden or private), pass ``frictionless validate`` and the
offline ledger audit, and import into an empty instance so that exporting again gives the
same files, byte for byte.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count

from commonground.access.lookup import open_cycle_of
from commonground.cli import main as cli
from commonground.contributions import services as contributions
from commonground.contributions.models import Comment, Kind, Solution
from commonground.contributions.services.translations import SOLUTION
from commonground.dialogue import services as dialogue
from commonground.dialogue.models import Conversation, OpinionSnapshot, Statement, Vote
from commonground.forums.models import Forum
from commonground.forums.services import advance_cycle, open_cycle, update_recognition_settings
from commonground.issues import translating
from commonground.issues.models import Issue
from commonground.issues.services import edit_issue, raise_issue, support_issue, withdraw_support
from commonground.issues.translations import add_translation
from commonground.ledger.models import LedgerEntry
from commonground.ledger.services import ledger_size, publish_checkpoint
from commonground.opendata.export import export_forum
from commonground.opendata.importer import ImportRefused, import_package
from commonground.opendata.package_reader import agenda_from_package
from commonground.opendata.polis_import import import_polis
from commonground.opendata.resources import TABLES
from commonground.participants.models import Membership, User
from commonground.participants.services import set_verified
from commonground.recognition.services import live_agenda, publish_agenda
from tests.conftest import PERSONAS, World, make_user
from tests.ledger_helpers import set_cell as _edit

# Real transactions: the export reads in its own snapshot transaction (REPEATABLE READ on
# PostgreSQL) and the tests empty the instance with a flush, as an operator's fresh
# database would be.
pytestmark = pytest.mark.django_db(transaction=True)

HIDDEN_COMMENT = "This comment breaks the rules and stays hidden"
HIDDEN_SOLUTION = "A hidden solution nobody should read"
HIDDEN_TRANSLATION = "Una traducción que un moderador ocultó"
UNDER_HIDDEN_SOLUTION = "Traduction d'une solution masquée"
RESTORED_COMMENT = "Hidden by mistake, then restored"
PENDING_STATEMENT = "Still waiting for a steward to look at it"
REJECTED_STATEMENT = "A statement the steward rejected after a vote"
REJECTED_POLIS_STATEMENT = "Moderated out in the Polis export"


def _tiny_polis_export(folder: Path) -> Path:
    """A Polis open-data export of three voters (7, 8, 9) on three statements; statement 2
    is moderated out and voter 7 changes a vote (votes.csv keeps the history)."""
    folder.mkdir()
    (folder / "comments.csv").write_text(
        "comment-id,moderated,comment-body\n"
        "0,1,Public transport should be free\n"
        "1,0,Cycle lanes first\n"
        f"2,-1,{REJECTED_POLIS_STATEMENT}\n",
        encoding="utf-8",
    )
    (folder / "votes.csv").write_text(
        "timestamp,comment-id,voter-id,vote\n"
        "1000,0,7,1\n1001,1,7,-1\n1002,0,8,-1\n1003,2,8,1\n1004,1,9,0\n1005,0,7,-1\n",
        encoding="utf-8",
    )
    (folder / "summary.csv").write_text("topic,Getting around town\n", encoding="utf-8")
    return folder


def seed_dialogue(world: World, issue: Issue) -> dict[str, Any]:
    """A strict conversation on ``issue`` (accepted, pending and rejected statements, a
    changed vote) and a Polis export imported as a second one, on no issue."""
    gov, igo = world.member["government"], world.member["intergovernmental"]
    civil, private = world.member["civil_society"], world.member["private_sector"]
    steward = world.steward
    talk = dialogue.open_conversation(
        steward, issue, topic="Connecting rural schools", description="Short statements, please."
    )
    first = dialogue.add_statement(steward, talk, "Schools should be connected first.")
    second = dialogue.add_statement(civil, talk, "Community networks need spectrum.")
    dialogue.moderate_statement(steward, second, "accepted")
    pending = dialogue.add_statement(private, talk, PENDING_STATEMENT)
    rejected = dialogue.add_statement(gov, talk, REJECTED_STATEMENT)
    dialogue.moderate_statement(steward, rejected, "accepted")
    dialogue.cast_vote(igo, rejected, "agree")  # its vote leaves the package with it
    dialogue.moderate_statement(steward, rejected, "rejected")
    for user, value in ((civil, 1), (gov, -1), (igo, 0), (private, 1)):
        dialogue.cast_vote(user, first, value)
    dialogue.cast_vote(gov, second, "agree")
    dialogue.cast_vote(civil, first, "disagree")  # changed: the last vote counts
    with tempfile.TemporaryDirectory() as scratch:
        polis = import_polis(
            _tiny_polis_export(Path(scratch) / "town-transport"), world.forum, compute_map=False
        )
    return {
        "conversation": talk,
        "first": first,
        "pending": pending,
        "rejected": rejected,
        "polis": polis.conversation,
    }


def seed_everything(world: World) -> dict[str, Any]:
    """Every kind of record, through the services: two cycles, contributions, moderation."""
    gov, igo = world.member["government"], world.member["intergovernmental"]
    civil, private = world.member["civil_society"], world.member["private_sector"]
    academic, inet = world.member["academic_technical"], world.member["internet_institution"]
    steward = world.steward
    update_recognition_settings(
        steward, world.forum, min_groups=2, min_supporters=1, min_share=0.05, agenda_slots=5
    )
    contributions.update_settings(steward, world.forum, verified_required=False, report_threshold=4)
    set_verified(steward, world.membership["government"])

    access = raise_issue(
        civil,
        world.forum,
        title='Rural access, "affordable", for all',
        description="Line one.\n\nLine two with *emphasis*, a comma and ünïcödé.",
        topics=["SDG 9", "community networks"],
    )
    edit_issue(
        civil,
        access,
        title="Rural access, affordable, for all",
        description="Edited description.\nSecond line.",
        topics=["SDG 9", "community networks", "access"],
    )
    privacy = raise_issue(gov, world.forum, title="Data protection", description="Cross-border.")
    for user in (gov, igo, civil, private, academic, inet):
        support_issue(user, access)
    for user in (gov, civil, private):
        support_issue(user, privacy)
    withdraw_support(private, privacy)

    contributions.signal_concern(
        gov, access, jurisdiction="KE", priority="high", statement="Our **ministry** is concerned."
    )
    contributions.signal_concern(
        igo, privacy, jurisdiction="ITU", priority="medium", statement="Noted."
    )
    solution = contributions.propose_solution(
        private, access, title="Community networks", description="Spectrum.", actors=["ISPs"]
    )
    hidden_solution = contributions.propose_solution(
        civil, access, title=HIDDEN_SOLUTION, description="Hidden text.", actors=[]
    )
    advice = contributions.give_advice(
        academic,
        solution,
        feasibility="feasible_with_conditions",
        conditions="Licence-exempt spectrum.",
        benefits="Cheaper access.",
        risks="Interference.",
        affected_groups=["private_sector", "civil_society"],
        evidence=["https://example.org/study"],
    )
    for feasibility in ("feasible", "unclear"):  # edited twice: three revisions
        advice = contributions.revise_advice(
            academic,
            advice,
            feasibility=feasibility,
            conditions=f"Revised to {feasibility}.",
            benefits="Cheaper access.",
            risks="",
            affected_groups=["civil_society"],
            evidence=["https://example.org/study", "https://example.org/second"],
        )
    contributions.give_advice(inet, hidden_solution, feasibility="not_feasible")
    # Community translations: shown ones are in the package, hidden ones (and those of a
    # hidden solution) are not.
    add_translation(gov, access, language="fr", title="Accès rural", description="*Traduit*.")
    translating.add_translation(
        SOLUTION, gov, solution, language="fr", title="Réseaux communautaires", body="Spectre."
    )
    hidden_translation = translating.add_translation(
        SOLUTION, igo, solution, language="es", title=HIDDEN_TRANSLATION, body="Oculto."
    )
    translating.moderate_translation(
        SOLUTION, steward, hidden_translation, hide=True, reason="Not faithful."
    )
    translating.add_translation(
        SOLUTION, gov, hidden_solution, language="fr", title=UNDER_HIDDEN_SOLUTION, body="Non."
    )

    top = contributions.add_comment(
        civil, issue=access, body="A first comment.", stance="in_favour"
    )
    contributions.add_comment(gov, issue=access, body="A reply.", stance="against", parent=top)
    contributions.add_comment(igo, solution=solution, body="On the solution.")
    deleted = contributions.add_comment(private, issue=access, body="I take this back.")
    contributions.delete_comment(private, deleted)
    hidden = contributions.add_comment(private, issue=privacy, body=HIDDEN_COMMENT)
    contributions.moderate(steward, Kind.COMMENT, hidden, hide=True, reason="Off topic.")
    restored = contributions.add_comment(inet, issue=privacy, body=RESTORED_COMMENT)
    contributions.moderate(steward, Kind.COMMENT, restored, hide=True, reason="Checking.")
    contributions.moderate(steward, Kind.COMMENT, restored, hide=False, reason="It is fine.")
    contributions.moderate(
        steward, Kind.SOLUTION, hidden_solution, hide=True, reason="Duplicate of another."
    )
    publish_checkpoint()  # a checkpoint in the middle of the history

    advance_cycle(steward, world.forum)  # agenda setting
    publish_agenda(steward, world.forum)
    support_issue(private, privacy)
    publish_agenda(steward, world.forum)
    while open_cycle_of(world.forum).is_open:  # through every phase, then closed
        cycle = advance_cycle(steward, world.forum)
        if not cycle.is_open:
            break
    open_cycle(steward, world.forum, "2028")
    later = raise_issue(inet, world.forum, title="Routing security", description="RPKI.")
    support_issue(academic, later)
    talk = seed_dialogue(world, later)
    return {"hidden": hidden, "restored": restored, "hidden_solution": hidden_solution, **talk}


def _files(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def _rows(folder: Path, table: str) -> list[dict[str, str]]:
    with (folder / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _empty_the_instance() -> None:
    """Every table emptied (TRUNCATE on PostgreSQL, which the append-only triggers allow)."""
    if connection.vendor == "postgresql":
        # Inside a test's transaction the foreign-key checks of the rows just written are
        # still pending, and PostgreSQL truncates no table with pending checks: run them now.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)
    assert not Forum.objects.exists() and not LedgerEntry.objects.exists()


def test_export_holds_every_public_record_and_nothing_hidden_or_private(
    world: World, tmp_path: Path
) -> None:
    seeded = seed_everything(world)
    package = export_forum(world.forum, tmp_path / "pkg")
    names = {path.name for path in package.iterdir()}
    assert names == {t.path for t in TABLES} | {
        "datapackage.json",
        "ledger.jsonl",
        "checkpoint.json",
    }
    counts = json.loads((package / "datapackage.json").read_text())["commonground"]["counts"]
    assert counts["cycles"] == 2 and counts["issues"] == 3
    assert counts["phase_changes"] == 1 + 7 + 1  # opened, six advances and the close; 2028
    assert counts["advice_revisions"] == 3 and counts["agenda_publications"] == 2
    assert counts["supports"] == 6 + 3 - 1 + 1 + 1
    assert [r["tree_size"] for r in _rows(package, "checkpoints")][-1] == str(ledger_size())

    # Hidden contributions and what sits under them are left out; the log keeps the acts.
    comments = {int(r["id"]): r for r in _rows(package, "comments")}
    assert seeded["hidden"].pk not in comments
    assert comments[seeded["restored"].pk]["body"] == RESTORED_COMMENT
    stub = next(r for r in comments.values() if r["deleted_at"])
    assert stub["body"] == "" and stub["author"] == world.member["private_sector"].public_id
    reply = next(r for r in comments.values() if r["parent_id"])
    assert comments[int(reply["parent_id"])]["body"] == "A first comment."
    solutions = {int(r["id"]) for r in _rows(package, "solutions")}
    assert seeded["hidden_solution"].pk not in solutions
    assert all(int(r["solution_id"]) in solutions for r in _rows(package, "advice"))
    log = _rows(package, "moderation_log")
    assert [(r["kind"], r["action"]) for r in log] == [
        ("comment", "hide"),
        ("comment", "hide"),
        ("comment", "restore"),
        ("solution", "hide"),
    ]
    assert {r["steward"] for r in log} == {world.steward.public_id}
    tables = b"".join(
        (package / t.path).read_bytes() for t in TABLES if t.name != "moderation_log"
    ).decode()
    assert HIDDEN_COMMENT not in tables and HIDDEN_SOLUTION not in tables
    assert HIDDEN_TRANSLATION not in tables and UNDER_HIDDEN_SOLUTION not in tables
    assert counts["issue_translations"] == 1 and counts["solution_translations"] == 1
    assert [r["language"] for r in _rows(package, "solutions")] == ["en"]
    for text in (PENDING_STATEMENT, REJECTED_STATEMENT, REJECTED_POLIS_STATEMENT):
        assert text not in tables
    # No e-mail, display name or affiliation anywhere in the package.
    everything = b"".join(_files(package).values()).decode()
    for email, _ in PERSONAS.values():
        assert email not in everything
    assert "sam.steward@example.org" not in everything and "Sam Steward" not in tables
    revisions = [r for r in _rows(package, "advice_revisions")]
    assert [r["number"] for r in revisions] == ["1", "2", "3"]
    assert [r["feasibility"] for r in revisions] == [
        "feasible_with_conditions",
        "feasible",
        "unclear",
    ]


def test_export_holds_conversations_public_statements_and_current_votes_only(
    world: World, tmp_path: Path
) -> None:
    seeded = seed_everything(world)
    assert OpinionSnapshot.objects.exists()  # the votes did compute a map
    package = export_forum(world.forum, tmp_path / "pkg")
    talk, polis = seeded["conversation"], seeded["polis"]

    conversations = {int(r["id"]): r for r in _rows(package, "conversations")}
    assert set(conversations) == {talk.pk, polis.pk}
    row = conversations[talk.pk]
    assert row["issue_id"] == str(talk.issue_id) and row["opened_by"] == world.steward.public_id
    assert (row["moderation"], row["is_open"], row["source"]) == ("strict", "true", "")
    assert row["description"] == "Short statements, please." and row["last_vote_at"]
    row = conversations[polis.pk]
    assert (row["issue_id"], row["opened_by"], row["is_open"]) == ("", "", "false")
    assert row["source"] == "polis:town-transport" and row["topic"].startswith("Getting around")

    # Accepted statements whole, rejected ones by id only; the pending one stays out.
    statements = _rows(package, "statements")
    rejected = [r for r in statements if r["status"] == "rejected"]
    assert {int(r["id"]) for r in rejected} == {
        seeded["rejected"].pk,
        Statement.objects.get(conversation=polis, external_id=2).pk,
    }
    assert all((r["text"], r["author"]) == ("", "") for r in rejected)
    assert {r["external_id"] for r in rejected} == {"", "2"}
    assert str(seeded["pending"].pk) not in {r["id"] for r in statements}
    by_text = {r["text"]: r for r in statements if r["status"] == "accepted"}
    assert set(by_text) == {
        "Schools should be connected first.",
        "Community networks need spectrum.",
        "Public transport should be free",
        "Cycle lanes first",
    }
    # No statement names its author: the API shows it only to stewards and the author.
    assert all(r["author"] == "" for r in statements)
    assert by_text["Cycle lanes first"]["external_id"] == "1"

    # Votes: each voter's current vote on each exported statement, members by participant id.
    votes = _rows(package, "votes")
    exported = {int(r["id"]) for r in statements}
    assert all(int(v["statement_id"]) in exported for v in votes)
    first = seeded["first"].pk
    on_first = {v["participant_id"]: v["vote"] for v in votes if v["statement_id"] == str(first)}
    member = {g: world.member[g].public_id for g in ("civil_society", "government")}
    assert on_first[member["civil_society"]] == "-1"  # changed from agree: the last one counts
    assert on_first[member["government"]] == "-1" and len(on_first) == 4
    # The first statement, the second, the rejected one, the Polis export's (one rejected).
    assert len(votes) == 4 + 1 + 1 + 5
    on_rejected = [v for v in votes if v["statement_id"] == str(seeded["rejected"].pk)]
    assert [(v["participant_id"], v["vote"]) for v in on_rejected] == [
        (world.member["intergovernmental"].public_id, "1")
    ]
    external = [v for v in votes if v["external_participant"]]
    assert {v["external_participant"] for v in external} == {"x7", "x8", "x9"}
    assert all(v["participant_id"] == "" for v in external)
    assert sorted(v["vote"] for v in external if v["external_participant"] == "x7") == ["-1", "-1"]
    # Opinion maps are derived data: no file, no column holds them.
    assert not any("snapshot" in path.name or "opinion" in path.name for path in package.iterdir())


def test_export_passes_frictionless_and_the_offline_ledger_audit(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed_everything(world)
    package = export_forum(world.forum, tmp_path / "pkg")
    done = subprocess.run(
        [sys.executable, "-m", "frictionless", "validate", str(package / "datapackage.json")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    entries, checkpoint = str(package / "ledger.jsonl"), str(package / "checkpoint.json")
    assert cli(["ledger", "verify", "--entries", entries, "--checkpoint", checkpoint]) == 0
    assert f"ledger OK: {ledger_size()} entries" in capsys.readouterr().out
    # ledger.jsonl is what `ledger export-entries` writes, byte for byte.
    assert cli(["ledger", "export-entries", str(tmp_path / "entries.jsonl")]) == 0
    assert (tmp_path / "entries.jsonl").read_bytes() == (package / "ledger.jsonl").read_bytes()
    own = [json.loads(line) for line in (package / "ledger.jsonl").read_text().splitlines()]
    descriptor = json.loads((package / "datapackage.json").read_text())
    forum_entries = sum(1 for e in own if e["forum"] == "kenya-igf")
    assert descriptor["commonground"]["ledger"]["forum_entries"] == forum_entries > 40
    # The agenda recomputed from the package is the live agenda of the open cycle (the
    # settings service changed a fresh copy of the forum, so this one is read again).
    world.forum.refresh_from_db()
    live = live_agenda(open_cycle_of(world.forum)).to_json_dict()
    assert agenda_from_package(package) == json.loads(json.dumps(live))


def test_import_into_an_empty_instance_restores_everything_byte_for_byte(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str], settings: Any
) -> None:
    seed_everything(world)
    first = export_forum(world.forum, tmp_path / "first")
    size = ledger_size()
    _empty_the_instance()
    # A queue that no worker runs: the maps the import queues are not computed (and
    # append nothing), so what is compared is the import alone.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}

    summary = import_package(first)
    assert summary.forum == "kenya-igf" and summary.ledger_entries == size
    assert summary.maps_queued == 2 and summary.line().endswith(
        "; opinion maps queued for 2 conversations"
    )
    assert not Conversation.objects.filter(map_queued_at__isnull=True).exists()
    assert ledger_size() == size  # the import appended nothing to the ledger
    second = export_forum(Forum.objects.get(slug="kenya-igf"), tmp_path / "second")
    assert _files(second) == _files(first)
    assert cli(["ledger", "verify"]) == 0
    assert f"ledger OK: {size} entries, 2 checkpoints" in capsys.readouterr().out

    forum = Forum.objects.get(slug="kenya-igf")
    assert forum.parent is None and forum.import_record.parent_slug == "africa-igf"
    # Imported participants keep their public ids and cannot log in.
    steward = User.objects.get(public_id=world.steward.public_id)
    assert not steward.has_usable_password() and steward.email.endswith(".invalid")
    assert Membership.objects.get(user=steward).is_steward
    # Derived tallies are rebuilt: the live agenda matches the package again.
    live = live_agenda(open_cycle_of(forum)).to_json_dict()
    assert agenda_from_package(second) == json.loads(json.dumps(live))
    # The restored instance takes new records with fresh ids.
    newcomer = make_user("new.comer@example.org")
    Membership.objects.create(
        forum=forum,
        user=newcomer,
        stakeholder_group="civil_society",
        country="KE",
        region="african",
    )
    issue = raise_issue(newcomer, forum, title="After the import", description="Works.")
    assert issue.pk > max(int(r["id"]) for r in _rows(first, "issues"))
    assert Solution.objects.count() == 1 and Comment.objects.filter(hidden=True).count() == 0

    # The dialogue: statements (rejected ones without text) and current votes, members'
    # votes under their keys; no opinion map came with the package, and one can be
    # computed from the votes.
    assert not OpinionSnapshot.objects.exists()
    assert not Statement.objects.filter(status=Statement.Status.PENDING).exists()
    rejected = Statement.objects.filter(status=Statement.Status.REJECTED)
    assert rejected.count() == 2 and {(s.text, s.author_id) for s in rejected} == {("", None)}
    civil = Membership.objects.get(user__public_id=world.member["civil_society"].public_id)
    vote = Vote.objects.get(statement__text="Schools should be connected first.", membership=civil)
    assert (vote.participant_key, vote.value) == (f"m{civil.pk}", -1)
    talk = Conversation.objects.get(source="")
    snapshot = dialogue.recompute_opinion_map(talk)
    # Four members; five votes on accepted statements and one on the rejected statement.
    assert snapshot is not None and (snapshot.participants, snapshot.votes) == (4, 6)
    later = dialogue.add_statement(civil.user, talk, "Added after the import.")
    assert later.pk > max(int(r["id"]) for r in _rows(first, "statements"))


def _two_camp_polis_export(folder: Path) -> Path:
    """A Polis export in which the moderated-out statements matter to the map.

    Two camps of 14 voters each agree with "their" statements 0-4 or 5-9 and disagree
    with the other camp's; statements 10-12 are moderated out. Voters 0-5 of each camp
    voted on only five public statements besides the three moderated-out ones: they are
    in the conversation (at least 7 votes) only because moderated-out votes count.
    """
    import random

    rng = random.Random(11)
    folder.mkdir()
    lines = ["comment-id,moderated,comment-body"]
    for cid in range(13):
        lines.append(f"{cid},{-1 if cid >= 10 else 1},Statement number {cid}")
    (folder / "comments.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    votes = ["timestamp,comment-id,voter-id,vote"]
    stamp = 1000
    for voter in range(28):
        camp, rank = divmod(voter, 14)
        public = list(range(10)) if rank >= 6 else rng.sample(range(10), 5)
        for cid in [*public, *([10, 11, 12] if rank < 6 else [])]:
            ours = (cid < 5) == (camp == 0)
            value = 1 if ours else -1
            if cid >= 10 or rng.random() < 0.15:
                value = rng.choice((-1, 0, 1))
            stamp += 1
            votes.append(f"{stamp},{cid},{100 + voter},{value}")
    (folder / "votes.csv").write_text("\n".join(votes) + "\n", encoding="utf-8")
    (folder / "summary.csv").write_text("topic,Two camps\n", encoding="utf-8")
    return folder


def _map(conversation_id: int) -> dict[str, Any]:
    """The stored map of a conversation, without how long it took to compute."""
    snapshot = OpinionSnapshot.objects.filter(conversation_id=conversation_id).first()
    assert snapshot is not None, f"conversation {conversation_id} has no map"
    return {k: v for k, v in snapshot.result.items() if k != "seconds"}


def test_opinion_map_recomputed_after_the_round_trip_equals_the_source_map(
    world: World, tmp_path: Path
) -> None:
    """Rejected statements and their votes travel by id, so the recomputed map (groups,
    members, consensus, every statement's figures) is the source's, and the import
    queues it at once: no map page is left saying it is being computed."""
    from django.test import Client

    camps = import_polis(_two_camp_polis_export(tmp_path / "camps"), world.forum)
    source = _map(camps.conversation.pk)
    # The map is one the rejected statements shape: two groups; the moderated-out
    # statements are in it; twelve voters are in the conversation thanks to them.
    assert source["k"] == 2 and source["in_conversation"] == 28
    out = {sid for sid, row in source["statements"].items() if row["moderated_out"]}
    assert len(out) == 3
    with_public_only = (
        Vote.objects.filter(conversation=camps.conversation, statement__status="accepted")
        .values("participant_key")
        .annotate(n=Count("id"))
        .filter(n__gte=7)
        .count()
    )
    assert with_public_only == 16
    issue = raise_issue(world.member["civil_society"], world.forum, title="Roads", description="-")
    seeded = seed_dialogue(world, issue)  # members' votes: stakeholder groups in the map
    talk = seeded["conversation"].pk
    dialogue.recompute_opinion_map(seeded["polis"])
    # The source's maps computed afresh (a live map starts warm from the one before it,
    # an imported instance has none to start from).
    OpinionSnapshot.objects.all().delete()
    conversations = [camps.conversation.pk, talk, seeded["polis"].pk]
    for pk in conversations:
        dialogue.recompute_opinion_map(Conversation.objects.get(pk=pk))
    before = {pk: _map(pk) for pk in conversations}
    # The import's own map continued Polis's replayed history, so a fresh computation
    # may number the groups or orient the axes differently; the groups are the same.
    fresh = before[camps.conversation.pk]
    assert (fresh["k"], fresh["in_conversation"]) == (source["k"], source["in_conversation"])
    assert sorted(g["size"] for g in fresh["groups"]) == sorted(g["size"] for g in source["groups"])
    assert before[talk]["cross"]["stakeholder_groups"]  # members' groups are in the map

    package = export_forum(world.forum, tmp_path / "pkg")
    _empty_the_instance()
    summary = import_package(package)  # the immediate backend computes the queued maps

    assert summary.maps_queued == 3
    for pk in conversations:
        assert _map(pk) == before[pk], f"conversation {pk}"
        assert OpinionSnapshot.objects.filter(conversation_id=pk).count() == 1
        answer = Client().get(f"/api/v1/conversations/{pk}/opinion-map")
        assert answer.status_code == 200 and answer.json()["recomputing"] is False
        page = Client().get(f"/conversations/{pk}/map/")
        assert page.status_code == 200 and b"being computed" not in page.content


def test_import_refuses_an_instance_that_is_not_empty(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed_everything(world)
    package = export_forum(world.forum, tmp_path / "pkg")
    size = ledger_size()
    assert cli(["import", str(package)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "not empty" in err and err.count("\n") == 1
    assert ledger_size() == size and Forum.objects.count() == 3


def _rename_column(path: Path, old: str, new: str) -> None:
    lines = path.read_text(encoding="utf-8").split("\n", 1)
    path.write_text(lines[0].replace(old, new) + "\n" + lines[1], encoding="utf-8")


def _tamper_entry(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    entry = json.loads(lines[2])
    entry["action"] = "forum.delete"
    lines[2] = json.dumps(entry) + "\n"
    path.write_text("".join(lines), encoding="utf-8")


BREAKAGES: dict[str, tuple[Any, str]] = {
    "unknown phase": (
        lambda p: _edit(p / "cycles.csv", 1, "phase", "lunch"),
        "cycles.csv row 1: phase 'lunch' is not one of",
    ),
    "support of a missing issue": (
        lambda p: _edit(p / "supports.csv", 2, "issue_id", "999999"),
        "supports.csv row 2: issue_id 999999 is not in issues.csv",
    ),
    "missing column": (
        lambda p: _rename_column(p / "comments.csv", "parent_id", "parent"),
        "comments.csv: missing column 'parent_id'",
    ),
    "bad time": (
        lambda p: _edit(p / "issues.csv", 1, "raised_at", "yesterday"),
        "issues.csv row 1: raised_at 'yesterday' is not a time",
    ),
    "duplicate participant": (
        lambda p: _edit(p / "participants.csv", 2, "id", _rows(p, "participants")[0]["id"]),
        "participants.csv row 2: duplicate key",
    ),
    "script link as evidence": (
        lambda p: _edit(p / "advice.csv", 1, "evidence", '["javascript:alert(1)"]'),
        "advice.csv row 1: evidence must list links",
    ),
    "rewritten ledger entry": (
        lambda p: _tamper_entry(p / "ledger.jsonl"),
        "ledger.jsonl: ledger FAILED at seq 3: the stored leaf hash does not match",
    ),
    "vote on an unknown statement": (
        lambda p: _edit(p / "votes.csv", 1, "statement_id", "999999"),
        "votes.csv row 1: statement_id 999999 is not in statements.csv",
    ),
    "vote outside -1, 0, 1": (
        lambda p: _edit(p / "votes.csv", 2, "vote", "2"),
        "votes.csv row 2: vote '2' is not one of: -1, 0, 1",
    ),
    "vote by nobody": (
        lambda p: _edit(p / "votes.csv", 1, "participant_id", ""),
        "votes.csv row 1: needs exactly one of participant_id, external_participant",
    ),
    "rejected statement with its text": (
        lambda p: _edit(p / "statements.csv", 1, "status", "rejected"),
        "statements.csv row 1: a rejected statement is exported by id only: text and author",
    ),
    "accepted statement without text": (
        # Row 3 is the rejected statement of the strict conversation (ids: first, second,
        # the pending one, which is not exported, then the rejected one).
        lambda p: _edit(p / "statements.csv", 3, "status", "accepted"),
        "statements.csv row 3: an accepted statement needs its text",
    ),
    "pending statement": (
        lambda p: _edit(p / "statements.csv", 1, "status", "pending"),
        "statements.csv row 1: status 'pending' is not one of: accepted, rejected",
    ),
    "other format": (
        lambda p: (p / "datapackage.json").write_text('{"commonground": {"format": "x/v9"}}'),
        "datapackage.json: commonground.format is 'x/v9'",
    ),
}


@pytest.mark.parametrize("breakage", BREAKAGES)
def test_import_refuses_a_malformed_package_naming_file_row_and_problem(
    world: World, tmp_path: Path, breakage: str
) -> None:
    seed_everything(world)
    package = export_forum(world.forum, tmp_path / "pkg")
    change, message = BREAKAGES[breakage]
    change(package)
    _empty_the_instance()
    with pytest.raises(ImportRefused) as refused:
        import_package(package)
    assert str(refused.value).startswith(message) and "\n" not in str(refused.value)

    assert not Forum.objects.exists() and not LedgerEntry.objects.exists()


def test_cli_import_into_a_fresh_instance_then_export_gives_the_same_records_and_maps(
    world: World, tmp_path: Path
) -> None:
    """As an operator would: ``commonground import`` on a new data directory (SQLite).

    The import computes the conversations' maps (immediate task backend), which appends
    their ``conversation.opinion_map`` entries: the tables export again byte for byte,
    and the ledger is the package's followed by those entries only.
    """
    from tests.operations.helpers import base_env, cg

    seed_everything(world)
    first = export_forum(world.forum, tmp_path / "first")
    env = {**base_env(tmp_path / "instance"), "COMMONGROUND_TASKS": "immediate"}
    done = cg(env, "import", str(first))
    assert done.stdout.startswith("imported forum kenya-igf: ")
    assert done.stdout.endswith("; opinion maps queued for 2 conversations\n")
    cg(env, "export", "kenya-igf", str(tmp_path / "second"))
    before, after = _files(first), _files(tmp_path / "second")
    tables = [t.path for t in TABLES if t.name != "checkpoints"]
    assert [after[name] for name in tables] == [before[name] for name in tables]
    ledger = after["ledger.jsonl"]
    assert ledger.startswith(before["ledger.jsonl"])
    added = [json.loads(line) for line in ledger[len(before["ledger.jsonl"]) :].splitlines()]
    conversations = Conversation.objects.filter(forum=world.forum).values_list("pk", flat=True)
    assert sorted((e["action"], e["object"]["id"]) for e in added) == sorted(
        ("conversation.opinion_map", str(pk)) for pk in conversations
    )
    assert cg(env, "ledger", "verify").stdout.startswith("ledger OK: ")
    again = cg(env, "import", str(first), check=False)
    assert again.returncode == 1 and again.stdout == ""
    assert again.stderr == "error: this instance is not empty: it has forums already\n"
    broken = cg(env, "import", str(tmp_path / "nowhere"), check=False)
    assert broken.returncode == 1 and broken.stderr.count("\n") == 1
