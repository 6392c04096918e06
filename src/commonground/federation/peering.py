"""Peering (docs/federation.md, "Peering"): the operator pins another instance's key from
its well-known document, lists peers and removes them. A key that changed on the peer's
side is refused until the operator re-pins it with ``--replace``."""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commonground.core.errors import Conflict, InvalidInput, NotFound
from commonground.federation import events
from commonground.federation.fetch import get_json
from commonground.federation.identity import WELL_KNOWN_PATH, public_url
from commonground.federation.lookup import normalize_url
from commonground.federation.models import Peer, RemoteParent
from commonground.federation.signing import key_id_of
from commonground.ledger.services import append
from commonground.ledger.witness import witness_peer


@dataclass(frozen=True)
class PeerDocument:
    """A peer's well-known document, checked: its URL, name, key and forums."""

    url: str
    name: str
    key_id: str
    public_key: bytes
    software_version: str
    forums: list[dict[str, str]]

    @property
    def fingerprint(self) -> str:
        return key_id_of(self.public_key)


def base_url(url: str) -> str:
    """``url`` as a peer's base URL; InvalidInput (400) when it is not one."""
    try:
        return normalize_url(url)
    except ValueError:
        raise InvalidInput(
            _("%(url)s is not an http(s) base URL such as https://forum.example.org") % {"url": url}
        ) from None


def _text(doc: dict[str, Any], name: str, where: str, limit: int = 300) -> str:
    value = doc.get(name)
    if not isinstance(value, str) or len(value) > limit:
        raise Conflict(
            _("%(where)s: the well-known document has no valid %(name)s")
            % {"where": where, "name": name}
        )
    return value


