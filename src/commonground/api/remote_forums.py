"""Forums on other instances that forward to a forum here (docs/federation.md, "Blocking"):
list them and, as a steward of the forum, block or unblock one."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Router, Schema
from pydantic import Field

from commonground.access.lookup import get_forum
from commonground.api.auth import AUTH, ApiRequest
from commonground.api.schemas import WRITE_ERRORS, InputSchema, errors
from commonground.federation.lookup import get_remote_child
from commonground.federation.models import RemoteChild
from commonground.federation.remote import remote_children_of, set_blocked

router = Router(tags=["federation"])


class RemoteChildOut(Schema):
    id: int
    url: str = Field(description="The forum's page on its own instance.")
    slug: str
    name: str
    level: str
    peer: str = Field(description="The base URL of the instance it is on (a pinned peer).")
    blocked: bool = Field(description="A blocked forum's deliveries to this forum are a 403.")
    blocked_at: datetime | None
    first_seen_at: datetime


class RemoteBlockIn(InputSchema):
    blocked: bool = Field(description="true blocks the forum's deliveries here; false lifts it.")


def remote_child_out(child: RemoteChild) -> dict[str, Any]:
    remote = child.remote
    return {
        "id": child.pk, "url": remote.url, "slug": remote.slug, "name": remote.name,
        "level": remote.level, "peer": remote.peer.url, "blocked": child.blocked,
        "blocked_at": child.blocked_at, "first_seen_at": child.first_seen_at,
    }  # fmt: skip


@router.get(
    "/forums/{slug}/remote-children",
    response={200: list[RemoteChildOut], **errors(404)},
    summary="Forums on other instances that forwarded to this forum",
)
def list_remote_children(request: ApiRequest, slug: str) -> list[dict[str, Any]]:
    """Every forum on a peer that delivered a forward to this forum, blocked ones included."""
    return [remote_child_out(c) for c in remote_children_of(get_forum(slug))]


@router.post(
    "/forums/{slug}/remote-children/{child_id}/block",
    auth=AUTH,
    response={200: RemoteChildOut, **errors(*WRITE_ERRORS)},
    summary="Block or unblock a forum on another instance (stewards)",
)
def block_remote_child(
    request: ApiRequest, slug: str, child_id: int, payload: RemoteBlockIn
) -> dict[str, Any]:
    """A steward of this forum blocks (``blocked: true``) a forum on another instance: its
    deliveries to this forum are refused with 403 from then on; ``false`` lifts the block.
    Asking for the state it is in changes nothing. 403 for anyone but a steward."""
    child = get_remote_child(get_forum(slug), child_id)
    return remote_child_out(set_blocked(request.auth, child, payload.blocked))
