"""Ledger routes: the latest signed checkpoint, the entries, and Merkle proofs.

Everything here is public: the ledger holds only public information and exists so
that anyone can audit it (docs/ledger.md). Proofs follow RFC 9162 and are computed
from the stored leaf hashes; hashes are lowercase hex.
"""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from commonground.api.schemas import MAX_ID, ErrorOut, errors
from commonground.core.errors import Conflict
from commonground.ledger import services
from commonground.ledger.services import LedgerDamaged
from commonground.ledger.witness import (
    receive_cosignature,
    receive_split_report,
    witnessed_report,
    witnesses_of,
)

router = Router(tags=["ledger"])

Hex = Field(..., pattern="^[0-9a-f]{64}$", description="SHA-256 hash, lowercase hex")


class WitnessOut(Schema):
    url: str = Field(..., description="The witness instance")
    key_id: str = Field(..., description="SHA-256 (hex) of the witness's raw Ed25519 public key")
    signature: str = Field(..., description="Its co-signature, base64 (docs/ledger.md, 12)")
    seen_at: str = Field(..., description="When the witness checked the checkpoint (as signed)")


class CheckpointOut(Schema):
    format: str = Field(..., description="Always commonground-checkpoint/v1")
    origin: str
    tree_size: int
    root_hash: str = Hex
    timestamp: str = Field(..., description="UTC ISO 8601 ending in Z, as signed")
    algorithm: str = Field(..., description="Always Ed25519")
    public_key: str = Field(..., description="Raw 32-byte Ed25519 public key, base64")
    signature: str = Field(..., description="Ed25519 signature of the signed body, base64")
    witnesses: list[WitnessOut] = Field(
        default_factory=list,
        description="Co-signatures of this checkpoint by witnesses (docs/ledger.md, section 12)",
    )


class CosignatureIn(Schema):
    url: str = Field(..., max_length=200, description="The witness's own address")
    public_key: str = Field(
        ..., pattern="^[A-Za-z0-9+/]{43}=$", description="The witness's raw Ed25519 key, base64"
    )
    tree_size: int = Field(..., ge=0, le=MAX_ID)
    root_hash: str = Hex
    seen_at: str = Field(..., max_length=32, description="When the witness checked it (as signed)")
    signature: str = Field(..., max_length=100, description="The co-signature, base64")


class SignedCheckpointIn(Schema):
    """A signed checkpoint as published (docs/ledger.md, section 5): its shape is declared
    here, so a malformed one is a 422; whether it carries this instance's signature depends
    on this instance's key, and a checkpoint that does not is refused with 403."""

    format: Literal["commonground-checkpoint/v1"] = "commonground-checkpoint/v1"
    origin: str = Field(..., min_length=1, max_length=253, pattern=r"^[^\x00-\x1f\x7f]+$")
    tree_size: int = Field(..., ge=0, le=MAX_ID)
    root_hash: str = Hex
    timestamp: str = Field(
        ...,
        pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?Z$",
        description="UTC ISO 8601 ending in Z, as signed",
    )
    algorithm: Literal["Ed25519"] = "Ed25519"
    public_key: str = Field(
        ..., pattern="^[A-Za-z0-9+/]{43}=$", description="Raw 32-byte Ed25519 key, base64"
    )
    signature: str = Field(
        ..., pattern="^[A-Za-z0-9+/]{86}==$", description="64-byte Ed25519 signature, base64"
    )


class SplitViewIn(Schema):
    url: str = Field("", max_length=200, description="The reporting witness's address")
    first: SignedCheckpointIn = Field(..., description="The checkpoint the witness saw first")
    second: SignedCheckpointIn = Field(..., description="The checkpoint that contradicts it")
    reason: str = Field("", max_length=300)


class Stored(Schema):
    stored: bool


class EntryObject(Schema):
    type: str
    id: str


class EntryOut(Schema):
    """An entry's canonical document plus its stored leaf hash."""

    seq: int
    time: str
    actor: str | None
    action: str
    object: EntryObject
    forum: str
    fields: dict[str, Any]
    leaf_hash: str = Hex


