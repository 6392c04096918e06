"""The inbox (issue 16, point 5): every check in order, each refusal changes nothing, and a
verified forward makes one issue with its provenance, however often it arrives."""

from __future__ import annotations

from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.test import Client

from commonground.federation.identity import public_url
from commonground.federation.models import ReceivedDelivery, RemoteChild, RemoteForum
from commonground.federation.models.deliveries import SeenNonce
from commonground.forums.models import Cycle
from commonground.issues.models import Issue
from commonground.ledger.models import LedgerEntry
from commonground.network.models import Forward
from tests.federation.sender import Sender, bad_signature, encode, stale

PATH = "/api/v1/federation/inbox"


@pytest.fixture
def sender(network: Any) -> Sender:
    sender = Sender()
    sender.pin()
    return sender


@pytest.fixture
def to(network: Any) -> str:
    return public_url() + network.igf.get_absolute_url()


def post(raw: bytes, headers: dict[str, str]) -> Any:
    headers = dict(headers)
    content_type = headers.pop("Content-Type", "application/json")
    return Client().post(PATH, data=raw, content_type=content_type, headers=headers)


def state() -> tuple[int, ...]:
    return (Issue.objects.count(), Forward.objects.count(), LedgerEntry.objects.count(),
            SeenNonce.objects.count(), RemoteForum.objects.count(),
            ReceivedDelivery.objects.count())  # fmt: skip


def test_a_verified_forward_makes_an_issue_with_provenance_and_a_ledger_entry(
    sender: Sender, to: str, network: Any
) -> None:
    raw = encode(sender.body(to))
    answer = post(raw, sender.signed(public_url() + PATH, raw))
    assert answer.status_code == 201, answer.content
    issue = Issue.objects.get(pk=answer.json()["issue_id"])
    assert answer.json()["url"] == public_url() + issue.get_absolute_url()
    assert issue.forum == network.igf and issue.title == "Affordable rural connectivity"
    forward = Forward.objects.get(target_issue=issue)
    assert forward.source_instance == sender.url and forward.source_forum == "kenya-igf"
    assert RemoteChild.objects.get(target=network.igf).remote.url == (
        sender.url + "/forums/kenya-igf"
    )
    received = LedgerEntry.objects.filter(action="issue.receive_remote").get()
    assert received.fields["source_entry_hash"] == (
        ReceivedDelivery.objects.get().source_entry_hash
    )
    assert received.fields["issue_id"] == issue.pk
    page = Client().get(issue.get_absolute_url())
    assert "Kenya IGF" in page.content.decode() and sender.url in page.content.decode()


def test_the_same_delivery_again_answers_200_with_the_same_issue(sender: Sender, to: str) -> None:
    raw = encode(sender.body(to))
    first = post(raw, sender.signed(public_url() + PATH, raw))
    before = state()
    again = post(raw, sender.signed(public_url() + PATH, raw))  # a retry: a new nonce
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert state()[:3] == before[:3]  # no issue, forward or ledger entry more


def test_a_replayed_request_is_refused_409(sender: Sender, to: str) -> None:
    raw = encode(sender.body(to))
    headers = sender.signed(public_url() + PATH, raw)
    assert post(raw, headers).status_code == 201
    before = state()
    replay = post(raw, headers)
    assert (replay.status_code, replay.json()["check"]) == (409, "replay")
    assert state() == before


def refused(raw: bytes, headers: dict[str, str]) -> tuple[int, str]:
    before = state()
    answer = post(raw, headers)
    assert state() == before, "a refused delivery changed the receiver"
    return answer.status_code, answer.json()["check"]


def test_each_bad_request_is_refused_with_its_status_and_changes_nothing(
    sender: Sender, to: str
) -> None:
    url = public_url() + PATH
    raw = encode(sender.body(to))
    assert refused(raw, {"Content-Type": "application/json"}) == (401, "unsigned")
    stranger = Ed25519PrivateKey.generate()
    assert refused(raw, sender.signed(url, raw, key=stranger)) == (401, "unknown_peer")
    forged = sender.signed(url, raw)
    forged["Signature"] = f"commonground=:{bad_signature()}:"
    assert refused(raw, forged) == (401, "signature")
    assert refused(raw, sender.signed(url, raw, created=stale())) == (401, "created")
    changed = raw.replace(b"Villages", b"Cities!!")
    assert refused(changed, sender.signed(url, raw)) == (400, "content_digest")
    other_target = sender.signed(url.replace("/inbox", "/inbox?x=1"), raw)
    assert refused(raw, other_target) == (401, "signature")


def test_forged_proofs_are_refused_400_naming_the_check(sender: Sender, to: str) -> None:
    url = public_url() + PATH
    body = sender.body(to)
    body["inclusion"]["audit_path"][0] = "ab" * 32
    assert refused(encode(body), sender.signed(url, encode(body))) == (400, "inclusion_proof")
    body = sender.body(to, delivery="d2")
    body["checkpoint"]["signature"] = bad_signature()
    raw = encode(body)
    assert refused(raw, sender.signed(url, raw)) == (400, "checkpoint_signature")
    body = sender.body(to, delivery="d3")
    body["forward"] = {**body["forward"], "what": {"title": "Something else"}}
    raw = encode(body)
    assert refused(raw, sender.signed(url, raw)) == (400, "forward_record")
    assert refused(b"[1]", sender.signed(url, b"[1]")) == (400, "body")


def test_a_record_from_another_instance_than_the_signer_is_refused(sender: Sender, to: str) -> None:
    other = Sender(url="http://other.test")
    other.pin()
    raw = encode(other.body(to, instance=sender.url))  # other's ledger claims sender's forum
    assert refused(raw, other.signed(public_url() + PATH, raw)) == (400, "source")


def test_target_missing_closed_or_blocked_is_404_409_403(
    sender: Sender, to: str, network: Any
) -> None:
    url = public_url() + PATH
    raw = encode(sender.body(public_url() + "/forums/nowhere/", delivery="n"))
    assert refused(raw, sender.signed(url, raw)) == (404, "target")
    raw = encode(sender.body(to, delivery="ok"))
    assert post(raw, sender.signed(url, raw)).status_code == 201
    RemoteChild.objects.update(blocked=True)
    raw = encode(sender.body(to, delivery="later", issue_id=8))
    assert refused(raw, sender.signed(url, raw)) == (403, "blocked")
    RemoteChild.objects.update(blocked=False)
    Cycle.objects.filter(forum=network.igf, is_open=True).update(phase="forum")
    assert refused(raw, sender.signed(url, raw)) == (409, "phase")


def test_two_copies_racing_make_one_issue(
    sender: Sender, to: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second copy read "not received yet" before the first committed: the unique
    forward refuses its insert, its whole write rolls back, and it answers the first's issue."""
    from commonground.federation import inbox

    raw = encode(sender.body(to))
    first = post(raw, sender.signed(public_url() + PATH, raw))
    real = inbox._existing
    calls = {"n": 0}

    def stale_read(*args: Any) -> Any:
        calls["n"] += 1
        return None if calls["n"] == 1 else real(*args)

    monkeypatch.setattr(inbox, "_existing", stale_read)
    before = state()
    second = post(raw, sender.signed(public_url() + PATH, raw))
    assert (second.status_code, second.json()) == (200, first.json())
    assert state()[:3] == before[:3]
    assert calls["n"] == 2
