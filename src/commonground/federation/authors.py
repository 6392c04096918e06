"""Who authors an issue forwarded from another instance: the peer itself.

An issue here needs an author among the forum's members. A forward from another instance
has none: its steward has no account here. Each peer gets one local account, named after
the peer, whose membership in a target forum is suspended (it can do nothing here, and
counts in no participation figure); the issue's provenance names the forwarding steward.
The membership is public (participants.csv), so its making is in the ledger: a
``membership.join`` and a ``membership.suspend`` by the system (no actor).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.utils.translation import gettext as _

from commonground.contributions.events import suspended
from commonground.federation.models import Peer
from commonground.forums.events import member_joined
from commonground.forums.models import Forum
from commonground.ledger.services import append
from commonground.participants.models import Membership, User
from commonground.stakeholders import region_of


def peer_account(peer: Peer) -> User:
    """The local account that stands for a peer (made on its first delivery)."""
    email = f"peer-{peer.key_id[:24]}@peers.invalid"
    user = User.objects.filter(email=email).first()
    if user is None:
        host = urlsplit(peer.url).netloc
        user = User(
            email=email, display_name=(peer.name or host)[:120],
            name_is_public=True,
        )  # fmt: skip
        user.set_unusable_password()
        user.save()
    return user


def peer_membership(peer: Peer, forum: Forum, country: str, region: str) -> Membership:
    """The peer account's membership in ``forum``: suspended, so it never acts or counts.

    Its country and region are those of the forum that forwarded first (its hat says
    intergovernmental: an instance speaks for a forum, not a stakeholder group).
    """
    user = peer_account(peer)
    membership = Membership.objects.filter(forum=forum, user=user).first()
    if membership is None:
        membership = Membership.objects.create(
            forum=forum, user=user, stakeholder_group="intergovernmental", country=country,
            region=region or region_of(country) or "",
            affiliation=_("Common Ground instance %(url)s") % {"url": peer.url},
            status=Membership.Status.SUSPENDED,
        )  # fmt: skip
        append(member_joined(membership, membership.joined_at))
        append(suspended(membership, None, "an instance's account: it never acts or counts"))
    return membership
