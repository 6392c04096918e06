"""The federation's tables: one module per kind, re-exported here."""

from commonground.federation.models.deliveries import Delivery, ReceivedDelivery, SeenNonce
from commonground.federation.models.peers import Peer, RemoteChild, RemoteForum, RemoteParent

__all__ = [
    "Delivery",
    "Peer",
    "ReceivedDelivery",
    "RemoteChild",
    "RemoteForum",
    "RemoteParent",
    "SeenNonce",
]
