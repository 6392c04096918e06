"""Peering (issue 16.2) with a second live instance on loopback: ``peer add`` pins the key
its well-known document publishes and prints the fingerprint; a wrong ``--fingerprint`` and
a changed key are refused (until ``--replace``); ``peer list`` and ``peer remove``."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from commonground.cli import main as cli
from commonground.federation.lookup import peer_for_url, pinned_peer_for_key_id
from commonground.federation.models import Peer
from commonground.ledger.merkle import private_key_to_pem
from commonground.ledger.models import LedgerEntry, WitnessedLog
from tests.federation.instances import Instance

pytestmark = [pytest.mark.django_db, pytest.mark.scenario]


def _cli(capsys: Any, *args: str) -> tuple[int, str, str]:
    code = cli(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_peer_add_pins_the_published_key_and_prints_its_fingerprint(
    igf: Instance, capsys: Any
) -> None:
    doc = igf.document()
    code, out, err = _cli(capsys, "peer", "add", igf.url + "/")
    assert code == 0, err
    fingerprint = hashlib.sha256(base64.b64decode(doc["public_key"])).hexdigest()
    assert f"pinned {igf.url} (Global IGF)" in out and fingerprint in out
    peer = Peer.objects.get()
    assert (peer.url, peer.key_id, peer.fingerprint) == (igf.url, doc["key_id"], fingerprint)
    assert peer.public_key == doc["public_key"]
    assert pinned_peer_for_key_id(doc["key_id"]) == peer
    assert peer_for_url(f"{igf.url}/forums/igf/") == peer
    assert peer_for_url("http://127.0.0.1:1/forums/igf/") is None
    entry = LedgerEntry.objects.get(action="peer.add")
    assert entry.fields == {"url": igf.url, "name": "Global IGF", "key_id": doc["key_id"]}

    code, out, _ = _cli(capsys, "peer", "list")
    assert code == 0 and igf.url in out and fingerprint in out
    code, out, _ = _cli(capsys, "peer", "add", igf.url)  # again: nothing new
    assert code == 0 and "pinned already" in out
    assert LedgerEntry.objects.filter(action="peer.add").count() == 1


def test_a_fingerprint_that_does_not_match_is_refused_and_pins_nothing(
    igf: Instance, capsys: Any
) -> None:
    fingerprint = igf.document()["key_id"]
    wrong = ("0" if fingerprint[0] != "0" else "1") + fingerprint[1:]  # one digit off
    code, out, err = _cli(capsys, "peer", "add", igf.url, "--fingerprint", wrong)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and f"fingerprint {fingerprint}, not {wrong}" in err
    assert not Peer.objects.exists() and not LedgerEntry.objects.filter(action="peer.add")
    code, _, err = _cli(capsys, "peer", "add", igf.url, "--fingerprint", "abc")
    assert code == 2 and "64 hexadecimal digits" in err
    # The right one, in the colon-separated upper case operators read aloud, is accepted.
    spoken = ":".join(fingerprint[i : i + 2] for i in range(0, 64, 2)).upper()
    code, out, err = _cli(capsys, "peer", "add", igf.url, "--fingerprint", spoken)
    assert code == 0, err
    assert Peer.objects.get().fingerprint == fingerprint


def test_a_changed_key_is_refused_until_the_operator_re_pins_it(igf: Instance, capsys: Any) -> None:
    assert _cli(capsys, "peer", "add", igf.url)[0] == 0
    old = Peer.objects.get().key_id
    previous_pem = igf.key_file.read_bytes()
    igf.key_file.write_bytes(private_key_to_pem(Ed25519PrivateKey.generate()))
    try:
        new = igf.document()["key_id"]
        assert new != old
        code, out, err = _cli(capsys, "peer", "add", igf.url)
        assert code == 2 and err.count("\n") == 1
        assert f"changed (pinned {old}, now {new})" in err and "--replace" in err
        assert Peer.objects.get().key_id == old  # still the old key
        assert pinned_peer_for_key_id(new) is None
        assert not LedgerEntry.objects.filter(action="peer.repin").exists()

        code, out, err = _cli(capsys, "peer", "add", igf.url, "--replace")
        assert code == 0, err
        assert "re-pinned" in out and new in out
        assert Peer.objects.get().key_id == new
        assert pinned_peer_for_key_id(old) is None
        entry = LedgerEntry.objects.get(action="peer.repin")
        assert entry.fields == {"url": igf.url, "key_id": new, "previous_key_id": old}
    finally:
        igf.key_file.write_bytes(previous_pem)


def test_peer_remove_forgets_the_key(igf: Instance, capsys: Any) -> None:
    assert _cli(capsys, "peer", "add", igf.url)[0] == 0
    code, out, _ = _cli(capsys, "peer", "remove", igf.url)
    assert code == 0 and "no longer trusted" in out
    assert not Peer.objects.exists()
    assert LedgerEntry.objects.filter(action="peer.remove").count() == 1
    code, _, err = _cli(capsys, "peer", "remove", igf.url)
    assert code == 2 and "is not a peer" in err


def test_an_instance_that_names_itself_otherwise_or_is_down_is_not_pinned(
    igf: Instance, capsys: Any
) -> None:
    other = igf.url.replace("127.0.0.1", "localhost")  # the same server, another name
    code, _, err = _cli(capsys, "peer", "add", other)
    assert code == 2 and f"names itself {igf.url}" in err
    code, _, err = _cli(capsys, "peer", "add", "http://127.0.0.1:9")  # nobody listens
    assert code == 2 and "could not be read" in err and err.count("\n") == 1
    code, _, err = _cli(capsys, "peer", "add", "ftp://example.org")
    assert code == 2 and "not an http(s) base URL" in err
    code, _, err = _cli(capsys, "peer", "add", "https://national.example.org")
    assert code == 2 and "this instance's own URL" in err
    assert not Peer.objects.exists()


def test_peer_add_also_witnesses_the_peer_with_the_pinned_key_unless_no_witness(
    igf: Instance, capsys: Any
) -> None:
    doc = igf.document()
    code, out, err = _cli(capsys, "peer", "add", igf.url, "--no-witness")
    assert code == 0, err
    assert "witnessing" not in out and not WitnessedLog.objects.exists()
    code, out, err = _cli(capsys, "peer", "add", igf.url)  # pinned already: now witnessed
    assert code == 0, err
    assert f"witnessing {igf.url}" in out
    log = WitnessedLog.objects.get()
    assert (log.url, log.public_key) == (igf.url, doc["public_key"])  # pinned, not first fetch
    code, out, err = _cli(capsys, "witness", "add", igf.url)
    assert code == 2 and "witnessed already" in err
    igf.run("ledger", "checkpoint")
    code, out, err = _cli(capsys, "witness", "run")
    assert code == 0 and f"{igf.url}: co-signed the checkpoint at" in out, out + err
