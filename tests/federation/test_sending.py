"""Sending (issue 16, points 4 and 6): a forward to a forum on a peer is queued, signed and
delivered by the task; a peer down is retried with backoff and delivered once; a 4xx is not
retried. The peer here is this instance itself, reached through the test client."""

from __future__ import annotations

import base64
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
from django.test import Client
from django.utils import timezone

from commonground.federation import sending
from commonground.federation.identity import key_id, public_key, public_url
from commonground.federation.lookup import normalize_url
from commonground.federation.models import Delivery, Peer, RemoteChild, RemoteForum, RemoteParent
from commonground.forums.models import Cycle
from commonground.issues.models import Issue
from commonground.ledger.models import LedgerEntry
from commonground.network.models import Forward
from tests.api.conftest import send
from tests.network.conftest import Network


@pytest.fixture
def remote_igf(network: Network) -> str:
    """Kenya's parent on "another instance": the global IGF, reached over HTTP."""
    peer = Peer.objects.create(
        url=public_url(), name="Global", key_id=key_id(),
        public_key=base64.b64encode(public_key()).decode(), fingerprint=key_id(),
    )  # fmt: skip
    url = normalize_url(public_url() + network.igf.get_absolute_url())
    remote = RemoteForum.objects.create(peer=peer, url=url, slug="igf", level="global")
    RemoteParent.objects.create(forum=network.kenya, remote=remote)
    return url


class Wire:
    """``requests.post`` into this instance's inbox, or a failure when the peer is down."""

    def __init__(self) -> None:
        self.down: Exception | None = None
        self.status: int | None = None
        self.calls = 0

    def post(self, url: str, data: bytes, headers: dict[str, str], timeout: Any) -> Any:
        self.calls += 1
        if self.down is not None:
            raise self.down
        answer = requests.Response()
        if self.status is not None:
            answer.status_code, answer._content = self.status, b'{"detail": "busy"}'
            return answer
        headers = dict(headers)
        content_type = headers.pop("Content-Type")
        got = Client().post(urlsplit(url).path, data=data, content_type=content_type,
                            headers=headers)  # fmt: skip
        answer.status_code, answer._content = got.status_code, got.content
        return answer


@pytest.fixture
def wire(monkeypatch: pytest.MonkeyPatch, settings: Any) -> Wire:
    settings.COMMONGROUND_FEDERATION_RETRY_BASE_S = 0
    fake = Wire()
    monkeypatch.setattr(sending.requests, "post", fake.post)
    monkeypatch.setattr(
        sending.transaction, "on_commit", lambda callback, *a, **k: callback()
    )  # the test's transaction never commits: run the task as the commit would
    return fake


def forward(network: Network, to: str) -> Any:
    client = network.world.client_for(network.world.steward)
    return send(client, "post", f"/issues/{network.on_agenda.pk}/forward", {"to": to})


def delivery(network: Network, delivery_id: str) -> dict[str, Any]:
    client = network.world.client_for(network.world.steward)
    answer = send(client, "get", f"/deliveries/{delivery_id}")
    assert answer.status_code == 200, answer.content
    return dict(answer.json())


def test_a_remote_forward_is_queued_202_then_delivered_with_provenance(
    network: Network, remote_igf: str, wire: Wire
) -> None:
    answer = forward(network, remote_igf)
    assert answer.status_code == 202, answer.content
    assert set(answer.json()) == {"delivery_id", "state"}
    state = delivery(network, answer.json()["delivery_id"])
    assert (state["state"], state["attempts"], state["last_error"]) == ("delivered", 1, "")
    made = Forward.objects.get(source_instance=public_url())
    assert state["remote_issue_url"] == public_url() + made.target_issue.get_absolute_url()
    assert made.target_forum == network.igf and made.source_issue_id == network.on_agenda.pk
    sent = LedgerEntry.objects.get(action="issue.forward_remote")
    assert sent.fields["to"] == remote_igf and sent.fields["source"]["instance"] == public_url()
    page = network.world.client_for(network.world.steward).get(
        f"/issues/{network.on_agenda.pk}/forward/remote/"
    )
    assert "delivered" in page.content.decode() and remote_igf in page.content.decode()


def test_a_second_remote_forward_while_one_is_live_is_409(
    network: Network, remote_igf: str, wire: Wire
) -> None:
    assert forward(network, remote_igf).status_code == 202
    again = forward(network, remote_igf)
    assert again.status_code == 409


