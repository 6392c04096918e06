"""What the opinion-map engine is given (``OpinionParams``) and what one run hands to the
next (``OpinionState``)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

__all__ = ["OpinionParams", "OpinionState", "plain"]


@dataclass(frozen=True)
class OpinionParams:
    """Polis's constants (``conversation.clj`` defaults) and the solver's tolerances."""

    n_components: int = 2
    base_k: int = 100
    base_iters: int = 100
    max_k: int = 5
    # Polis passes :group-iters 100 under a key its k-means never reads, so it actually
    # runs 20; we use the intended 100 (in practice the groups converge well before).
    group_iters: int = 100
    # Extra k-means++ starts per group clustering, keeping the lowest objective (0: Polis's
    # clustering only). Chosen by leave-one-out on the public conversations.
    group_restarts: int = 0
    # A restart replaces Polis's clustering only when its objective is lower by more
    # than this fraction of Polis's: within it, the two are equally good k-means
    # optima and Polis's history decides. Chosen by leave-one-out with the restarts.
    group_restart_margin: float = 0.0
    group_k_buffer: int = 4
    min_votes: int = 7
    greedy_n: int = 15
    kmeans_tol: float = 0.01
    # Up to this many in-conversation participants the base k-means is exact Lloyd, as in
    # Polis (which never sees more than 100,000 participants). Above it, Lloyd steps run
    # on a kmeans_bins x kmeans_bins grid of participants, then one exact step.
    exact_kmeans_max: int = 100_000
    kmeans_bins: int = 512
    # The binned k-means stops once no centre moves by half a grid cell (or kmeans_tol):
    # finer moves are below the resolution the binning works at.
    kmeans_cell_tol: float = 0.5
    rep_limit: int = 5
    consensus_limit: int = 5
    pca_block: int = 4
    pca_depth: int = 3
    # Residual tolerance relative to the largest eigenvalue: the component's angle error
    # is about tol * lambda_1 / (lambda_2 - lambda_3), far below what moves a k-means
    # assignment, while a warm update still converges after one or two products.
    pca_tol: float = 1e-5
    pca_max_restarts: int = 100
    threads: int = 2


@dataclass
class OpinionState:
    """What one run hands to the next (JSON-serialisable through ``to_json``).

    - ``statement_ids`` / ``basis``: the PCA subspace (statements x b), first two columns
      the components, aligned to ``statement_ids``;
    - ``base_centres``: base-cluster centres (in cluster-id order);
    - ``group_centres``: for each k, the group centres of the last k-clustering;
    - ``last_k`` / ``last_k_count`` / ``smoothed_k``: Polis's group-k smoother;
    - ``sticky_participants``: ids admitted to the conversation by the top-up to 15 or
      while there were fewer than 7 statements, whom Polis keeps in afterwards;
    - ``base_ids`` / ``member_ids`` / ``member_base`` / ``member_rows``: Polis's base
      clusters as it keeps them: an id per base cluster (aligned with ``base_centres``),
      and each in-conversation participant's id, base-cluster id and matrix row (the
      row only speeds up finding the participant again);
    - ``group_ids`` / ``group_of_base``: for each k, the group ids of the k-clustering
      and the group id of each base cluster (aligned with ``base_ids``).

    The members, not only the centres, are what Polis warm-starts from: each cluster is
    re-centred on where its members are now (``clean-start-clusters``).
    """

    statement_ids: list[Any] = field(default_factory=list)
    basis: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    base_centres: np.ndarray = field(default_factory=lambda: np.zeros((0, 2)))
    group_centres: dict[int, np.ndarray] = field(default_factory=dict)
    last_k: int | None = None
    last_k_count: int = 0
    smoothed_k: int | None = None
    sticky_participants: list[Any] = field(default_factory=list)
    base_ids: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    member_ids: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    member_base: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    member_rows: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    group_ids: dict[int, np.ndarray] = field(default_factory=dict)
    group_of_base: dict[int, np.ndarray] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form (floats round-trip exactly through ``json``)."""
        return {
            "statement_ids": [plain(x) for x in self.statement_ids],
            "basis": self.basis.tolist(),
            "base_centres": self.base_centres.tolist(),
            "group_centres": {str(k): v.tolist() for k, v in self.group_centres.items()},
            "last_k": self.last_k,
            "last_k_count": self.last_k_count,
            "smoothed_k": self.smoothed_k,
            "sticky_participants": [plain(x) for x in self.sticky_participants],
            "base_ids": self.base_ids.tolist(),
            "member_ids": [plain(x) for x in np.asarray(self.member_ids).tolist()],
            "member_base": self.member_base.tolist(),
            "member_rows": self.member_rows.tolist(),
            "group_ids": {str(k): v.tolist() for k, v in self.group_ids.items()},
            "group_of_base": {str(k): v.tolist() for k, v in self.group_of_base.items()},
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> OpinionState:
        """Inverse of ``to_dict``."""
        basis = np.asarray(data.get("basis", []), dtype=np.float64)
        if basis.ndim != 2:
            basis = np.zeros((len(data.get("statement_ids", [])), 0))
        return cls(
            statement_ids=list(data.get("statement_ids", [])),
            basis=basis,
            base_centres=np.asarray(data.get("base_centres", []), dtype=np.float64).reshape(-1, 2),
            group_centres={
                int(k): np.asarray(v, dtype=np.float64).reshape(-1, 2)
                for k, v in data.get("group_centres", {}).items()
            },
            last_k=data.get("last_k"),
            last_k_count=int(data.get("last_k_count", 0)),
            smoothed_k=data.get("smoothed_k"),
            sticky_participants=list(data.get("sticky_participants", [])),
            base_ids=_int_array(data.get("base_ids", [])),
            member_ids=np.asarray(data.get("member_ids", [])),
            member_base=_int_array(data.get("member_base", [])),
            member_rows=_int_array(data.get("member_rows", [])),
            group_ids={int(k): _int_array(v) for k, v in data.get("group_ids", {}).items()},
            group_of_base={int(k): _int_array(v) for k, v in data.get("group_of_base", {}).items()},
        )

    def relabelled(
        self, participants: Mapping[Any, Any], statements: Mapping[Any, Any]
    ) -> OpinionState:
        """The same state under other ids (e.g. an imported conversation's own), mapping
        each participant and statement id through the given tables. Ids missing from a
        table are dropped with what belongs to them."""
        keep_s = [i for i, sid in enumerate(self.statement_ids) if sid in statements]
        members = [plain(x) for x in np.asarray(self.member_ids).tolist()]
        keep_m = np.asarray([m in participants for m in members], dtype=bool)
        return replace(
            self,
            statement_ids=[statements[self.statement_ids[i]] for i in keep_s],
            basis=self.basis[keep_s] if self.basis.size else self.basis,
            sticky_participants=[
                participants[p] for p in self.sticky_participants if p in participants
            ],
            member_ids=np.asarray(
                [participants[m] for m, keep in zip(members, keep_m, strict=True) if keep],
                dtype=object,
            ),
            member_base=self.member_base[keep_m],
            # Rows are only a lookup hint; the new matrix has its own order.
            member_rows=np.full(int(keep_m.sum()), -1, dtype=np.int64),
        )

    def to_json(self) -> str:
        """Serialise to a JSON string."""
        return json.dumps(self.to_dict())

    @classmethod
    def from_json(cls, text: str) -> OpinionState:
        """Parse what ``to_json`` wrote."""
        return cls.from_dict(json.loads(text))


def plain(x: Any) -> Any:
    return x.item() if isinstance(x, np.generic) else x


def _int_array(values: Any) -> np.ndarray:
    return np.asarray(values, dtype=np.int64).reshape(-1)
