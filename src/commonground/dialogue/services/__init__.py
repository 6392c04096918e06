"""State changes of conversations: open, add and moderate statements, vote, recompute the map.

Every function validates, authorizes, changes state inside one transaction and appends
its ledger event in that same transaction.

The opinion map is recomputed in the background (django-tasks, ``services.scheduling``):
after a vote commits, ``schedule_recompute`` queues one ``recompute_map`` task unless one
is already queued for the conversation (a conditional UPDATE of
``Conversation.map_queued_at`` decides, so a burst of votes queues one task, across app
servers). With the database queue the task runs at the earliest ``OPINION_MAP_DEBOUNCE``
seconds (default 10) after the previous map, and reads every vote committed until it
starts. Reading a conversation or its map never computes or writes anything.

The services live in one module per concern: ``conversations`` (open, add and moderate
statements), ``votes`` (cast a vote, the next statement to show), ``opinion_map``
(compute and keep a snapshot) and ``scheduling`` (the background recompute and its
task). The Polis import lives in ``opendata.polis_import``. This package re-exports
them, so callers write ``from commonground.dialogue import services``.
"""

from commonground.dialogue.services.conversations import (
    MAX_DESCRIPTION,
    MAX_TOPIC,
    add_statement,
    clean_statement,
    moderate_statement,
    open_conversation,
)
from commonground.dialogue.services.opinion_map import (
    PREVIEW_MAX_VOTES,
    latest_snapshot,
    preview_opinion_map,
    recompute_opinion_map,
)
from commonground.dialogue.services.scheduling import (
    RECOMPUTE_LEASE,
    MapStatus,
    debounce_seconds,
    map_status,
    recompute_map,
    run_queued_recompute,
    schedule_recompute,
)
from commonground.dialogue.services.votes import (
    VOTE_WORDS,
    NextStatement,
    cast_vote,
    member_key,
    next_statement_for,
    parse_vote,
    statement_tallies,
    viewer_membership,
    vote_on,
    voted_statement_ids,
)

__all__ = [
    "MAX_DESCRIPTION",
    "MAX_TOPIC",
    "PREVIEW_MAX_VOTES",
    "RECOMPUTE_LEASE",
    "VOTE_WORDS",
    "MapStatus",
    "NextStatement",
    "add_statement",
    "cast_vote",
    "clean_statement",
    "debounce_seconds",
    "latest_snapshot",
    "map_status",
    "member_key",
    "moderate_statement",
    "next_statement_for",
    "open_conversation",
    "parse_vote",
    "preview_opinion_map",
    "recompute_map",
    "recompute_opinion_map",
    "run_queued_recompute",
    "schedule_recompute",
    "statement_tallies",
    "viewer_membership",
    "vote_on",
    "voted_statement_ids",
]