class EntriesOut(Schema):
    tree_size: int = Field(..., description="The ledger's size when the page was read")
    pending: int = Field(
        0,
        description="Entries committed but not yet in the tree (batched sequencing): they "
        "get their seq within max_merge_delay seconds, see GET /ledger/pending",
    )
    start: int
    end: int = Field(..., description="Last sequence number returned (start - 1 when none)")
    entries: list[EntryOut]


# Sequence numbers and tree sizes are 64-bit in the database: the schema says so, and the
# relations it cannot state (seq within the tree, first within second) answer 404 (no such
# entry or tree yet), while an empty range is an empty page (docs/api.md, "Ledger").
SEQ_MIN, SIZE_MIN = 1, 0  # both at most MAX_ID


class EntriesQuery(Schema):
    start: int = Field(
        1, ge=SEQ_MIN, le=MAX_ID, description="First sequence number (entries count from 1)"
    )
    end: int | None = Field(
        None,
        ge=SIZE_MIN,
        le=MAX_ID,
        description="Last sequence number, inclusive; a page holds at most 1000 entries (the "
        "default), so a longer range is cut and an empty one (end < start) is an empty page",
    )


class PendingEntryOut(Schema):
    """A committed entry waiting for its place in the tree: no seq or leaf hash yet."""

    pending_id: int = Field(..., description="Its order among pending entries")
    time: str
    actor: str | None
    action: str
    object: EntryObject
    forum: str
    fields: dict[str, Any]


class PendingOut(Schema):
    sequencing: Literal["inline", "batched"] = Field(
        ..., description="inline: entries get their seq in their write's transaction"
    )
    tree_size: int = Field(..., description="Entries integrated in the tree")
    pending: int = Field(..., description="Entries committed, not yet integrated")
    oldest: str | None = Field(..., description="Time of the oldest pending entry")
    max_merge_delay: int = Field(
        ..., description="Seconds within which the sequencer promises to integrate an entry"
    )
    entries: list[PendingEntryOut] = Field(..., description="The first 1000 pending entries")


class InclusionOut(Schema):
    seq: int
    leaf_index: int = Field(..., description="seq - 1")
    tree_size: int
    leaf_hash: str = Hex
    root_hash: str = Hex
    audit_path: list[str] = Field(..., description="Sibling hashes, nearest the leaf first")


class InclusionQuery(Schema):
    seq: int = Field(..., ge=SEQ_MIN, le=MAX_ID, description="The entry's sequence number")
    tree_size: int | None = Field(
        None, ge=SIZE_MIN, le=MAX_ID, description="Default: the ledger's current size"
    )


class ConsistencyOut(Schema):
    first: int
    second: int
    first_root: str = Hex
    second_root: str = Hex
    proof: list[str]


class ConsistencyQuery(Schema):
    first: int = Field(..., ge=SIZE_MIN, le=MAX_ID, description="The smaller tree size")
    second: int | None = Field(
        None, ge=SIZE_MIN, le=MAX_ID, description="Default: the ledger's current size"
    )


def _intact(call: Any, *args: Any) -> dict[str, Any]:
    try:
        result: dict[str, Any] = call(*args)
    except LedgerDamaged as exc:
        raise Conflict(_("The stored ledger is damaged: %(exc)s.") % {"exc": exc}) from None
    return result


@router.get(
    "/ledger/checkpoint",
    response={200: CheckpointOut, 404: ErrorOut},
    summary="The latest signed checkpoint",
)
def checkpoint(request: HttpRequest) -> dict[str, Any]:
    """The ledger's size and root hash, signed with the operator's Ed25519 key. Compare the
    public key with the one the operator publishes elsewhere before trusting it."""
    checkpoint = services.require_checkpoint()
    return {**services.checkpoint_document(checkpoint), "witnesses": witnesses_of(checkpoint)}


