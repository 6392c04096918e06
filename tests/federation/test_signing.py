"""RFC 9421 signing and verification of deliveries, and the body's ledger checks (pure)."""

from __future__ import annotations

import base64
import hashlib
import json
import time
from datetime import UTC, datetime, timedelta

import pytest
import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from requests_http_signature import HTTPSignatureAuth, algorithms

from commonground.federation import proofs, signing
from commonground.federation.signing import Refused
from commonground.ledger.merkle import (
    Checkpoint,
    entry_leaf_hash,
    format_timestamp,
    inclusion_proof,
    root_hash,
    sign_checkpoint,
)

URL = "http://127.0.0.1:8621/api/v1/federation/inbox"
BODY = b'{"hello": "world"}'
JSON = "application/json"


@pytest.fixture
def key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def pinned(key: Ed25519PrivateKey):
    raw = signing.raw_public_key(key)
    return lambda key_id: raw if key_id == signing.key_id_of(raw) else None


def check_of(fn, *args, **kwargs) -> str:
    with pytest.raises(Refused) as caught:
        fn(*args, **kwargs)
    return caught.value.check


def test_a_signed_request_covers_the_profile_and_verifies(key) -> None:
    headers = signing.sign_request("POST", URL, BODY, key, nonce="n-1")
    verified = signing.verify_request("POST", URL, headers, BODY, pinned(key))
    assert verified.nonce == "n-1"
    assert verified.key_id == signing.key_id_of(signing.raw_public_key(key))
    assert headers["Content-Digest"].startswith("sha-256=:")
    signature_input = headers["Signature-Input"]
    for component in signing.COVERED_COMPONENTS:
        assert f'"{component}"' in signature_input
    for parameter in ("created=", "keyid=", "nonce=", 'alg="ed25519"'):
        assert parameter in signature_input


def test_an_unsigned_request_is_refused_as_unsigned(key) -> None:
    assert check_of(signing.verify_request, "POST", URL, {}, BODY, pinned(key)) == "unsigned"


def test_a_key_nobody_pinned_is_an_unknown_peer(key) -> None:
    headers = signing.sign_request("POST", URL, BODY, Ed25519PrivateKey.generate())
    assert check_of(signing.verify_request, "POST", URL, headers, BODY, pinned(key)) == (
        "unknown_peer"
    )


def test_a_keyid_of_a_pinned_key_signed_by_another_key_is_a_bad_signature(key) -> None:
    own_id = signing.key_id_of(signing.raw_public_key(key))
    headers = signing.sign_request("POST", URL, BODY, Ed25519PrivateKey.generate(), key_id=own_id)
    assert check_of(signing.verify_request, "POST", URL, headers, BODY, pinned(key)) == (
        "signature"
    )


@pytest.mark.parametrize(
    ("method", "url", "header", "value"),
    [
        ("PUT", URL, None, None),
        ("POST", URL.replace("8621", "8622"), None, None),
        ("POST", URL, "Content-Type", "text/plain"),
        ("POST", URL, "Content-Digest", "sha-256=:" + base64.b64encode(b"0" * 32).decode() + ":"),
    ],
    ids=["method", "target-uri", "content-type", "content-digest"],
)
def test_changing_a_covered_component_breaks_the_signature(key, method, url, header, value) -> None:
    headers = signing.sign_request("POST", URL, BODY, key)
    if header:
        headers[header] = value
    assert check_of(signing.verify_request, method, url, headers, BODY, pinned(key)) == "signature"


def test_a_body_changed_in_transit_fails_the_content_digest(key) -> None:
    headers = signing.sign_request("POST", URL, BODY, key)
    changed = BODY.replace(b"world", b"worle")
    assert check_of(signing.verify_request, "POST", URL, headers, changed, pinned(key)) == (
        "content_digest"
    )


@pytest.mark.parametrize(
    ("age", "accepted"), [(300, True), (301, False), (-300, True), (-301, False)]
)
def test_created_is_accepted_within_five_minutes_either_way(key, age, accepted) -> None:
    created = datetime(2026, 1, 1, tzinfo=UTC)
    headers = signing.sign_request("POST", URL, BODY, key, created=created)
    now = created.timestamp() + age
    if accepted:
        signing.verify_request("POST", URL, headers, BODY, pinned(key), now=now)
    else:
        assert (
            check_of(signing.verify_request, "POST", URL, headers, BODY, pinned(key), now=now)
            == "created"
        )


