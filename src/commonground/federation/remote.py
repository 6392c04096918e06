"""Forums on other instances (docs/federation.md, "Remote parents" and "Blocking").

A local forum may name as its parent a forum on a pinned peer, one that the peer's
well-known document lists. On the receiving side, a forum on another instance that
forwarded issues to a local forum is its child there; a steward of the local forum may
block it, and the inbox then refuses its deliveries (403).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commonground.access.members import AnyUser, require_run_forum, require_steward, require_user
from commonground.core.errors import Conflict, InvalidInput
from commonground.federation import events
from commonground.federation.lookup import normalize_url, peer_for_url
from commonground.federation.models import Peer, RemoteChild, RemoteForum, RemoteParent
from commonground.federation.peering import fetch_document
from commonground.forums.models import Forum
from commonground.forums.services import PARENT_LEVELS, create_forum
from commonground.ledger.services import append


def _actor_id(actor: AnyUser | None) -> str | None:
    return require_user(actor).public_id if actor is not None else None


def find_remote_forum(url: str) -> tuple[Peer, dict[str, str]]:
    """The pinned peer a forum URL belongs to and the forum as its well-known lists it.

    Refused (409) when the URL is on no pinned peer, when the peer's key changed since it
    was pinned, or when the peer does not list a forum at that URL.
    """
    try:
        wanted = normalize_url(url)
    except ValueError:
        raise InvalidInput(_("%(url)s is not an http(s) URL") % {"url": url}) from None
    peer = peer_for_url(wanted)
    if peer is None:
        raise Conflict(
            _("%(url)s is on no pinned peer: pin its instance first (commonground peer add)")
            % {"url": url}
        )
    doc = fetch_document(peer.url)
    if doc.key_id != peer.key_id:
        raise Conflict(
            _("the key of %(peer)s changed since it was pinned: re-pin it first")
            % {"peer": peer.url}
        )
    for forum in doc.forums:
        try:
            if normalize_url(forum["url"]) == wanted:
                return peer, forum
        except ValueError:
            continue
    raise Conflict(_("%(peer)s lists no forum at %(url)s") % {"peer": peer.url, "url": url})


def remember_forum(peer: Peer, *, url: str, slug: str, level: str, name: str = "") -> RemoteForum:
    """The row of a forum on ``peer`` (created, or brought up to date)."""
    remote, created = RemoteForum.objects.get_or_create(
        url=normalize_url(url),
        defaults={"peer": peer, "slug": slug[:60], "level": level[:12], "name": name[:160]},
    )
    if not created:
        changed = {"peer": peer, "slug": slug[:60], "level": level[:12]}
        if name:
            changed["name"] = name[:160]
        if any(getattr(remote, k) != v for k, v in changed.items()):
            for k, v in changed.items():
                setattr(remote, k, v)
            remote.save()
    return remote


def create_forum_under_remote_parent(
    actor: AnyUser | None,
    *,
    slug: str,
    name: str,
    level: str,
    parent_url: str,
    country: str = "",
    region: str = "",
    description: str = "",
) -> Forum:
    """Create a forum whose parent is a forum on a pinned peer (a superuser, or the operator
    with ``actor`` None): two ledger entries, ``forum.create`` and ``forum.remote_parent``."""
    if actor is not None:
        require_run_forum(actor, None)  # nobody here stewards the remote parent
    peer, listed = find_remote_forum(parent_url)
    if listed["level"] not in PARENT_LEVELS.get(level, set()):
        raise Conflict(
            _("A %(level)s forum cannot sit under a %(parent)s forum.")
            % {"level": level, "parent": listed["level"]}
        )
    with transaction.atomic():
        forum = create_forum(
            actor, slug=slug, name=name, level=level, country=country, region=region,
            description=description,
        )  # fmt: skip
        remote = remember_forum(
            peer, url=listed["url"], slug=listed["slug"], level=listed["level"],
            name=str(listed.get("name") or ""),
        )  # fmt: skip
        link = RemoteParent.objects.create(forum=forum, remote=remote)
        append(events.remote_parent_named(link, _actor_id(actor)))
    return forum


def remote_parent_of(forum: Forum) -> RemoteForum | None:
    """The forum on another instance that is ``forum``'s parent, if any."""
    link = RemoteParent.objects.select_related("remote__peer").filter(forum=forum).first()
    return link.remote if link is not None else None


def record_remote_child(
    peer: Peer, *, url: str, slug: str, level: str, name: str, target: Forum
) -> RemoteChild:
    """Note that the forum at ``url`` on ``peer`` forwards to ``target`` (the inbox calls
    this in its transaction, after its checks; its own ledger entry records the delivery)."""
    remote = remember_forum(peer, url=url, slug=slug, level=level, name=name)
    child, _created = RemoteChild.objects.get_or_create(remote=remote, target=target)
    return child


def is_blocked(url: str, target: Forum) -> bool:
    """Whether a steward of ``target`` blocked the forum at ``url`` (its deliveries: 403)."""
    try:
        wanted = normalize_url(url)
    except ValueError:
        return False
    return RemoteChild.objects.filter(remote__url=wanted, target=target, blocked=True).exists()


def remote_children_of(forum: Forum) -> list[RemoteChild]:
    """The forums on other instances that forwarded to ``forum``, blocked ones included."""
    return list(RemoteChild.objects.filter(target=forum).select_related("remote__peer"))


def set_blocked(actor: AnyUser, child: RemoteChild, blocked: bool) -> RemoteChild:
    """A steward of the target blocks (or unblocks) a forum on another instance; a block
    makes the inbox refuse that forum's deliveries to this forum with 403."""
    with transaction.atomic():
        steward = require_steward(actor, child.target)
        child = (
            RemoteChild.objects.select_for_update()
            .select_related("remote__peer", "target")
            .get(pk=child.pk)
        )
        if child.blocked == blocked:
            return child  # asked twice: nothing changes and nothing is recorded
        child.blocked = blocked
        child.blocked_at = timezone.now() if blocked else None
        child.blocked_by = steward.user if blocked else None
        child.save(update_fields=["blocked", "blocked_at", "blocked_by"])
        actor_id = steward.user.public_id
        if blocked:
            append(events.remote_forum_blocked(child, actor_id))
        else:
            append(events.remote_forum_unblocked(child, actor_id))
    return child
