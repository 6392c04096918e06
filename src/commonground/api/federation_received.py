"""``GET /api/v1/federation/received?from=URL``: the forwards this instance received from
another instance, for that instance's ``commonground federation audit`` (docs/federation.md)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from ninja import Query, Router, Schema
from pydantic import Field

from commonground.api.auth import ApiRequest
from commonground.api.schemas import errors
from commonground.federation.audit import PAGE_SIZE, received_from, received_item
from commonground.federation.identity import public_url

router = Router(tags=["federation"])


class ReceivedFilter(Schema):
    from_: str = Field(
        ..., alias="from", max_length=300, description="The sending instance's base URL."
    )
    page: int = Field(1, ge=1, le=1_000_000, description="From 1; 100 forwards a page.")


class ReceivedForwardOut(Schema):
    delivery: str = Field(description="The sender's delivery id.")
    source_seq: int = Field(description="The seq of the sender's ledger entry of the forward.")
    source_entry_hash: str = Field(description="That entry's leaf hash (hex SHA-256).")
    checkpoint_tree_size: int = Field(description="The sender's checkpoint the proof was to.")
    checkpoint_root_hash: str
    issue_id: int | None = Field(description="The issue it created here.")
    issue_url: str | None
    received_at: datetime


class ReceivedPageOut(Schema):
    sender: str = Field(alias="from", description="The sending instance, as asked.")
    count: int = Field(description="Forwards received from it, on every page.")
    page: int
    next: str | None = Field(description="The URL of the next page, or null on the last.")
    results: list[ReceivedForwardOut]


@router.get(
    "/federation/received",
    response={200: ReceivedPageOut, **errors(422)},
    by_alias=True,
    summary="Forwards received from another instance (for its audit)",
)
def received(request: ApiRequest, filters: Query[ReceivedFilter]) -> dict[str, Any]:
    """Public: every forward delivered here by the instance at ``from``, oldest first, with
    the sender's ledger entry (seq and leaf hash) and the checkpoint its proof was checked
    against. An instance that sent nothing has an empty list."""
    rows = received_from(filters.from_)
    count = rows.count()
    start = (filters.page - 1) * PAGE_SIZE
    items = [received_item(row) for row in rows[start : start + PAGE_SIZE]]
    following = None
    if start + PAGE_SIZE < count:
        query = urlencode({"from": filters.from_, "page": filters.page + 1})
        following = f"{public_url()}/api/v1/federation/received?{query}"
    return {"from": filters.from_, "count": count, "page": filters.page, "next": following,
            "results": items}  # fmt: skip
