"""In-memory nearest-neighbour search beside the vec0 table.

sqlite-vec's brute-force KNN costs about 37 ms at 100k rows, and numpy's
float matrix product about 12 ms here, over the 10 ms budget. Above
`EXACT_LIMIT` rows the index first ranks by Hamming distance between sign bits
(48 bytes a row, a few ms at 100k), then re-ranks a shortlist with the exact
float vectors. Small indexes (the real base has ~600 rows) are searched exactly.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from rustcoder.models.embedder import DIM

EXACT_LIMIT = 20_000
SHORTLIST = 400


class VectorIndex:
    """Row ids and unit vectors; `search` returns (ids, cosine similarities), best first."""

    def __init__(self) -> None:
        self.ids: npt.NDArray[np.int64] = np.zeros(0, dtype=np.int64)
        self.vectors: npt.NDArray[np.float32] = np.zeros((0, DIM), dtype=np.float32)
        #: Sign bits, one row per 64 dimensions (column-major: each row is contiguous).
        self._cols: npt.NDArray[np.uint64] = np.zeros((DIM // 64, 0), dtype=np.uint64)

    def __len__(self) -> int:
        return int(self.ids.shape[0])

    @property
    def max_id(self) -> int:
        return int(self.ids.max()) if len(self) else 0

    def add(self, ids: npt.ArrayLike, vectors: npt.ArrayLike) -> None:
        new_ids = np.asarray(ids, dtype=np.int64)
        new_vecs = np.asarray(vectors, dtype=np.float32).reshape(-1, DIM)
        self.ids = np.concatenate([self.ids, new_ids])
        self.vectors = np.concatenate([self.vectors, new_vecs])
        self._cols = np.ascontiguousarray(
            np.concatenate([self._cols, _sign_bits(new_vecs).T], axis=1)
        )

    def search(
        self, query: npt.NDArray[np.float32], k: int, rows: npt.NDArray[np.int64] | None = None
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]:
        """The `k` nearest rows; `rows` (positions, not ids) restricts the search."""
        n = len(self)
        if n == 0 or k <= 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        pool = n if rows is None else len(rows)
        if pool == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        if pool > EXACT_LIMIT:
            cols = self._cols if rows is None else self._cols[:, rows]
            distance = _hamming(cols, _sign_bits(query[None, :])[0])
            short = min(max(SHORTLIST, k * 4), pool)
            picked = np.argpartition(distance, short - 1)[:short]
            rows = picked if rows is None else rows[picked]
        # einsum, not BLAS: a matrix-vector product is memory-bound, and OpenBLAS's
        # threads made it 10x slower on a busy 2-core machine.
        if rows is None:
            sims = np.einsum("ij,j->i", self.vectors, query)
            candidates = np.arange(n)
        else:
            sims = np.einsum("ij,j->i", self.vectors[rows], query)
            candidates = rows
        k = min(k, len(candidates))
        top = np.argpartition(-sims, k - 1)[:k]
        top = top[np.argsort(-sims[top], kind="stable")]
        return self.ids[candidates[top]], sims[top].astype(np.float32)


def _hamming(cols: npt.NDArray[np.uint64], query: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint16]:
    """Hamming distances, one contiguous 64-bit column at a time (8x faster than by rows)."""
    n = cols.shape[1]
    scratch = np.empty(n, dtype=np.uint64)
    total = np.zeros(n, dtype=np.uint16)
    for k in range(cols.shape[0]):
        np.bitwise_xor(cols[k], query[k], out=scratch)
        total += np.bitwise_count(scratch)
    return total


def _sign_bits(vectors: npt.NDArray[np.float32]) -> npt.NDArray[np.uint64]:
    packed = np.packbits(vectors > 0, axis=1)
    return np.ascontiguousarray(packed).view(np.uint64)
