"""The inbox: a forward from a forum on a peer, verified before anything is written
(docs/federation.md, "The checks").

The checks, in order: the signature against the pinned key of a known peer (401), the
``created`` time and the nonce (401, a replay 409), the content digest (400), the body's
ledger proofs (400 naming the failing check), that the body comes from the signing peer
(400), the target forum and its open cycle (404, 409), that the sender's forum is not
blocked here (403). Only then one transaction records the nonce, the sender's forum as a
child on another instance, the issue with its provenance, and the ledger entries.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from django.db import IntegrityError, transaction
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from commonground.access.lookup import open_cycle_of
from commonground.access.rules import require_phase
from commonground.core.errors import ServiceError
from commonground.federation import proofs, signing
from commonground.federation.authors import peer_membership
from commonground.federation.events import issue_received_remote
from commonground.federation.identity import public_url
from commonground.federation.lookup import normalize_url, pinned_peer_for_key_id
from commonground.federation.models import Peer, ReceivedDelivery
from commonground.federation.models.deliveries import SeenNonce
from commonground.federation.remote import is_blocked, record_remote_child
from commonground.forums.models import Forum
from commonground.issues.events import issue_raised
from commonground.ledger.services import append
from commonground.network.models import FORWARD_FORMAT, Forward
from commonground.network.services import create_forwarded_issue
from commonground.notifications.services import follow, notify_followers
from commonground.participants.models import Membership

#: Status and message of each refusal, by the check that failed.
CHECKS: dict[str, tuple[int, Any]] = {
    signing.UNSIGNED: (401, _("The request is not signed (RFC 9421).")),
    signing.UNKNOWN_PEER: (401, _("The request is signed by a key no peer pinned here.")),
    signing.SIGNATURE: (401, _("The request's signature does not verify.")),
    signing.CREATED: (401, _("The signature was created more than 5 minutes from now.")),
    signing.NONCE: (401, _("The signature carries no nonce.")),
    signing.REPLAY: (409, _("This request was received already (its nonce was seen).")),
    signing.CONTENT_DIGEST: (400, _("The body does not match its Content-Digest.")),
    proofs.BODY: (400, _("The body is not a delivery.")),
    proofs.FORWARD_RECORD: (400, _("The forward record is not the ledger entry's.")),
    proofs.CHECKPOINT: (400, _("The checkpoint is malformed.")),
    proofs.INCLUSION_PROOF: (400, _("The inclusion proof does not verify against the checkpoint.")),
    proofs.CHECKPOINT_SIGNATURE: (400, _("The checkpoint is not signed by the peer's key.")),
    "source": (400, _("The forward record does not come from the signing peer.")),
    "target": (404, _("The target forum is not on this instance.")),
    "phase": (409, _("The target forum's open cycle does not take issues now.")),
    "blocked": (403, _("A steward here blocked the sender's forum.")),
}

#: How long a nonce is kept: twice the time a signature is valid.
NONCE_TTL = timedelta(seconds=2 * signing.MAX_AGE_S)


class DeliveryRefused(ServiceError):
    """A delivery refused by one of the inbox's checks; ``check`` names it."""

    def __init__(self, check: str, detail: str = "") -> None:
        status, message = CHECKS[check]
        super().__init__(f"{message} {detail}".strip())
        self.status = status
        self.check = check


@dataclass(frozen=True)
class Received:
    """The outcome: the issue here, and whether this request created it (201) or not (200)."""

    forward: Forward
    created: bool

    @property
    def issue_url(self) -> str:
        return public_url() + self.forward.target_issue.get_absolute_url()


def _peer_key(key_id: str) -> bytes | None:
    peer = pinned_peer_for_key_id(key_id)
    return None if peer is None else proofs.b64_key(peer.public_key)


def _nonce_seen(key_id: str, nonce: str) -> bool:
    return SeenNonce.objects.filter(key_id=key_id, nonce=nonce).exists()


def local_forum_for_url(url: str) -> Forum | None:
    """The forum of this instance whose page is at ``url`` (its public URL), or None."""
    base = public_url()
    if not isinstance(url, str) or not url.startswith(base + "/"):
        return None
    path = urlsplit(url).path
    try:
        match = resolve(path if path.endswith("/") else path + "/")
    except Resolver404:
        return None
    if match.view_name != "forums:detail":
        return None
    return Forum.objects.filter(slug=match.kwargs.get("slug", "")).first()


