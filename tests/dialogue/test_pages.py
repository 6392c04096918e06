"""The voting page, the vote form with and without HTMX, statements and moderation."""

from __future__ import annotations

from commonground.dialogue import services
from commonground.dialogue.models import Conversation, Statement, Vote
from commonground.issues.models import Issue
from tests.conftest import World


def _shown(html: str) -> int:
    marker = 'data-statement="'
    start = html.index(marker) + len(marker)
    return int(html[start : html.index('"', start)])


def test_vote_page_shows_one_statement_with_buttons_and_progress(
    world: World, statements: list[Statement]
) -> None:
    client = world.client_for(world.member["government"])
    url = f"/conversations/{statements[0].conversation_id}/"
    html = client.get(url).content.decode()
    assert html.count('data-testid="statement-text"') == 1
    assert "0 of 8 statements voted" in html
    for key, value in (("a", "agree"), ("d", "disagree"), ("p", "pass")):
        assert f'name="vote" value="{value}" accesskey="{key}"' in html
    assert ' style="' not in html
    first = _shown(html)
    response = client.post(f"{url}vote/", {"statement": first, "vote": "agree"})
    assert response.status_code == 302
    html = client.get(url).content.decode()
    assert "1 of 8 statements voted" in html
    assert _shown(html) != first


def test_htmx_vote_swaps_the_card(world: World, statements: list[Statement]) -> None:
    client = world.client_for(world.member["private_sector"])
    url = f"/conversations/{statements[0].conversation_id}/vote/"
    seen: set[int] = set()
    html = client.get(f"/conversations/{statements[0].conversation_id}/").content.decode()
    for n in range(8):
        shown = _shown(html)
        assert shown not in seen
        seen.add(shown)
        response = client.post(
            url, {"statement": shown, "vote": "disagree"}, headers={"HX-Request": "true"}
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert html.lstrip().startswith('<section class="card vote-card" id="vote-card"')
        assert f"{n + 1} of 8 statements voted" in html
    assert 'data-testid="all-voted"' in html
    assert Vote.objects.filter(value=-1).count() == 8


def test_bad_votes_are_refused_with_4xx(world: World, statements: list[Statement]) -> None:
    conversation_id = statements[0].conversation_id
    url = f"/conversations/{conversation_id}/vote/"
    member = world.client_for(world.member["government"])
    assert member.post(url, {"statement": statements[0].pk, "vote": "maybe"}).status_code == 400
    assert member.post(url, {"statement": "x", "vote": "agree"}).status_code == 400
    assert member.post(url, {"statement": 99999, "vote": "agree"}).status_code == 404
    outsider = world.client_for(world.outsider)
    assert outsider.post(url, {"statement": statements[0].pk, "vote": "agree"}).status_code == 403
    anonymous = world.client_for(None)
    assert anonymous.post(url, {"statement": statements[0].pk, "vote": "agree"}).status_code == 302
    assert world.client_for(None).get("/conversations/99999/").status_code == 404
    assert world.client_for(None).get("/conversations/99999/map/").status_code == 404
    assert not Vote.objects.exists()


def test_anonymous_visitors_see_the_statement_and_a_login_link(
    world: World, statements: list[Statement]
) -> None:
    html = world.client_for(None).get(f"/conversations/{statements[0].conversation_id}/")
    assert "Log in to vote" in html.content.decode()


def test_statement_form_and_moderation(world: World, issue: Issue) -> None:
    conversation = services.open_conversation(world.steward, issue, topic="Strict")
    member = world.client_for(world.member["government"])
    url = f"/conversations/{conversation.pk}/"
    response = member.post(f"{url}statements/", {"text": "Fines should scale with turnover."})
    assert response.status_code == 302
    statement = Statement.objects.get(conversation=conversation)
    assert statement.status == Statement.Status.PENDING
    assert member.post(f"{url}statements/", {"text": "x" * 300}).status_code == 400
    moderate = f"{url}statements/{statement.pk}/moderate/"
    assert member.post(moderate, {"decision": "accepted"}).status_code == 403
    steward = world.client_for(world.steward)
    assert "Awaiting moderation (1)" in steward.get(url).content.decode()
    assert steward.post(moderate, {"decision": "bogus"}).status_code == 400
    assert steward.post(moderate, {"decision": "accepted"}).status_code == 302
    statement.refresh_from_db()
    assert statement.status == Statement.Status.ACCEPTED
    assert "Fines should scale" in member.get(url).content.decode()


def test_open_conversation_page(world: World, issue: Issue) -> None:
    url = f"/issues/{issue.pk}/conversations/new/"
    assert world.client_for(world.member["government"]).get(url).status_code == 403
    author = world.client_for(world.member["civil_society"])
    assert author.get(url).status_code == 200
    response = author.post(url, {"topic": "Talk", "description": "", "moderation": "open"})
    assert response.status_code == 302
    conversation = Conversation.objects.get()
    assert conversation.moderation == "open"
    assert author.post(url, {"topic": "", "moderation": "open"}).status_code == 400
    listing = world.client_for(None).get(f"/forums/{world.forum.slug}/conversations/")
    assert "Talk" in listing.content.decode()


def test_map_page_before_and_after_votes(world: World, statements: list[Statement]) -> None:
    conversation_id = statements[0].conversation_id
    url = f"/conversations/{conversation_id}/map/"
    assert 'data-testid="no-map"' in world.client_for(None).get(url).content.decode()
    for i, user in enumerate(world.member.values()):
        for j, statement in enumerate(statements):
            services.cast_vote(user, statement, 1 if (i < 3) == (j < 4) else -1)
    # No snapshot yet: the page computes one (the claim lets one request do it).
    html = world.client_for(world.member["government"]).get(url).content.decode()
    assert 'data-testid="opinion-map"' in html
    assert 'data-testid="computed-at"' in html
    assert "The ringed mark is you." in html
    assert ' style="' not in html
