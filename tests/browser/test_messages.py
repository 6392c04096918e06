"""The whole path of a message in a real browser: draft, comment window, positions from
three groups with an objection, its disposition, the designation, publish, referral,
uptake, then the follow-up view and the PDF outcome document."""

from __future__ import annotations

import io
from datetime import timedelta

import pypdf
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from commonground.outcomes.models import Message
from tests.conftest import World
from tests.outcomes.conftest import agenda_issue  # noqa: F401 (a fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.scenario,
    pytest.mark.django_db(transaction=True),
]


def test_a_message_from_draft_to_uptake_and_the_outcome_document(
    world: World,
    agenda_issue,  # noqa: F811
    visit,
) -> None:
    steward = visit()
    steward.act_as(world.steward)
    page = steward.page
    steward.goto(f"/forums/{world.forum.slug}/messages/")
    page.get_by_label("Title").fill("Connect every village")
    page.get_by_label("Text (Markdown)").fill("Rural access needs **public** funding.")
    page.get_by_role("button", name="Save the draft").click()
    expect(page.locator("#message-state")).to_have_text("Draft")
    message = Message.objects.get()

    opens = timezone.localtime().replace(second=0, microsecond=0)
    page.get_by_label("Opens at").fill(opens.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Closes at").fill(
        (opens + timedelta(days=7, hours=1)).strftime("%Y-%m-%dT%H:%M")
    )
    page.get_by_role("button", name="Set the comment window").click()
    expect(page.locator("#message-state")).to_have_text("Public comment")

    for group, choice, text in (
        ("government", "I support it", ""),
        ("private_sector", "I can live with it", ""),
        ("civil_society", "I object", "It says nothing about who pays."),
    ):
        member = visit()
        member.act_as(world.member[group])
        member.goto(f"/messages/{message.pk}/")
        member.page.get_by_label(choice).check()
        if text:
            member.page.get_by_label("If you object").fill(text)
        member.page.get_by_role("button", name="Record my position").click()
        expect(member.page.locator(".message-success")).to_be_visible()
        assert not member.problems, member.problems

    steward.goto(f"/messages/{message.pk}/")
    expect(page.locator("#suggested")).to_contain_text("Strong support but significant opposition")
    expect(page.locator("#suggested")).to_contain_text("Civil society")
    objection = message.positions.get(position="object")
    page.locator(f"#disp-{objection.pk}").select_option("tradeoff_acknowledged")
    page.locator(f"#reason-{objection.pk}").fill("Funding is for each government to decide.")
    page.get_by_role("button", name="Record the disposition").click()
    expect(page.locator(".disposition")).to_contain_text("Trade-off acknowledged")

    page.get_by_role("button", name="Publish the message").click()
    expect(page.locator("#refusal")).to_contain_text("the comment window is still open")
    steward.problems.clear()  # the browser logs the expected 409 of that refusal

    # Seven days pass: the window closes.
    past = timezone.now() - timedelta(minutes=1)
    Message.objects.filter(pk=message.pk).update(opens_at=past - timedelta(days=7), closes_at=past)
    steward.goto(f"/messages/{message.pk}/")
    page.get_by_label("Rationale").fill("Most support it; civil society asks who pays.")
    page.get_by_label("Minority view (optional)").fill("Civil society wants a funding source.")
    page.get_by_role("button", name="Designate").click()
    expect(page.locator("#designation")).to_contain_text(
        "Strong support but significant opposition"
    )
    page.get_by_role("button", name="Publish the message").click()
    expect(page.locator("#message-state")).to_have_text("Published")
    page.get_by_label("Body's name").fill("Ministry of ICT")
    page.get_by_label("Kind").select_option("government")
    page.get_by_role("button", name="Refer", exact=True).click()
    expect(page.locator("#message-state")).to_have_text("Referred")
    assert not steward.problems, steward.problems

    minister = visit()
    minister.act_as(world.member["government"])
    minister.goto(f"/messages/{message.pk}/")
    minister.page.get_by_label("Institution", exact=True).fill("Ministry of ICT")
    minister.page.get_by_label("What it did", exact=True).select_option("policy")
    minister.page.get_by_label("Summary", exact=True).fill("A rural connectivity fund.")
    minister.page.get_by_label("Date", exact=True).fill("2026-03-01")
    minister.page.get_by_role("button", name="Record uptake").click()
    expect(minister.page.locator("#uptake")).to_contain_text("A rural connectivity fund.")

    minister.goto(f"/forums/{world.forum.slug}/cycles/2027/follow-up/")
    expect(minister.page.locator("#taken-up")).to_contain_text("1 of 1 agenda issues got uptake.")
    pdf = minister.page.request.get(f"/forums/{world.forum.slug}/cycles/2027/messages.pdf")
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf.body())).pages)
    assert "Kenya IGF Messages 2027" in text and "Civil society wants a funding source." in text
    assert not minister.problems, minister.problems
