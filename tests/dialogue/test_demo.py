"""The demo conversation splits its voters into at least two opinion groups."""

from __future__ import annotations

from commonground.demo import content
from commonground.demo.dialogue import seed_conversation
from commonground.dialogue.models import Statement, Vote
from commonground.issues.models import Issue
from commonground.ledger.models import LedgerEntry
from commonground.participants.models import Membership, User
from commonground.stakeholders import GROUPS
from tests.conftest import World


def test_seed_conversation_gives_two_groups_and_a_snapshot(world: World, issue: Issue) -> None:
    users = User.objects.bulk_create([User(email=f"voter{i}@example.org") for i in range(60)])
    Membership.objects.bulk_create(
        [
            Membership(
                forum=world.forum,
                user=u,
                stakeholder_group=GROUPS[i % 6],
                country="KE",
                region="african",
            )
            for i, u in enumerate(users)
        ]
    )
    seeded = seed_conversation(issue)
    assert seeded.statements == len(content.CONVERSATION["statements"])
    assert Statement.objects.filter(conversation=seeded.conversation).count() == seeded.statements
    assert Vote.objects.filter(conversation=seeded.conversation).count() == seeded.votes
    assert seeded.snapshot is not None
    assert seeded.snapshot.groups >= 2
    assert LedgerEntry.objects.filter(action="vote.cast").count() == seeded.votes
    # The steward did not vote: the named demo logins and stewards start fresh.
    assert not Vote.objects.filter(membership__role=Membership.Role.STEWARD).exists()
    html = world.client_for(None).get(f"/conversations/{seeded.conversation.pk}/map/")
    assert html.content.decode().count('data-testid="opinion-group"') >= 2
