"""Rules of conversations: who opens, who votes, moderation, the last vote counts."""

from __future__ import annotations

import pytest

from commonground.core.errors import (
    Conflict,
    InvalidInput,
    NotAllowed,
    NotAuthenticated,
    WrongPhase,
)
from commonground.dialogue import services
from commonground.dialogue.models import Conversation, OpinionSnapshot, Statement, Vote
from commonground.dialogue.services import scheduling
from commonground.issues.models import Issue
from commonground.ledger.models import LedgerEntry
from tests.conftest import World


def test_only_steward_or_issue_author_opens_a_conversation(world: World, issue: Issue) -> None:
    with pytest.raises(NotAllowed):
        services.open_conversation(world.member["government"], issue, topic="Mine")
    with pytest.raises(NotAllowed):
        services.open_conversation(world.outsider, issue, topic="Mine")
    by_author = services.open_conversation(world.member["civil_society"], issue, topic="Author's")
    by_steward = services.open_conversation(world.steward, issue, topic="Steward's")
    assert by_author.created_by == world.membership["civil_society"]
    assert by_steward.moderation == Conversation.Moderation.STRICT
    assert LedgerEntry.objects.filter(action="conversation.open").count() == 2


def test_strict_moderation_holds_statements_until_a_steward_accepts(
    world: World, issue: Issue
) -> None:
    conversation = services.open_conversation(world.steward, issue, topic="Strict one")
    statement = services.add_statement(world.member["government"], conversation, "Hold them.")
    assert statement.status == Statement.Status.PENDING
    with pytest.raises(Conflict):  # the statement's state, not the input, is wrong
        services.cast_vote(world.member["private_sector"], statement, "agree")
    with pytest.raises(NotAllowed):
        services.moderate_statement(world.member["private_sector"], statement, "accepted")
    services.moderate_statement(world.steward, statement, "accepted")
    statement.refresh_from_db()
    assert statement.status == Statement.Status.ACCEPTED
    services.cast_vote(world.member["private_sector"], statement, "agree")
    services.moderate_statement(world.steward, statement, "rejected")
    with pytest.raises(Conflict):
        services.cast_vote(world.member["government"], statement, "agree")
    assert LedgerEntry.objects.filter(action="statement.moderate").count() == 2


def test_open_moderation_accepts_statements_at_once(
    world: World, conversation: Conversation
) -> None:
    statement = services.add_statement(world.member["academic_technical"], conversation, "Yes.")
    assert statement.status == Statement.Status.ACCEPTED
    with pytest.raises(Conflict):  # the same statement again
        services.add_statement(world.member["government"], conversation, "  yes. ")
    with pytest.raises(InvalidInput):
        services.add_statement(world.member["government"], conversation, "x" * 281)
    with pytest.raises(InvalidInput):
        services.add_statement(world.member["government"], conversation, "   ")


def test_the_last_vote_counts(world: World, statements: list[Statement]) -> None:
    statement = statements[0]
    user = world.member["government"]
    _, created = services.cast_vote(user, statement, "agree")
    assert created
    vote, created = services.cast_vote(user, statement, -1)
    assert not created
    assert vote.value == -1
    services.cast_vote(user, statement, "pass")
    assert Vote.objects.filter(statement=statement).count() == 1
    assert Vote.objects.get(statement=statement).value == 0
    assert LedgerEntry.objects.filter(action="vote.cast").count() == 3


@pytest.mark.parametrize("bad", ["maybe", 2, -2, "", None, True, 0.5])
def test_vote_value_is_validated(world: World, statements: list[Statement], bad: object) -> None:
    with pytest.raises(InvalidInput):
        services.cast_vote(world.member["government"], statements[0], bad)
    assert not Vote.objects.exists()


def test_only_members_vote(world: World, statements: list[Statement]) -> None:
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(NotAllowed):
        services.cast_vote(world.outsider, statements[0], "agree")
    with pytest.raises(NotAuthenticated):
        services.cast_vote(AnonymousUser(), statements[0], "agree")
    assert not Vote.objects.exists()


def test_closed_conversation_takes_no_votes(world: World, statements: list[Statement]) -> None:
    conversation = statements[0].conversation
    conversation.is_open = False
    conversation.save()
    statement = Statement.objects.get(pk=statements[0].pk)
    with pytest.raises(WrongPhase):
        services.cast_vote(world.member["government"], statement, "agree")


def test_recompute_keeps_a_snapshot_with_the_state(
    world: World, statements: list[Statement]
) -> None:
    for i, user in enumerate(world.member.values()):
        for j, statement in enumerate(statements):
            services.cast_vote(user, statement, 1 if (i < 3) == (j < 4) else -1)
    snapshot = services.recompute_opinion_map(statements[0].conversation)
    assert snapshot is not None
    assert snapshot.participants == 6
    assert snapshot.votes == 48
    assert snapshot.state["statement_ids"] == [s.pk for s in statements]
    doc = snapshot.result
    assert doc["in_conversation"] == 6
    assert sum(g["size"] for g in doc["groups"]) == 6
    assert LedgerEntry.objects.filter(action="conversation.opinion_map").count() == 1
    again = services.recompute_opinion_map(statements[0].conversation)
    assert again is not None and again.pk != snapshot.pk
    assert OpinionSnapshot.objects.count() == 2


def test_vote_commit_triggers_recompute(
    world: World, statements: list[Statement], django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.cast_vote(world.member["government"], statements[0], "agree")
    assert OpinionSnapshot.objects.filter(conversation=statements[0].conversation).count() == 1


def test_a_failed_recompute_never_loses_the_vote_and_the_next_vote_retries(
    world: World,
    statements: list[Statement],
    django_capture_on_commit_callbacks,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(conversation: Conversation, **kwargs: object) -> None:
        raise RuntimeError("engine down")

    with monkeypatch.context() as patch:
        patch.setattr(scheduling, "recompute_opinion_map", broken)
        with django_capture_on_commit_callbacks(execute=True):
            services.cast_vote(world.member["government"], statements[0], "agree")
    assert Vote.objects.filter(statement=statements[0]).count() == 1
    conversation = Conversation.objects.get(pk=statements[0].conversation_id)
    assert conversation.map_queued_at is None and conversation.map_running_since is None
    assert not OpinionSnapshot.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.cast_vote(world.member["government"], statements[1], "agree")
    assert OpinionSnapshot.objects.get(conversation=conversation).votes == 2


def test_a_textless_rejected_statement_cannot_be_accepted(
    world: World, statements: list[Statement]
) -> None:
    # An open-data import restores rejected statements by id only, without their text.
    statement = statements[0]
    services.moderate_statement(world.steward, statement, "rejected")
    Statement.objects.filter(pk=statement.pk).update(text="")
    statement.refresh_from_db()
    with pytest.raises(Conflict):
        services.moderate_statement(world.steward, statement, "accepted")
    statement.refresh_from_db()
    assert statement.status == Statement.Status.REJECTED
