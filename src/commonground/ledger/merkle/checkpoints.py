"""Signed checkpoints: a tree size and root, timestamped and signed with Ed25519, and
the operator's key."""

from __future__ import annotations

import base64
import binascii
import contextlib
import hmac
import os
import re
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from commonground.ledger.merkle.encoding import CHECKPOINT_FORMAT, check_hash

# --------------------------------------------------------------------------------------
# Signed checkpoints
# --------------------------------------------------------------------------------------

_TIMESTAMP_RE = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z")


def format_timestamp(moment: datetime | None = None) -> str:
    """Format a moment (default: now) as UTC ISO 8601 with microseconds and ``Z``.

    Example: ``2025-01-31T09:30:00.000000Z``. Naive datetimes are refused.
    """
    if moment is None:
        moment = datetime.now(UTC)
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("timestamps must be timezone-aware")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _check_timestamp(value: str) -> None:
    if not isinstance(value, str) or not _TIMESTAMP_RE.fullmatch(value):
        raise ValueError(f"timestamp must be UTC ISO 8601 ending in Z, got {value!r}")
    try:
        datetime.strptime(value[:19], "%Y-%m-%dT%H:%M:%S")
    except ValueError as exc:
        raise ValueError(f"timestamp is not a valid date and time: {value!r}") from exc


@dataclass(frozen=True)
class Checkpoint:
    """A statement of the ledger's state: its size and root hash at a time, by an origin.

    ``timestamp`` is UTC ISO 8601 ending in ``Z`` (see :func:`format_timestamp`);
    ``origin`` names the ledger (e.g. the site's host name) on one line.
    """

    tree_size: int
    root_hash: bytes
    timestamp: str
    origin: str

    def __post_init__(self) -> None:
        """Validate the fields; ValueError when one is malformed."""
        if isinstance(self.tree_size, bool) or not isinstance(self.tree_size, int):
            raise ValueError("tree_size must be an integer")
        if self.tree_size < 0:
            raise ValueError("tree_size must not be negative")
        check_hash(self.root_hash, "root_hash")
        object.__setattr__(self, "root_hash", bytes(self.root_hash))
        _check_timestamp(self.timestamp)
        if not isinstance(self.origin, str) or not self.origin:
            raise ValueError("origin must be a non-empty string")
        if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in self.origin):
            raise ValueError("origin must be a single line without control characters")

    def signing_body(self) -> bytes:
        """Return the canonical bytes that are signed: five lines, each ending in ``\\n``.

        ``commonground-checkpoint/v1``, the origin, the tree size in decimal, the
        root hash in lowercase hex, and the timestamp, encoded in UTF-8.
        """
        lines = [
            CHECKPOINT_FORMAT,
            self.origin,
            str(self.tree_size),
            self.root_hash.hex(),
            self.timestamp,
        ]
        return "".join(line + "\n" for line in lines).encode("utf-8")


