"""``commonground federation audit URL`` (issue 16.7) with two live instances: a forward
delivered through the real path is in the peer's list of what it received from here,
checked against this ledger (entry, hash, inclusion proof) and the reverse; a delivery the
peer does not list and an entry rewritten here are mismatches (exit 1)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import requests

from commonground.cli import main as cli
from commonground.federation.identity import public_url
from commonground.federation.models import Delivery, Peer, RemoteForum, RemoteParent
from tests.federation.instances import national_and_global, served
from tests.federation.test_live import forward, state_of
from tests.network.conftest import Network
from tests.servers import serving

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.scenario]


def _audit(capsys: Any, url: str) -> tuple[int, str]:
    code = cli(["federation", "audit", url])
    out, err = capsys.readouterr()
    return code, out + err


def test_the_audit_checks_what_the_peer_received_against_this_ledger_both_ways(
    network: Network, settings: Any, tmp_path: Path, capsys: Any
) -> None:
    two = national_and_global(settings, tmp_path)
    env, igf, target = two.env, two.igf, two.target
    with serving(env, tmp_path / "national.log", port=two.port), served(igf, tmp_path / "g.log"):
        igf.run("peer", "add", public_url())
        assert cli(["peer", "add", igf.url]) == 0
        remote = RemoteForum.objects.create(
            peer=Peer.objects.get(url=igf.url), url=target, slug="igf", level="global"
        )
        RemoteParent.objects.create(forum=network.kenya, remote=remote)
        delivery = forward(network, network.on_agenda.pk, target)
        assert state_of(network, delivery)["state"] == "delivered"
        capsys.readouterr()

        listed = requests.get(
            f"{igf.url}/api/v1/federation/received", params={"from": public_url()}, timeout=30
        ).json()
        assert listed["count"] == 1 and listed["next"] is None and listed["from"] == public_url()
        assert listed["results"][0]["delivery"] == delivery
        assert set(listed["results"][0]) == {
            "delivery", "source_seq", "source_entry_hash", "checkpoint_tree_size",
            "checkpoint_root_hash", "issue_id", "issue_url", "received_at",
        }  # fmt: skip
        other = requests.get(
            f"{igf.url}/api/v1/federation/received", params={"from": "http://x.test"}, timeout=30
        ).json()
        assert other["count"] == 0 and other["results"] == []

        code, text = _audit(capsys, igf.url)
        assert code == 0, text
        assert "federation audit OK: 2 forwards checked both ways" in text
        assert text.count(delivery) == 2  # one line each way

        # A delivery marked delivered here that the peer never listed is a mismatch.
        ghost = Delivery.objects.get(public_id=delivery)
        Delivery.objects.filter(pk=ghost.pk).update(public_id="0" * 32)
        code, text = _audit(capsys, igf.url)
        assert code == 1
        assert "delivered, but not in the peer's list" in text
        assert "1 of 2 forwards do not match" in text
    assert cli(["federation", "audit", "http://127.0.0.1:9"]) == 2  # not a peer