def parse_document(data: Any, where: str) -> PeerDocument:
    """Check a well-known document's shape and that its key id is its key's fingerprint."""
    if not isinstance(data, dict):
        raise Conflict(
            _("%(where)s: the well-known document is not a JSON object") % {"where": where}
        )
    url = _text(data, "url", where)
    try:
        raw = base64.b64decode(_text(data, "public_key", where).encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        raw = b""
    if len(raw) != 32:
        raise Conflict(
            _("%(where)s: public_key is not a raw 32-byte Ed25519 key in base64") % {"where": where}
        )
    key_id = _text(data, "key_id", where)
    if key_id != key_id_of(raw):
        raise Conflict(_("%(where)s: key_id is not the SHA-256 of public_key") % {"where": where})
    forums = data.get("forums")
    if not isinstance(forums, list) or not all(
        isinstance(f, dict) and all(isinstance(f.get(k), str) for k in ("slug", "level", "url"))
        for f in forums
    ):
        raise Conflict(
            _("%(where)s: forums is not a list of {slug, level, url}") % {"where": where}
        )
    return PeerDocument(
        url=url.rstrip("/"),
        name=_text(data, "name", where, 160),
        key_id=key_id,
        public_key=raw,
        software_version=str(data.get("software_version", ""))[:40],
        # The name is optional: instances before it was published list none.
        forums=[
            {**{k: str(f[k]) for k in ("slug", "level", "url")}, "name": str(f.get("name", ""))}
            for f in forums
        ],
    )


def fetch_document(url: str) -> PeerDocument:
    """Fetch and check the well-known document of the instance at ``url``.

    The document must name the instance by the URL it was fetched from: that URL is how
    this instance will name, reach and check it from now on.
    """
    base = base_url(url)
    doc = parse_document(get_json(base + WELL_KNOWN_PATH), base)
    if normalize_url(doc.url) != base:
        raise Conflict(
            _("%(url)s names itself %(named)s: add it by that URL")
            % {"url": base, "named": doc.url}
        )
    return doc


def _fingerprint_given(value: str) -> str:
    wanted = re.sub(r"[\s:]", "", value or "").lower()
    if not re.fullmatch(r"[0-9a-f]{64}", wanted):
        raise InvalidInput(_("--fingerprint is the key's SHA-256: 64 hexadecimal digits"))
    return wanted


def add_peer(
    url: str, *, fingerprint: str | None = None, replace: bool = False, witness: bool = True
) -> tuple[Peer, str]:
    """Pin the key of the instance at ``url``: ``(peer, "added" | "unchanged" | "replaced")``.

    With ``fingerprint``, a key whose fingerprint differs is refused (400). A peer pinned
    already whose key changed is refused (409) unless ``replace``: the operator checks the
    new fingerprint with the peer's operator first. With ``witness`` (the default) this
    instance also witnesses the peer's ledger (docs/ledger.md, section 12), with the key
    just pinned: peers witness each other once both operators have added the other.
    """
    peer, outcome = _pin(url, fingerprint, replace)
    if witness:
        witness_peer(peer.url, peer.public_key)
    return peer, outcome


def _pin(url: str, fingerprint: str | None, replace: bool) -> tuple[Peer, str]:
    wanted = _fingerprint_given(fingerprint) if fingerprint is not None else None
    base = base_url(url)
    if base == public_url():
        raise InvalidInput(_("%(url)s is this instance's own URL") % {"url": base})
    doc = fetch_document(base)
    if wanted is not None and wanted != doc.fingerprint:
        raise InvalidInput(
            _("the key of %(url)s has the fingerprint %(got)s, not %(wanted)s: not pinned")
            % {"url": base, "got": doc.fingerprint, "wanted": wanted}
        )
    key = base64.b64encode(doc.public_key).decode("ascii")
    with transaction.atomic():
        peer = Peer.objects.select_for_update().filter(url=base).first()
        other = Peer.objects.filter(key_id=doc.key_id).exclude(url=base).first()
        if other is not None:
            raise Conflict(
                _("%(url)s has the same key as the peer %(other)s: not pinned")
                % {"url": base, "other": other.url}
            )
        if peer is None:
            peer = Peer.objects.create(
                url=base, name=doc.name, key_id=doc.key_id, public_key=key,
                fingerprint=doc.fingerprint, software_version=doc.software_version,
            )  # fmt: skip
            append(events.peer_added(peer))
            return peer, "added"
        peer.name, peer.software_version = doc.name, doc.software_version
        if peer.key_id == doc.key_id:
            peer.save(update_fields=["name", "software_version"])
            return peer, "unchanged"
        if not replace:
            raise Conflict(
                _(
                    "the key of %(url)s changed (pinned %(old)s, now %(new)s): check the new "
                    "fingerprint with its operator, then run: commonground peer add %(url)s "
                    "--replace"
                )
                % {"url": base, "old": peer.fingerprint, "new": doc.fingerprint}
            )
        previous = peer.key_id
        peer.key_id, peer.public_key, peer.fingerprint = doc.key_id, key, doc.fingerprint
        peer.pinned_at = timezone.now()
        peer.save()
        append(events.peer_repinned(peer, previous))
        return peer, "replaced"


def remove_peer(url: str) -> str:
    """Forget a peer and its key; refused while a local forum's parent is on it."""
    base = base_url(url)
    with transaction.atomic():
        peer = Peer.objects.select_for_update().filter(url=base).first()
        if peer is None:
            raise NotFound(_("%(url)s is not a peer") % {"url": base})
        parents = RemoteParent.objects.filter(remote__peer=peer).select_related("forum")
        if parents:
            raise Conflict(
                _("the parent of %(forums)s is on %(url)s: not removed")
                % {"forums": ", ".join(p.forum.slug for p in parents), "url": base}
            )
        if peer.deliveries.exists():
            raise Conflict(
                _("forwards were sent to %(url)s: its deliveries keep it, not removed")
                % {"url": base}
            )
        key_id = peer.key_id
        peer.delete()
        append(events.peer_removed(base, key_id))
    return base
