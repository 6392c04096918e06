"""The issue list's page read by hand (commonground.issues.list_read) lists the issues the
rule lists (``queries.issue_list``, the ORM's statement of it) in the same order, with the
same count, for every filter and sort; and the page shows the boundaries as before: an
empty result, the last page, a page past the end."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from commonground.contributions import services as contributions
from commonground.issues.list_read import IssueListRead
from commonground.issues.models import Issue
from commonground.issues.queries import IssueFilters, issue_list
from commonground.issues.services import raise_issue, support_issue
from commonground.issues.translations import add_translation
from commonground.network.merge import merge_issues
from commonground.stakeholders import GROUPS
from tests.conftest import World
from tests.contributions.conftest import signal_fields

pytestmark = pytest.mark.django_db

TOPICS = [["SDG 9", "access"], ["data"], [], ["access", "SDG 5"]]


def _forum_of_issues(world: World, n: int) -> list[Issue]:
    """``n`` issues by every group's member, with topics, supports (ties among them), a
    translation, a signal and one issue merged into another."""
    issues = []
    for i in range(n):
        author = world.member[GROUPS[i % len(GROUPS)]]
        issues.append(
            raise_issue(
                author,
                world.forum,
                title=f"Issue number {i} on {'data' if i % 3 == 0 else 'access'}",
                description=f"Description {i}.",
                topics=TOPICS[i % len(TOPICS)],
            )
        )
    for i, issue in enumerate(issues[:8]):
        for group in GROUPS[: 1 + i % 3]:
            support_issue(world.member[group], issue)
    add_translation(
        world.member["academic_technical"],
        issues[5],
        language="fr",
        title="Question traduite sur le spectre",
        description="Texte traduit.",
    )
    contributions.signal_concern(
        world.member["government"], issues[2], **signal_fields("government")
    )
    merge_issues(world.steward, issues[7], into=issues[6])
    return issues


FILTERS = [
    {},
    {"sort": "newest"},
    {"group": "civil_society"},
    {"region": "african", "sort": "newest"},
    {"topic": "access"},
    {"topic": "data", "group": "government"},
    {"q": "spectre"},  # only in the community translation
    {"q": "number 1"},
    {"q": "nothing like this"},
    {"topic": "no-such-topic"},
]


def test_the_read_lists_what_the_rule_lists_in_its_order_for_every_filter(world: World) -> None:
    _forum_of_issues(world, 26)
    for params in FILTERS:
        filters = IssueFilters.from_params(params)
        expected = list(issue_list(world.cycle, filters).values_list("pk", flat=True))
        read = IssueListRead(world.cycle, filters)
        assert read.count() == len(expected), params
        assert [i.pk for i in read[0 : len(expected) + 5]] == expected, params
        assert [i.pk for i in read[20:40]] == expected[20:40], params  # the second page
    assert IssueListRead(world.cycle, IssueFilters()).count() == 25  # the merged one left out


def test_the_rows_carry_what_the_list_shows_of_each_issue(world: World) -> None:
    issues = _forum_of_issues(world, 9)
    rows = IssueListRead(world.cycle, IssueFilters())[0:20]
    models = {i.pk: i for i in Issue.objects.filter(pk__in=[i.pk for i in issues])}
    for row in rows:
        model = models[row.pk]
        assert (row.title, row.language, row.raised_at, row.support_count) == (
            model.title,
            model.language,
            model.raised_at,
            model.support_count,
        )
        assert row.tallies == model.supports_by_group
        assert row.author.stakeholder_group == model.author.stakeholder_group
        assert (row.author.region, row.author.verified) == (
            model.author.region,
            model.author.verified,
        )
        assert [t.slug for t in row.topics.all()] == [t.slug for t in model.topics.all()]
        assert row.get_absolute_url() == model.get_absolute_url()


def _results(html: str) -> str:
    """The page's results section (the rest links back to the page's own address)."""
    start = html.index('aria-labelledby="results"')
    return html[start : html.index("</section>", start)]


def test_the_page_shows_its_count_its_pages_and_falls_back_past_the_end(world: World) -> None:
    issues = _forum_of_issues(world, 26)
    url = reverse("issues:index", args=[world.forum.slug])
    first = Client().get(url).content.decode()
    assert "25 issues" in first and "Page 1 of 2" in first
    assert first.count('class="issue-item"') == 20
    last = Client().get(url, {"page": "2"}).content.decode()
    assert "Page 2 of 2" in last and last.count('class="issue-item"') == 5
    past = Client().get(url, {"page": "3"}).content.decode()  # one past the end: the last
    assert _results(past) == _results(last)
    assert issues[7].title not in first + last  # merged: lives on in the other
    assert "Signalled by 1 government/IGO: KE" in first
    empty = Client().get(url, {"q": "nothing like this"}).content.decode()
    assert "0 issues" in empty and "No issues match. Try fewer filters." in empty
    assert 'class="issue-item"' not in empty and 'class="pagination"' not in empty
