"""Network pages: forward and merge through the web, provenance on the issue and agenda
pages, the coherence view (picture and words) and the global forum's network view."""

from __future__ import annotations

import re

from commonground.forums.models import Forum
from commonground.forums.services import advance_cycle, create_forum, join_forum, open_cycle
from commonground.issues.models import Issue
from commonground.issues.services import raise_issue, support_issue
from commonground.network.merge import merge_issues
from commonground.network.services import forward_issue
from commonground.participants.services import grant_steward
from commonground.recognition.services import publish_agenda
from tests.api.conftest import send
from tests.conftest import make_user
from tests.network.conftest import Network, recognize


def _second_country(network: Network) -> Issue:
    """Senegal IGF publishes the same concern in French and forwards it to Africa."""
    senegal = create_forum(None, slug="senegal-igf", name="Senegal IGF", level="national",
                           parent="africa-igf", country="SN")  # fmt: skip
    Forum.objects.filter(pk=senegal.pk).update(min_supporters=1)
    senegal.refresh_from_db()
    open_cycle(None, senegal, "2027")
    steward = make_user("sokhna.senegal@example.org")
    grant_steward(None, join_forum(steward, senegal, stakeholder_group="government", country="SN"))
    issue = raise_issue(steward, senegal, title="Coût de la connectivité rurale",
                        description="Les villages paient plus cher.", language="fr")  # fmt: skip
    for group, country in (("civil_society", "SN"), ("private_sector", "SN")):
        user = make_user(f"{group}.sn@example.org")
        join_forum(user, senegal, stakeholder_group=group, country=country)
        support_issue(user, issue)
    support_issue(steward, issue)
    advance_cycle(None, senegal)
    publish_agenda(steward, senegal)
    forward = forward_issue(steward, issue, network.africa)
    return Issue.objects.get(pk=forward.target_issue_id)


def test_steward_forwards_through_the_confirmation_page(network: Network) -> None:
    client = network.world.client_for(network.world.steward)
    page = client.get(f"/issues/{network.on_agenda.pk}/forward/")
    assert page.status_code == 200
    assert b"Africa IGF" in page.content and b"Global IGF" in page.content
    response = client.post(f"/issues/{network.on_agenda.pk}/forward/", {"to": "africa-igf"})
    new = Issue.objects.get(forum=network.africa)
    assert response.status_code == 302 and response["Location"] == f"/issues/{new.pk}/"
    detail = client.get(f"/issues/{new.pk}/").content.decode()
    assert "raised in 1 national forum in 1 region" in detail
    assert f'href="/issues/{network.on_agenda.pk}/"' in detail
    # The source page now says where it went, and offers no second forward there.
    source = client.get(f"/issues/{network.on_agenda.pk}/").content.decode()
    assert f'href="/issues/{new.pk}/"' in source


def test_a_member_gets_no_forward_button_and_a_403_page(network: Network) -> None:
    client = network.world.client_for(network.world.member["government"])
    page = client.get(f"/issues/{network.on_agenda.pk}/").content.decode()
    assert f"/issues/{network.on_agenda.pk}/forward/" not in page
    assert client.get(f"/issues/{network.on_agenda.pk}/forward/").status_code == 403
    assert client.post(f"/issues/{network.on_agenda.pk}/forward/", {"to": "igf"}).status_code == 403


def test_regional_steward_merges_two_countries_and_the_coherence_view_shows_both(
    network: Network, anonymous
) -> None:
    kenyan = Issue.objects.get(pk=forward_issue(network.world.steward, network.on_agenda,
                                                network.africa).target_issue_id)  # fmt: skip
    senegalese = _second_country(network)
    client = network.world.client_for(network.africa_steward)
    page = client.get(f"/issues/{senegalese.pk}/merge/")
    assert page.status_code == 200
    response = client.post(f"/issues/{senegalese.pk}/merge/", {"into": str(kenyan.pk)})
    assert response.status_code == 302 and response["Location"] == f"/issues/{kenyan.pk}/"
    detail = anonymous.get(f"/issues/{kenyan.pk}/").content.decode()
    assert "raised in 2 national forums in 1 region" in detail
    coherence = anonymous.get(f"/issues/{kenyan.pk}/coherence/").content.decode()
    assert "<svg" in coherence and 'role="img"' in coherence
    # Drawn at its own size (scaled to a phone's column its text was 4 px high); its frame
    # scrolls sideways and takes the keyboard focus.
    svg = re.search(r'<svg class="coherence-svg"[^>]*>', coherence)
    assert svg, "no coherence picture"
    size = re.search(r'viewBox="0 0 (\d+) (\d+)"', svg.group(0))
    assert size, svg.group(0)
    assert f'width="{size[1]}" height="{size[2]}"' in svg.group(0)
    assert '<div class="coherence-picture" dir="ltr" tabindex="0" role="region"' in coherence
    assert "Kenya IGF" in coherence and "Senegal IGF" in coherence
    assert "Kenya IGF forwarded it to Africa IGF" in coherence
    # The levels are named in the reader's language (the page showed the codes' English).
    assert "<h3>Regional</h3>" in coherence and "<h3>National</h3>" in coherence
    french = anonymous.get(f"/issues/{kenyan.pk}/coherence/", HTTP_ACCEPT_LANGUAGE="fr")
    assert "<h3>Régional</h3>" in french.content.decode()
    body = send(anonymous, "get", f"/issues/{kenyan.pk}/coherence").json()
    forums = {n["forum"] for n in body["nodes"]}
    assert forums == {"kenya-igf", "senegal-igf", "africa-igf"}
    kinds = sorted(e["kind"] for e in body["edges"])
    assert kinds == ["forward", "forward", "merge"]
    merge = next(e for e in body["edges"] if e["kind"] == "merge")
    assert (merge["from_issue"], merge["to_issue"]) == (senegalese.pk, kenyan.pk)
    kenya_node = next(n for n in body["nodes"] if n["forum"] == "kenya-igf")
    assert kenya_node["agenda_rank"] == 1


