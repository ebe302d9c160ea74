"""Pareto dominance over a small utility matrix, for the simulator's own needs.

A simple ``O(n * f)`` skyline sweep; the analysis package owns the fast frontier kernels.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray


def pareto_mask(U: NDArray[np.float64]) -> NDArray[np.bool_]:
    """Which rows of ``U: (n, k)`` no other row Pareto-dominates (duplicates all kept).

    Rows are visited by decreasing utility sum, so a row can only be dominated by a row already
    kept; each new row is checked against the kept rows only.

    Examples
    --------
    >>> pareto_mask(np.array([[1.0, 0.0], [0.5, 0.5], [0.4, 0.4], [0.0, 1.0]])).tolist()
    [True, True, False, True]
    """
    U = np.asarray(U, dtype=np.float64)
    n = U.shape[0]
    mask = np.zeros(n, dtype=bool)
    if n == 0:
        return mask
    if U.shape[1] == 2:
        return _pareto_mask_2d(U)
    order = np.lexsort((*tuple(-U[:, j] for j in reversed(range(U.shape[1]))), -U.sum(axis=1)))
    kept: list[int] = []
    for i in order:
        row = U[i]
        if kept:
            K = U[kept]
            if np.any(np.all(row <= K, axis=1) & np.any(row < K, axis=1)):
                continue
        kept.append(int(i))
    mask[kept] = True
    return mask


def nash_index(U: NDArray[np.float64], disagreement: NDArray[np.float64]) -> int:
    """The outcome maximising the product of gains over the disagreement point (Nash 1950),
    among outcomes no worse than it for anyone; ``-1`` when there is none.

    Examples
    --------
    >>> nash_index(np.array([[1.0, 0.0], [0.6, 0.5], [0.0, 1.0]]), np.zeros(2))
    1
    """
    gains = np.asarray(U, dtype=np.float64) - disagreement
    ok = np.all(gains >= 0, axis=1)
    if not ok.any():
        return -1
    product = np.where(ok, np.prod(np.clip(gains, 0, None), axis=1), -1.0)
    return int(np.argmax(product))


def _pareto_mask_2d(U: NDArray[np.float64]) -> NDArray[np.bool_]:
    """Two columns: sort by ``u0`` then ``u1`` (both descending) and compare with the running
    maximum of ``u1`` over the rows before; ``O(n log n)``."""
    n = U.shape[0]
    order = np.lexsort((-U[:, 1], -U[:, 0]))
    u0, u1 = U[order, 0], U[order, 1]
    before = np.concatenate(([-np.inf], np.maximum.accumulate(u1)[:-1]))
    is_new_max = u1 > before
    # index of the earliest row holding the running maximum (a strict new maximum starts it)
    holder = np.maximum.accumulate(np.where(is_new_max, np.arange(n), 0))
    holder_before = np.concatenate(([0], holder[:-1]))
    dominated = (before > u1) | ((before == u1) & (u0[holder_before] > u0))
    mask = np.zeros(n, dtype=bool)
    mask[order[~dominated]] = True
    return mask
