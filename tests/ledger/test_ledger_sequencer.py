"""Batched sequencing (docs/ledger.md, section 7): writes append pending entries without the
head's lock; the sequencer integrates them in order, exactly once, whatever happens."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from typing import Any

import pytest
from django.db import connection, connections, transaction
from django.test import Client

from commonground.cli import main as cli
from commonground.forums.services import join_forum
from commonground.issues.models import Support
from commonground.issues.services import support_issue, withdraw_support
from commonground.ledger.merkle import verify_inclusion
from commonground.ledger.models import LedgerEntry, LedgerHead, PendingEntry
from commonground.ledger.sequencer import entry_inclusion, integrate_pending
from commonground.ledger.services import Event, append, ledger_size, publish_checkpoint
from tests.conftest import make_user
from tests.ledger.helpers import ledger_key  # noqa: F401 - autouse fixture

POSTGRES = connection.vendor == "postgresql"
needs_postgres = pytest.mark.skipif(not POSTGRES, reason="concurrent writers need PostgreSQL")


@pytest.fixture
def batched(settings: Any) -> None:
    settings.COMMONGROUND_LEDGER_SEQUENCING = "batched"


def _gap_free() -> list[int]:
    seqs = list(LedgerEntry.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))
    assert LedgerHead.objects.get(id=1).size == len(seqs)
    return seqs


@pytest.mark.django_db
def test_a_batched_write_is_pending_until_the_sequencer_integrates_it_in_order(
    batched: None, world: Any, issue: Any
) -> None:
    integrate_pending()  # the world's own entries
    before = ledger_size()
    members = [world.member["government"], world.member["private_sector"]]
    for member in members:
        support_issue(member, issue)
    withdraw_support(members[0], issue)
    assert ledger_size() == before  # nothing integrated, no head lock taken
    pending = Client().get("/api/v1/ledger/pending").json()
    assert pending["sequencing"] == "batched" and pending["pending"] == 3
    assert [e["action"] for e in pending["entries"]] == ["support.add"] * 2 + ["support.withdraw"]
    assert pending["max_merge_delay"] == 10 and pending["oldest"].endswith("Z")
    assert Client().get("/api/v1/ledger/entries").json()["pending"] == 3

    assert integrate_pending() == 3
    assert PendingEntry.objects.count() == 0
    tail = list(LedgerEntry.objects.filter(seq__gt=before).order_by("seq"))
    assert [e.action for e in tail] == ["support.add", "support.add", "support.withdraw"]
    assert [e.seq for e in tail] == [before + 1, before + 2, before + 3]
    _gap_free()
    assert cli(["ledger", "verify"]) == 0


@pytest.mark.django_db
def test_a_write_that_rolls_back_leaves_no_pending_entry(batched: None) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        append(Event("test.note", "note", 1))
        assert PendingEntry.objects.count() == 1
        raise RuntimeError("the change fails after its entry was written")
    assert PendingEntry.objects.count() == 0
    assert integrate_pending() == 0 and ledger_size() == 0


@pytest.mark.django_db
def test_the_inclusion_proof_of_a_pending_entry_integrates_it_first(batched: None) -> None:
    with transaction.atomic():
        append(Event("test.note", "note", 1))
    with transaction.atomic():
        written = append(Event("test.note", "note", 2))
    assert isinstance(written, PendingEntry)
    proof = entry_inclusion(written)
    assert proof["seq"] == 2 and proof["tree_size"] == 2
    assert verify_inclusion(
        bytes.fromhex(proof["leaf_hash"]),
        proof["leaf_index"],
        proof["tree_size"],
        [bytes.fromhex(h) for h in proof["audit_path"]],
        bytes.fromhex(proof["root_hash"]),
    )


@pytest.mark.django_db
def test_checkpoints_and_inline_writes_integrate_pending_entries_first(
    settings: Any, batched: None
) -> None:
    with transaction.atomic():
        append(Event("test.note", "note", 1))
    checkpoint, created = publish_checkpoint()
    assert created and checkpoint.tree_size == 1 and PendingEntry.objects.count() == 0

    with transaction.atomic():
        append(Event("test.note", "note", 2))  # left pending when the mode switches
    settings.COMMONGROUND_LEDGER_SEQUENCING = "inline"
    with transaction.atomic():
        append(Event("test.note", "note", 3))
    ids = list(LedgerEntry.objects.order_by("seq").values_list("object_id", flat=True))
    assert ids == ["1", "2", "3"]  # the pending one keeps its place before the later write
    _gap_free()


@pytest.mark.django_db
def test_a_sequencer_that_fails_mid_batch_changes_nothing_and_the_next_round_integrates(
    batched: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(5):
        with transaction.atomic():
            append(Event("test.note", "note", n))

    def crash(self: Any, *args: Any, **kwargs: Any) -> None:
        raise OSError("the sequencer died after inserting the entries")

    monkeypatch.setattr(LedgerHead, "save", crash)
    with pytest.raises(OSError):
        integrate_pending()
    assert PendingEntry.objects.count() == 5 and LedgerEntry.objects.count() == 0
    monkeypatch.undo()
    assert integrate_pending() == 5
    _gap_free()


# -- on PostgreSQL, with real concurrent connections --------------------------------------------


KILL_MID_BATCH = """
import os, signal, django
django.setup()
from commonground.ledger.models import LedgerHead
from commonground.ledger.sequencer import integrate_pending
LedgerHead.save = lambda *a, **k: os.kill(os.getpid(), signal.SIGKILL)
integrate_pending()
"""


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_a_sequencer_killed_mid_batch_loses_and_duplicates_nothing(batched: None) -> None:
    for n in range(7):
        with transaction.atomic():
            append(Event("test.note", "note", n))
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "COMMONGROUND_LEDGER_SEQUENCING": "batched"}
    env["DJANGO_SETTINGS_MODULE"] = "commonground.settings"
    done = subprocess.run([sys.executable, "-c", KILL_MID_BATCH], env=env, timeout=120)
    assert done.returncode == -9  # killed after inserting the entries, before the commit
    assert PendingEntry.objects.count() == 7 and LedgerEntry.objects.count() == 0
    assert integrate_pending() == 7
    _gap_free()
    assert sorted(LedgerEntry.objects.values_list("object_id", flat=True)) == [
        str(n) for n in range(7)
    ]


def _in_thread(work: Any) -> Any:
    def run() -> None:
        try:
            work()
        finally:
            connections.close_all()

    return threading.Thread(target=run)


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_supports_and_two_sequencers_give_each_entry_exactly_one_seq(
    batched: None, world: Any, issue: Any
) -> None:
    voters = [make_user(f"voter{n}@example.org") for n in range(24)]
    for voter in voters:
        join_forum(voter, world.forum, stakeholder_group="civil_society", country="KE")
    integrate_pending()
    start = ledger_size()
    stop = threading.Event()
    errors: list[BaseException] = []

    def sequencer(wait: bool) -> None:
        while not stop.is_set():
            integrate_pending(wait=wait)  # one waits for the lock, one skips its round
            stop.wait(0.005)

    def writer(batch: list[Any]) -> None:
        try:
            for voter in batch:
                support_issue(voter, issue)
            for voter in batch[::2]:
                withdraw_support(voter, issue)
        except BaseException as exc:  # reported below
            errors.append(exc)

    sequencers = [_in_thread(lambda w=wait: sequencer(w)) for wait in (True, False)]
    writers = [_in_thread(lambda b=voters[n::6]: writer(b)) for n in range(6)]
    for thread in sequencers + writers:
        thread.start()
    for thread in writers:
        thread.join()
    stop.set()
    for thread in sequencers:
        thread.join()
    assert errors == []
    integrate_pending()
    _gap_free()
    new = LedgerEntry.objects.filter(seq__gt=start)
    assert new.filter(action="support.add").count() == 24
    assert new.filter(action="support.withdraw").count() == 12
    pending_ids = list(new.values_list("pending_id", flat=True))
    assert None not in pending_ids and len(set(pending_ids)) == len(pending_ids) == 36
    assert Support.objects.filter(issue=issue).count() == 12
    issue.refresh_from_db()
    assert issue.support_count == 12
    assert cli(["ledger", "verify"]) == 0
    assert cli(["ledger", "audit"]) == 0