@router.post(
    "/ledger/witness",
    response={201: Stored, **errors(403, 404, 422)},
    summary="A witness's co-signature of one of this instance's checkpoints",
)
def cosign(request: HttpRequest, body: CosignatureIn) -> Status[dict[str, Any]]:
    """Kept and published with the checkpoint when it verifies with the witness's key."""
    receive_cosignature(body.dict())
    return Status(201, {"stored": True})


@router.post(
    "/ledger/witness/split",
    response={201: Stored, **errors(403, 409, 422)},
    summary="A witness reports that this instance showed it two histories",
)
def split_view(request: HttpRequest, body: SplitViewIn) -> Status[dict[str, Any]]:
    """Kept (and shown on the ledger page) only with proof: both checkpoints signed by this
    instance's key (else 403), at least one contradicting the entries stored here (else 409:
    no split view)."""
    receive_split_report(body.dict())
    return Status(201, {"stored": True})


class WitnessedQuery(Schema):
    url: str = Field(..., min_length=1, max_length=200, description="The witnessed instance")


class SplitViewOut(Schema):
    reason: str
    first: dict[str, Any] = Field(..., description="The checkpoint seen before")
    second: dict[str, Any] = Field(..., description="The checkpoint that contradicts it")
    proof: list[str] = Field(..., description="The consistency proof that failed (hex), if any")


class WitnessedOut(Schema):
    url: str
    checkpoint: dict[str, Any] | None = Field(
        ..., description="The last checkpoint of that instance seen consistent here, as signed"
    )
    split_views: list[SplitViewOut]


@router.get(
    "/ledger/witnessed",
    response={200: WitnessedOut, **errors(404)},
    summary="What this instance, as a witness of another, saw of its ledger",
)
def witnessed(request: HttpRequest, query: Query[WitnessedQuery]) -> dict[str, Any]:
    """The last checkpoint of ``url`` this witness found consistent, and every split view it
    caught (both checkpoints and the failing proof). 404 when it does not witness ``url``."""
    return witnessed_report(query.url)


@router.get(
    "/ledger/entries",
    response={200: EntriesOut, **errors(422)},
    summary="Ledger entries with their leaf hashes, at most 1000 per call",
)
def entries(request: HttpRequest, query: Query[EntriesQuery]) -> dict[str, Any]:
    """Entries ``start``..``end`` in order, each the canonical document that is hashed plus its
    stored ``leaf_hash``. Page on with ``start = end + 1`` until ``end`` reaches ``tree_size``."""
    return services.entries_page(query.start, query.end)


@router.get(
    "/ledger/pending",
    response={200: PendingOut},
    summary="Entries committed but not yet integrated into the tree, and the merge delay",
)
def pending(request: HttpRequest) -> dict[str, Any]:
    """With batched sequencing a write's entry waits here (at most ``max_merge_delay``
    seconds, the log's promise) until the sequencer gives it its seq and leaf hash; proofs
    and checkpoints cover integrated entries only. Inline sequencing leaves none pending."""
    return services.pending_page()


@router.get(
    "/ledger/proof/inclusion",
    response={200: InclusionOut, **errors(404, 409, 422)},
    summary="Inclusion proof of one entry (RFC 9162 §2.1.3)",
)
def inclusion_proof(request: HttpRequest, query: Query[InclusionQuery]) -> dict[str, Any]:
    """That entry ``seq`` is leaf ``seq - 1`` of the tree of ``tree_size`` entries with root
    ``root_hash``."""
    return _intact(services.inclusion, query.seq, query.tree_size)


@router.get(
    "/ledger/proof/consistency",
    response={200: ConsistencyOut, **errors(404, 409, 422)},
    summary="Consistency proof between two tree sizes (RFC 9162 §2.1.4)",
)
def consistency_proof(request: HttpRequest, query: Query[ConsistencyQuery]) -> dict[str, Any]:
    """That the tree of ``first`` entries is a prefix of the tree of ``second`` entries."""
    return _intact(services.consistency, query.first, query.second)
