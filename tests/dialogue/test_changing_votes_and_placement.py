"""Issue 11.14 on conversations: a visible "vote recorded", a way back to earlier statements
to change a vote, the map saying why a member is not placed yet, and the map polling for
the end of a recompute."""

from __future__ import annotations

from django.utils import timezone

from commonground.dialogue import services
from commonground.dialogue.models import Statement, Vote
from commonground.forums.services import join_forum
from commonground.participants.models import User
from tests.conftest import World, make_user

HX = {"HX-Request": "true"}


def _my_votes(html: str) -> str:
    start = html.index('id="my-votes"')
    return html[html.rindex("<", 0, start) : html.index("</section>", start)]


def test_htmx_vote_says_vote_recorded_and_lists_it_under_your_votes(
    world: World, statements: list[Statement]
) -> None:
    client = world.client_for(world.member["government"])
    conversation_id = statements[0].conversation_id
    response = client.post(
        f"/conversations/{conversation_id}/vote/",
        {"statement": statements[3].pk, "vote": "disagree"},
        headers=HX,
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="vote-recorded"' in html
    assert "Vote recorded: you disagree with “Statement number 3" in html
    votes = _my_votes(html)
    assert 'hx-swap-oob="true"' in votes and "Your vote (1)" in votes
    assert f'data-statement="{statements[3].pk}"' in votes
    assert 'data-testid="my-vote">disagree<' in votes


def test_a_vote_changed_from_your_votes_replaces_the_earlier_one(
    world: World, statements: list[Statement]
) -> None:
    client = world.client_for(world.member["government"])
    conversation_id = statements[0].conversation_id
    for statement in statements[:2]:
        services.cast_vote(world.member["government"], statement, "agree")
    page = client.get(f"/conversations/{conversation_id}/").content.decode()
    votes = _my_votes(page)
    assert "Your votes (2)" in votes
    # Each listed statement offers the two votes it does not have.
    assert votes.count('value="disagree"') == 2 and 'value="agree"' not in votes
    response = client.post(
        f"/conversations/{conversation_id}/vote/",
        {"statement": statements[0].pk, "vote": "disagree", "from": "my-votes"},
        headers=HX,
    )
    html = response.content.decode()
    assert "Vote recorded: you disagree with “Statement number 0" in html
    assert "<details open>" in _my_votes(html)
    mine = Vote.objects.filter(membership=world.membership["government"])
    assert sorted(mine.values_list("statement_id", "value")) == [
        (statements[0].pk, -1),
        (statements[1].pk, 1),
    ]


def test_a_vote_without_htmx_says_vote_recorded_after_the_redirect(
    world: World, statements: list[Statement]
) -> None:
    client = world.client_for(world.member["government"])
    conversation_id = statements[0].conversation_id
    response = client.post(
        f"/conversations/{conversation_id}/vote/",
        {"statement": statements[0].pk, "vote": "pass"},
        follow=True,
    )
    html = response.content.decode()
    assert "Vote recorded." in html and "Your vote (1)" in html


def _vote(world: World, group: str, statements: list[Statement], n: int) -> None:
    for statement in statements[:n]:
        services.cast_vote(world.member[group], statement, "agree")


def test_map_tells_a_member_how_many_more_votes_place_them(
    world: World, statements: list[Statement]
) -> None:
    # 8 statements: the map places those who voted on 7. Everyone else votes on all 8;
    # with 14 people besides, the engine's top-up of the most active (to 15) is full.
    conversation = statements[0].conversation
    others = [u for g, u in world.member.items() if g != "government"]
    extra = [_joined(world, f"extra{i}@example.org") for i in range(15 - len(others))]
    for user in others + extra:
        for i, statement in enumerate(statements):
            services.cast_vote(user, statement, 1 if (i + user.pk) % 2 else -1)
    _vote(world, "government", statements, 5)
    client = world.client_for(world.member["government"])
    html = client.get(f"/conversations/{conversation.pk}/map/").content.decode()
    assert 'data-testid="placement"' in html
    assert "at least 7 statements, and you have voted on 5" in html
    assert "Vote on 2 more statements to be placed" in html
    _vote(world, "government", statements, 6)
    html = client.get(f"/conversations/{conversation.pk}/map/").content.decode()
    assert "Vote on 1 more statement to be placed" in html
    _vote(world, "government", statements, 7)
    html = client.get(f"/conversations/{conversation.pk}/map/").content.decode()
    assert 'data-testid="placement"' not in html  # placed: the ringed mark is them
    assert "The ringed mark is you" in html


def _joined(world: World, email: str) -> User:
    user = make_user(email)
    join_forum(user, world.forum, stakeholder_group="civil_society", country="KE")
    return user


def test_map_polls_while_a_recompute_is_pending_and_refreshes_when_it_ends(
    world: World, statements: list[Statement]
) -> None:
    conversation = statements[0].conversation
    _vote(world, "civil_society", statements, 8)
    snapshot = services.recompute_opinion_map(conversation)
    assert snapshot is not None
    conversation.refresh_from_db()
    client = world.client_for(None)
    poll = f"/conversations/{conversation.pk}/map/status/?since={snapshot.pk}"
    html = client.get(f"/conversations/{conversation.pk}/map/").content.decode()
    assert 'id="map-poll"' not in html  # nothing pending: no polling
    conversation.map_queued_at = timezone.now()
    conversation.save(update_fields=["map_queued_at"])
    html = client.get(f"/conversations/{conversation.pk}/map/").content.decode()
    assert f'hx-get="{poll.replace("&", "&amp;")}"' in html and 'hx-trigger="every 4s"' in html
    assert client.get(poll, headers=HX).status_code == 204  # still pending: no refresh
    # The recompute ends: the next poll tells HTMX to reload the page.
    conversation.map_queued_at = None
    conversation.save(update_fields=["map_queued_at"])
    response = client.get(poll, headers=HX)
    assert response.status_code == 200 and response["HX-Refresh"] == "true"
