"""Issue pages through HTTP: raising, editing, listing, supporting, with every refusal."""

from __future__ import annotations

import pytest
from django.urls import reverse

from commonground.forums.services import advance_cycle
from commonground.issues.models import Issue, Support
from commonground.issues.services import raise_issue, support_issue
from commonground.ledger.models import LedgerEntry
from tests.conftest import World
from tests.markup import unsafe_markup

pytestmark = pytest.mark.django_db

ISSUE = {
    "title": "Community networks lack spectrum access",
    "description": "Rural **community** networks cannot get licences.",
    "topics": "connectivity, SDG 9",
}


def _raise(world: World, group: str = "civil_society", title: str = "An issue") -> Issue:
    return raise_issue(world.member[group], world.forum, title=title, description="Why it matters.")


def test_member_raises_issue_and_is_redirected_to_it(world: World) -> None:
    client = world.client_for(world.member["civil_society"])
    response = client.post(reverse("issues:create", args=[world.forum.slug]), ISSUE)
    issue = Issue.objects.get()
    assert response.status_code == 302 and response.url == issue.get_absolute_url()
    assert issue.author == world.membership["civil_society"]
    assert "<strong>community</strong>" in issue.description_html
    assert sorted(t.slug for t in issue.topics.all()) == ["connectivity", "sdg-9"]
    assert issue.supports_by_group == dict.fromkeys(issue.supports_by_group, 0)
    assert LedgerEntry.objects.filter(action="issue.raise", object_id=str(issue.pk)).count() == 1


def test_anonymous_raise_redirects_to_login_and_creates_nothing(world: World, anonymous) -> None:
    response = anonymous.post(reverse("issues:create", args=[world.forum.slug]), ISSUE)
    assert response.status_code == 302 and "/accounts/login/" in response.url
    assert not Issue.objects.exists()


def test_outsider_cannot_raise_issue(world: World) -> None:
    response = world.client_for(world.outsider).post(
        reverse("issues:create", args=[world.forum.slug]), ISSUE
    )
    assert response.status_code == 403
    assert b"Join Kenya IGF" in response.content
    assert not Issue.objects.exists()


def test_raising_in_wrong_phase_is_refused_with_a_message(world: World) -> None:
    for _ in range(2):
        advance_cycle(None, world.forum)  # call_for_issues -> agenda_setting -> call_for_sessions
    response = world.client_for(world.member["civil_society"]).post(
        reverse("issues:create", args=[world.forum.slug]), ISSUE
    )
    assert response.status_code == 409
    assert b"Call for sessions is the current phase" in response.content
    assert not Issue.objects.exists()


def test_overlong_title_is_refused_and_nothing_changes(world: World) -> None:
    response = world.client_for(world.member["civil_society"]).post(
        reverse("issues:create", args=[world.forum.slug]), {**ISSUE, "title": "x" * 201}
    )
    assert response.status_code == 400
    assert not Issue.objects.exists()


def test_unknown_sdg_is_refused(world: World) -> None:
    response = world.client_for(world.member["civil_society"]).post(
        reverse("issues:create", args=[world.forum.slug]), {**ISSUE, "topics": "SDG 18"}
    )
    assert response.status_code == 400
    assert b"There is no SDG 18" in response.content


def test_description_markdown_is_sanitized(world: World) -> None:
    issue = raise_issue(
        world.member["civil_society"],
        world.forum,
        title="XSS",
        description="<script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=1>",
    )
    assert unsafe_markup(issue.description_html) == []


def test_author_edits_own_issue(world: World) -> None:
    issue = _raise(world)
    response = world.client_for(world.member["civil_society"]).post(
        reverse("issues:edit", args=[issue.pk]), {**ISSUE, "title": "Sharper title"}
    )
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.title == "Sharper title"


def test_other_member_cannot_edit_an_issue(world: World) -> None:
    issue = _raise(world)
    client = world.client_for(world.member["private_sector"])
    assert client.get(reverse("issues:edit", args=[issue.pk])).status_code == 403
    response = client.post(reverse("issues:edit", args=[issue.pk]), {**ISSUE, "title": "Hijack"})
    assert response.status_code == 403
    issue.refresh_from_db()
    assert issue.title == "An issue"


def test_support_then_withdraw_updates_counts_and_tallies(world: World) -> None:
    issue = _raise(world)
    client = world.client_for(world.member["private_sector"])
    url = reverse("issues:support", args=[issue.pk])
    assert client.post(url, {"action": "support"}).status_code == 302
    assert client.post(url, {"action": "support"}).status_code == 302  # idempotent
    issue.refresh_from_db()
    assert issue.support_count == 1
    issue.refresh_from_db()
    assert issue.supports_private_sector == 1
    client.post(url, {"action": "withdraw"})
    issue.refresh_from_db()
    assert issue.support_count == 0
    assert not Support.objects.exists()