def test_a_signature_without_a_nonce_is_refused(key) -> None:
    from http_message_signatures import HTTPMessageSigner
    from requests.structures import CaseInsensitiveDict

    message = signing._Message("POST", URL, CaseInsensitiveDict({"Content-Type": JSON}))
    signer = HTTPMessageSigner(
        signature_algorithm=signing.algorithms.ED25519, key_resolver=signing._Keys(private=key)
    )
    signer.sign(message, key_id=signing.key_id_of(signing.raw_public_key(key)),
                covered_component_ids=signing.COVERED_COMPONENTS, body=BODY)  # fmt: skip
    headers = dict(message.headers.items())
    assert check_of(signing.verify_request, "POST", URL, headers, BODY, pinned(key)) == "nonce"


def test_a_signature_missing_a_required_component_is_refused(key) -> None:
    from requests.structures import CaseInsensitiveDict

    message = signing._Message("POST", URL, CaseInsensitiveDict({"Content-Type": JSON}))
    signing.HTTPMessageSigner(
        signature_algorithm=signing.algorithms.ED25519, key_resolver=signing._Keys(private=key)
    ).sign(message, key_id=signing.key_id_of(signing.raw_public_key(key)), nonce="x",
           covered_component_ids=("@method", "content-digest"), body=BODY)  # fmt: skip
    headers = dict(message.headers.items())
    assert check_of(signing.verify_request, "POST", URL, headers, BODY, pinned(key)) == "signature"


# -- interoperability -------------------------------------------------------------------------

# RFC 9421 appendix B.1.4 (test-key-ed25519), as a JWK's "d" and "x" (base64url).
RFC_SEED = "n4Ni-HpISpVObnQMW0wOhCKROaIKqKtW_2ZYb2p9KcU"
RFC_PUBLIC = "JrQLj5P_89iXES9-vFgrIy29clF9CC_oPPsw3c5D0bs"
RFC_B26_INPUT = (
    'sig-b26=("date" "@method" "@path" "@authority" "content-type" "content-length")'
    ';created=1618884473;keyid="test-key-ed25519"'
)
RFC_B26_SIGNATURE = (
    "sig-b26=:wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1u02Gb04v9EDgwUPiu4A0w6vuQv5lIp5WPpB"
    "KRCw==:"
)


def b64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def test_the_verifier_accepts_the_rfc_9421_ed25519_test_vector_b26() -> None:
    """RFC 9421 B.2.6: the RFC's own signature of its test request verifies here."""
    public = b64url(RFC_PUBLIC)
    headers = {
        "Host": "example.com",
        "Date": "Tue, 20 Apr 2021 02:07:55 GMT",
        "Content-Type": "application/json",
        "Content-Length": "18",
        "Signature-Input": RFC_B26_INPUT,
        "Signature": RFC_B26_SIGNATURE,
    }
    url = "https://example.com/foo?param=Value&Pet=dog"
    verified = signing.verify_signature(
        "POST", url, headers, lambda kid: public if kid == "test-key-ed25519" else None,
        required=("@method", "@authority", "content-type"),
    )  # fmt: skip
    assert verified.created == 1618884473
    tampered = {**headers, "Content-Length": "19"}
    assert (
        check_of(signing.verify_signature, "POST", url, tampered, lambda kid: public, required=())
        == "signature"
    )


def test_the_rfc_test_key_reproduces_the_b26_signature_by_hand() -> None:
    """An independent signer (the signature base written out by hand, RFC 9421 section
    2.5) gives the RFC's bytes, and a request it signs in our profile is accepted."""
    key = Ed25519PrivateKey.from_private_bytes(b64url(RFC_SEED))
    assert signing.raw_public_key(key) == b64url(RFC_PUBLIC)
    base = (
        '"date": Tue, 20 Apr 2021 02:07:55 GMT\n"@method": POST\n"@path": /foo\n'
        '"@authority": example.com\n"content-type": application/json\n"content-length": 18\n'
        '"@signature-params": ("date" "@method" "@path" "@authority" "content-type" '
        '"content-length");created=1618884473;keyid="test-key-ed25519"'
    )
    assert "sig-b26=:" + base64.b64encode(key.sign(base.encode())).decode() + ":" == (
        RFC_B26_SIGNATURE
    )
    headers = hand_signed(key, URL, BODY, created=int(time.time()), nonce="hand-1")
    signing.verify_request("POST", URL, headers, BODY, pinned(key))


def hand_signed(key: Ed25519PrivateKey, url: str, body: bytes, *, created: int, nonce: str):
    """A delivery signed without the package: digest, base and signature written out."""
    digest = "sha-256=:" + base64.b64encode(hashlib.sha256(body).digest()).decode() + ":"
    key_id = signing.key_id_of(signing.raw_public_key(key))
    params = (
        '("@method" "@target-uri" "content-digest" "content-type")'
        f';created={created};keyid="{key_id}";nonce="{nonce}"'
    )
    base = (
        f'"@method": POST\n"@target-uri": {url}\n"content-digest": {digest}\n'
        f'"content-type": application/json\n"@signature-params": {params}'
    )
    signature = base64.b64encode(key.sign(base.encode())).decode()
    return {
        "Content-Type": "application/json",
        "Content-Digest": digest,
        "Signature-Input": f"hand={params}",
        "Signature": f"hand=:{signature}:",
    }


