"""Every service state change appends exactly one entry, whose stored leaf hash verifies."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from commonground.core.errors import ServiceError
from commonground.forums.services import (
    advance_cycle,
    create_forum,
    join_forum,
    open_cycle,
    update_recognition_settings,
)
from commonground.issues.services import edit_issue, raise_issue, support_issue, withdraw_support
from commonground.ledger.merkle import entry_leaf_hash
from commonground.ledger.models import LedgerEntry, LedgerHead
from commonground.ledger.services import entry_document
from commonground.participants.services import grant_steward, set_verified, update_profile
from commonground.recognition.services import publish_agenda
from tests.conftest import World, make_user
from tests.ledger.helpers import ledger_key  # noqa: F401 - autouse fixture

pytestmark = pytest.mark.django_db


def _one_entry(change: Callable[[], Any], action: str) -> LedgerEntry:
    before = LedgerEntry.objects.count()
    change()
    new = list(LedgerEntry.objects.filter(seq__gt=before))
    assert [e.action for e in new] == [action]
    entry = new[0]
    assert entry.seq == before + 1
    assert entry.leaf_hash == entry_leaf_hash(entry_document(entry)).hex()
    assert LedgerHead.objects.get().size == entry.seq
    return entry


def test_every_state_change_appends_one_verifiable_entry(world: World) -> None:
    gov, civil = world.member["government"], world.member["civil_society"]
    issue_box: dict[str, Any] = {}

    def raise_it() -> None:
        issue_box["issue"] = raise_issue(civil, world.forum, title="Rural access", description="x")

    newcomer = make_user("nina.new@example.org")
    membership_box: dict[str, Any] = {}

    def join() -> None:
        membership_box["m"] = join_forum(
            newcomer, world.forum, stakeholder_group="academic_technical", country="FR"
        )

    steps: list[tuple[Callable[[], Any], str]] = [
        (
            lambda: create_forum(None, slug="fr-igf", name="IGF France", level="national"),
            "forum.create",
        ),
        (join, "membership.join"),
        (lambda: set_verified(world.steward, membership_box["m"]), "membership.verify"),
        (lambda: set_verified(world.steward, membership_box["m"], False), "membership.unverify"),
        (lambda: grant_steward(world.steward, membership_box["m"]), "membership.steward"),
        (
            lambda: update_profile(gov, display_name="Gita", name_is_public=True, bio="hi"),
            "participant.profile",
        ),
        (raise_it, "issue.raise"),
        (
            lambda: edit_issue(
                civil, issue_box["issue"], title="Rural access now", description="y"
            ),
            "issue.edit",
        ),
        (lambda: support_issue(gov, issue_box["issue"]), "support.add"),
        (lambda: withdraw_support(gov, issue_box["issue"]), "support.withdraw"),
        (
            lambda: update_recognition_settings(
                world.steward,
                world.forum,
                min_groups=2,
                min_supporters=1,
                min_share=0.1,
                agenda_slots=5,
            ),
            "forum.settings",
        ),
        (lambda: advance_cycle(world.steward, world.forum), "cycle.advance"),
        (lambda: publish_agenda(world.steward, world.forum), "agenda.publish"),
    ]
    for change, action in steps:
        _one_entry(change, action)
    for _ in range(6):
        advance_cycle(world.steward, world.forum)
    assert LedgerEntry.objects.order_by("-seq").first().action == "cycle.close"
    _one_entry(lambda: open_cycle(world.steward, world.forum, "2028"), "cycle.open")


def test_refused_and_idempotent_changes_append_nothing(world: World) -> None:
    civil = world.member["civil_society"]
    issue = raise_issue(
        civil, world.forum, title="Data protection", description="Who holds our data?"
    )
    support_issue(world.member["government"], issue)
    before = LedgerEntry.objects.count()
    support_issue(world.member["government"], issue)  # already supported: no change
    assert withdraw_support(world.member["private_sector"], issue) is False  # had none
    with pytest.raises(ServiceError):
        withdraw_support(world.outsider, issue)  # not a member
    with pytest.raises(ServiceError):
        edit_issue(world.member["government"], issue, title="Mine now", description="z")
    with pytest.raises(ServiceError):
        publish_agenda(world.steward, world.forum)  # wrong phase
    with pytest.raises(ServiceError):
        create_forum(None, slug="kenya-igf", name="Again", level="national")
    assert LedgerEntry.objects.count() == before


def test_entries_number_from_one_without_gaps_and_hash_their_documents(world: World) -> None:
    entries = list(LedgerEntry.objects.order_by("seq"))
    assert [e.seq for e in entries] == list(range(1, len(entries) + 1))
    for entry in entries:
        assert entry.leaf_hash == entry_leaf_hash(entry_document(entry)).hex()
