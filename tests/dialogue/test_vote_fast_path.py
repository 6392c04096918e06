"""A vote through the API keeps every guarantee on the short path.

On PostgreSQL with batched sequencing the vote service writes in two hand-written
statements and commits in the same message as the last (commonground.dialogue.vote_sql,
issue 19); on SQLite, or inline, it goes through the ORM. Whatever the path, with real
commits: the vote row and its ledger entry come together, a second vote replaces the
first (200, one row), the conversation's last vote time is the latest vote's, and every
refusal gives the same answer as the ORM path and writes nothing.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils.dateparse import parse_datetime

from commonground.contributions.services import set_suspended
from commonground.dialogue import services
from commonground.dialogue.models import Conversation, Statement, Vote
from commonground.ledger.models import PendingEntry
from commonground.participants.services import create_api_token
from tests.conftest import World

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(params=["batched", "inline"])
def sequencing(request: Any, settings: Any) -> str:
    settings.COMMONGROUND_LEDGER_SEQUENCING = request.param
    return str(request.param)


def _auth(user: Any) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {create_api_token(user, 'tests')[1]}"}


def _ms(time: Any) -> Any:
    """A time as the API shows it (milliseconds)."""
    return time.replace(microsecond=time.microsecond // 1000 * 1000)


def _entries() -> list[tuple[Any, ...]]:
    return list(
        PendingEntry.objects.filter(action="vote.cast")
        .order_by("id")
        .values_list("object_id", "actor", "forum", "fields")
    )


def test_a_vote_and_its_replacement_write_one_row_and_one_entry_each(
    sequencing: str, world: World, conversation: Conversation, statements: list[Statement]
) -> None:
    member = world.member["government"]
    client, auth = Client(), _auth(member)
    url = f"/api/v1/conversations/{conversation.pk}/votes"
    statement = statements[0]

    first = client.post(url, {"statement": statement.pk, "vote": 1}, "application/json", **auth)
    assert first.status_code == 201
    again = client.post(url, {"statement": statement.pk, "vote": -1}, "application/json", **auth)
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["vote"] == -1

    vote = Vote.objects.get(statement=statement)
    assert (vote.value, vote.participant_key) == (-1, f"m{world.membership['government'].pk}")
    assert parse_datetime(again.json()["updated_at"]) == _ms(vote.updated_at)
    if sequencing == "batched":
        fields = {"conversation": conversation.pk, "stakeholder_group": "government"}
        assert _entries() == [
            (str(statement.pk), member.public_id, "kenya-igf", {**fields, "vote": 1}),
            (str(statement.pk), member.public_id, "kenya-igf", {**fields, "vote": -1}),
        ]
    # The last vote time is the latest vote's, read from the votes: no vote writes the
    # conversation's row.
    shown = client.get(f"/api/v1/conversations/{conversation.pk}").json()["last_vote_at"]
    assert parse_datetime(shown) == _ms(vote.updated_at)
    assert Conversation.objects.get(pk=conversation.pk).last_vote_at is None


def test_a_refused_vote_gets_the_orm_path_s_answer_and_writes_nothing(
    sequencing: str, world: World, conversation: Conversation, statements: list[Statement]
) -> None:
    steward = world.steward
    pending = Statement.objects.create(conversation=conversation, text="Not yet moderated.")
    other = services.open_conversation(steward, conversation.issue, topic="Another one")
    elsewhere = services.add_statement(steward, other, "A statement of another conversation.")
    member = world.member["private_sector"]
    set_suspended(steward, world.membership["private_sector"], suspended=True, reason="Spam.")
    closed = services.open_conversation(steward, conversation.issue, topic="Closed")
    closed_statement = services.add_statement(steward, closed, "A statement, then closed.")
    Conversation.objects.filter(pk=closed.pk).update(is_open=False)
    client = Client()
    voter = _auth(world.member["government"])

    def vote(conversation_id: int, statement_id: int, auth: dict[str, str]) -> tuple[int, str]:
        response = client.post(
            f"/api/v1/conversations/{conversation_id}/votes",
            {"statement": statement_id, "vote": 1},
            "application/json",
            **auth,
        )
        return response.status_code, response.json()["detail"]

    answers = {
        "outsider": vote(conversation.pk, statements[0].pk, _auth(world.outsider)),
        "suspended": vote(conversation.pk, statements[0].pk, _auth(member)),
        "pending statement": vote(conversation.pk, pending.pk, voter),
        "other conversation's": vote(conversation.pk, elsewhere.pk, voter),
        "no statement": vote(conversation.pk, 999_999, voter),
        "no conversation": vote(999_999, statements[0].pk, voter),
        "closed": vote(closed.pk, closed_statement.pk, voter),
    }
    assert answers == {
        "outsider": (403, "Join Kenya IGF to take part in it."),
        "suspended": (403, "Your membership of Kenya IGF is suspended."),
        "pending statement": (409, "Only accepted statements can be voted on."),
        "other conversation's": (
            404,
            f"No statement {elsewhere.pk} in conversation {conversation.pk}.",
        ),
        "no statement": (404, f"No statement 999999 in conversation {conversation.pk}."),
        "no conversation": (404, "No conversation 999999."),
        "closed": (409, "This conversation is closed."),
    }
    assert not Vote.objects.exists()
    assert _entries() == []
