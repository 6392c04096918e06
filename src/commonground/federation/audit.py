"""``commonground federation audit URL`` (docs/federation.md, "Audit"): every forward a peer
says it received from this instance is checked against this instance's ledger, and every
forward this instance delivered there must be in the peer's list.

The peer publishes what it received at ``GET /api/v1/federation/received?from=<this
instance's URL>``: per delivery, the sequence number and leaf hash of the source's ledger
entry it was sent with, and the checkpoint whose inclusion proof it checked.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from commonground.core.errors import Conflict, NotFound
from commonground.federation.events import Action
from commonground.federation.fetch import get_json
from commonground.federation.identity import public_url
from commonground.federation.lookup import normalize_url
from commonground.federation.models import Delivery, Peer, ReceivedDelivery
from commonground.ledger.merkle import verify_inclusion
from commonground.ledger.models import LedgerEntry
from commonground.ledger.services import inclusion, ledger_size

#: Received forwards per page of ``/api/v1/federation/received``.
PAGE_SIZE = 100
#: The most pages the audit reads from a peer (100 000 forwards).
MAX_PAGES = 1000


def received_from(url: str) -> QuerySet[ReceivedDelivery]:
    """The forwards this instance received from the peer at ``url``, oldest first."""
    try:
        wanted = normalize_url(url)
    except ValueError:
        return ReceivedDelivery.objects.none()
    rows = ReceivedDelivery.objects.filter(peer__url=wanted)
    return rows.select_related("forward__target_issue").order_by("received_at", "id")


def received_item(row: ReceivedDelivery) -> dict[str, Any]:
    """One received forward as the public list shows it."""
    issue = row.forward.target_issue
    issue_id = issue.pk if issue is not None else None
    return {
        "delivery": row.delivery,
        "source_seq": row.source_seq,
        "source_entry_hash": row.source_entry_hash,
        "checkpoint_tree_size": row.checkpoint_tree_size,
        "checkpoint_root_hash": row.checkpoint_root_hash,
        "issue_id": issue_id,
        "issue_url": public_url() + issue.get_absolute_url() if issue is not None else None,
        "received_at": row.received_at,
    }


@dataclass(frozen=True)
class Finding:
    """One line of the audit's table."""

    direction: str  # "received" (the peer's list) or "sent" (this instance's deliveries)
    delivery: str
    seq: int | None
    result: str  # "ok" or what is wrong

    @property
    def ok(self) -> bool:
        return self.result == "ok"


def _pages(peer: Peer) -> Iterator[dict[str, Any]]:
    """Every item of the peer's list of forwards received from this instance."""
    query = urlencode({"from": public_url()})
    url: str | None = f"{peer.url}/api/v1/federation/received?{query}"
    for _page in range(MAX_PAGES):
        if url is None:
            return
        data = get_json(url)
        items = data.get("results") if isinstance(data, dict) else None
        if not isinstance(items, list):
            raise Conflict(_("%(url)s did not answer a list of received forwards") % {"url": url})
        yield from (item for item in items if isinstance(item, dict))
        following = data.get("next")
        url = following if isinstance(following, str) and following else None


def _check_received(item: dict[str, Any], size: int) -> str:
    """ "ok", or why the peer's record of a forward does not match this instance's ledger."""
    seq, leaf = item.get("source_seq"), item.get("source_entry_hash")
    tree_size, root = item.get("checkpoint_tree_size"), item.get("checkpoint_root_hash")
    if not isinstance(seq, int) or not isinstance(leaf, str):
        return _("the record names no entry")
    entry = LedgerEntry.objects.filter(seq=seq).first()
    if entry is None:
        return _("no entry %(seq)s in this ledger") % {"seq": seq}
    if entry.leaf_hash != leaf:
        return _("entry %(seq)s has another hash here") % {"seq": seq}
    if entry.action != Action.ISSUE_FORWARD_REMOTE or entry.object_id != item.get("delivery"):
        return _("entry %(seq)s is not the forward of this delivery") % {"seq": seq}
    if not isinstance(tree_size, int) or not isinstance(root, str) or not seq <= tree_size <= size:
        return _("the checkpoint it names is not in this ledger")
    proof = inclusion(seq, tree_size)
    try:
        valid = verify_inclusion(
            bytes.fromhex(leaf), seq - 1, tree_size,
            [bytes.fromhex(h) for h in proof["audit_path"]], bytes.fromhex(root),
        )  # fmt: skip
    except ValueError:
        valid = False
    if not valid:
        return _("the inclusion proof does not verify against its checkpoint")
    return "ok"


def audit(url: str) -> list[Finding]:
    """Check a pinned peer's list of forwards received from here, both ways."""
    try:
        base = normalize_url(url)
    except ValueError:
        raise NotFound(_("%(url)s is not a peer") % {"url": url}) from None
    peer = Peer.objects.filter(url=base).first()
    if peer is None:
        raise NotFound(_("%(url)s is not a peer") % {"url": base})
    size = ledger_size()
    findings: list[Finding] = []
    listed: dict[str, dict[str, Any]] = {}
    for item in _pages(peer):
        delivery = str(item.get("delivery", ""))
        listed[delivery] = item
        seq = item.get("source_seq") if isinstance(item.get("source_seq"), int) else None
        findings.append(Finding("received", delivery, seq, _check_received(item, size)))
    delivered = Delivery.objects.filter(peer=peer, state=Delivery.State.DELIVERED)
    for sent in delivered.order_by("created_at", "id"):
        entry = LedgerEntry.objects.filter(
            action=Action.ISSUE_FORWARD_REMOTE, object_type="delivery", object_id=sent.public_id
        ).first()
        seq = entry.seq if entry is not None else None
        item = listed.get(sent.public_id)
        if item is None:
            result = _("delivered, but not in the peer's list")
        elif entry is None or item.get("source_entry_hash") != entry.leaf_hash:
            result = _("the peer cites another entry than this ledger's")
        else:
            result = "ok"
        findings.append(Finding("sent", sent.public_id, seq, result))
    return findings