def test_support_by_htmx_returns_the_panel_in_place(world: World) -> None:
    issue = _raise(world)
    client = world.client_for(world.member["government"])
    response = client.post(
        reverse("issues:support", args=[issue.pk]), {"action": "support"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert b'id="support-panel"' in response.content
    assert b"Withdraw my support" in response.content
    assert b'hx-swap-oob="true"' in response.content


def test_outsider_cannot_support(world: World) -> None:
    issue = _raise(world)
    response = world.client_for(world.outsider).post(reverse("issues:support", args=[issue.pk]))
    assert response.status_code == 403
    assert not Support.objects.exists()


def test_anonymous_support_redirects_to_login(world: World, anonymous) -> None:
    issue = _raise(world)
    response = anonymous.post(reverse("issues:support", args=[issue.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_support_in_wrong_phase_is_refused(world: World) -> None:
    issue = _raise(world)
    advance_cycle(None, world.forum)
    advance_cycle(None, world.forum)
    response = world.client_for(world.member["government"]).post(
        reverse("issues:support", args=[issue.pk])
    )
    assert response.status_code == 409
    assert not Support.objects.exists()


def test_issue_page_shows_supports_by_group_and_recognition(world: World, anonymous) -> None:
    issue = _raise(world)
    support_issue(world.member["private_sector"], issue)
    response = anonymous.get(issue.get_absolute_url())
    assert response.status_code == 200
    body = response.content.decode()
    assert "Supports by stakeholder group" in body
    assert "PRI · Private sector: 1" in body  # the chart's text alternative
    assert "Candidate" in body and "Needs 3 more groups" in body


def test_issue_list_filters_by_author_group_and_searches(world: World, anonymous) -> None:
    _raise(world, "civil_society", "Data protection for refugees")
    _raise(world, "private_sector", "Cross-border data flows")
    url = reverse("issues:index", args=[world.forum.slug])
    body = anonymous.get(url, {"group": "private_sector"}).content.decode()
    assert "Cross-border data flows" in body and "refugees" not in body
    body = anonymous.get(url, {"q": "refugees"}).content.decode()
    assert "refugees" in body and "Cross-border" not in body


def test_issue_list_sorts_by_support(world: World, anonymous) -> None:
    first = _raise(world, title="Quiet issue")
    second = _raise(world, title="Loud issue")
    support_issue(world.member["government"], second)
    assert first.pk < second.pk
    body = anonymous.get(reverse("issues:index", args=[world.forum.slug])).content.decode()
    assert body.index("Loud issue") < body.index("Quiet issue")


def test_unknown_issue_is_404(anonymous, db: None) -> None:
    assert anonymous.get("/issues/999999/").status_code == 404


def _element(html: str, element_id: str) -> str:
    """The opening tag and content of the element with ``element_id`` (up to the next
    top-level element of the HTMX answer, which is enough for these checks)."""
    start = html.index(f'id="{element_id}"')
    start = html.rindex("<", 0, start)
    following = [html.find(f'id="{i}"', start + 1) for i in OOB_IDS if i != element_id]
    end = min([i for i in following if i > start] + [len(html)])
    return html[start:end]


OOB_IDS = ["support-panel", "issue-status", "recognition-block", "group-chart-box"]


def test_support_by_htmx_updates_status_table_reason_and_chart_together(world: World) -> None:
    # One supporter per group suffices here, so the third group's support is the one that
    # makes the issue recognized (3 groups): every figure on the page moves with it.
    world.forum.min_supporters = 1
    world.forum.save()
    issue = _raise(world)
    for group in ("government", "private_sector"):
        support_issue(world.member[group], issue)
    client = world.client_for(world.member["academic_technical"])
    before = client.get(issue.get_absolute_url()).content.decode()
    assert "Candidate" in _element(before, "issue-status")
    assert "Needs 1 more group" in _element(before, "recognition-block")
    response = client.post(
        reverse("issues:support", args=[issue.pk]), {"action": "support"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    for element_id in OOB_IDS[1:]:
        assert 'hx-swap-oob="true"' in _element(html, element_id), element_id
    assert "hx-swap-oob" not in _element(html, "support-panel")  # the request's own target
    assert "Recognized" in _element(html, "issue-status")
    table = _element(html, "recognition-block")
    assert 'data-testid="supports-academic_technical">1<' in table
    assert "Recognized by 3 of 6 groups" in table and "Needs" not in table
    assert "Academic &amp; technical: 1" in _element(html, "group-chart-box")


def test_withdrawal_by_htmx_puts_the_needs_line_back(world: World) -> None:
    world.forum.min_supporters = 1
    world.forum.save()
    issue = _raise(world)
    for group in ("government", "private_sector", "academic_technical"):
        support_issue(world.member[group], issue)
    client = world.client_for(world.member["academic_technical"])
    response = client.post(
        reverse("issues:support", args=[issue.pk]), {"action": "withdraw"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert "Candidate" in _element(html, "issue-status")
    table = _element(html, "recognition-block")
    assert 'data-testid="supports-academic_technical">0<' in table
    assert "Needs 1 more group" in table