def test_a_request_signed_by_requests_http_signature_is_accepted(key) -> None:
    """A second client library (requests-http-signature) signs; our verifier accepts."""
    key_id = signing.key_id_of(signing.raw_public_key(key))
    auth = HTTPSignatureAuth(
        signature_algorithm=algorithms.ED25519, key_id=key_id, key=key,
        covered_component_ids=("@method", "@target-uri", "content-digest", "content-type"),
        use_nonce=True,
    )  # fmt: skip
    prepared = requests.Request(
        "POST", URL, data=BODY, headers={"Content-Type": "application/json"}, auth=auth
    ).prepare()
    verified = signing.verify_request("POST", URL, prepared.headers, BODY, pinned(key))
    assert verified.nonce


# -- the body's ledger checks -----------------------------------------------------------------


def ledger_with_forward(key: Ed25519PrivateKey, size: int = 5, seq: int = 3):
    """A tiny sender ledger: entries 1..size, entry ``seq`` the forward."""
    record = {
        "format": "commonground-forward/v1", "what": {"title": "Fibre"},
        "to": "http://r.example/forums/global-igf/", "delivery": "d-1",
    }  # fmt: skip
    entries = [
        {"seq": n, "time": "2026-12-05T10:00:00.000000Z", "actor": "a1", "forum": "kenya-igf",
         "action": "issue.forward_remote" if n == seq else "issue.raise",
         "object": {"type": "forward", "id": str(n)}, "fields": record if n == seq else {}}
        for n in range(1, size + 1)
    ]  # fmt: skip
    leaves = [entry_leaf_hash(e) for e in entries]
    checkpoint = sign_checkpoint(
        Checkpoint(size, root_hash(leaves), format_timestamp(), "sender.example"), key
    ).to_json_dict()
    inclusion = {
        "leaf_index": seq - 1,
        "tree_size": size,
        "audit_path": [h.hex() for h in inclusion_proof(leaves, seq - 1, size)],
    }
    return proofs.delivery_body(
        delivery="d-1", to="http://r.example/forums/global-igf/", entry=entries[seq - 1],
        inclusion=inclusion, checkpoint=checkpoint,
    )  # fmt: skip


def test_a_forward_in_a_signed_checkpoint_passes_the_body_checks(key) -> None:
    body = json.loads(json.dumps(ledger_with_forward(key)))
    assert proofs.check_body(body, signing.raw_public_key(key))["delivery"] == "d-1"


def test_a_forged_record_a_forged_proof_and_a_foreign_checkpoint_name_their_check(key) -> None:
    raw = signing.raw_public_key(key)
    body = ledger_with_forward(key)
    body["forward"] = {**body["forward"], "what": {"title": "Changed"}}
    assert check_of(proofs.check_body, body, raw) == "forward_record"
    body = ledger_with_forward(key)
    body["entry"]["fields"] = body["forward"] = {**body["forward"], "what": {"title": "Changed"}}
    assert check_of(proofs.check_body, body, raw) == "inclusion_proof"
    body = ledger_with_forward(key)
    body["inclusion"]["audit_path"][0] = "00" * 32
    assert check_of(proofs.check_body, body, raw) == "inclusion_proof"
    body = ledger_with_forward(key)
    body["checkpoint"]["signature"] = base64.b64encode(b"\x01" * 64).decode()
    assert check_of(proofs.check_body, body, raw) == "checkpoint_signature"
    other = Ed25519PrivateKey.generate()
    assert check_of(proofs.check_body, ledger_with_forward(other), raw) == "checkpoint_signature"
    body = ledger_with_forward(key)
    body["checkpoint"]["root_hash"] = "zz"
    assert check_of(proofs.check_body, body, raw) == "checkpoint"
    assert check_of(proofs.check_body, {"format": "nope"}, raw) == "body"


def test_the_proof_is_checked_at_every_position_of_trees_of_one_to_nine(key) -> None:
    raw = signing.raw_public_key(key)
    for size in range(1, 10):
        for seq in range(1, size + 1):
            proofs.check_body(ledger_with_forward(key, size, seq), raw)


def test_public_key_round_trips_through_base64(key) -> None:
    assert proofs.b64_key(signing.public_key_b64(key)) == signing.raw_public_key(key)
    raw = proofs.b64_key(signing.public_key_b64(key))
    assert isinstance(Ed25519PublicKey.from_public_bytes(raw), Ed25519PublicKey)
    with pytest.raises(ValueError):
        proofs.b64_key("AAAA")
    assert timedelta(seconds=signing.MAX_AGE_S) == timedelta(minutes=5)
