"""Pure core of the tamper-evident ledger: canonical encoding, Merkle tree, checkpoints.

This package has no Django dependency, so an auditor can run it alone against an
export of the ledger. It follows the Merkle tree definitions of Certificate
Transparency version 2 (RFC 9162, section 2.1) with SHA-256:

* every ledger entry is encoded with :func:`canonical_json`;
* its leaf hash is ``SHA-256(0x00 || entry)`` (:func:`leaf_hash`);
* interior nodes are ``SHA-256(0x01 || left || right)`` (:func:`node_hash`);
* the root of ``n`` leaves is the Merkle Tree Hash (:func:`root_hash`), kept
  incrementally by :class:`CompactRange`;
* inclusion and consistency proofs (:func:`inclusion_proof`,
  :func:`consistency_proof`) and their verifiers follow RFC 9162 §2.1.3 and §2.1.4;
* a :class:`Checkpoint` (tree size, root, time, origin) is signed with Ed25519.

Throughout, "leaves" means the sequence of *leaf hashes* (32 bytes each), not
the entries themselves. ``docs/ledger.md`` describes the format for auditors. The
modules: ``encoding`` (canonical JSON, hashes), ``tree`` (root, accumulator, proofs),
``checkpoints`` (signing) and ``audit`` (a whole log against a checkpoint).
"""

from commonground.ledger.merkle.audit import VerifyResult, verify_entries
from commonground.ledger.merkle.checkpoints import (
    Checkpoint,
    SignedCheckpoint,
    format_timestamp,
    load_or_create_private_key,
    private_key_from_pem,
    private_key_to_pem,
    public_key_bytes,
    public_key_from_bytes,
    sign_checkpoint,
    verify_checkpoint,
)
from commonground.ledger.merkle.encoding import (
    CHECKPOINT_FORMAT,
    EMPTY_ROOT,
    HASH_SIZE,
    MAX_SAFE_INTEGER,
    canonical_json,
    entry_leaf_hash,
    leaf_hash,
    node_hash,
)
from commonground.ledger.merkle.tree import (
    CompactRange,
    consistency_proof,
    inclusion_proof,
    root_hash,
    verify_consistency,
    verify_inclusion,
)

__all__ = [
    "CHECKPOINT_FORMAT",
    "EMPTY_ROOT",
    "HASH_SIZE",
    "MAX_SAFE_INTEGER",
    "Checkpoint",
    "CompactRange",
    "SignedCheckpoint",
    "VerifyResult",
    "canonical_json",
    "consistency_proof",
    "entry_leaf_hash",
    "format_timestamp",
    "inclusion_proof",
    "leaf_hash",
    "load_or_create_private_key",
    "node_hash",
    "private_key_from_pem",
    "private_key_to_pem",
    "public_key_bytes",
    "public_key_from_bytes",
    "root_hash",
    "sign_checkpoint",
    "verify_checkpoint",
    "verify_consistency",
    "verify_entries",
    "verify_inclusion",
]
