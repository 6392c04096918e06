"""The body of a delivery and its checks against the sender's ledger (docs/federation.md).

The body carries the forward record, the sender's ledger entry that recorded it, the entry's
inclusion proof (RFC 9162 section 2.1.3) and the sender's signed checkpoint. The receiver
recomputes the entry's leaf hash, walks the proof up to the checkpoint's root and checks
the checkpoint's Ed25519 signature against the sender's pinned key: from public data
alone, the sender really recorded what it sends. No Django here.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from typing import Any

from commonground.federation.signing import Refused
from commonground.ledger.merkle import (
    SignedCheckpoint,
    entry_leaf_hash,
    verify_checkpoint,
    verify_inclusion,
)

#: Version of the delivery body's layout.
DELIVERY_FORMAT = "commonground-delivery/v1"
#: The ledger action whose entry a delivery carries (network's forward, to another instance).
FORWARD_ACTIONS = ("issue.forward_remote",)
#: The keys of a ledger entry's canonical document (what its leaf hash covers).
ENTRY_KEYS = ("seq", "time", "actor", "action", "object", "forum", "fields")

# The body's checks, in order.
BODY = "body"
FORWARD_RECORD = "forward_record"
INCLUSION_PROOF = "inclusion_proof"
CHECKPOINT = "checkpoint"
CHECKPOINT_SIGNATURE = "checkpoint_signature"


def delivery_body(
    *,
    delivery: str,
    to: str,
    entry: Mapping[str, Any],
    inclusion: Mapping[str, Any],
    checkpoint: Mapping[str, Any],
) -> dict[str, Any]:
    """The JSON body of a delivery. ``entry`` is the ledger entry's document (its
    ``fields`` are the forward record), ``inclusion`` the ledger's inclusion proof of it,
    ``checkpoint`` the signed checkpoint of the same tree size."""
    doc = {key: entry[key] for key in ENTRY_KEYS}
    return {
        "format": DELIVERY_FORMAT,
        "delivery": delivery,
        "to": to,
        "forward": doc["fields"],
        "entry": doc,
        "inclusion": {
            "leaf_index": inclusion["leaf_index"],
            "tree_size": inclusion["tree_size"],
            "audit_path": list(inclusion["audit_path"]),
        },
        "checkpoint": dict(checkpoint),
    }


def _hashes(values: object) -> list[bytes]:
    if not isinstance(values, list):
        raise Refused(INCLUSION_PROOF, "audit_path must be a list of hex hashes")
    try:
        out = [bytes.fromhex(v) for v in values if isinstance(v, str)]
    except ValueError:
        raise Refused(INCLUSION_PROOF, "audit_path holds a hash that is not hex") from None
    if len(out) != len(values):
        raise Refused(INCLUSION_PROOF, "audit_path must be a list of hex hashes")
    return out


def check_shape(body: object) -> dict[str, Any]:
    """The body as a dict with every part present, or refused ``body``."""
    if not isinstance(body, dict):
        raise Refused(BODY, "the body must be a JSON object")
    if body.get("format") != DELIVERY_FORMAT:
        raise Refused(BODY, f"format must be {DELIVERY_FORMAT}")
    for name, kind in (
        ("delivery", str), ("to", str), ("forward", dict), ("entry", dict),
        ("inclusion", dict), ("checkpoint", dict),
    ):  # fmt: skip
        if not isinstance(body.get(name), kind) or not body[name]:
            raise Refused(BODY, f"{name} is missing or of the wrong type")
    if len(body["delivery"]) > 64:
        raise Refused(BODY, "delivery is an id of at most 64 characters")
    entry = body["entry"]
    missing = [key for key in ENTRY_KEYS if key not in entry]
    if missing:
        raise Refused(BODY, f"entry is missing {', '.join(missing)}")
    return body


def check_body(body: object, pinned_key: bytes) -> dict[str, Any]:
    """Check a delivery body against the sender's pinned key; return it.

    In order: its shape (``body``); the forward record is the entry's fields and the entry
    records a forward (``forward_record``); the checkpoint parses (``checkpoint``); the
    entry's leaf hash, at ``seq - 1``, is included in the checkpoint's tree by the audit
    path (``inclusion_proof``); the checkpoint is signed by the pinned key
    (``checkpoint_signature``). Raises :class:`Refused` naming the first failed check.
    """
    doc = check_shape(body)
    entry = {key: doc["entry"][key] for key in ENTRY_KEYS}
    if entry["action"] not in FORWARD_ACTIONS:
        raise Refused(FORWARD_RECORD, f"the entry records {entry['action']!r}, not a forward")
    if entry["fields"] != doc["forward"]:
        raise Refused(FORWARD_RECORD, "the forward record differs from the ledger entry's")
    if doc["forward"].get("delivery") != doc["delivery"] or doc["forward"].get("to") != doc["to"]:
        raise Refused(FORWARD_RECORD, "the record names another delivery or target forum")
    try:
        signed = SignedCheckpoint.from_json_dict(doc["checkpoint"])
    except (ValueError, TypeError) as exc:
        raise Refused(CHECKPOINT, str(exc)) from None
    proof = doc["inclusion"]
    index, size = proof.get("leaf_index"), proof.get("tree_size")
    if not isinstance(entry["seq"], int) or index != entry["seq"] - 1:
        raise Refused(INCLUSION_PROOF, "leaf_index must be the entry's seq - 1")
    if size != signed.checkpoint.tree_size:
        raise Refused(INCLUSION_PROOF, "the proof's tree_size is not the checkpoint's")
    try:
        leaf = entry_leaf_hash(entry)
    except (ValueError, TypeError) as exc:
        raise Refused(INCLUSION_PROOF, f"the entry cannot be hashed: {exc}") from None
    if not verify_inclusion(leaf, index, size, _hashes(proof.get("audit_path")),
                            signed.checkpoint.root_hash):  # fmt: skip
        raise Refused(INCLUSION_PROOF, "the entry is not in the checkpoint's tree")
    if not verify_checkpoint(signed, pinned_key):
        raise Refused(CHECKPOINT_SIGNATURE, "the checkpoint is not signed by the pinned key")
    return doc


def leaf_hash_hex(entry: Mapping[str, Any]) -> str:
    """The entry's leaf hash in hex (what the receiver's own ledger entry cites)."""
    return entry_leaf_hash({key: entry[key] for key in ENTRY_KEYS}).hex()


def b64_key(value: str) -> bytes:
    """A raw public key from base64 (ValueError when it is not 32 bytes)."""
    try:
        raw = base64.b64decode(value.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        raise ValueError("not base64") from None
    if len(raw) != 32:
        raise ValueError("an Ed25519 public key is 32 bytes")
    return raw
