"""The statements of a vote on PostgreSQL, written by hand (issue 19, vote storm).

A vote went through the ORM as ~14 statements (the conversation and the statement read,
the member's lock, an update-then-insert of the vote inside a savepoint, the
conversation's ``last_vote_at`` updated, the ledger's pending entry, the vote re-read),
each built by Django's query compiler: ~17 ms of application CPU against ~1.1 ms for the
floor write, and every vote of a conversation updated its one row, so concurrent votes
queued on it (docs/performance.md). These builders give the same reads and writes in two
statements; the decisions (who may vote, on what) stay in
``commonground.dialogue.services.votes``, which calls them. Table and column names come
from the models, so a renamed field breaks here loudly.

1. ``lock``: the acting member's membership (FOR NO KEY UPDATE, as ``require_member(lock=
   True)``: a member's own votes run one at a time), with what the rules read: the
   membership's status and group, whether the conversation is open, the statement's
   status, the forum's slug and name.
2. ``cast``: the vote upserted (a later vote replaces the earlier one), with the ledger's
   pending entry (batched sequencing) folded in as further sub-statements, returning the
   vote's id and whether it is new; the COMMIT can follow in the same message.

Both run as prepared statements of the database session (``commonground.core.prepared``,
as the support's), planned once per connection.

No row every vote writes: the conversation's last vote time is read from the votes
(``commonground.dialogue.votes.last_vote_at``), not written by each vote.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import connection

from commonground.core import prepared
from commonground.dialogue.models import Conversation, Statement, Vote
from commonground.forums.models import Forum
from commonground.participants.models import Membership

Row = tuple[Any, ...]


def _table(model: Any) -> str:
    return str(connection.ops.quote_name(model._meta.db_table))


def lock(user_id: int, conversation_id: int, statement_id: int) -> Row | None:
    """(membership id, its status, its group, forum slug, forum name, conversation open,
    statement status) of the user's membership in the conversation's forum, the
    membership locked; None when the membership, the conversation or the statement (of
    this conversation) is missing, and the caller then asks the ORM path why."""
    return prepared.fetch(
        "SELECT m.id, m.status, m.stakeholder_group, f.slug, f.name, c.is_open, s.status "
        f"FROM {_table(Statement)} s JOIN {_table(Conversation)} c ON c.id = s.conversation_id "
        f"JOIN {_table(Forum)} f ON f.id = c.forum_id "
        f"JOIN {_table(Membership)} m ON m.forum_id = c.forum_id AND m.user_id = %s "
        "WHERE s.id = %s AND c.id = %s FOR NO KEY UPDATE OF m",
        [user_id, statement_id, conversation_id],
    )


def cast(
    conversation_id: int,
    statement_id: int,
    key: str,
    membership_id: int,
    value: int,
    now: datetime,
    also: list[tuple[str, list[Any]]],
    commit: bool = False,
) -> tuple[int, bool]:
    """Record the vote (insert, or replace the member's earlier vote on the statement) and
    the writes in ``also`` (the ledger's pending entry, read versions) in one statement;
    returns (the vote's id, whether it is new).

    "New" is read from the statement's snapshot, taken after the member's lock: no other
    transaction can add this member's vote meanwhile, so it is exact. ``commit``: the
    COMMIT goes in the same message (``commonground.issues.support_sql.apply`` says why
    and what happens when the statement fails).
    """
    table = _table(Vote)
    parts = [
        f"o AS (SELECT 1 FROM {table} WHERE statement_id = %s AND participant_key = %s)",
        f"v AS (INSERT INTO {table} (conversation_id, statement_id, participant_key, "
        "membership_id, value, updated_at) VALUES (%s, %s, %s, %s, %s, %s) "
        "ON CONFLICT (statement_id, participant_key) DO UPDATE "
        "SET value = excluded.value, updated_at = excluded.updated_at RETURNING id)",
    ]
    params: list[Any] = [statement_id, key]
    params += [conversation_id, statement_id, key, membership_id, value, now]
    for n, (sql, more) in enumerate(also):
        parts.append(f"w{n} AS ({sql})")
        params += more
    row = prepared.fetch(
        f"WITH {', '.join(parts)} SELECT v.id, NOT EXISTS (SELECT 1 FROM o) FROM v",
        params,
        then="; COMMIT" if commit else "",
    )
    assert row is not None, "an upsert always returns its row"
    return int(row[0]), bool(row[1])
