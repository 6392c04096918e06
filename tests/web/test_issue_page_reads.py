"""The issue page's reads written by hand (commonground.access.issue_read,
commonground.contributions.section_read) show exactly what the ORM's queries show."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models.signals import post_init
from django.test import Client
from django.urls import reverse

from commonground.access import lookup
from commonground.contributions import services
from commonground.contributions.models import Comment
from commonground.contributions.section_read import with_authors
from commonground.contributions.templatetags import contributions as section
from commonground.core import rows
from commonground.issues import views as issue_views
from commonground.issues.models import Issue
from commonground.issues.services import support_issue
from commonground.issues.tallies import tally_version
from commonground.recognition import views as recognition_views
from tests.conftest import World
from tests.web.cached_reads import without_csrf

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("still_humanize_clock")]


def _by_the_orm(model: Any, issue_id: int, ids: list[int] | None = None) -> list[Any]:
    """What the section read before: one ORM query per kind with ``select_related``."""
    on_issue: dict[str, Any] = {
        "solution__issue_id" if model.__name__ == "Advice" else "issue_id": issue_id
    }
    if ids is not None:
        on_issue["pk__in"] = ids
    return list(
        model.objects.filter(**on_issue).select_related("author__user").order_by("created_at", "id")
    )


def test_the_contributions_section_read_by_hand_is_the_one_the_orm_reads_render(
    world: World, issue: Issue, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    solution = services.propose_solution(
        world.member["private_sector"], issue, title="Open spectrum", description="Bands."
    )
    services.signal_concern(
        world.member["government"], issue, jurisdiction="KE", priority="high", statement="Costly."
    )
    advice = services.give_advice(
        world.member["academic_technical"], solution, feasibility="feasible", benefits="Cheap."
    )
    services.revise_advice(
        world.member["academic_technical"],
        advice,
        feasibility="feasible_with_conditions",
        risks="Interference.",
    )
    services.add_comment(world.member["government"], solution=solution, body="On the bands.")
    head = services.add_comment(world.member["academic_technical"], issue=issue, body="First.")
    services.add_comment(world.member["government"], issue=issue, body="A reply.", parent=head)
    hidden = services.add_comment(world.member["private_sector"], issue=issue, body="HIDDEN-BODY")
    services.moderate(world.steward, "comment", hidden, hide=True, reason="Spam.")
    settings.COMMONGROUND_READ_CACHE_SECONDS = 0  # every read renders the whole page
    url = reverse("issues:detail", args=[issue.pk])
    readers = {"anonymous": Client(), "steward": world.client_for(world.steward)}
    by_hand = {name: client.get(url).content for name, client in readers.items()}
    monkeypatch.setattr(section, "with_authors", _by_the_orm)
    for name, client in readers.items():
        assert without_csrf(by_hand[name]) == without_csrf(client.get(url).content), name
    for shown in (b"Costly.", b"Open spectrum", b"Interference.", b"On the bands.", b"A reply."):
        assert shown in by_hand["anonymous"]
    assert b"HIDDEN-BODY" in by_hand["steward"] and b"HIDDEN-BODY" not in by_hand["anonymous"]


def _forum_then_cycle_by_the_orm(slug: str) -> tuple[Any, Any, tuple[int, int]]:
    """What the agenda and the issue list read before: the forum, then its open cycle."""
    forum = lookup.get_forum(slug)
    cycle = lookup.open_cycle_of(forum)
    return forum, cycle, tally_version(cycle.pk)


def test_the_agenda_and_the_issue_list_read_their_forum_and_cycle_by_hand_as_the_orm_does(
    world: World, issue: Issue, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The forum (with a parent), its open cycle and its tally version in one statement:
    # the pages are those rendered from the ORM's reads, and a forum without an open
    # cycle or no forum at all is refused alike.
    support_issue(world.member["government"], issue)
    settings.COMMONGROUND_READ_CACHE_SECONDS = 0
    slug = world.forum.slug
    urls = [
        reverse("recognition:agenda", args=[slug]),
        reverse("issues:index", args=[slug]),
        reverse("recognition:agenda", args=["igf"]),  # no open cycle
        reverse("issues:index", args=["igf"]),
        reverse("recognition:agenda", args=["nowhere"]),  # no such forum
        reverse("issues:index", args=["nowhere"]),
    ]
    by_hand = [Client().get(url) for url in urls]
    assert [r.status_code for r in by_hand[:2]] == [200, 200]
    assert all(r.status_code >= 400 for r in by_hand[2:])
    assert b"Affordable rural connectivity" in by_hand[0].content + by_hand[1].content
    for view in (recognition_views, issue_views):
        monkeypatch.setattr(view, "get_forum_and_open_cycle", _forum_then_cycle_by_the_orm)
    for url, hand in zip(urls, by_hand, strict=True):
        orm = Client().get(url)
        assert (orm.status_code, without_csrf(orm.content)) == (
            hand.status_code,
            without_csrf(hand.content),
        ), url


def _state_and_fields(item: Any) -> tuple[type, bool, str | None, dict[str, Any]]:
    fields = {name: value for name, value in vars(item).items() if name != "_state"}
    return type(item), item._state.adding, item._state.db, fields


def test_rows_of_a_hand_written_read_are_built_as_the_instances_the_orm_loads(
    world: World, issue: Issue
) -> None:
    # rows.instance fills a plain model's __dict__ and _state directly instead of going
    # through Model.__init__: the comment, its author's membership and the account must
    # be what the ORM loads, field for field, saved state included.
    head = services.add_comment(world.member["academic_technical"], issue=issue, body="First.")
    services.add_comment(world.member["government"], issue=issue, body="A reply.", parent=head)
    built = with_authors(Comment, issue.pk)
    loaded = _by_the_orm(Comment, issue.pk)
    assert [c.pk for c in built] == [c.pk for c in loaded] and len(built) == 2
    for by_hand, by_orm in zip(built, loaded, strict=True):
        pairs = [(by_hand, by_orm), (by_hand.author, by_orm.author)]
        pairs.append((by_hand.author.user, by_orm.author.user))
        for one, other in pairs:
            assert _state_and_fields(one) == _state_and_fields(other)
            assert one._state.adding is False
    built[0].body = "Edited."
    built[0].save(update_fields=["body"])  # an instance that saves as a loaded one does
    assert Comment.objects.get(pk=built[0].pk).body == "Edited."


def test_a_model_whose_instances_a_receiver_watches_is_built_through_the_orms_from_db(
    world: World, issue: Issue
) -> None:
    services.add_comment(world.member["academic_technical"], issue=issue, body="First.")
    seen: list[int] = []

    def watch(sender: Any, instance: Any, **kwargs: Any) -> None:
        seen.append(instance.pk)

    post_init.connect(watch, sender=Comment)
    rows._plain.cache_clear()
    try:
        built = with_authors(Comment, issue.pk)
    finally:
        post_init.disconnect(watch, sender=Comment)
        rows._plain.cache_clear()
    assert seen == [built[0].pk]
    with_authors(Comment, issue.pk)
    assert seen == [built[0].pk]  # the receiver gone, the direct way again