@dataclass(frozen=True)
class SignedCheckpoint:
    """A checkpoint with its Ed25519 signature and the raw 32-byte public key that made it."""

    checkpoint: Checkpoint
    signature: bytes
    public_key: bytes

    def to_json_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict: hex root hash, base64 signature and raw public key."""
        cp = self.checkpoint
        return {
            "format": CHECKPOINT_FORMAT,
            "origin": cp.origin,
            "tree_size": cp.tree_size,
            "root_hash": cp.root_hash.hex(),
            "timestamp": cp.timestamp,
            "algorithm": "Ed25519",
            "public_key": base64.b64encode(self.public_key).decode("ascii"),
            "signature": base64.b64encode(self.signature).decode("ascii"),
        }

    @classmethod
    def from_json_dict(cls, data: Mapping[str, Any]) -> SignedCheckpoint:
        """Parse :meth:`to_json_dict` output; ValueError if anything is malformed.

        Parsing does not check the signature: call :func:`verify_checkpoint`.
        """
        if not isinstance(data, Mapping):
            raise ValueError("a signed checkpoint must be a JSON object")
        fields = ("origin", "tree_size", "root_hash", "timestamp", "public_key", "signature")
        missing = [name for name in fields if name not in data]
        if missing:
            raise ValueError(f"signed checkpoint is missing {', '.join(missing)}")
        if data.get("format", CHECKPOINT_FORMAT) != CHECKPOINT_FORMAT:
            raise ValueError(f"unknown checkpoint format {data.get('format')!r}")
        if data.get("algorithm", "Ed25519") != "Ed25519":
            raise ValueError(f"unsupported signature algorithm {data.get('algorithm')!r}")
        root = data["root_hash"]
        if not isinstance(root, str) or not re.fullmatch(r"[0-9a-f]{64}", root):
            raise ValueError("root_hash must be 64 lowercase hex digits")
        checkpoint = Checkpoint(
            tree_size=data["tree_size"],
            root_hash=bytes.fromhex(root),
            timestamp=data["timestamp"],
            origin=data["origin"],
        )
        public_key = _b64decode(data["public_key"], "public_key")
        signature = _b64decode(data["signature"], "signature")
        if len(public_key) != 32:
            raise ValueError("public_key must be 32 bytes (raw Ed25519)")
        if len(signature) != 64:
            raise ValueError("signature must be 64 bytes (Ed25519)")
        return cls(checkpoint=checkpoint, signature=signature, public_key=public_key)


def _b64decode(value: object, what: str) -> bytes:
    if not isinstance(value, str):
        raise ValueError(f"{what} must be a base64 string")
    try:
        return base64.b64decode(value.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError) as exc:
        raise ValueError(f"{what} is not valid base64") from exc


def public_key_bytes(key: Ed25519PrivateKey | Ed25519PublicKey) -> bytes:
    """Return the raw 32-byte Ed25519 public key of a private or public key."""
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_key_from_bytes(raw: bytes) -> Ed25519PublicKey:
    """Load an Ed25519 public key from its raw 32 bytes (ValueError if malformed)."""
    if len(raw) != 32:
        raise ValueError("an Ed25519 public key is 32 bytes")
    return Ed25519PublicKey.from_public_bytes(bytes(raw))


def sign_checkpoint(cp: Checkpoint, private_key: Ed25519PrivateKey) -> SignedCheckpoint:
    """Sign a checkpoint's :meth:`Checkpoint.signing_body` with an Ed25519 private key."""
    signature = private_key.sign(cp.signing_body())
    return SignedCheckpoint(
        checkpoint=cp, signature=signature, public_key=public_key_bytes(private_key)
    )


def verify_checkpoint(
    signed: SignedCheckpoint, public_key: Ed25519PublicKey | Ed25519PrivateKey | bytes
) -> bool:
    """Return True when ``signed`` carries a valid signature by ``public_key``.

    ``public_key`` is the key the verifier trusts (a key object or its raw 32
    bytes), obtained independently of the checkpoint; the key embedded in the
    checkpoint must equal it. Never raises on a bad signature or key.
    """
    trusted: Ed25519PublicKey
    try:
        if isinstance(public_key, (bytes, bytearray)):
            trusted = public_key_from_bytes(bytes(public_key))
        elif isinstance(public_key, Ed25519PrivateKey):
            trusted = public_key.public_key()
        else:
            trusted = public_key
        raw = public_key_bytes(trusted)
    except (ValueError, TypeError, AttributeError):
        return False
    if not hmac.compare_digest(raw, bytes(signed.public_key)):
        return False
    try:
        trusted.verify(bytes(signed.signature), signed.checkpoint.signing_body())
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True


def private_key_from_pem(pem: bytes) -> Ed25519PrivateKey:
    """Load an unencrypted PEM (PKCS#8) Ed25519 private key; ValueError if it is not one."""
    key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("the PEM key is not an Ed25519 private key")
    return key


def private_key_to_pem(key: Ed25519PrivateKey) -> bytes:
    """Serialise an Ed25519 private key as unencrypted PEM (PKCS#8)."""
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def load_or_create_private_key(path: Path) -> Ed25519PrivateKey:
    """Load the Ed25519 signing key from a PEM file, creating it (mode 0600) on first use.

    The key is written to a private temporary file in the same directory and
    hard-linked into place, so a concurrent caller never reads a half-written
    file and two first callers end up sharing one key.
    """
    path = Path(path)
    if path.exists():
        return private_key_from_pem(path.read_bytes())
    path.parent.mkdir(parents=True, exist_ok=True)
    key = Ed25519PrivateKey.generate()
    pem = private_key_to_pem(key)
    fd, tmp_name = tempfile.mkstemp(prefix=".key-", dir=path.parent)  # created 0600
    try:
        with os.fdopen(fd, "wb") as tmp:
            tmp.write(pem)
            tmp.flush()
            os.fsync(tmp.fileno())
        try:
            os.link(tmp_name, path)
        except FileExistsError:
            return private_key_from_pem(path.read_bytes())
        except OSError:
            # Filesystems without hard links: exclusive create instead.
            try:
                out = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                return private_key_from_pem(path.read_bytes())
            with os.fdopen(out, "wb") as handle:
                handle.write(pem)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
    os.chmod(path, 0o600)
    return key
