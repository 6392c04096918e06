"""Cached reads for anonymous readers (commonground.core.read_cache_middleware): a repeated
read runs no view, and every change is visible on the very next read."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commonground.contributions.services.comments import add_comment, delete_comment, edit_comment
from commonground.contributions.services.moderation import moderate
from commonground.core import read_cache_middleware
from commonground.core.models import ReadVersion
from commonground.core.readcache import ALL, ALL_SHARDS, scopes_of, versions
from commonground.core.replica import PIN_COOKIE
from commonground.dialogue import services as dialogue
from commonground.issues.models import Issue
from commonground.issues.services import (
    edit_issue,
    raise_issue,
    support_issue,
    withdraw_support,
)
from commonground.ledger.services import Event
from tests.conftest import World
from tests.web.cached_reads import cached_reads, without_csrf

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("still_humanize_clock")]


def _issue_api(client: Client, issue: Issue) -> dict[str, Any]:
    return client.get(f"/api/v1/issues/{issue.pk}").json()


def test_a_repeated_anonymous_read_runs_no_view_only_its_version_queries(
    world: World, issue: Issue, django_assert_max_num_queries: Any
) -> None:
    for name, url in cached_reads(world, issue).items():
        first = Client().get(url)
        assert first.status_code == 200, name
        with django_assert_max_num_queries(2):
            again = Client().get(url)
        assert again.status_code == 200 and without_csrf(again.content) == without_csrf(
            first.content
        ), name


def test_a_version_check_of_every_cached_read_is_one_statement(
    world: World, issue: Issue, django_assert_num_queries: Any
) -> None:
    # The key function reads what it needs (the cycle, its tally version) and the read
    # versions in one statement; a stored page then costs nothing more (window off here).
    for name, url in cached_reads(world, issue).items():
        assert Client().get(url).status_code == 200, name
        with django_assert_num_queries(1):
            assert Client().get(url).status_code == 200, name


def test_a_support_and_a_withdrawal_are_visible_on_the_next_anonymous_read(
    world: World, issue: Issue
) -> None:
    reader = Client()
    assert _issue_api(reader, issue)["support_count"] == 0
    page = reader.get(reverse("issues:detail", args=[issue.pk])).content
    agenda = reader.get(f"/api/v1/forums/{world.forum.slug}/agenda").content
    support_issue(world.member["government"], issue)
    assert _issue_api(reader, issue)["support_count"] == 1
    assert reader.get(reverse("issues:detail", args=[issue.pk])).content != page
    assert reader.get(f"/api/v1/forums/{world.forum.slug}/agenda").content != agenda
    withdraw_support(world.member["government"], issue)
    assert _issue_api(reader, issue)["support_count"] == 0


def test_a_support_of_another_issue_changes_this_issue_page_but_not_its_api_record(
    world: World, issue: Issue, django_assert_max_num_queries: Any
) -> None:
    # The page shows recognition, which depends on every issue's supports (the cycle's
    # tally version); the API record shows this issue's own counts only.
    other = Issue.objects.create(
        cycle=world.cycle, forum=world.forum, author=issue.author, title="Other", description="x"
    )
    reader = Client()
    reader.get(reverse("issues:detail", args=[issue.pk]))
    reader.get(f"/api/v1/issues/{issue.pk}")
    support_issue(world.member["government"], other)
    with django_assert_max_num_queries(1):
        assert reader.get(f"/api/v1/issues/{issue.pk}").status_code == 200
    with CaptureQueriesContext(connection) as queries:
        reader.get(reverse("issues:detail", args=[issue.pk]))
    assert len(queries) > 2  # rendered afresh


def test_an_edit_is_visible_on_every_cached_read_of_the_issue(world: World, issue: Issue) -> None:
    for member in world.member.values():  # recognized: on the agenda
        support_issue(member, issue)
    reader = Client()
    reads = cached_reads(world, issue)
    del reads["agenda API"]  # ids and counts, no titles
    for url in reads.values():
        assert b"Affordable rural connectivity" in reader.get(url).content
    edit_issue(
        world.member["civil_society"],
        issue,
        title="Affordable connectivity for villages",
        description="Villages pay more.",
        topics=["access"],
    )
    for name, url in reads.items():
        content = reader.get(url).content
        assert b"Affordable connectivity for villages" in content, name
        assert b"Affordable rural connectivity" not in content, name


def test_a_comment_and_its_hiding_are_visible_on_the_next_read_of_the_issue_page(
    world: World, issue: Issue
) -> None:
    reader = Client()
    url = reverse("issues:detail", args=[issue.pk])
    assert b"Spectrum is the bottleneck" not in reader.get(url).content
    comment = add_comment(
        world.member["academic_technical"], issue=issue, body="Spectrum is the bottleneck"
    )
    assert b"Spectrum is the bottleneck" in reader.get(url).content
    moderate(world.steward, "comment", comment, hide=True, reason="Off topic.")
    assert b"Spectrum is the bottleneck" not in reader.get(url).content


def test_each_language_gets_its_own_cached_page(world: World, issue: Issue) -> None:
    url = reverse("issues:detail", args=[issue.pk])
    assert b'<html lang="en"' in Client().get(url).content
    french = Client()
    french.cookies["django_language"] = "fr"
    assert b'<html lang="fr"' in french.get(url).content
    assert b'<html lang="en"' in Client().get(url).content


def test_a_member_is_never_served_the_anonymous_page(world: World, issue: Issue) -> None:
    url = reverse("issues:detail", args=[issue.pk])
    anonymous_page = Client().get(url).content
    member = world.client_for(world.member["civil_society"])
    assert member.get(url).content != anonymous_page
    token = {"HTTP_AUTHORIZATION": "Bearer not-a-token"}
    assert Client().get(f"/api/v1/issues/{issue.pk}", **token).status_code == 401


def test_a_browser_holding_the_current_page_gets_a_304_and_a_changed_page_a_200(
    world: World, issue: Issue
) -> None:
    reader = Client()
    url = f"/api/v1/issues/{issue.pk}"
    etag = reader.get(url)["ETag"]
    assert reader.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    compressed = reader.get(url, HTTP_ACCEPT_ENCODING="gzip")["ETag"]  # weak once gzipped
    assert compressed.startswith("W/")
    assert reader.get(url, HTTP_IF_NONE_MATCH=compressed).status_code == 304
    support_issue(world.member["government"], issue)
    changed = reader.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed.json()["support_count"] == 1
    assert changed["ETag"] != etag


def test_each_reader_of_a_cached_page_gets_a_csrf_token_that_works(
    world: World, issue: Issue
) -> None:
    url = reverse("issues:detail", args=[issue.pk])
    Client().get(url)  # fills the cache
    reader = Client(enforce_csrf_checks=True)
    page = reader.get(url).content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    assert len(token) == 64
    switched = reader.post(
        reverse("set_language"), {"language": "fr", "next": url, "csrfmiddlewaretoken": token}
    )
    assert switched.status_code == 302
    assert b'<html lang="fr"' in reader.get(url).content


def test_a_vote_bumps_no_read_version_a_support_its_issue_a_comment_its_talk_the_rest_all() -> None:
    def scopes(action: str, object_type: str, **fields: Any) -> set[str]:
        return scopes_of(Event(action, object_type, 7, forum="kenya-igf", fields=fields))

    assert scopes("vote.cast", "statement", conversation=3) == set()
    assert scopes("conversation.opinion_map", "conversation") == set()
    assert scopes("support.add", "issue") == {"issue:7"}
    assert scopes("comment.add", "comment", issue=5) == {"talk:5"}
    shards = {f"all:{n}" for n in range(ALL_SHARDS)}
    (solution_comment,) = scopes("comment.add", "comment", issue=None, solution=2)
    (edit,) = scopes("issue.edit", "issue")
    assert solution_comment in shards and edit in shards


def test_any_of_the_all_shards_renewed_changes_what_readers_of_all_see(db: None) -> None:
    """Writes of the broad scope renew one of its shards at random (so they do not queue
    on one row); a reader's version of ``all`` must change whichever shard it was."""
    before = versions([ALL])
    seen = {before[0]}
    for n in range(ALL_SHARDS):
        ReadVersion.objects.update_or_create(scope=f"all:{n}", defaults={"token": 1000 + n})
        (now,) = versions([ALL])
        assert now not in seen, f"renewing shard {n} left the version of all unchanged"
        seen.add(now)
    assert versions(["issue:1"]) == ["0"]


