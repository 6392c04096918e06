"""Signed HTTP requests between instances: RFC 9421 over Ed25519 (docs/federation.md).

A delivery is a ``POST`` whose signature covers ``@method``, ``@target-uri``,
``content-digest`` (RFC 9530, SHA-256 of the body) and ``content-type``, with the
``created``, ``keyid`` and ``nonce`` parameters. Signing and verification are done by the
``http-message-signatures`` package; this module fixes the profile (which components, which
parameters, how old a request may be) and says which check failed.

No Django here: the inbox (``federation.inbox``) maps each refusal's ``check`` to its
status and a translated message, and an auditor can run these functions alone.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import secrets
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import http_sf
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from http_message_signatures import (
    ContentDigest,
    HTTPMessageSigner,
    HTTPMessageVerifier,
    HTTPSignatureKeyResolver,
    InvalidSignature,
    algorithms,
)
from http_message_signatures.exceptions import HTTPMessageSignaturesException
from requests.structures import CaseInsensitiveDict

#: The components every delivery's signature covers (RFC 9421 section 2).
COVERED_COMPONENTS = ("@method", "@target-uri", "content-digest", "content-type")
#: The signature's label in ``Signature-Input`` and ``Signature`` (not signed; one per request).
LABEL = "commonground"
#: How far ``created`` may lie from the receiver's clock, either way (seconds).
MAX_AGE_S = 300
CONTENT_TYPE = "application/json"
# The package refuses a ``created`` in the future by its own skew; the age is judged here.
_NO_LIBRARY_LIMIT = datetime.timedelta(days=36500)

# The checks, in the order the inbox runs them (docs/federation.md, "The checks").
UNSIGNED = "unsigned"
UNKNOWN_PEER = "unknown_peer"
SIGNATURE = "signature"
CREATED = "created"
NONCE = "nonce"
REPLAY = "replay"
CONTENT_DIGEST = "content_digest"


class Refused(Exception):
    """A request failed one check; ``check`` names it, ``detail`` says why (in English)."""

    def __init__(self, check: str, detail: str = "") -> None:
        super().__init__(f"{check}: {detail}" if detail else check)
        self.check = check
        self.detail = detail


@dataclass(frozen=True)
class Verified:
    """What a verified signature established: whose key signed, when, with which nonce."""

    key_id: str
    created: int
    nonce: str
    covered: dict[str, str] = field(default_factory=dict)


def key_id_of(public_key: bytes) -> str:
    """The key id of a raw 32-byte Ed25519 public key: SHA-256 of it, lowercase hex."""
    return hashlib.sha256(bytes(public_key)).hexdigest()


def raw_public_key(key: Ed25519PrivateKey | Ed25519PublicKey) -> bytes:
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


@dataclass
class _Message:
    """The request as the package reads it: an upper-case method, an absolute URL, headers."""

    method: str
    url: str
    headers: Any


class _Keys(HTTPSignatureKeyResolver):
    """Resolves a key id through the caller's function (the receiver's pinned keys)."""

    def __init__(
        self,
        public: Callable[[str], bytes | None] | None = None,
        private: Ed25519PrivateKey | None = None,
    ) -> None:
        self.public = public
        self.private = private

    def resolve_public_key(self, key_id: str) -> Ed25519PublicKey | None:
        raw = self.public(key_id) if self.public else None
        return None if raw is None else Ed25519PublicKey.from_public_bytes(raw)

    def resolve_private_key(self, key_id: str) -> Ed25519PrivateKey:
        if self.private is None:
            raise HTTPMessageSignaturesException("no private key")
        return self.private


def sign_request(
    method: str,
    url: str,
    body: bytes,
    private_key: Ed25519PrivateKey,
    *,
    key_id: str | None = None,
    nonce: str | None = None,
    created: datetime.datetime | None = None,
    content_type: str = CONTENT_TYPE,
) -> dict[str, str]:
    """The headers of a signed request: Content-Type, Content-Digest, Signature(-Input).

    ``key_id`` defaults to :func:`key_id_of` the key; ``nonce`` to 24 random bytes
    (base64url); ``created`` to now.
    """
    headers: CaseInsensitiveDict[str] = CaseInsensitiveDict({"Content-Type": content_type})
    message = _Message(method.upper(), url, headers)
    signer = HTTPMessageSigner(
        signature_algorithm=algorithms.ED25519, key_resolver=_Keys(private=private_key)
    )
    signer.sign(
        message,
        key_id=key_id or key_id_of(raw_public_key(private_key)),
        created=created or datetime.datetime.now(datetime.UTC),
        nonce=nonce or secrets.token_urlsafe(24),
        label=LABEL,
        covered_component_ids=COVERED_COMPONENTS,
        body=body,
    )
    return dict(headers.items())


def signature_parameters(headers: Mapping[str, str]) -> dict[str, Any]:
    """The parameters (``keyid``, ``created``, ``nonce``...) of the request's one signature.

    Refused ``unsigned`` without both signature fields, ``signature`` when they do not
    parse or hold more or less than one signature.
    """
    fields = CaseInsensitiveDict(dict(headers.items()))
    if "signature-input" not in fields or "signature" not in fields:
        raise Refused(UNSIGNED, "the request has no Signature-Input and Signature fields")
    try:
        parsed = http_sf.parse(fields["signature-input"].encode(), tltype="dictionary")
    except (ValueError, TypeError, UnicodeEncodeError):
        raise Refused(SIGNATURE, "Signature-Input is not a structured dictionary") from None
    if not isinstance(parsed, dict) or len(parsed) != 1:
        raise Refused(SIGNATURE, "the request must carry exactly one signature")
    member: Any = next(iter(parsed.values()))
    return dict(member[1])


def verify_signature(
    method: str,
    url: str,
    headers: Mapping[str, str],
    resolve_key: Callable[[str], bytes | None],
    *,
    required: tuple[str, ...] = COVERED_COMPONENTS,
) -> Verified:
    """Check the one signature against the key its ``keyid`` resolves to.

    ``resolve_key`` returns the raw public key pinned for a key id, or None (refused
    ``unknown_peer``). Refused ``signature`` when the signature does not verify, misses a
    required component or ``keyid``, or names another algorithm. ``created`` is not
    judged here (the package's own age limits are lifted): :func:`verify_request` does.
    """
    params = signature_parameters(headers)
    key_id = params.get("keyid")
    if not isinstance(key_id, str) or not key_id:
        raise Refused(SIGNATURE, "the signature names no keyid")
    if resolve_key(key_id) is None:
        raise Refused(UNKNOWN_PEER, f"no peer's pinned key has the id {key_id}")
    verifier = HTTPMessageVerifier(
        signature_algorithm=algorithms.ED25519, key_resolver=_Keys(public=resolve_key)
    )
    verifier.max_clock_skew = _NO_LIBRARY_LIMIT
    message = _Message(method.upper(), url, CaseInsensitiveDict(dict(headers.items())))
    try:
        results = verifier.verify(message, max_age=None, require_components=required)
    except (InvalidSignature, HTTPMessageSignaturesException) as exc:
        raise Refused(SIGNATURE, str(exc) or "the signature does not verify") from None
    result = results[0]
    return Verified(
        key_id=key_id,
        created=int(result.parameters.get("created", 0)),
        nonce=str(result.parameters.get("nonce") or ""),
        covered=dict(result.covered_components),
    )


def verify_request(
    method: str,
    url: str,
    headers: Mapping[str, str],
    body: bytes,
    resolve_key: Callable[[str], bytes | None],
    *,
    now: float | None = None,
    max_age_s: int = MAX_AGE_S,
    nonce_seen: Callable[[str, str], bool] | None = None,
) -> Verified:
    """Every check of a signed request that needs no database, in the inbox's order.

    1. the signature against the pinned key (``unsigned``, ``unknown_peer``, ``signature``);
    2. ``created`` within ``max_age_s`` of ``now`` either way (``created``), a nonce
       present (``nonce``) and not seen before from this key (``replay``, when the caller
       gives ``nonce_seen``; recording it is the caller's, in its write);
    3. the body against the signed ``Content-Digest`` (``content_digest``).

    Returns what was verified; raises :class:`Refused` naming the first failed check.
    """
    verified = verify_signature(method, url, headers, resolve_key)
    moment = time.time() if now is None else now
    if abs(moment - verified.created) > max_age_s:
        raise Refused(
            CREATED, f"created is {int(moment - verified.created)} s from now; at most {max_age_s}"
        )
    if not verified.nonce:
        raise Refused(NONCE, "the signature has no nonce parameter")
    if nonce_seen is not None and nonce_seen(verified.key_id, verified.nonce):
        raise Refused(REPLAY, f"the nonce {verified.nonce} was seen before")
    try:
        ContentDigest.verify(verified.covered['"content-digest"'], body)
    except (InvalidSignature, HTTPMessageSignaturesException, KeyError) as exc:
        raise Refused(CONTENT_DIGEST, str(exc) or "the body does not match its digest") from None
    return verified


def public_key_b64(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    """The raw public key in standard base64 (as the well-known document publishes it)."""
    return base64.b64encode(raw_public_key(key)).decode("ascii")
