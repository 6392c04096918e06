"""Finding peers and their forums (for the inbox, the forward and the pages)."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.utils.translation import gettext as _

from commonground.core.errors import NotFound
from commonground.federation.models import Peer, RemoteChild, RemoteForum
from commonground.forums.models import Forum


def normalize_url(url: str) -> str:
    """A base URL as peers are stored: scheme and host in lower case, no trailing slash.

    ValueError when it is not an http(s) URL with a host and nothing after the path.
    """
    text = (url or "").strip()
    parts = urlsplit(text)
    if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
        raise ValueError("not an http(s) URL")
    if parts.query or parts.fragment or parts.username or parts.password:
        raise ValueError("a base URL has no query, fragment or credentials")
    netloc = parts.netloc.lower()
    return f"{parts.scheme.lower()}://{netloc}{parts.path}".rstrip("/")


def peer_for_url(url: str) -> Peer | None:
    """The pinned peer whose base URL ``url`` is or starts with (a forum's page on it)."""
    try:
        wanted = normalize_url(url)
    except ValueError:
        return None
    for peer in Peer.objects.all():
        if wanted == peer.url or wanted.startswith(peer.url + "/"):
            return peer
    return None


def pinned_peer_for_key_id(key_id: str) -> Peer | None:
    """The peer whose pinned key has this id (RFC 9421 ``keyid``), or None if none has."""
    if not key_id:
        return None
    return Peer.objects.filter(key_id=key_id).first()


def remote_forum_for_url(url: str) -> RemoteForum | None:
    """The known forum on another instance at ``url`` (its page's URL), or None."""
    try:
        wanted = normalize_url(url)
    except ValueError:
        return None
    return RemoteForum.objects.select_related("peer").filter(url=wanted).first()


def get_remote_child(forum: Forum, pk: int) -> RemoteChild:
    """The forum on another instance that forwarded to ``forum``, by id; NotFound (404)."""
    child = (
        RemoteChild.objects.select_related("remote__peer", "target")
        .filter(target=forum, pk=pk)
        .first()
    )
    if child is None:
        raise NotFound(_("No such forum on another instance forwards to this forum."))
    return child
