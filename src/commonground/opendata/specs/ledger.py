"""Spec of the ledger's signed checkpoints (the entries themselves are ledger.jsonl)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from commonground.ledger.models import Checkpoint
from commonground.opendata import resources as r
from commonground.opendata.specs.base import Exporting, TableSpec, pick

CHECKPOINT_FIELDS = ("tree_size", "root_hash", "timestamp", "origin", "public_key", "signature")


def _export_checkpoints(at: Exporting) -> Iterable[Sequence[Any]]:
    """Every checkpoint up to the one the package is cut at."""
    return (
        Checkpoint.objects.filter(tree_size__lte=at.checkpoint.tree_size)
        .order_by("tree_size")
        .values_list(*CHECKPOINT_FIELDS)
    )


CHECKPOINTS = TableSpec(
    r.CHECKPOINTS,
    Checkpoint,
    export=_export_checkpoints,
    build=lambda row, into: Checkpoint(**pick(row, *CHECKPOINT_FIELDS)),
    keeps_ids=False,
)
