"""``ledger verify --url URL --witness KEY``: the checkpoint must be co-signed by witnesses
one trusts; ``--witness-url W``: it must extend what witness W saw of URL, and W must have
caught no split view of it (no Django: this runs against remote sites)."""

from __future__ import annotations

import base64
import binascii
from typing import Any
from urllib.parse import quote

from commonground.ledger.anchors import gettext_if_ready as _
from commonground.ledger.anchors import key_fingerprint
from commonground.ledger.cli import LedgerCliError, _get_json, api_base
from commonground.ledger.merkle import SignedCheckpoint, verify_checkpoint, verify_consistency


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


def _extends(base: str, seen: SignedCheckpoint, signed: SignedCheckpoint) -> bool:
    """Whether ``signed`` (published at ``base``) extends ``seen`` (signed by the same key)."""
    if seen.public_key != signed.public_key or not verify_checkpoint(seen, seen.public_key):
        return False
    old, new = seen.checkpoint, signed.checkpoint
    if old.tree_size > new.tree_size:
        return False
    if old.tree_size == new.tree_size:
        return old.root_hash == new.root_hash
    if old.tree_size == 0:
        return True
    answer = _get_json(
        f"{base}/ledger/proof/consistency?first={old.tree_size}&second={new.tree_size}"
    )
    try:
        path = [bytes.fromhex(str(h)) for h in answer["proof"]]
    except (KeyError, TypeError, ValueError):
        return False
    return verify_consistency(old.tree_size, new.tree_size, old.root_hash, new.root_hash, path)


def check_witness_views(base: str, signed: SignedCheckpoint, witnesses: list[str]) -> str | None:
    """None when the checkpoint published at ``base`` extends what each witness saw of it
    and no witness caught a split view; else the one-line reason, naming the split."""
    site = base.removesuffix("/api/v1")
    for witness in witnesses:
        name = api_base(witness).removesuffix("/api/v1")
        try:
            doc = _get_json(f"{api_base(witness)}/ledger/witnessed?url={quote(site, safe='')}")
        except LedgerCliError as exc:
            return _("the witness %(witness)s did not answer for %(url)s: %(error)s") % {
                "witness": name,
                "url": site,
                "error": exc,
            }
        views = doc.get("split_views") if isinstance(doc, dict) else None
        if isinstance(views, list) and views:
            reason = views[0].get("reason", "") if isinstance(views[0], dict) else ""
            return _("SPLIT VIEW of %(url)s reported by the witness %(witness)s: %(reason)s") % {
                "url": site,
                "witness": name,
                "reason": reason,
            }
        seen_doc = doc.get("checkpoint") if isinstance(doc, dict) else None
        if not seen_doc:
            continue
        try:
            seen = SignedCheckpoint.from_json_dict(seen_doc)
        except (ValueError, TypeError, KeyError):
            return _("the witness %(witness)s did not answer for %(url)s: %(error)s") % {
                "witness": name,
                "url": site,
                "error": "checkpoint",
            }
        if not _extends(base, seen, signed):
            return _(
                "SPLIT VIEW: the witness %(witness)s saw the checkpoint of %(url)s at tree size "
                "%(seen)s, which the checkpoint published at %(size)s does not extend"
            ) % {
                "witness": name,
                "url": site,
                "seen": seen.checkpoint.tree_size,
                "size": signed.checkpoint.tree_size,
            }
    return None
