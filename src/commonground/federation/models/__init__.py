"""The federation's tables: one module per kind, re-exported here."""

from commonground.federation.models.peers import Peer, RemoteChild, RemoteForum, RemoteParent

__all__ = ["Peer", "RemoteChild", "RemoteForum", "RemoteParent"]
