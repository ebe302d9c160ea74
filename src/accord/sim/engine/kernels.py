"""Small array kernels shared by the engines, written once against an array namespace ``xp``.

Every batch function takes the array namespace ``xp`` (:mod:`accord.sim.engine.arrays`) and uses only
operations that NumPy and PyTorch both offer (indexing, ``where``, ``maximum``, comparisons,
integer arithmetic), so the strategies are written once for every array namespace.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from accord.sim.engine.arrays import Array, ArrayNamespace
from accord.sim.scenarios.scenario import FloatArray, IntArray


def search_scalar(row: FloatArray, value: float, *, strict: bool = False) -> int:
    """First position in the ascending ``row`` whose entry is ``>= value`` (``> value`` when
    ``strict``); ``len(row)`` when there is none. The reference twin of :func:`search_batch`."""
    return int(np.searchsorted(row, value, side="right" if strict else "left"))


def search_batch(
    xp: ArrayNamespace, rows: Array, counts: Array, sid: Array, values: Array, *, strict: bool = False
) -> Array:
    """:func:`search_scalar` for many rows at once, by a fixed number of bisection steps.

    rows: ``(S, m)`` ascending rows, padded past ``counts`` with ``+inf``.
    sid: ``(b,)`` which row each query reads; values: ``(b,)`` the queries.

    Examples
    --------
    >>> rows = np.array([[0.1, 0.5, 0.9], [0.2, np.inf, np.inf]])
    >>> from accord.sim.engine.arrays import NUMPY
    >>> search_batch(NUMPY, rows, np.array([3, 1]), np.array([0, 0, 1]), np.array([0.5, 0.5, 0.1])).tolist()
    [1, 1, 0]
    """
    lo = xp.zeros_like(sid)
    hi = counts[sid]
    width = int(rows.shape[1])
    steps = max(1, width.bit_length())
    for _ in range(steps):
        active = lo < hi
        mid = (lo + hi) // 2
        mid_safe = xp.where(active, mid, 0)
        entry = rows[sid, mid_safe]
        go_right = (entry <= values) if strict else (entry < values)
        lo = xp.where(active & go_right, mid + 1, lo)
        hi = xp.where(active & ~go_right, mid, hi)
    return lo


def pad_rows(rows: Sequence[NDArray[Any]], fill: float) -> tuple[NDArray[Any], IntArray]:
    """Stack 1-D arrays of different lengths into ``(S, max_len)`` padded with ``fill``."""
    width = max(1, max((r.shape[0] for r in rows), default=1))
    out = np.full((len(rows), width), fill, dtype=np.result_type(*(r.dtype for r in rows)) if rows else float)
    for i, r in enumerate(rows):
        out[i, : r.shape[0]] = r
    return out, np.array([r.shape[0] for r in rows], dtype=np.int64)
