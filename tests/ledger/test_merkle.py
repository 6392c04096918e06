"""Tests of the pure ledger core: canonical JSON, Merkle tree, proofs and checkpoints.

No database: everything here runs without Django.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ec import SECP256R1, generate_private_key
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from commonground.ledger.merkle import (
    EMPTY_ROOT,
    Checkpoint,
    CompactRange,
    SignedCheckpoint,
    canonical_json,
    consistency_proof,
    entry_leaf_hash,
    format_timestamp,
    inclusion_proof,
    leaf_hash,
    load_or_create_private_key,
    node_hash,
    private_key_from_pem,
    private_key_to_pem,
    public_key_bytes,
    root_hash,
    sign_checkpoint,
    verify_checkpoint,
    verify_consistency,
    verify_entries,
    verify_inclusion,
)

PROPERTY = settings(max_examples=60, deadline=None)


def sha(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def reference_mth(leaves: Sequence[bytes]) -> bytes:
    """MTH straight from the recursive definition of RFC 9162 §2.1.1."""
    n = len(leaves)
    if n == 0:
        return sha(b"")
    if n == 1:
        return leaves[0]
    k = 1
    while k * 2 < n:
        k *= 2
    return sha(b"\x01" + reference_mth(leaves[:k]) + reference_mth(leaves[k:]))


def make_leaves(n: int, salt: bytes = b"") -> list[bytes]:
    """Distinct leaf hashes, so a proof for one position cannot fit another by symmetry."""
    return [leaf_hash(salt + b"entry-%d" % i) for i in range(n)]


def flip(value: bytes, position: int = 0) -> bytes:
    data = bytearray(value)
    data[position % len(data)] ^= 0x01
    return bytes(data)


tree_sizes = st.integers(min_value=1, max_value=70)
salts = st.binary(max_size=8)


# --- hashing: known answers ------------------------------------------------------------


def test_empty_tree_hash_is_sha256_of_empty_string() -> None:
    expected = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert EMPTY_ROOT.hex() == expected
    assert root_hash([]) == EMPTY_ROOT
    assert CompactRange().root() == EMPTY_ROOT


def test_leaf_and_node_hashes_use_domain_separation_prefixes() -> None:
    assert leaf_hash(b"") == sha(b"\x00")
    assert leaf_hash(b"abc") == sha(b"\x00abc")
    left, right = sha(b"l"), sha(b"r")
    assert node_hash(left, right) == sha(b"\x01" + left + right)
    assert leaf_hash(b"") != sha(b"")


def test_small_trees_computed_by_hand() -> None:
    d = [sha(b"\x00" + bytes([i])) for i in range(7)]
    n01 = sha(b"\x01" + d[0] + d[1])
    n23 = sha(b"\x01" + d[2] + d[3])
    n45 = sha(b"\x01" + d[4] + d[5])
    n0123 = sha(b"\x01" + n01 + n23)
    leaves = [leaf_hash(bytes([i])) for i in range(7)]
    assert leaves == d
    assert root_hash(leaves[:1]) == d[0]
    assert root_hash(leaves[:2]) == n01
    assert root_hash(leaves[:3]) == sha(b"\x01" + n01 + d[2])
    assert root_hash(leaves[:4]) == n0123
    assert root_hash(leaves[:5]) == sha(b"\x01" + n0123 + d[4])
    assert root_hash(leaves[:6]) == sha(b"\x01" + n0123 + n45)
    assert root_hash(leaves[:7]) == sha(b"\x01" + n0123 + sha(b"\x01" + n45 + d[6]))


def test_root_hash_rejects_values_that_are_not_hashes() -> None:
    with pytest.raises(ValueError):
        root_hash([b"short"])


@PROPERTY
@given(n=st.integers(min_value=0, max_value=70), salt=salts)
def test_root_hash_matches_the_recursive_definition(n: int, salt: bytes) -> None:
    leaves = make_leaves(n, salt)
    assert root_hash(leaves) == reference_mth(leaves)


# --- the incremental accumulator ---------------------------------------------------------


@PROPERTY
@given(n=st.integers(min_value=0, max_value=70), salt=salts)
def test_compact_range_equals_root_hash_at_every_size(n: int, salt: bytes) -> None:
    leaves = make_leaves(n, salt)
    acc = CompactRange()
    for size, leaf in enumerate(leaves, start=1):
        acc.append(leaf)
        assert acc.size == size
        assert len(acc.hashes) == size.bit_count()
        assert acc.root() == root_hash(leaves[:size])


@PROPERTY
@given(n=st.integers(min_value=0, max_value=70), extra=st.integers(0, 5), salt=salts)
def test_compact_range_state_round_trips_through_json(n: int, extra: int, salt: bytes) -> None:
    leaves = make_leaves(n + extra, salt)
    acc = CompactRange()
    acc.extend(leaves[:n])
    state = json.loads(json.dumps(acc.to_dict()))
    restored = CompactRange.from_dict(state)
    assert restored == acc
    assert restored.root() == acc.root()
    restored.extend(leaves[n:])
    assert restored.root() == root_hash(leaves)
    assert acc.copy() == acc


@pytest.mark.parametrize(
    "state",
    [
        {"size": 3, "hashes": ["00" * 32]},
        {"size": -1, "hashes": []},
        {"size": 1, "hashes": ["zz" * 32]},
        {"size": 1, "hashes": ["00" * 31]},
        {"size": 1},
        {"size": 1, "hashes": "00" * 32},
    ],
)
def test_compact_range_rejects_malformed_state(state: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        CompactRange.from_dict(state)


def test_compact_range_rejects_a_leaf_that_is_not_a_hash() -> None:
    with pytest.raises(ValueError):
        CompactRange().append(b"x")


# --- inclusion proofs --------------------------------------------------------------------


def test_inclusion_proofs_of_the_rfc_example_tree() -> None:
    d = make_leaves(7)
    a, b, c, dd, e, f, d6 = d
    g, h, i = node_hash(a, b), node_hash(c, dd), node_hash(e, f)
    j = d6
    k, ell = node_hash(g, h), node_hash(i, j)
    assert inclusion_proof(d, 0, 7) == [b, h, ell]
    assert inclusion_proof(d, 3, 7) == [c, g, ell]
    assert inclusion_proof(d, 4, 7) == [f, j, k]
    assert inclusion_proof(d, 6, 7) == [i, k]
    assert inclusion_proof(d, 0, 1) == []


@PROPERTY
@given(n=tree_sizes, salt=salts)
def test_every_inclusion_proof_verifies(n: int, salt: bytes) -> None:
    leaves = make_leaves(n, salt)
    root = root_hash(leaves)
    for index in range(n):
        proof = inclusion_proof(leaves, index, n)
        assert verify_inclusion(leaves[index], index, n, proof, root)


@PROPERTY
@given(n=tree_sizes, salt=salts, data=st.data())
def test_inclusion_proof_fails_when_anything_is_tampered(
    n: int, salt: bytes, data: st.DataObject
) -> None:
    leaves = make_leaves(n, salt)
    root = root_hash(leaves)
    index = data.draw(st.integers(0, n - 1), label="index")
    proof = inclusion_proof(leaves, index, n)
    leaf = leaves[index]
    byte = data.draw(st.integers(0, 31), label="byte")
    assert not verify_inclusion(flip(leaf, byte), index, n, proof, root)
    assert not verify_inclusion(leaf, index, n, proof, flip(root, byte))
    for other in range(n):
        if other != index:
            assert not verify_inclusion(leaf, other, n, proof, root)
    assert not verify_inclusion(leaf, n, n, proof, root)
    assert not verify_inclusion(leaf, -1, n, proof, root)
    if proof:
        at = data.draw(st.integers(0, len(proof) - 1), label="proof element")
        tampered = [*proof]
        tampered[at] = flip(tampered[at], byte)
        assert not verify_inclusion(leaf, index, n, tampered, root)
        assert not verify_inclusion(leaf, index, n, proof[:-1], root)
    assert not verify_inclusion(leaf, index, n, [*proof, leaf], root)


def test_inclusion_proof_rejects_bad_arguments() -> None:
    leaves = make_leaves(4)
    for index, size in [(4, 4), (-1, 4), (0, 0), (0, 5)]:
        with pytest.raises(ValueError):
            inclusion_proof(leaves, index, size)
    assert not verify_inclusion(b"short", 0, 1, [], leaves[0])


# --- consistency proofs ------------------------------------------------------------------


def test_consistency_proofs_of_the_rfc_example_tree() -> None:
    d = make_leaves(7)
    a, b, c, dd, e, f, d6 = d
    g, h, i = node_hash(a, b), node_hash(c, dd), node_hash(e, f)
    j = d6
    k, ell = node_hash(g, h), node_hash(i, j)
    assert consistency_proof(d, 3, 7) == [c, dd, g, ell]
    assert consistency_proof(d, 4, 7) == [ell]
    assert consistency_proof(d, 6, 7) == [i, j, k]
    assert consistency_proof(d, 7, 7) == []


@PROPERTY
@given(n=tree_sizes, salt=salts)
def test_every_consistency_proof_verifies(n: int, salt: bytes) -> None:
    leaves = make_leaves(n, salt)
    new_root = root_hash(leaves)
    for m in range(1, n + 1):
        proof = consistency_proof(leaves, m, n)
        assert verify_consistency(m, n, root_hash(leaves[:m]), new_root, proof)


@PROPERTY
@given(n=tree_sizes, salt=salts, data=st.data())
def test_consistency_proof_fails_when_a_root_or_the_proof_is_altered(
    n: int, salt: bytes, data: st.DataObject
) -> None:
    leaves = make_leaves(n, salt)
    m = data.draw(st.integers(1, n), label="old size")
    byte = data.draw(st.integers(0, 31), label="byte")
    old_root, new_root = root_hash(leaves[:m]), root_hash(leaves)
    proof = consistency_proof(leaves, m, n)
    assert not verify_consistency(m, n, flip(old_root, byte), new_root, proof)
    assert not verify_consistency(m, n, old_root, flip(new_root, byte), proof)
    if proof:
        at = data.draw(st.integers(0, len(proof) - 1), label="proof element")
        tampered = [*proof]
        tampered[at] = flip(tampered[at], byte)
        assert not verify_consistency(m, n, old_root, new_root, tampered)
        assert not verify_consistency(m, n, old_root, new_root, proof[:-1])
    assert not verify_consistency(m, n, old_root, new_root, [*proof, new_root])
    # A rewritten history (one old leaf changed) cannot be shown consistent.
    forged = [*leaves]
    forged[data.draw(st.integers(0, m - 1), label="forged leaf")] = leaf_hash(b"forged")
    forged_old = root_hash(forged[:m])
    assert not verify_consistency(m, n, forged_old, new_root, proof)
    assert not verify_consistency(m, n, forged_old, new_root, consistency_proof(forged, m, n))


def test_consistency_edge_cases() -> None:
    leaves = make_leaves(5)
    root = root_hash(leaves)
    assert consistency_proof(leaves, 0, 5) == []
    assert verify_consistency(0, 5, EMPTY_ROOT, root, [])
    assert not verify_consistency(0, 5, root, root, [])
    assert verify_consistency(5, 5, root, root, [])
    assert not verify_consistency(5, 5, root, flip(root), [])
    assert not verify_consistency(5, 5, root, root, [root])
    assert not verify_consistency(5, 4, root, root, [])
    assert not verify_consistency(2, 5, root_hash(leaves[:2]), root, [])
    for old, new in [(3, 2), (-1, 3), (1, 6)]:
        with pytest.raises(ValueError):
            consistency_proof(leaves, old, new)


# --- canonical JSON ----------------------------------------------------------------------


def test_canonical_json_known_bytes() -> None:
    entry = {
        "seq": 1,
        "time": "2025-01-31T09:30:00.000000Z",
        "actor": None,
        "action": "issue.create",
        "object": {"type": "issue", "id": "42"},
        "fields": {"title": "Accès à l'eau", "open": True, "tags": ["a", "b"]},
    }
    expected = (
        '{"action":"issue.create","actor":null,"fields":{"open":true,"tags":["a","b"],'
        '"title":"Accès à l\'eau"},"object":{"id":"42","type":"issue"},"seq":1,'
        '"time":"2025-01-31T09:30:00.000000Z"}'
    ).encode()
    assert canonical_json(entry) == expected
    assert entry_leaf_hash(entry) == leaf_hash(expected)


json_scalars = st.none() | st.booleans() | st.integers(-(2**53) + 1, 2**53 - 1) | st.text()
json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4)
    ),
    max_leaves=12,
)


@PROPERTY
@given(entry=st.dictionaries(st.text(max_size=8), json_values, max_size=8), seed=st.randoms())
def test_canonical_json_is_independent_of_key_insertion_order(
    entry: dict[str, Any], seed: Any
) -> None:
    def shuffled(value: Any) -> Any:
        if isinstance(value, dict):
            items = list(value.items())
            seed.shuffle(items)
            return {key: shuffled(item) for key, item in items}
        if isinstance(value, list):
            return [shuffled(item) for item in value]
        return value

    encoded = canonical_json(entry)
    assert canonical_json(shuffled(entry)) == encoded
    assert json.loads(encoded.decode("utf-8")) == entry


@pytest.mark.parametrize("value", [0.5, 1.0, -0.0, float("nan"), float("inf"), float("-inf")])
def test_canonical_json_rejects_floats_nan_and_infinity(value: float) -> None:
    with pytest.raises(ValueError):
        canonical_json({"fields": {"share": value}})
    with pytest.raises(ValueError):
        canonical_json({"list": [1, value]})


def test_canonical_json_float_error_says_to_use_strings() -> None:
    with pytest.raises(ValueError, match="string"):
        canonical_json({"amount": 0.25})


@pytest.mark.parametrize(
    "entry",
    [
        {"big": 2**53},
        {"small": -(2**53)},
        {1: "non-string key"},
        {"when": object()},
        {"set": {1, 2}},
        {"bytes": b"raw"},
        {"surrogate": "\ud800"},
    ],
)
def test_canonical_json_rejects_ambiguous_values(entry: dict[Any, Any]) -> None:
    with pytest.raises(ValueError):
        canonical_json(entry)


def test_canonical_json_accepts_safe_extremes_and_tuples() -> None:
    assert canonical_json({"n": 2**53 - 1, "t": (1, 2)}) == b'{"n":9007199254740991,"t":[1,2]}'
    with pytest.raises(ValueError):
        canonical_json([1, 2])  # type: ignore[arg-type]


# --- checkpoints -------------------------------------------------------------------------


def make_checkpoint(size: int = 3) -> Checkpoint:
    leaves = make_leaves(size)
    return Checkpoint(
        tree_size=size,
        root_hash=root_hash(leaves),
        timestamp="2025-01-31T09:30:00.000000Z",
        origin="forum.example.org",
    )


def test_signing_body_is_five_lines() -> None:
    cp = make_checkpoint()
    assert (
        cp.signing_body()
        == (
            "commonground-checkpoint/v1\nforum.example.org\n3\n"
            f"{cp.root_hash.hex()}\n2025-01-31T09:30:00.000000Z\n"
        ).encode()
    )


def test_signed_checkpoint_verifies_and_round_trips_through_json() -> None:
    key = Ed25519PrivateKey.generate()
    signed = sign_checkpoint(make_checkpoint(), key)
    assert verify_checkpoint(signed, key.public_key())
    assert verify_checkpoint(signed, public_key_bytes(key))
    document = json.loads(json.dumps(signed.to_json_dict()))
    assert document["root_hash"] == signed.checkpoint.root_hash.hex()
    restored = SignedCheckpoint.from_json_dict(document)
    assert restored == signed
    assert verify_checkpoint(restored, key.public_key())


@pytest.mark.parametrize(
    "change",
    [
        {"tree_size": 4},
        {"root_hash": b"\x00" * 32},
        {"timestamp": "2025-01-31T09:30:01.000000Z"},
        {"origin": "forum.example.net"},
    ],
)
def test_signed_checkpoint_fails_after_a_field_change(change: dict[str, Any]) -> None:
    key = Ed25519PrivateKey.generate()
    signed = sign_checkpoint(make_checkpoint(), key)
    altered = replace(signed, checkpoint=replace(signed.checkpoint, **change))
    assert not verify_checkpoint(altered, key.public_key())


def test_signed_checkpoint_fails_with_a_changed_signature_or_key() -> None:
    key, other = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    signed = sign_checkpoint(make_checkpoint(), key)
    assert not verify_checkpoint(signed, other.public_key())
    assert not verify_checkpoint(replace(signed, signature=flip(signed.signature)), key)
    assert not verify_checkpoint(replace(signed, public_key=public_key_bytes(other)), key)
    assert not verify_checkpoint(replace(signed, signature=b"short"), key)
    assert not verify_checkpoint(signed, b"not a key")
    # Re-signed by another key and presented as ours: refused.
    forged = sign_checkpoint(signed.checkpoint, other)
    assert not verify_checkpoint(forged, key.public_key())


@pytest.mark.parametrize(
    "field, value",
    [
        ("tree_size", -1),
        ("tree_size", True),
        ("root_hash", b"\x00" * 31),
        ("timestamp", "2025-01-31 09:30:00"),
        ("timestamp", "2025-01-31T09:30:00+00:00"),
        ("timestamp", "2025-02-30T09:30:00Z"),
        ("origin", ""),
        ("origin", "two\nlines"),
    ],
)
def test_checkpoint_rejects_malformed_fields(field: str, value: Any) -> None:
    with pytest.raises(ValueError):
        replace(make_checkpoint(), **{field: value})


@pytest.mark.parametrize(
    "change",
    [
        {"root_hash": "AB" * 32},
        {"signature": "not base64!"},
        {"public_key": "AAAA"},
        {"algorithm": "RSA"},
        {"format": "something-else/v9"},
        {"tree_size": "3"},
    ],
)
def test_from_json_dict_rejects_malformed_documents(change: dict[str, Any]) -> None:
    signed = sign_checkpoint(make_checkpoint(), Ed25519PrivateKey.generate())
    document = {**signed.to_json_dict(), **change}
    with pytest.raises(ValueError):
        SignedCheckpoint.from_json_dict(document)
    incomplete = signed.to_json_dict()
    del incomplete["signature"]
    with pytest.raises(ValueError):
        SignedCheckpoint.from_json_dict(incomplete)


def test_format_timestamp_is_utc_with_z() -> None:
    from datetime import datetime, timedelta, timezone

    moment = datetime(2025, 1, 31, 11, 30, 0, 5, tzinfo=timezone(timedelta(hours=2)))
    assert format_timestamp(moment) == "2025-01-31T09:30:00.000005Z"
    assert format_timestamp().endswith("Z")
    with pytest.raises(ValueError):
        format_timestamp(datetime(2025, 1, 31))


# --- keys --------------------------------------------------------------------------------


def test_load_or_create_private_key_creates_a_private_file_once(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "ledger.pem"
    key = load_or_create_private_key(path)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert path.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
    again = load_or_create_private_key(path)
    assert public_key_bytes(again) == public_key_bytes(key)
    assert [p.name for p in path.parent.iterdir()] == ["ledger.pem"]
    assert public_key_bytes(private_key_from_pem(private_key_to_pem(key))) == public_key_bytes(key)


def test_private_key_from_pem_refuses_other_key_types() -> None:
    pem = generate_private_key(SECP256R1()).private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    with pytest.raises(ValueError):
        private_key_from_pem(pem)


# --- auditing a whole log ----------------------------------------------------------------


def make_log(n: int) -> list[tuple[int, bytes, bytes]]:
    log = []
    for seq in range(1, n + 1):
        entry = canonical_json({"seq": seq, "action": "test", "fields": {"n": seq}})
        log.append((seq, entry, leaf_hash(entry)))
    return log


def test_verify_entries_accepts_an_intact_log() -> None:
    log = make_log(10)
    root = root_hash([stored for _, _, stored in log])
    result = verify_entries(log, root, 10)
    assert result.ok and result.checked == 10 and result.first_bad_seq is None
    assert result.root_hash == root
    # Mappings, hex leaf hashes and missing leaf hashes are accepted too.
    mixed = [
        (seq, json.loads(entry), stored.hex() if seq % 2 else None) for seq, entry, stored in log
    ]
    assert verify_entries(mixed, root, 10).ok
    # The log may have grown since the checkpoint: only tree_size entries are read.
    older = root_hash([stored for _, _, stored in log[:6]])
    assert verify_entries(iter(log), older, 6).ok


def test_verify_entries_reports_the_first_tampered_entry() -> None:
    log = make_log(10)
    root = root_hash([stored for _, _, stored in log])
    tampered = [*log]
    seq, _, stored = tampered[4]
    tampered[4] = (seq, canonical_json({"seq": seq, "action": "edited"}), stored)
    result = verify_entries(tampered, root, 10)
    assert not result.ok and result.first_bad_seq == 5 and result.checked == 4
    # Entry and stored hash both rewritten: the root gives it away.
    entry = canonical_json({"seq": seq, "action": "edited"})
    tampered[4] = (seq, entry, leaf_hash(entry))
    result = verify_entries(tampered, root, 10)
    assert not result.ok and result.first_bad_seq is None and "root" in result.reason


def test_verify_entries_detects_gaps_reordering_and_truncation() -> None:
    log = make_log(10)
    root = root_hash([stored for _, _, stored in log])
    gap = verify_entries(log[:3] + log[4:], root, 10)
    assert not gap.ok and gap.first_bad_seq == 4
    swapped = verify_entries([log[1], log[0], *log[2:]], root, 10)
    assert not swapped.ok and swapped.first_bad_seq == 1
    short = verify_entries(log[:8], root, 10)
    assert not short.ok and short.first_bad_seq == 9
    wrong_root = verify_entries(log, flip(root), 10)
    assert not wrong_root.ok and wrong_root.first_bad_seq is None
    bad_entry = verify_entries([(1, {"x": 1.5}, None)], root, 1)
    assert not bad_entry.ok and bad_entry.first_bad_seq == 1
