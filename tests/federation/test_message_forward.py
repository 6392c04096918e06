"""A published message forwards to a parent forum on another instance (issue 16 with the
networked-governance issue's message forward): the same signed delivery as an issue's, the
receiver makes an issue of it with provenance naming the message, a second forward is 409
naming the delivery, a tampered message forward is refused, and the pages name the remote
forum. The peer here is this instance itself (tests/federation/test_sending.py's wire)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from commonground.federation.identity import public_url
from commonground.federation.models import Delivery, RemoteForum
from commonground.issues.models import Issue
from commonground.ledger.models import LedgerEntry
from commonground.network.models import Forward
from commonground.outcomes.models import Message
from tests.api.conftest import send
from tests.federation.sender import Sender, encode
from tests.federation.test_inbox import PATH, refused
from tests.federation.test_sending import Wire, delivery, remote_igf, wire
from tests.network.conftest import Network

__all__ = ["remote_igf", "wire"]


def message_in(network: Network, state: str = Message.State.PUBLISHED) -> Message:
    # Setup only: the message's own life is the outcomes app's; it stands in ``state``.
    return Message.objects.create(
        forum=network.kenya, cycle=network.kenya.open_cycle, issue=network.on_agenda,
        title="Cap the price of rural data", text="The forum calls for a price cap.",
        state=state, created_by=network.world.membership["civil_society"],
    )  # fmt: skip


def forward(network: Network, message: Message, to: str, who: Any = None) -> Any:
    client = network.world.client_for(who or network.world.steward)
    return send(client, "post", f"/messages/{message.pk}/forward", {"to": to})


def test_a_published_message_forwards_to_a_remote_parent_and_arrives_as_an_issue(
    network: Network, remote_igf: str, wire: Wire
) -> None:
    message = message_in(network)
    answer = forward(network, message, remote_igf)
    assert answer.status_code == 202, answer.content
    state = delivery(network, answer.json()["delivery_id"])
    assert (state["state"], state["attempts"], state["last_error"]) == ("delivered", 1, "")
    made = Forward.objects.get(source_instance=public_url())
    assert (made.source_kind, made.source_id) == ("message", message.pk)
    assert made.source_issue_id == network.on_agenda.pk and made.agenda_rank == 1
    new = made.target_issue
    assert (new.forum, new.title, new.description) == (network.igf, message.title, message.text)
    assert state["remote_issue_url"] == public_url() + new.get_absolute_url()
    sent = LedgerEntry.objects.get(action="issue.forward_remote")
    assert sent.fields["source"]["kind"] == "message" and sent.fields["to"] == remote_igf
    received = LedgerEntry.objects.get(action="issue.receive_remote")
    assert received.fields["source"]["id"] == message.pk
    detail = send(Client(), "get", f"/issues/{new.pk}").json()
    assert detail["provenance"][0]["message_id"] == message.pk


def test_a_message_forwarded_there_already_is_409_naming_the_delivery(
    network: Network, remote_igf: str, wire: Wire
) -> None:
    message = message_in(network)
    first = forward(network, message, remote_igf).json()["delivery_id"]
    again = forward(network, message, remote_igf)
    assert again.status_code == 409 and first in again.json()["detail"]
    assert Delivery.objects.count() == 1 and wire.calls == 1
    # The issue it is about still forwards on its own: its own delivery, not this one.
    issue_answer = send(
        network.world.client_for(network.world.steward), "post",
        f"/issues/{network.on_agenda.pk}/forward", {"to": remote_igf},
    )  # fmt: skip
    assert issue_answer.status_code == 202, issue_answer.content


@pytest.mark.parametrize(
    ("who", "state", "status"),
    [("member", "published", 403), ("steward", "draft", 409), ("anonymous", "published", 401)],
)
def test_a_remote_message_forward_is_refused_as_a_local_one(
    network: Network, remote_igf: str, wire: Wire, who: str, state: str, status: int
) -> None:
    user = {"member": network.world.member["government"], "steward": network.world.steward,
            "anonymous": None}[who]  # fmt: skip
    message = message_in(network, state)
    client = network.world.client_for(user)
    answer = send(client, "post", f"/messages/{message.pk}/forward", {"to": remote_igf})
    assert answer.status_code == status, answer.content
    assert not Delivery.objects.exists() and wire.calls == 0


def test_the_forward_pages_offer_the_remote_parent_by_its_name(
    network: Network, remote_igf: str, wire: Wire
) -> None:
    RemoteForum.objects.filter(url=remote_igf).update(name="Global IGF on its own site")
    message = message_in(network)
    steward = network.world.client_for(network.world.steward)
    local = steward.get(f"/messages/{message.pk}/forward/").content.decode()
    assert f"/messages/{message.pk}/forward/remote/" in local
    page = steward.get(f"/messages/{message.pk}/forward/remote/")
    assert page.status_code == 200
    assert "Global IGF on its own site" in page.content.decode()
    assert f'value="{remote_igf}"' in page.content.decode()
    done = steward.post(f"/messages/{message.pk}/forward/remote/", {"to": remote_igf})
    assert done.status_code == 302
    after = steward.get(done["Location"]).content.decode()
    assert "delivered" in after and "Global IGF on its own site" in after
    assert Issue.objects.filter(forum=network.igf, title=message.title).count() == 1
    member = network.world.client_for(network.world.member["government"])
    assert member.get(f"/messages/{message.pk}/forward/remote/").status_code == 403
    forum_page = steward.get(network.kenya.get_absolute_url()).content.decode()
    assert "Global IGF on its own site" in forum_page


def test_the_inbox_refuses_a_message_forward_tampered_after_its_ledger_entry(
    network: Network,
) -> None:
    sender = Sender()
    sender.pin()
    to = public_url() + network.igf.get_absolute_url()
    url = public_url() + PATH
    body = sender.body(to, delivery="m1", kind="message", issue_id=12)
    body["forward"] = {
        **body["forward"], "what": {**body["forward"]["what"], "description": "Other text."}
    }  # fmt: skip
    raw = encode(body)
    assert refused(raw, sender.signed(url, raw)) == (400, "forward_record")
    # The entry changed with it: no longer the entry the checkpoint includes.
    body["entry"]["fields"] = body["forward"]
    raw = encode(body)
    assert refused(raw, sender.signed(url, raw)) == (400, "inclusion_proof")
    # A kind that is neither an issue nor a message, however well recorded, makes nothing.
    odd = encode(sender.body(to, delivery="m2", kind="poll"))
    assert refused(odd, sender.signed(url, odd)) == (400, "body")
    good = encode(sender.body(to, delivery="m3", kind="message", issue_id=12))
    answer = Client().post(
        PATH, data=good, content_type="application/json",
        headers={k: v for k, v in sender.signed(url, good).items() if k != "Content-Type"},
    )  # fmt: skip
    assert answer.status_code == 201, answer.content
    assert Forward.objects.get(target_issue_id=answer.json()["issue_id"]).source_kind == "message"
