"""The ledger actions of federation (docs/federation.md): peers pinned, re-pinned and
removed by the operator, remote parents named, and forums on other instances blocked.

Peering is the operator's act (the CLI): ``actor`` is None and the entry names no forum.
"""

from __future__ import annotations

from enum import StrEnum

from commonground.federation.models import Peer, RemoteChild, RemoteParent
from commonground.ledger.services import Event
from commonground.ledger.vocabulary import builds, event


class Action(StrEnum):
    PEER_ADD = "peer.add"
    PEER_REPIN = "peer.repin"
    PEER_REMOVE = "peer.remove"
    FORUM_REMOTE_PARENT = "forum.remote_parent"
    REMOTE_FORUM_BLOCK = "remote_forum.block"
    REMOTE_FORUM_UNBLOCK = "remote_forum.unblock"


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
