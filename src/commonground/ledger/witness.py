"""Witnesses: instances that co-sign each other's checkpoints (issue 18; docs/ledger.md, 12).

A witness (``commonground witness add URL``) fetches the other instance's latest
checkpoint on a schedule, checks it is signed by the key it pinned at the first fetch and
consistent with the last checkpoint it saw (an RFC 9162 consistency proof), then
co-signs it and posts the co-signature back; the witnessed instance publishes the
co-signatures with its checkpoint. A checkpoint that contradicts one the witness saw is a
*split view*: it is refused (never co-signed), its proof is kept on the witness
(:class:`SplitView`) and reported to the witnessed instance, which keeps it too. Both
ledger pages show it.

The co-signed message is ``commonground-cosignature/v1``, the checkpoint's signed body
(docs/ledger.md, section 5) and the time the witness saw it, one per line.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
import logging
import urllib.error
import urllib.request
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commonground.core.errors import Conflict, InvalidInput, NotAllowed, NotFound
from commonground.ledger.anchors import key_fingerprint
from commonground.ledger.cli import LedgerCliError, _get_json, api_base
from commonground.ledger.merkle import (
    SignedCheckpoint,
    format_timestamp,
    public_key_bytes,
    public_key_from_bytes,
    root_hash,
    verify_checkpoint,
    verify_consistency,
)
from commonground.ledger.models import Checkpoint, Cosignature, SplitView, WitnessedLog
from commonground.ledger.services import leaf_hashes, ledger_size, signed_checkpoint, signing_key

logger = logging.getLogger(__name__)

COSIGNATURE_FORMAT = "commonground-cosignature/v1"


def cosigned_message(signed: SignedCheckpoint, seen_at: str) -> bytes:
    """What a witness signs: the format line, the checkpoint's signed body, the time seen."""
    return (
        f"{COSIGNATURE_FORMAT}\n".encode()
        + signed.checkpoint.signing_body()
        + f"{seen_at}\n".encode()
    )


def verify_cosignature(signed: SignedCheckpoint, seen_at: str, signature: str, key: bytes) -> bool:
    """True when ``signature`` (base64) is ``key``'s co-signature of ``signed`` at ``seen_at``."""
    try:
        raw = base64.b64decode(signature.encode("ascii"), validate=True)
        public_key_from_bytes(key).verify(raw, cosigned_message(signed, seen_at))
    except Exception:  # bad base64, bad key, bad signature: all simply "no"
        return False
    return True


def _site_url() -> str:
    return str(getattr(settings, "COMMONGROUND_SITE_URL", "") or "").rstrip("/")


