"""The public ledger endpoints: checkpoint, entries, and RFC 9162 proofs that verify."""

from __future__ import annotations

import pytest
from django.test import Client

from commonground.ledger.merkle import (
    EMPTY_ROOT,
    SignedCheckpoint,
    canonical_json,
    leaf_hash,
    verify_checkpoint,
    verify_consistency,
    verify_inclusion,
)
from commonground.ledger.services import publish_checkpoint
from tests.ledger.helpers import grow, ledger_key  # noqa: F401 - autouse fixture

pytestmark = pytest.mark.django_db

API = "/api/v1/ledger"
SIZES = [1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 31]


def _get(path: str, **params: object) -> dict:
    response = Client().get(f"{API}{path}", params)
    assert response.status_code == 200, response.content
    return response.json()


def _error(path: str, status: int, **params: object) -> str:
    response = Client().get(f"{API}{path}", params)
    assert response.status_code == status, response.content
    detail = response.json()["detail"]
    assert isinstance(detail, str) and detail
    return detail


def test_checkpoint_is_404_until_one_is_published_then_the_latest() -> None:
    assert "No checkpoint" in _error("/checkpoint", 404)
    grow(3)
    publish_checkpoint()
    grow(2)
    publish_checkpoint()
    data = _get("/checkpoint")
    assert data["tree_size"] == 5 and data["origin"] == "forum.example.org"
    signed = SignedCheckpoint.from_json_dict(data)
    assert verify_checkpoint(signed, signed.public_key)


def test_entries_are_canonical_documents_with_their_leaf_hashes() -> None:
    grow(25)
    page = _get("/entries", start=3, end=12)
    assert (page["tree_size"], page["start"], page["end"]) == (25, 3, 12)
    assert [e["seq"] for e in page["entries"]] == list(range(3, 13))
    for row in page["entries"]:
        stored = row.pop("leaf_hash")
        assert leaf_hash(canonical_json(row)).hex() == stored
        assert set(row) == {"seq", "time", "actor", "action", "object", "forum", "fields"}
    assert page["entries"][0]["fields"] == {"n": 2, "text": "é 2"}
    tail = _get("/entries", start=20)
    assert [e["seq"] for e in tail["entries"]] == [20, 21, 22, 23, 24, 25]
    assert _get("/entries", start=26)["entries"] == []


def test_entries_page_is_at_most_1000() -> None:
    grow(1005)
    assert len(_get("/entries")["entries"]) == 1000
    assert len(_get("/entries", start=1000, end=1999)["entries"]) == 6
    # A longer range is cut to one page, which says where it ends (issue 11.17).
    page = _get("/entries", start=1, end=1000 + 1)
    assert len(page["entries"]) == 1000 and page["end"] == 1000


@pytest.mark.parametrize(
    "params", [{"start": 5, "end": 4}, {"start": 1, "end": 0}, {"start": 50}, {"start": 10**12}]
)
def test_empty_entry_ranges_are_an_empty_page(params: dict) -> None:
    # What the schema allows is answered, not refused (issue 11.17): an empty list.
    grow(3)
    page = _get("/entries", **params)
    assert page["entries"] == [] and page["end"] == params["start"] - 1


@pytest.mark.parametrize(
    "params", [{"start": 0}, {"start": -5}, {"start": 1, "end": -1}, {"start": 1, "end": 2**63}]
)
def test_entry_ranges_outside_the_schema_are_422(params: dict) -> None:
    grow(3)
    _error("/entries", 422, **params)


def test_non_numbers_are_422() -> None:
    _error("/entries", 422, start="one")
    _error("/proof/inclusion", 422, seq="x")
    _error("/proof/consistency", 422)


def test_inclusion_proofs_verify_for_several_sizes() -> None:
    grow(max(SIZES))
    for size in SIZES:
        root = bytes.fromhex(_get("/proof/consistency", first=size, second=size)["second_root"])
        for seq in sorted({1, 2, (size + 1) // 2, size}):
            if seq > size:
                continue
            proof = _get("/proof/inclusion", seq=seq, tree_size=size)
            assert proof["leaf_index"] == seq - 1 and proof["tree_size"] == size
            assert bytes.fromhex(proof["root_hash"]) == root
            path = [bytes.fromhex(h) for h in proof["audit_path"]]
            leaf = bytes.fromhex(proof["leaf_hash"])
            assert verify_inclusion(leaf, seq - 1, size, path, root)
            assert not verify_inclusion(leaf, seq % size, size, path, root) or size == 1


def test_inclusion_defaults_to_the_whole_ledger_and_matches_the_checkpoint() -> None:
    grow(10)
    checkpoint, _ = publish_checkpoint()
    proof = _get("/proof/inclusion", seq=4)
    assert proof["tree_size"] == 10 and proof["root_hash"] == checkpoint.root_hash


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"seq": 0}, 422),
        ({"seq": 10**30}, 422),
        ({"seq": 1, "tree_size": -1}, 422),
        ({"seq": 11}, 404),
        ({"seq": 3, "tree_size": 2}, 404),
        ({"seq": 1, "tree_size": 11}, 404),
    ],
)
def test_inclusion_outside_the_schema_is_422_and_beyond_the_tree_404(
    params: dict, status: int
) -> None:
    grow(10)
    _error("/proof/inclusion", status, **params)


def test_consistency_proofs_verify_for_several_sizes() -> None:
    grow(max(SIZES))
    for second in SIZES:
        for first in range(0, second + 1):
            proof = _get("/proof/consistency", first=first, second=second)
            path = [bytes.fromhex(h) for h in proof["proof"]]
            old = bytes.fromhex(proof["first_root"])
            new = bytes.fromhex(proof["second_root"])
            assert verify_consistency(first, second, old, new, path), (first, second)
            if first == 0:
                assert old == EMPTY_ROOT
            elif first < second:
                assert not verify_consistency(first, second, new, new, path)


def test_consistency_between_two_published_checkpoints() -> None:
    grow(6)
    old, _ = publish_checkpoint()
    grow(9)
    new, _ = publish_checkpoint()
    proof = _get("/proof/consistency", first=6)
    assert proof["second"] == 15
    assert verify_consistency(
        6,
        15,
        bytes.fromhex(old.root_hash),
        bytes.fromhex(new.root_hash),
        [bytes.fromhex(h) for h in proof["proof"]],
    )


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"first": -1}, 422),
        ({"first": 1, "second": -833358}, 422),
        ({"first": 5, "second": 4}, 404),
        ({"first": 1, "second": 99}, 404),
    ],
)
def test_consistency_outside_the_schema_is_422_and_beyond_the_tree_404(
    params: dict, status: int
) -> None:
    grow(10)
    _error("/proof/consistency", status, **params)
