"""Federation routes (docs/federation.md): the inbox of signed deliveries from peers, and
the state of this instance's own deliveries."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from commonground.access.members import require_steward
from commonground.api.auth import AUTH, ApiRequest
from commonground.api.schemas import errors
from commonground.core.errors import NotFound
from commonground.federation.inbox import DeliveryRefused, receive
from commonground.federation.models import Delivery

router = Router(tags=["federation"])


class InboxOut(Schema):
    issue_id: int = Field(description="The issue the forward made here.")
    url: str = Field(description="The issue's public URL on this instance.")


class InboxRefusedOut(Schema):
    """A refused delivery: which check failed (docs/federation.md, "The checks")."""

    detail: str
    check: str = Field(
        description="unsigned, unknown_peer, signature, created, nonce (401); replay, phase "
        "(409); content_digest, body, forward_record, checkpoint, inclusion_proof, "
        "checkpoint_signature, source (400); target (404); blocked (403)."
    )


class DeliveryOut(Schema):
    delivery_id: str
    state: Literal["queued", "delivered", "failed"]
    attempts: int = Field(description="Attempts made so far.")
    last_error: str = Field(description="Why the last attempt failed (status and detail).")
    remote_issue_url: str = Field(description="The issue on the peer, once delivered.")
    target_url: str = Field(description="The forum on the peer it goes to.")
    next_attempt_at: str | None = Field(description="When a queued delivery is tried again.")


REFUSALS = dict.fromkeys((400, 401, 403, 404, 409), InboxRefusedOut)


@router.post(
    "/federation/inbox",
    auth=None,
    response={201: InboxOut, 200: InboxOut, **REFUSALS},
    summary="Receive a forward signed by a peer (RFC 9421)",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"type": "object"}}},
        }
    },
)
def inbox(request: HttpRequest) -> Status[dict[str, Any]]:
    """A peer delivers a forward: the body (``commonground-delivery/v1``) carries the
    forward record, the sender's ledger entry, its inclusion proof and signed checkpoint;
    the request is signed per RFC 9421 over @method, @target-uri, content-digest and
    content-type with created, keyid and nonce. Checked before anything is written, in
    order: signature and pinned key (401), created within 5 minutes (401), nonce not seen
    (409), content digest and the ledger proofs (400), target forum here (404) and its
    cycle taking issues (409), the sender's forum not blocked (403). 201 with the new
    issue; the same forward again answers 200 with the same issue.
    """
    try:
        received = receive(request.method or "POST", request.get_full_path(), request.headers,
                           request.body)  # fmt: skip
    except DeliveryRefused as refused:
        return Status(refused.status, {"detail": str(refused), "check": refused.check})
    body = {"issue_id": received.forward.target_issue_id, "url": received.issue_url}
    return Status(201 if received.created else 200, body)


def delivery_out(delivery: Delivery) -> dict[str, Any]:
    queued = delivery.state == Delivery.State.QUEUED
    return {
        "delivery_id": delivery.public_id,
        "state": delivery.state,
        "attempts": delivery.attempts,
        "last_error": delivery.last_error,
        "remote_issue_url": delivery.remote_issue_url,
        "target_url": delivery.target_url,
        "next_attempt_at": delivery.next_attempt_at.isoformat() if queued else None,
    }


@router.get(
    "/deliveries/{delivery_id}",
    auth=AUTH,
    response={200: DeliveryOut, **errors(401, 403, 404)},
    summary="The state of a forward to another instance",
)
def delivery(request: ApiRequest, delivery_id: str) -> dict[str, Any]:
    """A steward of the issue's forum reads a delivery: ``queued`` (with the attempts so
    far, the last error and the next attempt), ``delivered`` (with the issue on the peer)
    or ``failed`` (after a 4xx or the last attempt, with the reason)."""
    row = Delivery.objects.select_related("issue__forum").filter(public_id=delivery_id).first()
    if row is None:
        raise NotFound(_("No delivery %(id)s.") % {"id": delivery_id[:40]})
    require_steward(request.auth, row.issue.forum)
    return delivery_out(row)
