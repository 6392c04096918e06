"""A statement a steward rejected is not public: its text is in no public response.

Not on the pages (conversation, map, issue, forum, the author's profile, the feeds), not in
the dialogue API (conversation, statements, next statement, opinion map) and not in the
ledger's entries, where ``statement.add`` commits to the text by its SHA-256 digest only
(docs/ledger.md, "Free text by digest"), so anyone holding the text can still check it.
"""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from django.test import Client

from commonground.dialogue import services
from commonground.dialogue.models import Conversation, Statement
from commonground.issues.models import Issue
from commonground.ledger.services import ledger_size
from commonground.participants.models import User
from tests.api.conftest import bearer
from tests.conftest import World

# Real transactions, so the votes' on-commit recompute stores an opinion map.
pytestmark = pytest.mark.django_db(transaction=True)

REJECTED = "Rejected words that must never be published anywhere"
REJECTED_AFTER_VOTES = "Accepted first and voted on, then rejected by the steward"
ACCEPTED = "An accepted statement everyone may read"


@pytest.fixture
def moderated(world: World, issue: Issue) -> dict[str, Any]:
    """A strict conversation: one accepted statement, one rejected at once, one rejected
    after votes (so the opinion map names it, as moderated out)."""
    steward, civil = world.steward, world.member["civil_society"]
    talk = services.open_conversation(steward, issue, topic="Platform rules", moderation="strict")
    accepted = services.add_statement(steward, talk, ACCEPTED)
    rejected = services.add_statement(civil, talk, REJECTED)
    services.moderate_statement(steward, rejected, "rejected")
    later = services.add_statement(world.member["government"], talk, REJECTED_AFTER_VOTES)
    services.moderate_statement(steward, later, "accepted")
    for group in ("civil_society", "government", "private_sector", "intergovernmental"):
        services.cast_vote(world.member[group], accepted, "agree")
        services.cast_vote(world.member[group], later, "disagree")
    services.moderate_statement(steward, later, "rejected")
    services.recompute_opinion_map(Conversation.objects.get(pk=talk.pk))
    return {"conversation": talk, "rejected": rejected, "later": later, "accepted": accepted}


def _public_responses(world: World, issue: Issue, talk: Conversation) -> dict[str, bytes]:
    """Every public page and API answer the conversation shows up in, by path, as an
    anonymous visitor and as a member who is not the author (nor a steward)."""
    slug, author = world.forum.slug, world.member["civil_society"].public_id
    paths = [
        f"/forums/{slug}/",
        f"/forums/{slug}/conversations/",
        f"/issues/{issue.pk}/",
        f"/conversations/{talk.pk}/",
        f"/conversations/{talk.pk}/map/",
        f"/people/{author}/",
        f"/forums/{slug}/feeds/issues.atom",
        f"/forums/{slug}/feeds/moderation.atom",
        f"/issues/{issue.pk}/feeds/contributions.atom",
        f"/api/v1/issues/{issue.pk}/conversations",
        f"/api/v1/conversations/{talk.pk}",
        f"/api/v1/conversations/{talk.pk}/statements",
        f"/api/v1/conversations/{talk.pk}/next",
        f"/api/v1/conversations/{talk.pk}/opinion-map",
    ]
    reader: User = world.member["academic_technical"]
    answers: dict[str, bytes] = {}
    member = Client()
    member.force_login(reader)  # the pages by session, the API by token
    for who, client, extra in (("anonymous", Client(), {}), ("member", member, bearer(reader))):
        for path in paths:
            response = client.get(path, **(extra if path.startswith("/api/") else {}))
            assert response.status_code == 200, (who, path, response.status_code)
            answers[f"{who} {path}"] = response.content
    size = ledger_size()
    for start in range(1, size + 1, 1000):
        end = min(start + 999, size)
        response = Client().get(f"/api/v1/ledger/entries?start={start}&end={end}")
        assert response.status_code == 200
        answers[f"ledger {start}-{end}"] = response.content
    return answers


def test_a_rejected_statements_text_is_in_no_public_page_api_answer_or_ledger_entry(
    world: World, issue: Issue, moderated: dict[str, Any]
) -> None:
    talk = moderated["conversation"]
    answers = _public_responses(world, issue, talk)
    for where, content in answers.items():
        for text in (REJECTED, REJECTED_AFTER_VOTES):
            assert text.encode() not in content, f"{text!r} in {where}"
    # The surfaces are the real ones: the accepted statement is on them, and the map
    # names the statement rejected after votes by its id, as moderated out.
    assert ACCEPTED.encode() in answers[f"anonymous /api/v1/conversations/{talk.pk}/statements"]
    assert ACCEPTED.encode() in answers[f"member /conversations/{talk.pk}/map/"]
    response = Client().get(f"/api/v1/conversations/{talk.pk}/opinion-map")
    stats = {row["statement_id"]: row for row in response.json()["statements_stats"]}
    assert stats[moderated["later"].pk]["moderated_out"] is True


def test_the_ledger_commits_to_a_statements_text_by_its_digest(
    world: World, issue: Issue, moderated: dict[str, Any]
) -> None:
    size = ledger_size()
    response = Client().get(f"/api/v1/ledger/entries?start=1&end={size}")
    entries = [
        e
        for e in response.json()["entries"]
        if e["action"] == "statement.add" and e["object"]["type"] == "statement"
    ]
    by_id = {int(e["object"]["id"]): e["fields"] for e in entries}
    for key in ("rejected", "later", "accepted"):
        statement: Statement = moderated[key]
        fields = by_id[statement.pk]
        assert "text" not in fields
        digest = hashlib.sha256(statement.text.encode("utf-8")).hexdigest()
        assert fields["text_sha256"] == digest
        assert fields["conversation"] == moderated["conversation"].pk