def _post_json(url: str, body: dict[str, Any]) -> Any:
    data = json.dumps(body).encode("utf-8")
    request = urllib.request.Request(
        url, data=data, method="POST", headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


# -- the witness side -------------------------------------------------------------------------


def add_witnessed(url: str) -> WitnessedLog:
    """Start witnessing the instance at ``url`` (its key is pinned at the first round)."""
    try:
        base = api_base(url)
    except LedgerCliError as exc:
        raise InvalidInput(str(exc)) from None
    site = base.removesuffix("/api/v1")
    log, created = WitnessedLog.objects.get_or_create(url=site)
    if not created:
        raise Conflict(_("%(url)s is witnessed already.") % {"url": site})
    return log


def witness_peer(url: str, public_key: str) -> tuple[WitnessedLog, bool]:
    """Witness a peer (``peer add``): its key is pinned from the peering, not at the first
    fetch, since the peer's operator key is its ledger key. Returns (log, newly added).

    A log witnessed already keeps what it saw; a new key (``peer add --replace``, the
    operator having checked the new fingerprint) is pinned in place of the old one.
    """
    try:
        site = api_base(url).removesuffix("/api/v1")
    except LedgerCliError as exc:
        raise InvalidInput(str(exc)) from None
    log, created = WitnessedLog.objects.get_or_create(url=site, defaults={"public_key": public_key})
    if not created and log.public_key != public_key:
        log.public_key = public_key
        log.save(update_fields=["public_key"])
    return log, created


def _split(log: WitnessedLog, second: dict[str, Any], proof: list[str], reason: str) -> str:
    SplitView.objects.create(
        side="witness", url=log.url, first=log.checkpoint, second=second, proof=proof, reason=reason
    )
    line = _("SPLIT VIEW: %(reason)s; not co-signed") % {"reason": reason}
    log.status, log.checked_at = line[:300], timezone.now()
    log.save(update_fields=["status", "checked_at"])
    logger.error("witness %s: %s", log.url, line)
    try:  # tell the witnessed instance too; the proof is kept here whatever happens
        _post_json(
            f"{api_base(log.url)}/ledger/witness/split",
            {"url": _site_url(), "first": log.checkpoint, "second": second, "reason": reason},
        )
    except (OSError, ValueError, urllib.error.URLError) as exc:
        logger.error("witness %s: the split view could not be reported: %s", log.url, exc)
    return line


def witness_one(log: WitnessedLog) -> str:
    """One round for one witnessed log; returns its outcome in one line."""
    base = api_base(log.url)
    try:
        doc = _get_json(f"{base}/ledger/checkpoint")
        signed = SignedCheckpoint.from_json_dict(doc)
    except (LedgerCliError, ValueError) as exc:
        log.status, log.checked_at = str(exc)[:300], timezone.now()
        log.save(update_fields=["status", "checked_at"])
        return log.status
    doc = {k: v for k, v in doc.items() if k != "witnesses"}
    key = base64.b64encode(signed.public_key).decode()
    if not verify_checkpoint(signed, signed.public_key):
        return _split(log, doc, [], _("the checkpoint's signature is wrong"))
    if log.public_key and not hmac.compare_digest(key, log.public_key):
        return _split(
            log, doc, [], _("the checkpoint is signed by another key than the pinned one")
        )
    size, root = signed.checkpoint.tree_size, signed.checkpoint.root_hash
    proof: list[str] = []
    if log.checkpoint:
        seen, seen_root = log.tree_size, bytes.fromhex(log.root_hash)
        if size < seen:
            return _split(
                log, doc, [], _("the ledger went back from %(seen)s to %(size)s entries")
                % {"seen": seen, "size": size}
            )  # fmt: skip
        if size > seen:
            try:
                answer = _get_json(f"{base}/ledger/proof/consistency?first={seen}&second={size}")
                proof = [str(h) for h in answer["proof"]]
                path = [bytes.fromhex(h) for h in proof]
            except (LedgerCliError, KeyError, TypeError, ValueError) as exc:
                log.status, log.checked_at = str(exc)[:300], timezone.now()
                log.save(update_fields=["status", "checked_at"])
                return log.status
            consistent = verify_consistency(seen, size, seen_root, root, path)
        else:
            consistent = hmac.compare_digest(seen_root, root)
        if not consistent:
            return _split(
                log, doc, proof, _("the checkpoint at %(size)s is not consistent with the one "
                                   "at %(seen)s seen before") % {"size": size, "seen": seen}
            )  # fmt: skip
    seen_at = format_timestamp()
    key_obj = signing_key()
    signature = base64.b64encode(key_obj.sign(cosigned_message(signed, seen_at))).decode()
    status = _("co-signed the checkpoint at %(size)s") % {"size": size}
    try:
        _post_json(
            f"{base}/ledger/witness",
            {
                "url": _site_url(),
                "public_key": base64.b64encode(public_key_bytes(key_obj)).decode(),
                "tree_size": size,
                "root_hash": root.hex(),
                "seen_at": seen_at,
                "signature": signature,
            },
        )
    except (OSError, ValueError, urllib.error.URLError) as exc:
        status = _("checked the checkpoint at %(size)s; the co-signature could not be sent: "
                   "%(why)s") % {"size": size, "why": exc}  # fmt: skip
    log.public_key, log.tree_size, log.root_hash = key, size, root.hex()
    log.checkpoint, log.checked_at, log.status = doc, timezone.now(), status[:300]
    log.save()
    return status


def witness_round() -> list[tuple[str, str]]:
    """One round over every witnessed log: (url, outcome) each."""
    return [(log.url, witness_one(log)) for log in WitnessedLog.objects.all()]


# -- the witnessed side -----------------------------------------------------------------------


def receive_cosignature(payload: dict[str, Any]) -> Cosignature:
    """Keep a witness's valid co-signature of one of this instance's checkpoints."""
    checkpoint = Checkpoint.objects.filter(tree_size=payload["tree_size"]).first()
    if checkpoint is None or checkpoint.root_hash != payload["root_hash"]:
        raise NotFound(_("This instance published no checkpoint of that size and root."))
    try:
        key = base64.b64decode(str(payload["public_key"]).encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        raise InvalidInput(_("public_key is not base64.")) from None
    signed = signed_checkpoint(checkpoint)
    if len(key) != 32 or not verify_cosignature(
        signed, payload["seen_at"], payload["signature"], key
    ):
        # Whether it verifies depends on this instance's checkpoint: 403, not 400 (issue 11.17).
        raise NotAllowed(_("The co-signature does not verify with that public key."))
    cosignature, _created = Cosignature.objects.update_or_create(
        tree_size=checkpoint.tree_size,
        key_id=key_fingerprint(key),
        defaults={
            "root_hash": checkpoint.root_hash,
            "url": str(payload["url"])[:200],
            "signature": payload["signature"],
            "seen_at": payload["seen_at"],
        },
    )
    return cosignature


def _own_root(size: int) -> str | None:
    if size > ledger_size():
        return None
    return root_hash(leaf_hashes(size)).hex()


def receive_split_report(payload: dict[str, Any]) -> SplitView:
    """Keep a witness's report that this instance signed two histories.

    Accepted only with proof: both checkpoints carry this instance's signature, and at
    least one of them disagrees with the entries stored here.
    """
    ours = public_key_bytes(signing_key())
    checkpoints = []
    # The API declares a checkpoint's shape (422); what is left to refuse depends on this
    # instance's key and ledger, so it is a 403 (not our signature, or no checkpoint of ours
    # at all, e.g. a date that does not exist) or a 409 (no split view), never a 400.
    for name in ("first", "second"):
        try:
            signed = SignedCheckpoint.from_json_dict(payload[name])
        except (KeyError, ValueError) as exc:
            raise NotAllowed(_("%(name)s is not a checkpoint signed by this instance: %(why)s")
                             % {"name": name, "why": exc}) from None  # fmt: skip
        if not verify_checkpoint(signed, ours):
            raise NotAllowed(_("%(name)s is not signed by this instance's key.") % {"name": name})
        checkpoints.append(signed)
    if all(_own_root(s.checkpoint.tree_size) == s.checkpoint.root_hash.hex() for s in checkpoints):
        raise Conflict(_("Both checkpoints agree with this ledger: no split view."))
    with transaction.atomic():
        return SplitView.objects.create(
            side="witnessed",
            url=str(payload.get("url", ""))[:200],
            first=payload["first"],
            second=payload["second"],
            reason=str(payload.get("reason", ""))[:300],
        )


def witnessed_report(url: str) -> dict[str, Any]:
    """What this instance, as a witness of ``url``, saw: the last consistent checkpoint and
    every split view it found (public: anyone may compare it with what ``url`` shows them,
    which is how ``ledger verify --witness-url`` catches a log showing two histories)."""
    try:
        site = api_base(url).removesuffix("/api/v1")
    except LedgerCliError:
        site = ""
    log = WitnessedLog.objects.filter(url=site).first() if site else None
    if log is None:
        raise NotFound(_("This instance does not witness %(url)s.") % {"url": url[:200]})
    views = SplitView.objects.filter(side="witness", url=site).order_by("found_at", "id")
    return {
        "url": site,
        "checkpoint": log.checkpoint or None,
        "split_views": [
            {"reason": v.reason, "first": v.first, "second": v.second, "proof": v.proof}
            for v in views
        ],
    }


def witnesses_of(checkpoint: Checkpoint) -> list[dict[str, str]]:
    """The co-signatures published with a checkpoint."""
    return [
        {"url": c.url, "key_id": c.key_id, "signature": c.signature, "seen_at": c.seen_at}
        for c in Cosignature.objects.filter(
            tree_size=checkpoint.tree_size, root_hash=checkpoint.root_hash
        )
    ]
