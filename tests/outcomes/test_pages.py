"""Message pages through HTTP: drafting, the comment page, the chair's forms, the follow-up,
the outcome document as HTML and as PDF (its text read back with pypdf), the uptake feed."""

from __future__ import annotations

import io
import re
from datetime import date, datetime

import pypdf
from django.test import Client

from commonground.issues.models import Issue
from commonground.notifications.models import Notification
from commonground.outcomes import chairing, followup, services
from commonground.outcomes.models import Message
from tests.conftest import World
from tests.outcomes.conftest import DAY, positions


def _published(world: World, message: Message, t0: datetime) -> Message:
    positions(
        world,
        message,
        {"government": "support", "private_sector": "can_live_with", "civil_society": "object"},
        t0,
    )
    after = t0 + 8 * DAY
    objection = message.positions.get(position="object")
    chairing.record_disposition(
        world.steward, objection, disposition="rejected", reason="Funding is national.", now=after
    )
    chairing.designate(
        world.steward,
        message,
        level="strong_support_significant_opposition",
        rationale="Most support it; civil society objects.",
        minority_view="Civil society asks who pays.",
        now=after,
    )
    chairing.publish_message(world.steward, message, now=after)
    followup.refer_message(world.steward, message, name="Ministry of ICT", kind="government")
    followup.record_uptake(
        world.member["government"],
        message,
        body="Ministry of ICT",
        action="policy",
        summary="A rural fund <b>opened</b>.",
        date=date(2026, 3, 1),
        url="https://example.org/fund",
    )
    message.refresh_from_db()
    return message


def test_a_steward_drafts_from_the_forum_messages_page(world: World, agenda_issue: Issue) -> None:
    client = world.client_for(world.steward)
    page = client.get(f"/forums/{world.forum.slug}/messages/")
    assert page.status_code == 200 and b"Draft a message" in page.content
    answer = client.post(
        f"/forums/{world.forum.slug}/messages/new/",
        {"issue": agenda_issue.pk, "title": "Connect villages", "text": "Fund **access**."},
    )
    message = Message.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/messages/{message.pk}/"
    member_page = world.client_for(world.member["government"]).get(
        f"/forums/{world.forum.slug}/messages/"
    )
    assert b"Draft a message" not in member_page.content


def test_drafting_names_the_issue_by_a_whole_number_else_400_and_nothing_drafted(
    world: World, agenda_issue: Issue
) -> None:
    client = world.client_for(world.steward)
    url = f"/forums/{world.forum.slug}/messages/new/"
    for chosen in ("abc", "12.0", "-1", "", "9" * 19, "\u0663"):
        answer = client.post(url, {"issue": chosen, "title": "Connect", "text": "Fund it."})
        assert answer.status_code == 400, chosen
    # The longest id still read as one: no such issue.
    answer = client.post(url, {"issue": "9" * 18, "title": "Connect", "text": "Fund it."})
    assert answer.status_code == 404
    assert not Message.objects.exists()


