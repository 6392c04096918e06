"""Principal components of the mean-imputed vote matrix, computed on the sparse matrix.

Polis imputes every unseen cell with its statement's mean vote and then centres every
column on that same mean, so every imputed cell becomes exactly 0. The centred, imputed
matrix is therefore as sparse as the votes themselves: ``X[i, j] = v_ij - mean_j`` where
participant ``i`` voted on ``j``, and 0 elsewhere. Everything here works on that sparse
``X`` and never builds the dense participants x statements matrix.

Polis finds the components by power iteration (100 iterations at most, Gram-Schmidt
deflation for the second component) from a random start vector, and above 10,000
participants by mini-batch updates on unseeded random samples, so its output changes
from run to run. Here the same eigenvectors of ``X^T X`` are found by block subspace
iteration with Rayleigh-Ritz, run to a residual tolerance instead of a fixed count, from
a start block drawn from a seeded generator (cold) or the previous run's subspace
(warm). The result is deterministic and, at convergence, is what Polis's power
iteration converges to.
"""

from __future__ import annotations

import itertools
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

__all__ = ["RowBlocks", "SubspaceResult", "leading_subspace"]

# Row blocks smaller than this are not worth a thread: scipy's sparse products release
# the GIL, so two row blocks on two cores run in parallel, but thread start-up costs
# more than the product on small matrices.
_MIN_NNZ_PER_THREAD = 2_000_000