@pytest.mark.parametrize(
    ("who", "to", "status"),
    [("member", "remote", 403), ("steward", "http://nowhere.test/forums/x", 404),
     ("anonymous", "remote", 401)],
)  # fmt: skip
def test_remote_forward_refusals(
    network: Network, remote_igf: str, wire: Wire, who: str, to: str, status: int
) -> None:
    user = {"member": network.world.member["government"], "steward": network.world.steward,
            "anonymous": None}[who]  # fmt: skip
    client = network.world.client_for(user)
    target = remote_igf if to == "remote" else to
    answer = send(client, "post", f"/issues/{network.on_agenda.pk}/forward", {"to": target})
    assert answer.status_code == status, answer.content
    assert not Delivery.objects.exists()


def test_a_peer_down_is_retried_and_delivered_exactly_once(
    network: Network, remote_igf: str, wire: Wire
) -> None:
    wire.down = requests.ConnectionError("connection refused")
    answer = forward(network, remote_igf)
    state = delivery(network, answer.json()["delivery_id"])
    assert (state["state"], state["attempts"]) == ("queued", 1)
    assert "connection refused" in state["last_error"]
    wire.down = None
    assert sending.run_due() == 1
    assert sending.run_due() == 0  # delivered: nothing due any more
    state = delivery(network, answer.json()["delivery_id"])
    assert (state["state"], state["attempts"]) == ("delivered", 2)
    assert Issue.objects.filter(forum=network.igf).count() == 1


def test_a_retry_after_a_lost_answer_makes_no_second_issue(
    network: Network, remote_igf: str, wire: Wire
) -> None:
    answer = forward(network, remote_igf)
    row = Delivery.objects.get(public_id=answer.json()["delivery_id"])
    # As if the answer was lost and the attempt's lease ran out:
    Delivery.objects.filter(pk=row.pk).update(state="queued", next_attempt_at=timezone.now())
    assert sending.attempt(row.pk) == "delivered"
    assert Issue.objects.filter(forum=network.igf).count() == 1


def test_backoff_doubles_and_the_last_attempt_fails(
    network: Network, remote_igf: str, wire: Wire, settings: Any
) -> None:
    settings.COMMONGROUND_FEDERATION_RETRY_BASE_S = 30
    settings.COMMONGROUND_FEDERATION_MAX_ATTEMPTS = 3
    wire.status = 503
    row_id = Delivery.objects.get(public_id=forward(network, remote_igf).json()["delivery_id"]).pk
    waits = []
    for _ in range(2):
        row = Delivery.objects.get(pk=row_id)
        assert row.state == "queued"
        waits.append(round((row.next_attempt_at - timezone.now()).total_seconds()))
        assert sending.attempt(row_id) == "queued"  # not due yet: not tried
        Delivery.objects.filter(pk=row_id).update(next_attempt_at=timezone.now())
        sending.attempt(row_id)
    row = Delivery.objects.get(pk=row_id)
    assert (row.state, row.attempts, row.last_error) == ("failed", 3, "503: busy")
    assert waits == [30, 60]  # 30 s after the first attempt, 60 s after the second
    assert wire.calls == 3


def test_a_4xx_is_not_retried(network: Network, remote_igf: str, wire: Wire) -> None:
    Cycle.objects.filter(forum=network.igf, is_open=True).update(phase="forum")
    answer = forward(network, remote_igf)
    state = delivery(network, answer.json()["delivery_id"])
    assert (state["state"], state["attempts"]) == ("failed", 1)
    assert state["last_error"].startswith("409:")
    assert sending.run_due() == 0 and wire.calls == 1
    assert not RemoteChild.objects.exists()


def test_the_web_page_forwards_to_the_remote_parent(
    network: Network, remote_igf: str, wire: Wire
) -> None:
    client = network.world.client_for(network.world.steward)
    page = client.get(f"/issues/{network.on_agenda.pk}/forward/remote/")
    assert page.status_code == 200 and remote_igf in page.content.decode()
    done = client.post(f"/issues/{network.on_agenda.pk}/forward/remote/", {"to": remote_igf})
    assert done.status_code == 302
    assert Delivery.objects.get().state == "delivered"
    member = network.world.client_for(network.world.member["government"])
    assert member.get(f"/issues/{network.on_agenda.pk}/forward/remote/").status_code == 403
