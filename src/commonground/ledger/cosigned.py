"""``ledger verify --url URL --witness KEY``: the checkpoint must be co-signed by witnesses
one trusts (no Django: this runs against a remote site)."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from commonground.ledger.anchors import gettext_if_ready as _
from commonground.ledger.anchors import key_fingerprint
from commonground.ledger.cli import LedgerCliError
from commonground.ledger.merkle import SignedCheckpoint


def _key(value: str) -> bytes:
    try:
        raw = base64.b64decode(value.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        raw = b""
    if len(raw) != 32:
        raise LedgerCliError(_("--witness must be a raw 32-byte Ed25519 key in base64"))
    return raw


def check_witnesses(
    signed: SignedCheckpoint, doc: Any, keys: list[str], minimum: int | None
) -> str | None:
    """None when enough trusted witnesses co-signed; else the one-line reason."""
    from commonground.ledger.witness import verify_cosignature

    trusted = {key_fingerprint(_key(k)): _key(k) for k in keys}
    need = len(trusted) if minimum is None else minimum
    if not 1 <= need <= len(trusted):
        raise LedgerCliError(_("--min-witnesses is between 1 and the number of --witness keys"))
    listed = doc.get("witnesses", []) if isinstance(doc, dict) else []
    good = set()
    for item in listed if isinstance(listed, list) else []:
        if not isinstance(item, dict):
            continue
        key = trusted.get(str(item.get("key_id", "")))
        if key is not None and verify_cosignature(
            signed, str(item.get("seen_at", "")), str(item.get("signature", "")), key
        ):
            good.add(item["key_id"])
    if len(good) >= need:
        return None
    return _(
        "the checkpoint at tree size %(size)s is co-signed by %(good)s of the %(need)s trusted "
        "witnesses required"
    ) % {"size": signed.checkpoint.tree_size, "good": len(good), "need": need}