def test_the_comment_page_shows_positions_by_group_and_the_suggestion(
    world: World, commenting: Message, t0: datetime
) -> None:
    positions(
        world,
        commenting,
        {"government": "support", "private_sector": "can_live_with", "civil_society": "object"},
        t0,
    )
    page = Client().get(f"/messages/{commenting.pk}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Strong support but significant opposition" in text
    assert "O = 0.333, A = 0.667" in text
    assert 'class="bars" role="img"' in text
    assert "I cannot live with this." in text  # the objection, attributed
    assert "Left out (no position):" in text and "Intergovernmental organization" in text


def test_a_member_records_a_position_and_a_refusal_is_shown_on_the_page(
    world: World, commenting: Message, t0: datetime
) -> None:
    client = world.client_for(world.member["private_sector"])
    refused = client.post(f"/messages/{commenting.pk}/position/", {"position": "object"})
    assert refused.status_code == 400
    assert "An objection must say what you cannot live with." in refused.content.decode()
    ok = client.post(f"/messages/{commenting.pk}/position/", {"position": "support"})
    assert ok.status_code == 302 and commenting.positions.get().position == "support"


def test_the_version_diff_marks_added_and_removed_lines(world: World, message: Message) -> None:
    services.revise_message(
        world.steward, message, title=message.title, text="Public *and* private funding."
    )
    page = Client().get(f"/messages/{message.pk}/changes/")
    text = page.content.decode()
    assert page.status_code == 200
    assert 'class="diff-removed"' in text and 'class="diff-added"' in text
    assert "Public *and* private funding." in text
    assert Client().get(f"/messages/{message.pk}/changes/?from=1&to=9").status_code == 400


def test_publish_from_the_page_names_what_is_missing(world: World, commenting: Message) -> None:
    answer = world.client_for(world.steward).post(f"/messages/{commenting.pk}/publish/")
    assert answer.status_code == 409
    assert "the comment window is still open" in answer.content.decode()


def test_the_objector_is_notified_with_a_link_to_the_message(
    world: World, commenting: Message, t0: datetime
) -> None:
    _published(world, commenting, t0)
    assert Notification.objects.filter(recipient=world.membership["civil_society"]).exists()
    page = world.client_for(world.member["civil_society"]).get("/notifications/")
    assert f'href="/messages/{commenting.pk}/"' in page.content.decode()


def test_follow_up_view_and_uptake_feed(world: World, commenting: Message, t0: datetime) -> None:
    _published(world, commenting, t0)
    page = Client().get(f"/forums/{world.forum.slug}/cycles/2027/follow-up/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "1 of 1 agenda issues got uptake." in text and "Ministry of ICT" in text
    feed = Client().get(f"/forums/{world.forum.slug}/cycles/2027/follow-up/uptake.atom")
    assert feed.status_code == 200 and b"<feed" in feed.content
    # HTML-escaped, then XML-escaped: a reader shows the tag as text, never as markup.
    assert b"&amp;lt;b&amp;gt;opened" in feed.content and b"<b>opened" not in feed.content
    assert Client().get(f"/forums/{world.forum.slug}/cycles/1999/follow-up/").status_code == 404


def test_the_outcome_document_as_html_and_as_pdf(
    world: World, commenting: Message, t0: datetime
) -> None:
    _published(world, commenting, t0)
    html = Client().get(f"/forums/{world.forum.slug}/cycles/2027/messages/").content.decode()
    assert "Kenya IGF Messages 2027" in html and "Civil society asks who pays." in html
    answer = Client().get(f"/forums/{world.forum.slug}/cycles/2027/messages.pdf")
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(answer.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert len(reader.pages) >= 3  # title page, contents, one section per agenda issue
    for expected in (
        "Kenya IGF Messages 2027",
        "Contents",
        "Affordable rural connectivity",
        "Connect every village",
        "Strong support but significant opposition",
        "Civil society asks who pays.",
        "Funding is national.",
        "Ministry of ICT",
    ):
        assert expected in text, expected
    assert "2 / " in text  # page numbers


def test_the_outcome_document_names_an_objectors_group_in_the_readers_language(
    world: World, commenting: Message, t0: datetime
) -> None:
    # The objections' list showed the group's code ("civil_society"), in every language.
    _published(world, commenting, t0)
    url = f"/forums/{world.forum.slug}/cycles/2027/messages/"
    html = Client().get(url).content.decode()
    assert "(Civil society):" in html and "civil_society)" not in html
    french = Client().get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "(Société civile):" in french
    # Each group's supports as the language writes a count ("1 soutien", "2 soutiens") and
    # its colon (a space before it in French).
    assert re.search(r"Gouvernement : 1 soutien<|Gouvernement : [02-9]\d* soutiens<", french)


def test_the_outcome_document_page_colours_groups_by_class_not_by_inline_style(
    world: World, commenting: Message, t0: datetime
) -> None:
    # The site's Content-Security-Policy (style-src 'self') blocks style attributes, so a
    # swatch coloured inline showed no colour; each group has its class in site.css.
    _published(world, commenting, t0)
    answer = Client().get(f"/forums/{world.forum.slug}/cycles/2027/messages/")
    html = answer.content.decode()
    assert "style-src 'self'" in answer["Content-Security-Policy"]
    assert 'style="' not in html
    assert 'class="swatch swatch-government"' in html
    assert 'class="swatch swatch-academic_technical"' in html


def test_the_forum_page_links_the_outcome_document_once_a_message_is_published(
    world: World, commenting: Message, t0: datetime
) -> None:
    page = Client().get(f"/forums/{world.forum.slug}/").content.decode()
    assert "messages.pdf" not in page
    _published(world, commenting, t0)
    page = Client().get(f"/forums/{world.forum.slug}/").content.decode()
    assert f"/forums/{world.forum.slug}/cycles/2027/messages.pdf" in page


def test_a_conversation_links_the_messages_drawn_from_it(world: World, agenda_issue: Issue) -> None:
    from commonground.dialogue import services as dialogue

    conversation = dialogue.open_conversation(world.steward, agenda_issue, topic="Prices")
    message = services.draft_message(
        world.steward,
        agenda_issue,
        title="Cap prices",
        text="x",
        conversation_ids=[conversation.pk],
    )
    page = Client().get(f"/conversations/{conversation.pk}/").content.decode()
    assert f'href="/messages/{message.pk}/"' in page
    detail = Client().get(f"/api/v1/messages/{message.pk}").json()
    assert detail["conversation_ids"] == [conversation.pk]


def test_an_accepted_objection_links_the_change_that_answers_it(
    world: World, commenting: Message, t0: datetime
) -> None:
    objection = services.record_position(
        world.member["civil_society"], commenting, position="object", text="Who pays?", now=t0
    )
    services.revise_message(
        world.steward, commenting, title=commenting.title, text="Public **and** private funding."
    )
    chairing.record_disposition(world.steward, objection, disposition="accepted", now=t0 + 8 * DAY)
    page = Client().get(f"/messages/{commenting.pk}/")
    link = f'/messages/{commenting.pk}/changes/?from=1&amp;to=2"'
    assert page.status_code == 200 and link.encode() in page.content
    changes = Client().get(f"/messages/{commenting.pk}/changes/?from=1&to=2")
    assert changes.status_code == 200 and b"private" in changes.content