def forum_url_on(peer: Peer, slug: str) -> str:
    """The URL of a forum's page on a peer, as RemoteForum keeps it (no trailing slash)."""
    return normalize_url(f"{peer.url}/forums/{slug}/")


def _check_source(record: Mapping[str, Any], peer: Peer) -> dict[str, Any]:
    """The record's source: on the signing peer, in the forward record's format."""
    source = record.get("source")
    what = record.get("what")
    if record.get("format") != FORWARD_FORMAT or not isinstance(source, dict):
        raise DeliveryRefused(proofs.BODY, "format")
    if not isinstance(what, dict) or not str(what.get("title", "")).strip():
        raise DeliveryRefused(proofs.BODY, "what")
    if str(source.get("instance", "")).rstrip("/") != peer.url:
        raise DeliveryRefused("source")
    if not isinstance(source.get("forum"), str) or not isinstance(source.get("id"), int):
        raise DeliveryRefused(proofs.BODY, "source")
    # An issue or a published message (network's forward kinds); a message also names the
    # issue it is about, whose figures it carries.
    if source.get("kind", Forward.Kind.ISSUE) not in Forward.Kind.values:
        raise DeliveryRefused(proofs.BODY, "kind")
    return source


def verify(
    method: str, path: str, headers: Mapping[str, str], raw: bytes
) -> tuple[Peer, dict[str, Any], signing.Verified]:
    """Every check that needs no write, in order; the peer, the body and the signature."""
    try:
        verified = signing.verify_request(
            method, public_url() + path, headers, raw, _peer_key, nonce_seen=_nonce_seen
        )
    except signing.Refused as refused:
        raise DeliveryRefused(refused.check, refused.detail) from None
    peer = pinned_peer_for_key_id(verified.key_id)
    assert peer is not None  # the signature verified against its key
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise DeliveryRefused(proofs.BODY, "not JSON") from None
    try:
        doc = proofs.check_body(body, proofs.b64_key(peer.public_key))
    except signing.Refused as refused:
        raise DeliveryRefused(refused.check, refused.detail) from None
    _check_source(doc["forward"], peer)
    return peer, doc, verified


def _target(doc: Mapping[str, Any]) -> tuple[Forum, Any]:
    forum = local_forum_for_url(doc["to"])
    if forum is None:
        raise DeliveryRefused("target", doc["to"])
    try:
        cycle = open_cycle_of(forum)
        require_phase(cycle, "receive_forward")
    except ServiceError:
        raise DeliveryRefused("phase") from None
    return forum, cycle


def _require_not_blocked(peer: Peer, source: Mapping[str, Any], target: Forum) -> None:
    if is_blocked(forum_url_on(peer, source["forum"]), target):
        raise DeliveryRefused("blocked", str(source.get("forum_name") or source["forum"]))


def _existing(peer: Peer, source: Mapping[str, Any], target: Forum) -> Forward | None:
    return (
        Forward.objects.select_related("target_issue", "target_forum")
        .filter(
            source_instance=peer.url,
            source_forum=source["forum"],
            source_kind=source.get("kind") or Forward.Kind.ISSUE,
            source_id=source["id"],
            target_forum=target,
        )
        .first()
    )


def _forward_from(record: Mapping[str, Any], peer: Peer, target: Forum) -> Forward:
    """The local forward record of a received one (its values, as the sender froze them)."""
    source, what = record["source"], record["what"]
    figures, by = record.get("figures") or {}, record.get("by") or {}
    support = figures.get("balanced_support")
    published = figures.get("published_at")
    return Forward(
        source_instance=peer.url, source_forum=source["forum"][:60],
        source_forum_name=str(source.get("forum_name") or source["forum"])[:160],
        source_level=str(source.get("level") or "")[:12],
        source_country=str(source.get("country") or "")[:2],
        source_region=str(source.get("region") or "")[:20],
        source_kind=source.get("kind") or Forward.Kind.ISSUE, source_id=source["id"],
        source_issue_id=source.get("issue_id"), source_cycle=str(source.get("cycle") or "")[:60],
        title=" ".join(str(what["title"]).split())[:200],
        description=str(what.get("description") or "")[:20_000],
        topics=[str(t)[:60] for t in what.get("topics") or []][:20],
        language=str(what.get("language") or "en")[:8],
        publication_number=figures.get("publication_number"),
        published_at=parse_datetime(published) if isinstance(published, str) else None,
        agenda_rank=figures.get("agenda_rank"),
        balanced_support=None if support is None else float(support),
        breadth=figures.get("breadth"),
        supports_by_group=dict(figures.get("supports_by_group") or {}),
        origins=list(record.get("origins") or []),
        forwarded_by=str(by.get("public_id") or "")[:16],
        forwarded_by_name=str(by.get("name") or "")[:160],
        forwarded_at=parse_datetime(str(record.get("at"))) or timezone.now(),
        target_forum=target,
    )  # fmt: skip


