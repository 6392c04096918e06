"""A long discussion on the issue page: the latest threads, the earlier ones on their own
page (or loaded in place), links that reach any comment, and the API's pages."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from commonground.contributions import services
from commonground.contributions.discussion import THREADS_SHOWN
from commonground.contributions.models import Comment, Kind, Solution
from commonground.issues.models import Issue
from tests.api.conftest import bearer, send
from tests.conftest import World

pytestmark = pytest.mark.django_db

WRITERS = ["government", "civil_society", "private_sector", "academic_technical"]


@pytest.fixture(autouse=True)
def many_comments_allowed(settings: Any) -> None:
    """These tests post more comments than one member may post in an hour."""
    settings.COMMONGROUND_RATE_LIMITS = {"comments_per_hour": 1000}


def _threads(world: World, n: int, **target: Any) -> list[Comment]:
    """``n`` top-level comments, oldest first, written by the personas in turn."""
    return [
        services.add_comment(
            world.member[WRITERS[i % len(WRITERS)]], body=f"Thread number {i} here.", **target
        )
        for i in range(n)
    ]


def _page(world: World, url: str, who: str | None = None, **headers: str) -> str:
    client = world.client_for(world.member[who] if who else None)
    response = client.get(url, **headers)
    assert response.status_code == 200, url
    return response.content.decode()


def _earlier_control(html: str) -> str | None:
    found = re.search(r"Show (\d+) earlier comments?", html)
    return found.group(0) if found else None


def test_exactly_the_limit_of_threads_shows_all_and_no_earlier_control(
    world: World, issue: Issue
) -> None:
    heads = _threads(world, THREADS_SHOWN, issue=issue)
    html = _page(world, issue.get_absolute_url())
    assert all(f'id="comment-{c.pk}"' in html for c in heads)
    assert _earlier_control(html) is None


def test_one_thread_past_the_limit_hides_the_oldest_behind_one_earlier_comment(
    world: World, issue: Issue
) -> None:
    heads = _threads(world, THREADS_SHOWN + 1, issue=issue)
    html = _page(world, issue.get_absolute_url())
    assert _earlier_control(html) == "Show 1 earlier comment"
    assert f'id="comment-{heads[0].pk}"' not in html
    assert all(f'id="comment-{c.pk}"' in html for c in heads[1:])
    link = reverse("contributions:issue_discussion", args=[issue.pk]) + f"?before={heads[1].pk}"
    assert f'href="{link}"' in html and f'hx-get="{link}"' in html
    # Without JavaScript the link is a page of its own with the oldest thread and a way back.
    earlier = _page(world, link)
    assert f'id="comment-{heads[0].pk}"' in earlier and "Thread number 0 here." in earlier
    assert f'id="comment-{heads[1].pk}"' not in earlier
    assert _earlier_control(earlier) is None and "Back to the latest comments" in earlier
    # With it, the same threads as a fragment that takes the link's place.
    fragment = _page(world, link, HTTP_HX_REQUEST="true")
    assert "<html" not in fragment and f'id="comment-{heads[0].pk}"' in fragment
    assert f'id="earlier-issue-{issue.pk}-{heads[1].pk}"' in fragment
    assert "1 earlier comment shown." in fragment and "data-focus-after-update" in fragment


def test_earlier_pages_chain_back_to_the_first_thread(world: World, issue: Issue) -> None:
    heads = _threads(world, 2 * THREADS_SHOWN + 3, issue=issue)
    html = _page(world, issue.get_absolute_url())
    assert _earlier_control(html) == f"Show {THREADS_SHOWN + 3} earlier comments"
    first_window = _page(world, f"/issues/{issue.pk}/discussion/?before={heads[23].pk}")
    assert _earlier_control(first_window) == "Show 3 earlier comments"
    assert f'id="comment-{heads[3].pk}"' in first_window
    assert f'id="comment-{heads[2].pk}"' not in first_window
    oldest = _page(world, f"/issues/{issue.pk}/discussion/?before={heads[3].pk}")
    assert [f'id="comment-{c.pk}"' in oldest for c in heads[:4]] == [True, True, True, False]
    assert f"?before={heads[23].pk}" in oldest  # "Show later comments"


def test_earlier_count_counts_only_what_the_viewer_may_see(world: World, issue: Issue) -> None:
    heads = _threads(world, THREADS_SHOWN + 2, issue=issue)
    reply = services.add_comment(
        world.member["civil_society"], issue=issue, body="A reply to be hidden.", parent=heads[0]
    )
    services.moderate(world.steward, Kind.COMMENT, reply, hide=True, reason="Off topic")
    # Two earlier threads: the anonymous reader sees their two heads, the reply's author
    # and the stewards the hidden reply as well.
    assert _earlier_control(_page(world, issue.get_absolute_url())) == "Show 2 earlier comments"
    member_page = _page(world, issue.get_absolute_url(), "civil_society")
    assert _earlier_control(member_page) == "Show 3 earlier comments"
    other_member = _page(world, issue.get_absolute_url(), "government")
    assert _earlier_control(other_member) == "Show 2 earlier comments"
    earlier = f"/issues/{issue.pk}/discussion/?before={heads[2].pk}"
    assert "A reply to be hidden." not in _page(world, earlier)
    assert "A reply to be hidden." in _page(world, earlier, "civil_society")


def test_a_hidden_head_with_a_visible_reply_stays_a_stub_on_the_earlier_page(
    world: World, issue: Issue
) -> None:
    heads = _threads(world, THREADS_SHOWN + 1, issue=issue)
    reply = services.add_comment(
        world.member["private_sector"], issue=issue, body="Still worth reading.", parent=heads[0]
    )
    services.moderate(world.steward, Kind.COMMENT, heads[0], hide=True, reason="Spam")
    earlier = _page(world, f"/issues/{issue.pk}/discussion/?before={heads[1].pk}")
    assert "A comment hidden by moderation." in earlier and "Thread number 0 here." not in earlier
    assert f'id="comment-{reply.pk}"' in earlier and "Still worth reading." in earlier
    # The stub counts for nothing; its visible reply counts.
    assert _earlier_control(_page(world, issue.get_absolute_url())) == "Show 1 earlier comment"


def test_a_link_to_a_comment_reaches_it_at_the_boundary_of_the_latest_threads(
    world: World, issue: Issue
) -> None:
    heads = _threads(world, THREADS_SHOWN + 3, issue=issue)
    oldest_shown, newest_hidden = heads[3], heads[2]
    reply = services.add_comment(
        world.member["government"], issue=issue, body="Late reply.", parent=newest_hidden
    )
    client = world.client_for(world.member["civil_society"])
    to_shown = client.get(reverse("contributions:comment_link", args=[oldest_shown.pk]))
    assert to_shown.status_code == 302
    assert to_shown["Location"] == f"{issue.get_absolute_url()}#comment-{oldest_shown.pk}"
    for comment in (newest_hidden, reply):
        response = client.get(reverse("contributions:comment_link", args=[comment.pk]))
        location = response["Location"]
        assert location == (
            f"/issues/{issue.pk}/discussion/?before={oldest_shown.pk}#comment-{comment.pk}"
        )
        page = client.get(location.split("#")[0]).content.decode()
        assert f'id="comment-{comment.pk}"' in page


def test_replying_to_an_old_thread_returns_to_the_page_that_shows_the_reply(
    world: World, issue: Issue
) -> None:
    heads = _threads(world, THREADS_SHOWN + 1, issue=issue)
    client = world.client_for(world.member["academic_technical"])
    response = client.post(
        reverse("contributions:issue_comment", args=[issue.pk]),
        {"body": "Answering the first thread.", "parent": heads[0].pk},
    )
    reply = Comment.objects.get(body="Answering the first thread.")
    assert response.status_code == 302
    assert response["Location"] == (
        f"/issues/{issue.pk}/discussion/?before={heads[1].pk}#comment-{reply.pk}"
    )
    notifications = world.client_for(world.member["government"]).get("/notifications/")
    assert reverse("contributions:comment_link", args=[reply.pk]) in notifications.content.decode()


def test_a_solutions_discussion_is_bounded_the_same_way(
    world: World, issue: Issue, solution: Solution
) -> None:
    heads = _threads(world, THREADS_SHOWN + 1, solution=solution)
    html = _page(world, issue.get_absolute_url())
    assert _earlier_control(html) == "Show 1 earlier comment"
    link = f"/solutions/{solution.pk}/discussion/?before={heads[1].pk}"
    assert f'href="{link}"' in html
    earlier = _page(world, link)
    assert f'id="comment-{heads[0].pk}"' in earlier and "Open spectrum" in earlier
    services.moderate(world.steward, Kind.SOLUTION, solution, hide=True, reason="Duplicate")
    assert world.client_for(None).get(link).status_code == 404


def test_a_bad_window_is_a_clear_4xx(world: World, issue: Issue) -> None:
    client = world.client_for(None)
    assert client.get(f"/issues/{issue.pk}/discussion/?before=abc").status_code == 400
    assert client.get(f"/issues/{issue.pk}/discussion/?before=999999").status_code == 404
    assert client.get("/issues/999999/discussion/").status_code == 404
    assert client.get("/comments/999999/").status_code == 404


def test_a_new_comment_shows_on_the_next_anonymous_read_and_moves_the_control(
    world: World, issue: Issue
) -> None:
    heads = _threads(world, THREADS_SHOWN, issue=issue)
    assert _earlier_control(_page(world, issue.get_absolute_url())) is None
    newest = services.add_comment(world.member["government"], issue=issue, body="Brand new.")
    html = _page(world, issue.get_absolute_url())
    assert "Brand new." in html and _earlier_control(html) == "Show 1 earlier comment"
    assert f'id="comment-{heads[0].pk}"' not in html
    services.edit_comment(world.member["government"], newest, body="Edited text.", stance="")
    html = _page(world, issue.get_absolute_url())
    assert "Edited text." in html and "Brand new." not in html
    earlier = f"/issues/{issue.pk}/discussion/?before={heads[1].pk}"
    assert "Thread number 0 here." in _page(world, earlier)
    services.moderate(world.steward, Kind.COMMENT, heads[0], hide=True, reason="Spam")
    assert "Thread number 0 here." not in _page(world, earlier)
    assert _earlier_control(_page(world, issue.get_absolute_url())) is None


def test_the_api_pages_a_discussion_counting_only_what_the_caller_may_see(
    world: World, issue: Issue
) -> None:
    heads = _threads(world, 5, issue=issue)
    services.moderate(world.steward, Kind.COMMENT, heads[1], hide=True, reason="Spam")
    client = world.client_for(None)
    page = send(client, "GET", f"/issues/{issue.pk}/comments?limit=2&offset=1").json()
    assert page["count"] == 4 and page["limit"] == 2 and page["offset"] == 1
    assert [c["id"] for c in page["items"]] == [heads[2].pk, heads[3].pk]
    default = send(client, "GET", f"/issues/{issue.pk}/comments").json()
    assert default["limit"] == 20 and len(default["items"]) == 4
    past = send(client, "GET", f"/issues/{issue.pk}/comments?offset=10").json()
    assert past["items"] == [] and past["count"] == 4
    author = world.member[WRITERS[1]]
    own = send(client, "GET", f"/issues/{issue.pk}/comments", headers=bearer(author)).json()
    assert own["count"] == 5 and own["items"][1]["hidden"] is True
    assert send(client, "GET", f"/issues/{issue.pk}/comments?limit=0").status_code == 422
    assert send(client, "GET", f"/issues/{issue.pk}/comments?limit=101").status_code == 422


def test_stewards_see_the_open_report_flag_on_the_earlier_page_and_others_do_not(
    world: World, issue: Issue
) -> None:
    heads = _threads(world, THREADS_SHOWN + 1, issue=issue)
    services.report(world.member["private_sector"], Kind.COMMENT, heads[0], reason="spam", note="")
    earlier = f"/issues/{issue.pk}/discussion/?before={heads[1].pk}"
    flag = "Reported once, waiting for a steward."
    assert flag in world.client_for(world.steward).get(earlier).content.decode()
    assert flag not in _page(world, earlier, "academic_technical")
