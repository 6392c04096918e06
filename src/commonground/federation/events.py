"""The ledger actions of federation (docs/federation.md): peers pinned, re-pinned and
removed by the operator, remote parents named, forums on other instances blocked, and
forwards sent to and received from other instances.

Peering is the operator's act (the CLI): ``actor`` is None and the entry names no forum.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from commonground.federation.models import Peer, RemoteChild, RemoteParent
from commonground.ledger.services import Event
from commonground.ledger.vocabulary import builds, event
from commonground.network.models import Forward


class Action(StrEnum):
    PEER_ADD = "peer.add"
    PEER_REPIN = "peer.repin"
    PEER_REMOVE = "peer.remove"
    FORUM_REMOTE_PARENT = "forum.remote_parent"
    REMOTE_FORUM_BLOCK = "remote_forum.block"
    REMOTE_FORUM_UNBLOCK = "remote_forum.unblock"
    ISSUE_FORWARD_REMOTE = "issue.forward_remote"
    ISSUE_RECEIVE_REMOTE = "issue.receive_remote"


@builds(Action.PEER_ADD, object_type="peer", fields=("url", "name", "key_id"))
def peer_added(peer: Peer) -> Event:
    """The operator pinned another instance's key (peering)."""
    return event(
        Action.PEER_ADD, "peer", peer.url, time=peer.pinned_at,
        fields={"url": peer.url, "name": peer.name, "key_id": peer.key_id},
    )  # fmt: skip


@builds(Action.PEER_REPIN, object_type="peer", fields=("url", "key_id", "previous_key_id"))
def peer_repinned(peer: Peer, previous_key_id: str) -> Event:
    """The operator pinned a peer's new key in place of the old one (``--replace``)."""
    return event(
        Action.PEER_REPIN, "peer", peer.url, time=peer.pinned_at,
        fields={"url": peer.url, "key_id": peer.key_id, "previous_key_id": previous_key_id},
    )  # fmt: skip


@builds(Action.PEER_REMOVE, object_type="peer", fields=("url", "key_id"))
def peer_removed(url: str, key_id: str) -> Event:
    """The operator removed a peer: its key is no longer trusted."""
    return event(Action.PEER_REMOVE, "peer", url, fields={"url": url, "key_id": key_id})


@builds(Action.FORUM_REMOTE_PARENT, object_type="forum", fields=("parent_url", "peer"))
def remote_parent_named(link: RemoteParent, actor: str | None) -> Event:
    """A forum's parent is a forum on another instance (a pinned peer)."""
    return event(
        Action.FORUM_REMOTE_PARENT, "forum", link.forum.slug, actor=actor,
        forum=link.forum.slug, time=link.linked_at,
        fields={"parent_url": link.remote.url, "peer": link.remote.peer.url},
    )  # fmt: skip


@builds(Action.REMOTE_FORUM_BLOCK, object_type="remote_forum", fields=("url", "peer"))
def remote_forum_blocked(child: RemoteChild, actor: str | None) -> Event:
    """A steward blocked a forum on another instance: its deliveries here are refused."""
    return event(
        Action.REMOTE_FORUM_BLOCK, "remote_forum", child.remote.url, actor=actor,
        forum=child.target.slug, time=child.blocked_at,
        fields={"url": child.remote.url, "peer": child.remote.peer.url},
    )  # fmt: skip


@builds(Action.REMOTE_FORUM_UNBLOCK, object_type="remote_forum", fields=("url", "peer"))
def remote_forum_unblocked(child: RemoteChild, actor: str | None) -> Event:
    """A steward lifted the block of a forum on another instance."""
    return event(
        Action.REMOTE_FORUM_UNBLOCK, "remote_forum", child.remote.url, actor=actor,
        forum=child.target.slug,
        fields={"url": child.remote.url, "peer": child.remote.peer.url},
    )  # fmt: skip


#: The forward record's keys (network's ``Forward.payload``), then the delivery's id.
REMOTE_FIELDS = ("format", "source", "what", "figures", "origins", "by", "at", "to", "delivery")


@builds(Action.ISSUE_FORWARD_REMOTE, object_type="delivery", fields=REMOTE_FIELDS)
def issue_forwarded_remote(delivery_id: str, record: Mapping[str, Any], actor: str) -> Event:
    """A steward forwarded an issue to a forum on another instance (the record it carries)."""
    return event(
        Action.ISSUE_FORWARD_REMOTE, "delivery", delivery_id, actor=actor,
        forum=record["source"]["forum"], fields={**record, "delivery": delivery_id},
    )  # fmt: skip


@builds(
    Action.ISSUE_RECEIVE_REMOTE,
    object_type="forward",
    fields=(
        "peer", "delivery", "source_seq", "source_entry_hash", "checkpoint_tree_size",
        "checkpoint_root_hash", "source", "what", "figures", "origins", "by", "at", "to",
        "issue_id",
    ),
)  # fmt: skip
def issue_received_remote(
    forward: Forward, delivery: str, entry: Mapping[str, Any], entry_hash: str,
    checkpoint: Mapping[str, Any],
) -> Event:  # fmt: skip
    """A forward from a forum on a peer instance was verified and made an issue here; it
    cites the sender's ledger entry by its leaf hash and the checkpoint that included it,
    and carries the record as kept here (forwards.csv is its fold; entries written before
    ``what`` to ``at`` were added carry the source only)."""
    record = forward.payload()
    return event(
        Action.ISSUE_RECEIVE_REMOTE, "forward", forward.pk, actor=None,
        forum=forward.target_forum.slug, time=forward.forwarded_at,
        fields={
            "peer": forward.source_instance, "delivery": delivery,
            "source_seq": entry["seq"], "source_entry_hash": entry_hash,
            "checkpoint_tree_size": checkpoint["tree_size"],
            "checkpoint_root_hash": checkpoint["root_hash"],
            **{k: record[k] for k in ("source", "what", "figures", "origins", "by", "at")},
            "to": forward.target_forum.slug,
            "issue_id": forward.created_issue_id,
        },
    )  # fmt: skip