def receive(method: str, path: str, headers: Mapping[str, str], raw: bytes) -> Received:
    """Receive a delivery: verify everything, then create the issue once (docs/federation.md).

    The same forward arriving again (a retry, with a new nonce) answers the issue it made;
    a replayed request (a nonce seen before) is refused 409. Race-safe: the nonce and the
    forward are unique in the database, so two concurrent copies make one issue.
    """
    peer, doc, verified = verify(method, path, headers, raw)
    record = doc["forward"]
    target, cycle = _target(doc)
    _require_not_blocked(peer, record["source"], target)
    try:
        forward_in = _forward_from(record, peer, target)
    except (TypeError, ValueError, KeyError):
        raise DeliveryRefused(proofs.BODY, "record") from None
    SeenNonce.objects.filter(seen_at__lt=timezone.now() - NONCE_TTL).delete()
    try:
        with transaction.atomic():
            SeenNonce.objects.create(key_id=verified.key_id, nonce=verified.nonce)
            existing = _existing(peer, record["source"], target)
            if existing is not None:
                return Received(existing, created=False)
            forward = _create(peer, doc, forward_in, target, cycle)
    except IntegrityError:
        existing = _existing(peer, record["source"], target)
        if existing is None:  # the nonce was taken by a concurrent copy of this request
            raise DeliveryRefused(signing.REPLAY) from None
        return Received(existing, created=False)
    _notify(forward)
    return Received(forward, created=True)


def _create(
    peer: Peer, doc: Mapping[str, Any], forward: Forward, target: Forum, cycle: Any
) -> Forward:
    record_remote_child(
        peer, url=forum_url_on(peer, forward.source_forum), slug=forward.source_forum,
        level=forward.source_level, name=forward.source_forum_name, target=target,
    )  # fmt: skip
    author = peer_membership(peer, target, forward.source_country, forward.source_region)
    now = timezone.now()
    issue = create_forwarded_issue(
        cycle, author, forward.title, forward.description, forward.language, forward.topics, now
    )
    forward.target_issue = issue
    forward.created_issue_id = issue.pk
    with transaction.atomic():  # a concurrent copy saving first raises IntegrityError here
        forward.save()
    entry_hash = proofs.leaf_hash_hex(doc["entry"])
    ReceivedDelivery.objects.create(
        peer=peer, delivery=doc["delivery"], forward=forward, source_seq=doc["entry"]["seq"],
        source_entry_hash=entry_hash,
        checkpoint_tree_size=doc["checkpoint"]["tree_size"],
        checkpoint_root_hash=doc["checkpoint"]["root_hash"],
    )  # fmt: skip
    append(issue_raised(issue, author, list(forward.topics), now))
    append(issue_received_remote(forward, doc["delivery"], doc["entry"], entry_hash,
                                 doc["checkpoint"]))  # fmt: skip
    return forward


def _notify(forward: Forward) -> None:
    """The target's stewards follow the new issue and are told where it came from."""
    issue = forward.target_issue

    def text() -> str:  # in each steward's language
        return _("%(source)s (on %(instance)s) forwarded “%(title)s” to %(target)s.") % {
            "source": forward.source_forum_name, "instance": forward.source_instance,
            "title": forward.title[:120], "target": forward.target_forum.name,
        }  # fmt: skip

    with transaction.atomic():
        stewards = Membership.objects.filter(
            forum=forward.target_forum, role=Membership.Role.STEWARD,
            status=Membership.Status.ACTIVE,
        )  # fmt: skip
        for steward in stewards:
            follow(steward, issue)
        notify_followers(issue, issue.author, kind="forward", object_id=forward.pk, text=text)
