"""Trust anchors: which key a package's (or an export's) ledger must be signed by.

A package carries its own checkpoints and the key that signed them, so on its own it
proves only that it is consistent with itself: anyone can rewrite a ledger and sign it
with a fresh key. An anchor names the key one expects:

* ``--public-key KEY``: base64 of the raw 32-byte Ed25519 key, as
  ``GET /api/v1/ledger/checkpoint`` publishes it;
* ``--fingerprint HEX``: the SHA-256 of that raw key, in hex (``key_fingerprint``);
* ``--from-url URL``: the instance's published checkpoint, fetched; the package must be
  signed by the same key and its ledger must be consistent with that checkpoint (a
  consistency proof from the instance when it is ahead, the package's own entries when
  the package is ahead).

No Django: ``ledger verify --entries`` uses it without a database.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from commonground.ledger.merkle import (
    CompactRange,
    SignedCheckpoint,
    canonical_json,
    leaf_hash,
    verify_checkpoint,
    verify_consistency,
)


def gettext_if_ready(text: str) -> str:
    """gettext when Django is set up (the CLI runs some commands without it)."""
    from django.conf import settings

    if settings.configured:
        from django.utils.translation import gettext

        return gettext(text)
    return text


_ = gettext_if_ready


class AnchorError(Exception):
    """The package is not anchored to what was asked: one line saying why."""


def key_fingerprint(raw: bytes) -> str:
    """The fingerprint of a raw Ed25519 public key: lowercase hex SHA-256."""
    return hashlib.sha256(bytes(raw)).hexdigest()


def no_anchor_notice() -> str:
    return _(
        "note: no --public-key, --fingerprint or --from-url given: the package proves only "
        "its own consistency, not that the forum's operator signed it"
    )


@dataclass(frozen=True)
class Anchor:
    """What the signing key must be (any of the three may be given)."""

    public_key: bytes | None = None
    fingerprint: str | None = None
    from_url: str | None = None

    @property
    def given(self) -> bool:
        return bool(self.public_key or self.fingerprint or self.from_url)

    @classmethod
    def parse(cls, public_key: str | None, fingerprint: str | None, from_url: str | None) -> Anchor:
        """Read the command-line values; ValueError (one line) when one is malformed."""
        raw = None
        if public_key is not None:
            try:
                raw = base64.b64decode(public_key.encode("ascii"), validate=True)
            except (binascii.Error, UnicodeEncodeError):
                raise ValueError(_("--public-key is not valid base64")) from None
            if len(raw) != 32:
                raise ValueError(_("--public-key must be a raw 32-byte Ed25519 key in base64"))
        fp = None
        if fingerprint is not None:
            fp = fingerprint.strip().lower().replace(":", "")
            if not re.fullmatch(r"[0-9a-f]{64}", fp):
                raise ValueError(_("--fingerprint must be the 64 hex digits of a SHA-256"))
        if from_url is not None and not re.match(r"^https?://[^/\s]+", from_url):
            raise ValueError(_("--from-url must be an http(s) URL"))
        return cls(raw, fp, from_url)


def prefix_root(triples: Iterable[tuple[Any, Any, Any]], size: int) -> bytes:
    """The root of the first ``size`` entries (each hashed from its document)."""
    acc = CompactRange()
    for _seq, doc, _stored in triples:
        if acc.size >= size:
            break
        data = doc if isinstance(doc, bytes) else canonical_json(doc)
        acc.append(leaf_hash(data))
    if acc.size < size:
        raise AnchorError(
            _("the package holds fewer entries than the checkpoint it is checked against")
        )
    return acc.root()


def check_anchor(
    anchor: Anchor,
    checkpoints: list[SignedCheckpoint],
    triples: Callable[[], Iterable[tuple[Any, Any, Any]]],
    get_json: Callable[[str], Any] | None = None,
) -> str:
    """Check the package's checkpoints against the anchor; returns a line saying what held.

    ``triples`` gives the package's entries afresh (read only for ``--from-url`` when the
    package is ahead of the instance). Raises :class:`AnchorError`.
    """
    if not checkpoints:
        raise AnchorError(_("the package has no checkpoint, so it cannot be anchored"))
    said = []
    if anchor.public_key is not None:
        for cp in checkpoints:
            if not verify_checkpoint(cp, anchor.public_key):
                raise AnchorError(
                    _("the checkpoint at tree size %(size)s is not signed by the key given "
                      "with --public-key") % {"size": cp.checkpoint.tree_size}
                )  # fmt: skip
        said.append(_("signed by the key given"))
    if anchor.fingerprint is not None:
        for cp in checkpoints:
            found = key_fingerprint(cp.public_key)
            if not hmac.compare_digest(found, anchor.fingerprint):
                raise AnchorError(
                    _("the checkpoint at tree size %(size)s is signed by the key with "
                      "fingerprint %(found)s, not %(wanted)s")
                    % {"size": cp.checkpoint.tree_size, "found": found,
                       "wanted": anchor.fingerprint}
                )  # fmt: skip
        said.append(_("signed by the key of that fingerprint"))
    if anchor.from_url is not None:
        said.append(_check_url(anchor.from_url, checkpoints, triples, get_json))
    return "; ".join(said)


def _check_url(
    url: str,
    checkpoints: list[SignedCheckpoint],
    triples: Callable[[], Iterable[tuple[Any, Any, Any]]],
    get_json: Callable[[str], Any] | None,
) -> str:
    from commonground.ledger.cli import LedgerCliError, _get_json, api_base

    fetch = get_json or _get_json
    try:
        base = api_base(url)
        remote = SignedCheckpoint.from_json_dict(fetch(f"{base}/ledger/checkpoint"))
    except (LedgerCliError, ValueError) as exc:
        raise AnchorError(
            _("cannot read the checkpoint of %(url)s: %(why)s") % {"url": url, "why": exc}
        ) from None
    if not verify_checkpoint(remote, remote.public_key):
        raise AnchorError(_("the checkpoint %(url)s publishes has a bad signature") % {"url": url})
    for cp in checkpoints:
        if not hmac.compare_digest(cp.public_key, remote.public_key):
            raise AnchorError(
                _("the checkpoint at tree size %(size)s is signed by another key than the one "
                  "%(url)s publishes") % {"size": cp.checkpoint.tree_size, "url": url}
            )  # fmt: skip
    mine = checkpoints[-1].checkpoint
    theirs = remote.checkpoint
    if theirs.tree_size >= mine.tree_size:
        try:
            proof = fetch(
                f"{base}/ledger/proof/consistency?first={mine.tree_size}&second={theirs.tree_size}"
            )
            path = [bytes.fromhex(h) for h in proof["proof"]]
        except (LedgerCliError, KeyError, TypeError, ValueError) as exc:
            raise AnchorError(
                _("cannot read a consistency proof from %(url)s: %(why)s")
                % {"url": url, "why": exc}
            ) from None
        ok = verify_consistency(
            mine.tree_size, theirs.tree_size, mine.root_hash, theirs.root_hash, path
        )
    else:
        ok = hmac.compare_digest(prefix_root(triples(), theirs.tree_size), theirs.root_hash)
    if not ok:
        raise AnchorError(
            _("the package's ledger (%(mine)s entries) is not consistent with the checkpoint "
              "%(url)s publishes (%(theirs)s entries): one of them was rewritten")
            % {"mine": mine.tree_size, "url": url, "theirs": theirs.tree_size}
        )  # fmt: skip
    return _("consistent with the checkpoint %(url)s publishes") % {"url": url}