def test_agenda_shows_provenance_and_filters_to_forwarded_issues(network: Network) -> None:
    africa = network.africa
    Forum.objects.filter(pk=africa.pk).update(min_supporters=1)
    forward = forward_issue(network.world.steward, network.on_agenda, africa)
    forwarded = Issue.objects.get(pk=forward.target_issue_id)
    local = raise_issue(network.africa_steward, africa, title="Local African concern",
                        description="Raised here.")  # fmt: skip
    for n, group in enumerate(("civil_society", "private_sector", "academic_technical")):
        user = make_user(f"af{n}@example.org")
        join_forum(user, africa, stakeholder_group=group, country="GH")
        support_issue(user, forwarded)
        support_issue(user, local)
    client = network.world.client_for(None)
    everything = client.get("/forums/africa-igf/agenda/").content.decode()
    assert "Local African concern" in everything and forwarded.title in everything
    assert "raised in 1 national forum in 1 region" in everything
    only = client.get("/forums/africa-igf/agenda/?forwarded=1").content.decode()
    assert forwarded.title in only and "Local African concern" not in only
    # Switching the ranking keeps the filter.
    assert 'href="?order=raw&amp;forwarded=1"' in only
    assert 'href="?order=raw&amp;forwarded=1"' not in everything
    raw = client.get("/forums/africa-igf/agenda/?order=raw&forwarded=1").content.decode()
    assert forwarded.title in raw and "Local African concern" not in raw


def _forwarded_with_three_groups(
    network: Network, forum: Forum, prefix: str, country: str
) -> Issue:
    """Kenya's agenda issue forwarded to ``forum`` (one supporter is enough there), then
    supported by three members of three stakeholder groups (e-mails ``<prefix><n>@``)."""
    Forum.objects.filter(pk=forum.pk).update(min_supporters=1)
    forward = forward_issue(network.world.steward, network.on_agenda, forum)
    target = Issue.objects.get(pk=forward.target_issue_id)
    for n, group in enumerate(("civil_society", "private_sector", "academic_technical")):
        user = make_user(f"{prefix}{n}@example.org")
        join_forum(user, forum, stakeholder_group=group, country=country)
        support_issue(user, target)
    return target


def test_global_forum_page_shows_where_its_agenda_came_from(network: Network, anonymous) -> None:
    _forwarded_with_three_groups(network, network.igf, "gl", country="FR")
    page = anonymous.get("/forums/igf/").content.decode()
    assert "Network view" in page and "Kenya IGF" in page
    assert 'class="regions-svg"' in page
    network_page = anonymous.get("/forums/igf/network/").content.decode()
    # Each region's box names it on lines that fit the box, the full name as its title.
    assert "<title>Western European and Others Group (WEOG)</title>" in network_page
    assert ">Western Europe</text>" in network_page and ">&amp; others</text>" in network_page
    assert "…" not in network_page
    # On a phone the chart keeps a readable size (site.css) and its frame scrolls, so the
    # frame takes the keyboard focus and names what it holds.
    assert '<div class="regions-picture" dir="ltr" tabindex="0" role="region"' in network_page


def test_the_agenda_page_links_where_its_issues_came_from(network: Network, anonymous) -> None:
    # The network page of a regional forum was reachable only by typing its address.
    page = anonymous.get("/forums/africa-igf/agenda/").content.decode()
    assert 'href="/forums/africa-igf/network/"' in page


def test_merged_issue_page_says_where_it_went(network: Network, anonymous) -> None:
    world = network.world
    a = raise_issue(world.member["civil_society"], world.forum, title="A", description="Same.")
    b = raise_issue(world.member["government"], world.forum, title="B", description="Same.")
    merge_issues(world.steward, b, a)
    followed = anonymous.get(f"/issues/{b.pk}/", follow=True).content.decode()
    assert f"issue {b.pk}, which was merged into this one" in followed
    own = anonymous.get(f"/issues/{b.pk}/?stay=1").content.decode()
    assert "This issue was merged into" in own
    recognize(world, a, ())


def _provenance(html: str) -> str:
    """The provenance line of a page, as text."""
    found = re.search(r'<span class="provenance">(.*?)</span>', html, re.S)
    assert found, "no provenance on the page"
    return " ".join(re.sub(r"<[^>]+>", "", found.group(1)).split())


def test_provenance_lists_the_national_forums_it_counts_and_the_regional_ones_apart(
    network: Network, anonymous
) -> None:
    # Kenya forwards to Africa, whose agenda then forwards it to the global forum.
    africa = network.africa
    in_africa = _forwarded_with_three_groups(network, africa, "af", country="GH")
    advance_cycle(None, africa)
    publish_agenda(network.africa_steward, africa)
    upward = forward_issue(network.africa_steward, in_africa, network.igf)
    line = _provenance(anonymous.get(f"/issues/{upward.target_issue_id}/").content.decode())
    # One national forum counted, one named; the regional forum that forwarded it is
    # named after, as what it is (it was listed among the national ones).
    assert line == (
        "raised in 1 national forum in 1 region: Kenya IGF; "
        "forwarded by 1 regional forum: Africa IGF"
    )
