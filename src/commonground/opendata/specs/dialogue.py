"""Specs of conversations, their statements and the votes on them.

The statements and votes exported are those the opinion map is computed from
(``dialogue.votes.load_votes``): accepted and rejected ones, not pending ones. Only
accepted statements are public, so a rejected one goes out by id only (no text); its
votes go too, as the map counts them. No statement names its author, who is shown only
to stewards and to the author. Opinion maps are derived: the import
writes none (``import_package`` queues their recompute once the rows are committed).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from django.db.models import QuerySet

from commonground.dialogue.models import Conversation, Statement, Vote
from commonground.dialogue.services import member_key
from commonground.dialogue.votes import with_last_vote
from commonground.forums.models import Forum
from commonground.opendata import resources as r
from commonground.opendata.specs.base import (
    BATCH,
    Exporting,
    Importing,
    Row,
    TableSpec,
    pick,
    values,
)


def _map_statements(forum: Forum) -> QuerySet[Any]:
    return Statement.objects.filter(
        conversation__forum=forum,
        status__in=(Statement.Status.ACCEPTED, Statement.Status.REJECTED),
    )


def _export_statements(at: Exporting) -> Iterator[Sequence[Any]]:
    for pk, conversation, text, status, created, external in values(
        _map_statements(at.forum),
        "pk",
        "conversation_id",
        "text",
        "status",
        "created_at",
        "external_id",
    ):
        if status != Statement.Status.ACCEPTED:
            text = ""  # moderated out: its words are not public
        # A statement's author is shown only to stewards and the author (the API's rule,
        # access.rules.can_see_statement_author), so the package names none.
        yield (pk, conversation, None, text, status, created, external)


def _export_votes(at: Exporting) -> Iterator[Sequence[Any]]:
    # A member's vote names the member; a voter imported from a Polis export keeps the
    # pseudonymous key it had there (x and the export's participant id).
    votes = Vote.objects.filter(
        conversation__forum=at.forum, statement__in=_map_statements(at.forum).values("pk")
    )
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


def _load_votes(rows: list[Row], into: Importing) -> None:
    votes = []
    for v in rows:
        voter = into.member.get(v["participant_id"])
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


CONVERSATIONS = TableSpec(
    r.CONVERSATIONS,
    Conversation,
    (
        "pk",
        "issue_id",
        "created_by__user__public_id",
        "topic",
        "description",
        "moderation",
        "is_open",
        "created_at",
        "voted_at",  # the last vote time, read from the votes (dialogue.votes.last_vote_at)
        "source",
    ),
    query=lambda forum: with_last_vote(Conversation.objects.filter(forum=forum)),
    build=lambda c, into: Conversation(
        pk=c["id"],
        forum=into.the_forum,
        created_by=into.member[c["opened_by"]] if c["opened_by"] else None,
        **pick(c, "issue_id", "topic", "description", "moderation", "is_open", "created_at"),
        **pick(c, "last_vote_at", "source"),
    ),
)

STATEMENTS = TableSpec(
    r.STATEMENTS,
    Statement,
    export=_export_statements,
    build=lambda s, into: Statement(
        pk=s["id"],
        author=into.member[s["author"]] if s["author"] else None,
        **pick(s, "conversation_id", "text", "status", "created_at", "external_id"),
    ),
)

VOTES = TableSpec(r.VOTES, Vote, export=_export_votes, load=_load_votes)
