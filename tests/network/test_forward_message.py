"""Forwarding a published message: the target gets an issue with the message's text and
the provenance names the message; drafts are refused, and so is a second forward."""

from __future__ import annotations

import pytest

from commonground.core.errors import Conflict
from commonground.issues.models import Issue
from commonground.network.messages import forward_message
from commonground.outcomes.models import Message
from tests.api.conftest import send
from tests.network.conftest import Network


def _message(network: Network, state: str) -> Message:
    # Setup only: the message's own life (drafting, comment window, designation) is the
    # outcomes app's; here it simply stands in the given state.
    return Message.objects.create(
        forum=network.kenya, cycle=network.kenya.open_cycle, issue=network.on_agenda,
        title="Cap the price of rural data", text="The forum calls for a price cap.",
        state=state, created_by=network.world.membership["civil_society"],
    )  # fmt: skip


def test_a_published_message_goes_up_with_its_issue_figures(network: Network) -> None:
    message = _message(network, Message.State.PUBLISHED)
    forward = forward_message(network.world.steward, message, network.igf)
    new = Issue.objects.get(pk=forward.target_issue_id)
    assert (new.forum, new.title) == (network.igf, "Cap the price of rural data")
    assert forward.source_kind == "message" and forward.source_id == message.pk
    assert forward.source_issue_id == network.on_agenda.pk and forward.agenda_rank == 1
    with pytest.raises(Conflict, match=f"issue {new.pk} there"):
        forward_message(network.world.steward, message, network.igf)


def test_a_draft_message_is_refused_and_the_api_answers_409(network: Network) -> None:
    draft = _message(network, Message.State.DRAFT)
    with pytest.raises(Conflict, match="published"):
        forward_message(network.world.steward, draft, network.igf)
    client = network.world.client_for(network.world.steward)
    response = send(client, "post", f"/messages/{draft.pk}/forward", {"to": "igf"})
    assert response.status_code == 409
    published = _message(network, Message.State.PUBLISHED)
    member = network.world.client_for(network.world.member["government"])
    path = f"/messages/{published.pk}/forward"
    assert send(member, "post", path, {"to": "igf"}).status_code == 403
    response = send(client, "post", path, {"to": "igf"})
    assert response.status_code == 201
    assert response.json()["provenance"]["message_id"] == published.pk
    assert send(client, "post", "/messages/999999/forward", {"to": "igf"}).status_code == 404


def test_a_steward_forwards_a_published_message_from_its_page(network: Network) -> None:
    published = _message(network, Message.State.PUBLISHED)
    steward = network.world.client_for(network.world.steward)
    page = steward.get(f"/messages/{published.pk}/")
    assert f"/messages/{published.pk}/forward/".encode() in page.content
    member = network.world.client_for(network.world.member["government"])
    assert (
        f"/messages/{published.pk}/forward/".encode()
        not in member.get(f"/messages/{published.pk}/").content
    )
    assert member.get(f"/messages/{published.pk}/forward/").status_code == 403
    confirm = steward.get(f"/messages/{published.pk}/forward/")
    assert confirm.status_code == 200 and b'value="igf"' in confirm.content
    done = steward.post(f"/messages/{published.pk}/forward/", {"to": "igf"})
    new = Issue.objects.get(forum=network.igf, title=published.title)
    assert done.status_code == 302 and done["Location"] == f"/issues/{new.pk}/"
    again = steward.get(f"/messages/{published.pk}/forward/")
    assert "already forwarded there" in again.content.decode()
    draft = _message(network, Message.State.DRAFT)
    assert steward.get(f"/messages/{draft.pk}/forward/").status_code == 403
