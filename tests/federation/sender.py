"""A sender on another instance, for the inbox's tests: its own Ed25519 key, its own
ledger (pure, in memory), and forward records as ``commonground`` writes them."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from commonground.federation import proofs, signing
from commonground.federation.models import Peer
from commonground.ledger.merkle import (
    Checkpoint,
    entry_leaf_hash,
    format_timestamp,
    inclusion_proof,
    root_hash,
    sign_checkpoint,
)


@dataclass
class Sender:
    url: str = "http://sender.test:8001"
    key: Ed25519PrivateKey = field(default_factory=Ed25519PrivateKey.generate)
    entries: list[dict[str, Any]] = field(default_factory=list)

    @property
    def key_id(self) -> str:
        return signing.key_id_of(signing.raw_public_key(self.key))

    def pin(self) -> Peer:
        """The receiver's operator pins this sender (as ``peer add`` would)."""
        return Peer.objects.create(
            url=self.url, name="Kenya IGF site", key_id=self.key_id,
            public_key=signing.public_key_b64(self.key), fingerprint=self.key_id,
        )  # fmt: skip

    def record(self, to: str, delivery: str, issue_id: int = 7, **what: Any) -> dict[str, Any]:
        return {
            "format": "commonground-forward/v1",
            "source": {"instance": what.get("instance", self.url), "forum": "kenya-igf",
                       "forum_name": "Kenya IGF", "level": "national", "country": "KE",
                       "region": "african", "kind": what.get("kind", "issue"), "id": issue_id,
                       "issue_id": issue_id, "cycle": "2027"},
            "what": {"title": what.get("title", "Affordable rural connectivity"),
                     "description": "Villages pay more for less bandwidth.",
                     "topics": ["sdg-9", "access"], "language": "en"},
            "figures": {"publication_number": 1, "published_at": "2026-12-01T10:00:00+00:00",
                        "agenda_rank": 1, "balanced_support": "0.5", "breadth": 3,
                        "supports_by_group": {"civil_society": 1, "government": 1}},
            "origins": [],
            "by": {"public_id": "abc123", "name": "Sam Steward"},
            "at": "2026-12-05T10:00:00+00:00",
            "to": to,
            "delivery": delivery,
        }  # fmt: skip

    def body(self, to: str, delivery: str = "d1", **what: Any) -> dict[str, Any]:
        """Record a forward in the sender's ledger (after a few other entries), sign a
        checkpoint of it, and return the delivery's body."""
        for _ in range(3 - len(self.entries) % 3):
            self._append("issue.raise", {"title": "other"})
        entry = self._append("issue.forward_remote", self.record(to, delivery, **what))
        leaves = [entry_leaf_hash(e) for e in self.entries]
        size = len(leaves)
        checkpoint = sign_checkpoint(
            Checkpoint(size, root_hash(leaves), format_timestamp(), "sender.test"), self.key
        ).to_json_dict()
        inclusion = {
            "leaf_index": entry["seq"] - 1, "tree_size": size,
            "audit_path": [h.hex() for h in inclusion_proof(leaves, entry["seq"] - 1, size)],
        }  # fmt: skip
        return proofs.delivery_body(
            delivery=delivery, to=to, entry=entry, inclusion=inclusion, checkpoint=checkpoint
        )

    def _append(self, action: str, fields: dict[str, Any]) -> dict[str, Any]:
        entry = {
            "seq": len(self.entries) + 1, "time": "2026-12-05T10:00:00.000000Z", "actor": "abc123",
            "action": action, "object": {"type": "delivery", "id": str(len(self.entries) + 1)},
            "forum": "kenya-igf", "fields": fields,
        }  # fmt: skip
        self.entries.append(entry)
        return entry

    def signed(
        self, url: str, raw: bytes, *, key: Ed25519PrivateKey | None = None, **kwargs: Any
    ) -> dict[str, str]:
        return signing.sign_request("POST", url, raw, key or self.key, **kwargs)


def encode(body: dict[str, Any]) -> bytes:
    return json.dumps(body, separators=(",", ":")).encode()


def stale() -> datetime:
    return datetime.fromtimestamp(datetime.now(UTC).timestamp() - 301, UTC)


def bad_signature() -> str:
    return base64.b64encode(b"\x01" * 64).decode()
