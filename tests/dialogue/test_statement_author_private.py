"""A statement's author is named only to the forum's stewards and to the author (issue 11.6).

The dialogue API shows every other reader a statement without its author, pending,
accepted or rejected. The public ledger and the open-data package must not name the
author either: ``statement.add`` carries no actor and no author's group, and
``statements.csv`` leaves the author empty.
"""

from __future__ import annotations

import csv
from pathlib import Path

from django.test import Client

from commonground.dialogue import services
from commonground.issues.models import Issue
from commonground.ledger.services import ledger_size
from commonground.opendata.export import export_forum
from tests.conftest import World


def _statements(world: World, issue: Issue) -> dict[str, object]:
    """Under strict moderation: a member's statement left pending, one accepted, and the
    steward's own (accepted at once)."""
    steward = world.steward
    talk = services.open_conversation(steward, issue, topic="Towers", moderation="strict")
    pending = services.add_statement(world.member["civil_society"], talk, "Still waiting.")
    accepted = services.add_statement(world.member["government"], talk, "Accepted later.")
    services.moderate_statement(steward, accepted, "accepted")
    own = services.add_statement(steward, talk, "The steward's own statement.")
    return {"talk": talk, "pending": pending, "accepted": accepted, "own": own}


def test_the_api_hides_the_author_and_no_statement_entry_of_the_ledger_names_one(
    world: World, issue: Issue
) -> None:
    made = _statements(world, issue)
    talk = made["talk"]
    shown = Client().get(f"/api/v1/conversations/{talk.pk}/statements").json()  # type: ignore[attr-defined]
    rows = shown["items"] if isinstance(shown, dict) else shown
    assert rows and all(row["author"] is None for row in rows)
    authors = {
        world.member["civil_society"].public_id,
        world.member["government"].public_id,
        world.steward.public_id,
    }
    entries = Client().get(f"/api/v1/ledger/entries?start=1&end={ledger_size()}").json()
    added = [e for e in entries["entries"] if e["action"] == "statement.add"]
    assert len(added) == 3
    for entry in added:
        assert entry["actor"] is None
        assert "stakeholder_group" not in entry["fields"]
        assert not any(author in str(entry) for author in authors)
    # The boundary: the steward's moderation is the steward's public act, named as before.
    moderated = [e for e in entries["entries"] if e["action"] == "statement.moderate"]
    assert [e["actor"] for e in moderated] == [world.steward.public_id]


def test_statements_csv_names_no_author_the_api_hides(
    world: World, issue: Issue, tmp_path: Path
) -> None:
    made = _statements(world, issue)
    package = export_forum(world.forum, tmp_path / "package")
    with (package / "statements.csv").open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    exported = {int(row["id"]) for row in rows}
    # Accepted ones are exported (the pending one is not), each without its author.
    assert exported == {made["accepted"].pk, made["own"].pk}  # type: ignore[attr-defined]
    assert all(row["author"] == "" for row in rows)