# The staleness window (COMMONGROUND_READ_STALE_SECONDS): anonymous readers may get a page
# whose versions were read less than the window ago; members never.

WINDOW = 2.0


@pytest.fixture
def clock(settings: Any, monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The window switched on, and the read cache's clock in the test's hands."""
    settings.COMMONGROUND_READ_STALE_SECONDS = WINDOW
    now = [1_000_000.0]
    monkeypatch.setattr(read_cache_middleware, "_now", lambda: now[0])
    return now


def test_an_anonymous_reader_may_lag_a_support_inside_the_window_and_sees_it_past_the_window(
    world: World, issue: Issue, clock: list[float]
) -> None:
    reader = Client()
    assert _issue_api(reader, issue)["support_count"] == 0
    support_issue(world.member["government"], issue)
    clock[0] += WINDOW - 0.01
    assert _issue_api(reader, issue)["support_count"] == 0  # at the window's edge: may lag
    clock[0] += 0.02
    assert _issue_api(reader, issue)["support_count"] == 1  # past it: current


def test_within_the_window_a_read_runs_no_query_and_past_it_reads_the_versions_again(
    world: World, issue: Issue, clock: list[float], django_assert_num_queries: Any
) -> None:
    url = reverse("issues:detail", args=[issue.pk])
    first = Client().get(url)
    clock[0] += WINDOW - 0.01
    with django_assert_num_queries(0):
        again = Client().get(url)
    assert without_csrf(again.content) == without_csrf(first.content)
    clock[0] += 0.02
    with CaptureQueriesContext(connection) as queries:
        Client().get(url)
    # The shared pointer, the cycle's tally version, the versions; the page is unchanged.
    assert 0 < len(queries) <= 3


def test_the_member_who_supported_sees_it_at_once_inside_the_window(
    world: World, issue: Issue, clock: list[float]
) -> None:
    supporter = world.member["government"]
    url = f"/api/v1/issues/{issue.pk}"
    assert _issue_api(Client(), issue)["support_count"] == 0  # the anonymous page, cached
    support_issue(supporter, issue)
    assert world.client_for(supporter).get(url).json()["support_count"] == 1
    assert _issue_api(Client(), issue)["support_count"] == 0  # an anonymous reader may lag


def test_a_reader_carrying_the_replica_pin_of_a_recent_write_sees_it_inside_the_window(
    world: World, issue: Issue, clock: list[float]
) -> None:
    """An API client writes with its token and reads without it: the pin cookie the write
    set (core/replica.py) marks the writer, whose next read must show the write."""
    url = f"/api/v1/issues/{issue.pk}"
    assert _issue_api(Client(), issue)["support_count"] == 0  # the anonymous page, cached
    support_issue(world.member["government"], issue)
    pinned = Client()
    pinned.cookies[PIN_COOKIE] = "1"
    assert pinned.get(url).json()["support_count"] == 1
    unpinned = Client()
    unpinned.cookies[PIN_COOKIE] = ""  # an expired pin is no pin
    assert unpinned.get(url).json()["support_count"] == 0


def test_while_another_process_renders_readers_get_the_previous_page_until_the_grace_ends(
    world: World, issue: Issue, clock: list[float]
) -> None:
    url = f"/api/v1/issues/{issue.pk}"
    reader = Client()
    assert _issue_api(reader, issue)["support_count"] == 0
    support_issue(world.member["government"], issue)
    place = read_cache_middleware._place(reader.get(url).wsgi_request)
    assert cache.add(read_cache_middleware._short(read_cache_middleware.LOCK_PREFIX, place), 1)
    grace = read_cache_middleware.RENDER_GRACE
    clock[0] += WINDOW + grace - 0.01
    assert _issue_api(reader, issue)["support_count"] == 0  # the renderer is at work
    clock[0] += 0.02
    assert _issue_api(reader, issue)["support_count"] == 1  # no one waits past the grace


def test_a_reader_past_the_window_who_takes_the_render_lock_releases_it(
    world: World, issue: Issue, clock: list[float]
) -> None:
    url = f"/api/v1/issues/{issue.pk}"
    reader = Client()
    request = reader.get(url).wsgi_request
    support_issue(world.member["government"], issue)
    clock[0] += WINDOW + 0.01
    assert _issue_api(reader, issue)["support_count"] == 1
    lock = read_cache_middleware._short(
        read_cache_middleware.LOCK_PREFIX, read_cache_middleware._place(request)
    )
    assert cache.add(lock, 1)  # free again


# Sections of the issue page cached under versions of their own
# (commonground.core.templatetags.readcached): a support re-renders the page, not them.


def _tables_read(client: Client, url: str) -> str:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return "\n".join(q["sql"] for q in queries)


def test_after_a_support_the_issue_page_renders_afresh_without_its_contributions_and_network(
    world: World, issue: Issue
) -> None:
    url = reverse("issues:detail", args=[issue.pk])
    add_comment(world.member["academic_technical"], issue=issue, body="Spectrum is the bottleneck")
    first = _tables_read(Client(), url)
    assert "contributions_comment" in first and "network_" in first
    support_issue(world.member["government"], issue)
    again = _tables_read(Client(), url)
    assert "issues_support" in again or "issues_issue" in again  # rendered afresh
    assert "contributions_comment" not in again and "network_" not in again
    page = Client().get(url).content
    assert b"Spectrum is the bottleneck" in page
    assert b"1 support" in page or b">1<" in page


def test_a_member_gets_the_sections_rendered_for_them_not_the_anonymous_ones(
    world: World, issue: Issue
) -> None:
    url = reverse("issues:detail", args=[issue.pk])
    Client().get(url)  # the anonymous sections, cached
    member = world.client_for(world.member["academic_technical"])
    assert "contributions_comment" in _tables_read(member, url)


def test_the_issue_page_renders_again_only_when_its_own_recognition_moves(
    world: World, issue: Issue
) -> None:
    """Keyed by the recognition it shows, not by every support of its cycle: a support of
    another issue by a member already active leaves this issue's figures as they were."""
    other, third = (
        Issue.objects.create(
            cycle=world.cycle, forum=world.forum, author=issue.author, title=t, description="x"
        )
        for t in ("Other", "Third")
    )
    url = reverse("issues:detail", args=[issue.pk])
    support_issue(world.member["government"], third)  # now an active member of the cycle
    first = Client().get(url)
    support_issue(world.member["government"], other)  # active already: this page unchanged
    assert "issues_issue_topics" not in _tables_read(Client(), url)  # no view ran
    support_issue(world.member["civil_society"], other)  # a new active member: rates move
    assert "issues_issue_topics" in _tables_read(Client(), url)  # rendered afresh
    assert without_csrf(Client().get(url).content) != without_csrf(first.content)


def test_a_recomputed_opinion_map_renders_no_cached_page_again_opening_a_conversation_does(
    world: World, issue: Issue
) -> None:
    """The issue page lists its conversations (opening one is a change of ``all``); no
    cached read shows an opinion map, so its recompute moves no version."""
    url = reverse("issues:detail", args=[issue.pk])
    talk = dialogue.open_conversation(world.steward, issue, topic="Rural spectrum")
    statement = dialogue.add_statement(world.steward, talk, "Spectrum should be shared.")
    dialogue.cast_vote(world.member["government"], statement, 1)
    first = Client().get(url)
    assert b"Rural spectrum" in first.content
    before = versions([ALL, f"issue:{issue.pk}", f"talk:{issue.pk}"])
    assert dialogue.recompute_opinion_map(talk) is not None
    assert versions([ALL, f"issue:{issue.pk}", f"talk:{issue.pk}"]) == before
    assert "issues_issue_topics" not in _tables_read(Client(), url)  # no view ran
    dialogue.open_conversation(world.steward, issue, topic="Community networks")
    assert versions([ALL])[0] != before[0]
    assert b"Community networks" in Client().get(url).content


# Parts of a section ({% readcached_part %}): each comment rendered once for anonymous
# readers, until a broad change or its own edit, hiding or deletion.

COMMENT_TEMPLATE = "contributions/includes/comment.html"


def _comments_rendered(client: Client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200
    return sum(1 for t in response.templates if t.name == COMMENT_TEMPLATE)


def test_after_a_new_comment_only_that_comment_is_rendered_for_anonymous_readers(
    world: World, issue: Issue
) -> None:
    url = reverse("issues:detail", args=[issue.pk])
    author = world.member["academic_technical"]
    first = add_comment(author, issue=issue, body="Spectrum is the bottleneck")
    add_comment(author, issue=issue, body="Backhaul too", parent=first)
    assert _comments_rendered(Client(), url) == 2
    add_comment(world.member["government"], issue=issue, body="Licensing is slow")
    assert _comments_rendered(Client(), url) == 1  # the new one; the others from memory
    page = Client().get(url).content
    for text in (b"Spectrum is the bottleneck", b"Backhaul too", b"Licensing is slow"):
        assert text in page
    assert page.index(b"Spectrum is the bottleneck") < page.index(b"Licensing is slow")


def test_a_comment_edited_or_deleted_by_its_author_shows_so_on_the_next_anonymous_read(
    world: World, issue: Issue
) -> None:
    url = reverse("issues:detail", args=[issue.pk])
    author = world.member["academic_technical"]
    comment = add_comment(author, issue=issue, body="Spectrum is the bottleneck")
    assert b"Spectrum is the bottleneck" in Client().get(url).content
    edit_comment(author, comment, body="Spectrum and backhaul are the bottleneck")
    page = Client().get(url).content
    assert b"Spectrum and backhaul are the bottleneck" in page
    assert b"Spectrum is the bottleneck" not in page
    delete_comment(author, comment)
    page = Client().get(url).content
    assert b"Spectrum and backhaul" not in page and b"Comment deleted by its author." in page


def test_a_hidden_reply_and_its_author_see_their_own_parts_not_the_anonymous_ones(
    world: World, issue: Issue
) -> None:
    url = reverse("issues:detail", args=[issue.pk])
    author = world.member["academic_technical"]
    head = add_comment(author, issue=issue, body="Spectrum is the bottleneck")
    reply = add_comment(world.member["government"], issue=issue, body="Off we go", parent=head)
    assert b"Off we go" in Client().get(url).content
    moderate(world.steward, "comment", reply, hide=True, reason="Off topic.")
    assert b"Off we go" not in Client().get(url).content
    own = world.client_for(author).get(url).content
    assert reverse("contributions:comment_edit", args=[head.pk]).encode() in own
    assert reverse("contributions:comment_edit", args=[head.pk]).encode() not in (
        Client().get(url).content
    )


def test_a_page_put_together_from_cached_sections_and_parts_is_the_page_rendered_whole(
    world: World, issue: Issue, settings: Any
) -> None:
    url = reverse("issues:detail", args=[issue.pk])
    dialogue.open_conversation(world.steward, issue, topic="Rural spectrum")
    head = add_comment(world.member["academic_technical"], issue=issue, body="Spectrum first")
    Client().get(url)  # the sections and the comment's part, cached
    add_comment(world.member["government"], issue=issue, body="Backhaul next", parent=head)
    support_issue(world.member["government"], issue)
    put_together = Client().get(url).content
    assert b"Backhaul next" in put_together and b"Rural spectrum" in put_together
    settings.COMMONGROUND_READ_CACHE_SECONDS = 0  # no cache: everything rendered now
    assert without_csrf(put_together) == without_csrf(Client().get(url).content)


def test_the_issue_page_read_in_one_statement_is_the_page_the_orm_reads_render(
    world: World, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The issue, its forum, cycle, author and topics (SDGs first, then by slug) read in
    # one statement and the tallies taken from the issue's row: the page is byte for byte
    # the one rendered from the ORM's queries, before and after a support.
    from commonground.access import lookup

    issue = raise_issue(
        world.member["civil_society"],
        world.forum,
        title="Spectrum for community networks",
        description="Licences *cost* too much.",
        topics=["zoning", "SDG 9", "access", "SDG 5"],
    )
    url = reverse("issues:detail", args=[issue.pk])
    support_issue(world.member["government"], issue)
    support_issue(world.member["private_sector"], issue)
    one_statement = Client().get(url).content
    with CaptureQueriesContext(connection) as queries:
        lookup.get_issue(issue.pk)
    assert len(queries) == 1
    topics = [b"Gender equality", b"Industry, innovation", b">access<", b">zoning<"]
    places = [one_statement.find(t) for t in topics]
    assert -1 not in places and places == sorted(places)
    read = Issue.objects.get(pk=issue.pk)
    monkeypatch.setattr(
        lookup, "read_issue", lambda pk: lookup.issue_queryset().filter(pk=pk).first()
    )
    settings.COMMONGROUND_READ_CACHE_SECONDS = 0
    by_the_orm = Client().get(url).content
    assert without_csrf(one_statement) == without_csrf(by_the_orm)
    assert read.support_count == 2 and b'data-testid="support-count">2<' in by_the_orm


def test_a_thread_is_rendered_again_only_when_one_of_its_comments_changes_or_comes(
    world: World, issue: Issue, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each thread (a comment with its replies and the reply form) is a part of its own for
    # anonymous readers, keyed by its comments' states: a reply renders its thread again
    # (the head from its own part), a new comment only its own thread.
    from commonground.core.templatetags import readcached

    rendered: list[str] = []
    original = readcached._CachedNode._rendered

    def counting(node: Any, context: Any) -> bytes:
        rendered.append(node.name)
        return original(node, context)

    monkeypatch.setattr(readcached._CachedNode, "_rendered", counting)
    url = reverse("issues:detail", args=[issue.pk])
    author = world.member["academic_technical"]
    first = add_comment(author, issue=issue, body="Spectrum is the bottleneck")
    add_comment(world.member["government"], issue=issue, body="Licensing is slow")
    Client().get(url)
    rendered.clear()
    add_comment(world.member["government"], issue=issue, body="Backhaul too", parent=first)
    page = Client().get(url).content
    assert sorted(rendered) == ["comment", "issue-contributions", "thread"]
    assert page.index(b"Spectrum is the bottleneck") < page.index(b"Backhaul too")
    assert page.index(b"Backhaul too") < page.index(b"Licensing is slow")
    rendered.clear()
    Client().get(url)  # nothing changed: the page itself is stored
    assert rendered == []
