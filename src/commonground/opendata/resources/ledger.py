"""The table of the ledger's signed checkpoints (the entries are ledger.jsonl)."""

from __future__ import annotations

from commonground.opendata.resources.columns import Column, Table, text
from commonground.stakeholders import gettext_noop

CHECKPOINTS = Table(
    "checkpoints",
    gettext_noop(
        "Every signed checkpoint of the instance's ledger up to the one in checkpoint.json."
    ),
    (
        Column("tree_size", "integer", "Number of ledger entries covered", True, unique=True),
        Column("root_hash", "string", "Merkle root (hex)", required=True, pattern="[0-9a-f]{64}"),
        text("timestamp", "When it was signed (UTC, as signed)", required=True),
        text("origin", "The signing instance", required=True),
        text("public_key", "Ed25519 public key (base64)", required=True),
        text("signature", "Ed25519 signature (base64)", required=True),
    ),
    ("tree_size",),
)