class RowBlocks:
    """A CSR matrix split into row blocks whose products run on parallel threads.

    ``X @ Q`` and ``X.T @ Y`` are the only operations the PCA needs. Splitting by rows
    keeps each block a plain CSR view (``data`` and ``indices`` are shared, not copied).
    """

    def __init__(self, matrix: sp.csr_matrix, n_threads: int = 2) -> None:
        self.shape: tuple[int, int] = matrix.shape
        nnz = matrix.nnz
        n_blocks = max(1, min(n_threads, nnz // _MIN_NNZ_PER_THREAD))
        # scipy multiplies with one index dtype for indptr and indices; an int64 indptr
        # next to int32 indices would silently upcast (copy) the indices on every block.
        idx_type = np.int32 if nnz < 2**31 else np.int64
        indptr = matrix.indptr.astype(idx_type, copy=False)
        indices = matrix.indices.astype(idx_type, copy=False)
        n_rows = matrix.shape[0]
        # Cut where the cumulative number of stored entries crosses equal shares, so the
        # blocks do equal work even when activity is heavy-tailed.
        cuts = [0]
        for b in range(1, n_blocks):
            cuts.append(int(np.searchsorted(indptr, nnz * b // n_blocks)))
        cuts.append(n_rows)
        self.cuts = cuts
        self.blocks: list[sp.csr_matrix] = []
        for lo, hi in itertools.pairwise(cuts):
            start, stop = int(indptr[lo]), int(indptr[hi])
            block = sp.csr_matrix(
                (matrix.data[start:stop], indices[start:stop], indptr[lo : hi + 1] - start),
                shape=(hi - lo, self.shape[1]),
            )
            self.blocks.append(block)
        self._pool = ThreadPoolExecutor(len(self.blocks)) if len(self.blocks) > 1 else None

    def close(self) -> None:
        """Release the worker threads."""
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None

    def matmul(self, q: np.ndarray) -> np.ndarray:
        """Return ``X @ q`` for a dense ``q`` of shape (n_cols, b)."""
        if self._pool is None:
            return np.asarray(self.blocks[0] @ q)
        parts = list(self._pool.map(lambda blk: np.asarray(blk @ q), self.blocks))
        return np.concatenate(parts, axis=0)

    def rmatmul(self, y: np.ndarray) -> np.ndarray:
        """Return ``X.T @ y`` for a dense ``y`` of shape (n_rows, b)."""
        if self._pool is None:
            return np.asarray(self.blocks[0].T @ y)
        pieces = [
            (blk, y[lo:hi])
            for blk, lo, hi in zip(self.blocks, self.cuts[:-1], self.cuts[1:], strict=True)
        ]
        parts = list(self._pool.map(lambda p: np.asarray(p[0].T @ p[1]), pieces))
        # Summed in block order so the result does not depend on thread timing.
        total = parts[0].copy()
        for part in parts[1:]:
            total += part
        return total


@dataclass(frozen=True)
class SubspaceResult:
    """Converged leading eigenvectors of ``X^T X``.

    ``basis`` holds the whole iterated subspace (columns sorted by eigenvalue, the first
    ``n_components`` are the principal components); keeping it lets the next run start
    from the full subspace, which is what makes warm updates converge in a few steps.
    ``projections`` is ``X @ basis[:, :n_components]`` (not yet sparsity-scaled).
    """

    basis: np.ndarray
    eigenvalues: np.ndarray
    projections: np.ndarray
    iterations: int
    converged: bool


def _orthonormal(block: np.ndarray) -> np.ndarray:
    q, r = np.linalg.qr(block)
    # QR's sign freedom would make the basis depend on LAPACK details; fixing the sign of
    # R's diagonal makes it a function of the input only.
    signs = np.sign(np.diag(r))
    signs[signs == 0] = 1.0
    return q * signs


def _start_block(
    n_cols: int, width: int, start: np.ndarray | None, rng: np.random.Generator
) -> np.ndarray:
    block = rng.standard_normal((n_cols, width))
    if start is not None and start.size:
        use = min(width, start.shape[1])
        block[:, :use] = start[:, :use]
        # A column of the previous basis can be all zero if the previous run had no
        # variance in it; such a column would make QR degenerate, so keep the random one.
        dead = ~np.any(start[:, :use] != 0.0, axis=0)
        block[:, :use][:, dead] = rng.standard_normal((n_cols, int(dead.sum())))
    return _orthonormal(block)


def _rayleigh_ritz(
    k_blocks: list[np.ndarray], a_blocks: list[np.ndarray], width: int, n_comp: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Ritz pairs of ``A`` on the span of ``k_blocks`` (whose images are ``a_blocks``).

    Returns the leading ``width`` Ritz values and vectors, the coefficients expressing
    the vectors in the raw blocks, and the residual norms of the first ``n_comp``.
    """
    k_raw = np.hstack(k_blocks)
    a_raw = np.hstack(a_blocks)
    # Orthonormal basis by SVD, dropping numerically dependent directions (the space
    # can be smaller than the number of columns, e.g. with few statements).
    _, sv, vt = np.linalg.svd(k_raw, full_matrices=False)
    keep = sv > sv[0] * 1e-10
    transform = vt[keep].T / sv[keep]
    basis = k_raw @ transform
    image = a_raw @ transform
    h = basis.T @ image
    evals_all, evecs = np.linalg.eigh(0.5 * (h + h.T))
    order = np.argsort(evals_all)[::-1][:width]
    evals, evecs = evals_all[order], evecs[:, order]
    ritz = basis @ evecs
    residual = image @ evecs[:, :n_comp] - ritz[:, :n_comp] * evals[:n_comp]
    return evals, ritz, transform @ evecs, np.linalg.norm(residual, axis=0)


def leading_subspace(
    x: RowBlocks,
    n_components: int,
    *,
    start: np.ndarray | None = None,
    seed: int = 0,
    block: int = 4,
    depth: int = 3,
    tol: float = 1e-6,
    max_restarts: int = 100,
) -> SubspaceResult:
    """Leading eigenvectors of ``X^T X`` by restarted block Krylov iteration.

    Each restart builds the Krylov space ``[Q, AQ, ..., A^(depth-1) Q]`` of the current
    block ``Q`` (``A = X^T X``, applied as ``X^T (X Q)``), and takes the Rayleigh-Ritz
    vectors of ``A`` on it; the leading ``block`` of them restart the next round. This
    converges far faster per product than plain power (subspace) iteration, and from the
    previous run's subspace a warm update usually needs one restart.

    ``start`` (n_cols x b) warm-starts the iteration; missing columns are drawn from
    ``numpy.random.default_rng(seed)``. Iteration stops when each of the first
    ``n_components`` Ritz pairs has a residual ``||A v - lambda v||`` at most
    ``tol * lambda_1``. The signs of the returned components are not normalised here.
    """
    n_rows, n_cols = x.shape
    rank_cap = min(n_rows, n_cols)
    n_comp = min(n_components, rank_cap)
    width = max(n_comp, min(block, rank_cap))
    if n_comp == 0:
        return SubspaceResult(np.zeros((n_cols, 0)), np.zeros(0), np.zeros((n_rows, 0)), 0, True)
    rng = np.random.default_rng(seed)
    q = _start_block(n_cols, width, start, rng)
    converged = False
    restarts = 0
    evals = np.zeros(width)
    y_ritz = np.zeros((n_rows, n_comp))
    ritz = q
    for restarts in range(1, max_restarts + 1):  # noqa: B007 - the count is reported
        k_blocks: list[np.ndarray] = []
        a_blocks: list[np.ndarray] = []
        y_blocks: list[np.ndarray] = []
        current = q
        for level in range(depth):
            y = x.matmul(current)
            k_blocks.append(current)
            a_blocks.append(x.rmatmul(y))
            y_blocks.append(y)
            # Rayleigh-Ritz on the Krylov space built so far: cheap next to a product,
            # and it lets a warm start stop after a single product.
            evals, ritz, coeff, res_norm = _rayleigh_ritz(k_blocks, a_blocks, width, n_comp)
            scale = max(float(evals[0]), 0.0)
            if scale == 0.0 or np.all(res_norm <= tol * scale):
                converged = True
                break
            if level < depth - 1:
                # Only rescaled here; _rayleigh_ritz orthonormalises the whole space.
                current = _orthonormal(a_blocks[-1])
        q = ritz
        if converged:
            # Only the components' projections are needed: sum the blocks' shares
            # instead of stacking every n_rows x b block into one big array first.
            y_ritz = np.zeros((n_rows, n_comp))
            offset = 0
            for y in y_blocks:
                y_ritz += y @ coeff[offset : offset + y.shape[1], :n_comp]
                offset += y.shape[1]
            break
        q = _orthonormal(ritz)
    else:
        y_ritz = x.matmul(q[:, :n_comp])
    evals = np.maximum(evals, 0.0)
    if evals[0] == 0.0:
        # No variance at all (every vote equals its statement mean): Polis's power
        # iteration yields zero vectors here, and so every projection is the origin.
        q = np.zeros_like(q)
        y_ritz = np.zeros_like(y_ritz)
    return SubspaceResult(
        basis=q,
        eigenvalues=evals,
        projections=y_ritz[:, :n_comp],
        iterations=restarts,
        converged=converged,
    )
