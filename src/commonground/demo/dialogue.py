"""Seed the demo conversation from ``demo/data/conversation.toml`` with votes and a map.

Called at the end of ``demo.seed.seed_demo``. Rows are bulk-created, each with its
ledger event (opening, statements, votes), and the opinion map is computed once through
``recompute_opinion_map``, so the demo opens on a map with at least two groups.

Voters are demo members of the issue's forum, each given a camp: camp ``a`` agrees
with the a-statements and disagrees with the b-statements, camp ``b`` the reverse, and
a few undecided members lean at random; most of everyone agrees with the bridging
(``both``) statements. The demo's named logins do not vote, so they can try it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from commonground.demo import content
from commonground.dialogue import events as built
from commonground.dialogue.models import Conversation, OpinionSnapshot, Statement, Vote
from commonground.dialogue.services import member_key, recompute_opinion_map
from commonground.issues.models import Issue
from commonground.ledger.services import Event, append_many
from commonground.participants.models import Membership

MAX_VOTERS = 160
NAMED_LOGINS = ("steward@", "civil@", "private@", "gov@")

# Probabilities of (agree, disagree, pass) by (voter camp, statement camp).
_LEANING: dict[tuple[str, str], tuple[float, float, float]] = {
    ("a", "a"): (0.82, 0.10, 0.08),
    ("a", "b"): (0.12, 0.78, 0.10),
    ("b", "a"): (0.12, 0.78, 0.10),
    ("b", "b"): (0.82, 0.10, 0.08),
    ("a", "both"): (0.78, 0.10, 0.12),
    ("b", "both"): (0.75, 0.12, 0.13),
    ("u", "a"): (0.40, 0.35, 0.25),
    ("u", "b"): (0.40, 0.35, 0.25),
    ("u", "both"): (0.70, 0.10, 0.20),
}


@dataclass(frozen=True)
class SeededConversation:
    conversation: Conversation
    statements: int
    voters: int
    votes: int
    snapshot: OpinionSnapshot | None


def _draw(rng: random.Random, p: tuple[float, float, float]) -> int:
    x = rng.random()
    if x < p[0]:
        return 1
    if x < p[0] + p[1]:
        return -1
    return 0


def seed_conversation(issue: Issue, seed: int = 2027) -> SeededConversation:
    """Create the demo conversation on ``issue`` with its statements, votes and one map."""
    rng = random.Random(seed)
    spec = content.CONVERSATION
    forum = issue.forum
    now = timezone.now().replace(microsecond=0)
    start = now - timedelta(days=6)
    members = list(
        Membership.objects.filter(forum=forum, status=Membership.Status.ACTIVE)
        .select_related("user")
        .order_by("id")
    )
    steward = next((m for m in members if m.is_steward), None)
    pool = [m for m in members if not m.is_steward and not m.user.email.startswith(NAMED_LOGINS)]
    voters = rng.sample(pool, min(MAX_VOTERS, len(pool)))
    events: list[Event] = []
    with transaction.atomic():
        conversation = Conversation.objects.create(
            forum=forum,
            issue=issue,
            topic=spec["topic"],
            description=spec["description"],
            moderation=Conversation.Moderation.STRICT,
            created_by=steward,
            created_at=start,
            last_vote_at=now,
        )
        actor = steward.user.public_id if steward is not None else None
        events.append(built.conversation_opened(conversation, actor, start))
        statements = Statement.objects.bulk_create(
            [
                Statement(
                    conversation=conversation,
                    text=item["text"],
                    author=steward,
                    status=Statement.Status.ACCEPTED,
                    created_at=start + timedelta(minutes=i),
                )
                for i, item in enumerate(spec["statements"])
            ]
        )
        if any(s.pk is None for s in statements):
            statements = list(Statement.objects.filter(conversation=conversation).order_by("id"))
        for statement in statements:
            events.append(built.statement_added(statement, forum.slug))
        camps = [item["camp"] for item in spec["statements"]]
        votes: list[Vote] = []
        span = int((now - start).total_seconds()) - 3600
        for voter in voters:
            camp = rng.choices(("a", "b", "u"), weights=(0.46, 0.42, 0.12))[0]
            when = start + timedelta(seconds=3600 + rng.randint(0, span - 600))
            for statement, statement_camp in zip(statements, camps, strict=True):
                if rng.random() > 0.8:  # not everyone sees every statement
                    continue
                when += timedelta(seconds=rng.randint(3, 40))
                value = _draw(rng, _LEANING[(camp, statement_camp)])
                votes.append(
                    Vote(
                        conversation=conversation,
                        statement=statement,
                        participant_key=member_key(voter),
                        membership=voter,
                        value=value,
                        updated_at=min(when, now),
                    )
                )
                events.append(built.vote_cast(statement, voter, value, forum.slug, min(when, now)))
        Vote.objects.bulk_create(votes, batch_size=5000)
        events.sort(key=lambda e: e.time or now)
        append_many(events)
    snapshot = recompute_opinion_map(conversation)
    return SeededConversation(conversation, len(statements), len(voters), len(votes), snapshot)
