"""Dominance filters on point sets: which utility vectors no other vector beats.

Notation: ``P: (n, k)`` holds ``n`` utility vectors of ``k`` parties, all maximised. ``q``
*dominates* ``p`` when ``q >= p`` in every column and ``q > p`` in at least one. With a margin
``tol >= 0``, ``q`` *dominates ``p`` by more than ``tol``* when ``q >= p`` everywhere and
``q_j > p_j + tol`` for some ``j``; ``tol = 0`` is plain dominance. Equal vectors never dominate
each other, so every copy of a non-dominated vector is kept.

The fast filters here are exact (they return the same mask as the quadratic reference
:func:`nondominated_mask_naive`); speed comes from sorting and from cheap exact pre-filters:

- two parties: sort by the first utility and sweep a running maximum of the second, the
  classic O(n log n) maxima algorithm of Kung, Luccio & Preparata (1975), "On finding the maxima
  of a set of vectors", J. ACM 22(4);
- three or more parties: visit points in an order that extends dominance (total utility, then
  lexicographic), so a point can only be dominated by points visited before it, and test each
  block against the non-dominated points found so far (the "sort-filter-skyline" of Chomicki,
  Godfrey, Gryz & Liang (2003), "Skyline with presorting", ICDE);
- large inputs: a grid pre-filter drops points that some point in a strictly higher cell
  dominates (every such drop is a true dominance, so the result stays exact).

Every filter works on any ordered dtype: floats, ``int64``, and Python integers in object arrays
(exact utilities, :mod:`accord.prefs.exact`). A margin ``tol > 0`` is for floats only. Python
integers are first replaced by their rank in each column (:func:`exact_ranks`): dominance depends
on each column's order only, and ranks keep it, ties included, so the filters then compare int64.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[Any]
"""Utility vectors: floats, or exact integers (``int64`` or Python ints in an object array)."""
BoolArray = NDArray[np.bool_]

_GRID_MIN_POINTS = 4096
_GRID_CHUNK = 1 << 16
_BLOCK = 512
_PAIR_BUDGET = 1 << 18


def lowest(dtype: np.dtype[Any]) -> Any:
    """A value below every utility of ``dtype`` (a sentinel for running maxima)."""
    if np.issubdtype(dtype, np.integer):
        return np.iinfo(dtype).min
    return -np.inf  # floats; in object arrays it compares with Python integers exactly


def plus(values: Any, tol: float) -> Any:
    """``values + tol``, leaving exact values untouched when ``tol`` is 0 (adding a float 0.0
    would turn integers into rounded floats)."""
    return values if tol == 0 else values + tol


def exact_ranks(P: FloatArray) -> NDArray[np.int64]:
    """Each value's rank among its column's distinct values: the same order and the same ties,
    as ``int64`` (``O(k n log n)`` comparisons of the original values).

    Examples
    --------
    >>> exact_ranks(np.array([[2**70, 5], [3, 5], [2**70 + 1, 4]], dtype=object)).tolist()
    [[1, 1], [0, 1], [2, 0]]
    """
    ranks = np.empty(P.shape, dtype=np.int64)
    for j in range(P.shape[1]):
        ranks[:, j] = np.unique(P[:, j], return_inverse=True)[1].reshape(-1)
    return ranks


def nondominated_mask_naive(P: FloatArray, tol: float = 0.0) -> BoolArray:
    """Reference twin: test every pair, O(n^2 k) time and memory per row.

    Parameters
    ----------
    P : (n, k) array of utility vectors (maximised).
    tol : margin; a point is dropped only if some point dominates it by more than ``tol``.

    Returns
    -------
    (n,) bool array, True where no other point dominates the row.

    Examples
    --------
    >>> nondominated_mask_naive(np.array([[1.0, 0.0], [0.0, 1.0], [0.0, 0.5], [1.0, 0.0]])).tolist()
    [True, True, False, True]
    """
    n, k = P.shape
    keep = np.ones(n, dtype=bool)
    for i in range(n):
        at_least = np.ones(n, dtype=bool)
        better = np.zeros(n, dtype=bool)
        for j in range(k):
            at_least &= P[:, j] >= P[i, j]
            better |= P[:, j] > plus(P[i, j], tol)
        keep[i] = not np.any(at_least & better)
    return keep


def nondominated_mask(P: FloatArray, tol: float = 0.0) -> BoolArray:
    """Mask of the rows of ``P`` that no row dominates (by more than ``tol``); exact.

    Two parties use a sort-and-sweep; three or more a presorted block filter; both after a
    grid pre-filter on large inputs (see the module docstring for sources).

    Parameters
    ----------
    P : (n, k) array of utility vectors (maximised), finite.
    tol : margin, ``>= 0``.

    Returns
    -------
    (n,) bool array, equal to ``nondominated_mask_naive(P, tol)``.

    Examples
    --------
    >>> nondominated_mask(np.array([[1.0, 0.0], [0.0, 1.0], [0.0, 0.5], [1.0, 0.0]])).tolist()
    [True, True, False, True]
    """
    n, k = P.shape
    if n == 0:
        return np.zeros(0, dtype=bool)
    if P.dtype == object:
        if tol != 0:
            raise ValueError("a margin is for float utilities; exact ones are compared exactly")
        P = exact_ranks(P)
    if k == 1:
        top = P[:, 0].max()
        best: BoolArray = P[:, 0] >= (top if tol == 0 else top - tol)
        return best
    keep = np.ones(n, dtype=bool)
    if n >= _GRID_MIN_POINTS:
        keep = grid_prefilter(P, tol)
    rows = np.flatnonzero(keep)
    sub = P[rows]
    inner = _mask_2d(sub, tol) if k == 2 else _mask_blocks(sub, tol)
    keep[rows] = inner
    return keep


def _mask_2d(P: FloatArray, tol: float) -> BoolArray:
    """Sort by the first utility and compare each point with the best second utility above it."""
    order = np.argsort(-P[:, 0])
    x = P[order, 0]
    y = P[order, 1]
    neg_x = -x
    best = np.empty(y.shape[0] + 1, dtype=y.dtype)
    best[0] = lowest(y.dtype)
    np.maximum.accumulate(y, out=best[1:])
    # some q with q0 > p0 + tol and q1 >= p1
    above = np.searchsorted(neg_x, -plus(x, tol), side="left")
    dominated = best[above] >= y
    # some q with q0 >= p0 and q1 > p1 + tol
    level = np.searchsorted(neg_x, neg_x, side="right")
    dominated |= best[level] > plus(y, tol)
    keep = np.empty(P.shape[0], dtype=bool)
    keep[order] = ~dominated
    return keep


def dominance_order(P: FloatArray) -> NDArray[np.intp]:
    """An order of the rows in which every dominator comes before what it dominates.

    Sorting by total utility (descending) and then lexicographically (descending) extends the
    dominance order: if ``q`` dominates ``p`` then ``sum(q) >= sum(p)`` in floating point
    (rounding is monotone) and, on equal sums, ``q`` is lexicographically larger.
    """
    keys = tuple(-P[:, j] for j in reversed(range(P.shape[1])))
    return np.lexsort((*keys, -P.sum(axis=1)))


def dominated_by_any(F: FloatArray, C: FloatArray, tol: float) -> BoolArray:
    """For each row of ``C``, whether some row of ``F`` dominates it by more than ``tol``."""
    out = np.zeros(C.shape[0], dtype=bool)
    if F.shape[0] == 0 or C.shape[0] == 0:
        return out
    step = max(1, _PAIR_BUDGET // max(1, C.shape[0]))
    alive = np.arange(C.shape[0])
    for start in range(0, F.shape[0], step):
        f = F[start : start + step, None, :]
        c = C[None, alive, :]
        hit = np.any(np.all(f >= c, axis=2) & np.any(f > plus(c, tol), axis=2), axis=0)
        out[alive[hit]] = True
        alive = alive[~hit]
        if alive.size == 0:
            break
    return out


def _mask_blocks(P: FloatArray, tol: float) -> BoolArray:
    """Presorted block filter for any number of parties (Chomicki et al. 2003)."""
    n = P.shape[0]
    order = dominance_order(P)
    S = P[order]
    kept_rows: list[NDArray[np.intp]] = []
    front = np.empty((0, P.shape[1]), dtype=P.dtype)
    for start in range(0, n, _BLOCK):
        block = S[start : start + _BLOCK]
        alive = np.flatnonzero(~dominated_by_any(front, block, tol))
        cand = block[alive]
        # later points in the order never dominate earlier ones, so comparing the block with
        # itself in full is enough (and equal rows do not dominate each other)
        inner = ~dominated_by_any(cand, cand, tol)
        rows = alive[inner]
        if rows.size:
            kept_rows.append(rows + start)
            front = np.concatenate((front, block[rows]))
    keep = np.zeros(n, dtype=bool)
    if kept_rows:
        keep[order[np.concatenate(kept_rows)]] = True
    return keep


def grid_prefilter(P: FloatArray, tol: float = 0.0, cells: int = 1 << 16) -> BoolArray:
    """Exact pre-filter: drop points dominated by a point in a strictly higher grid cell.

    The first ``k - 1`` utilities are cut into equal-width bins (a monotone map, so a higher bin
    means a strictly higher utility). For each cell the best last utility is recorded and carried
    down to every cell below it in all ``k - 1`` coordinates. A point whose last utility is at
    most the best of the cells strictly above it is dominated; every other point is kept. With a
    margin ``tol > 0`` only cells at least two bins higher count, and only if a bin is wider than
    ``tol``, so each drop is a dominance by more than ``tol``.

    With more parties than a grid of ``cells`` can cut into at least two bins per coordinate
    (``k > 17`` by default), nothing is dropped.

    Returns
    -------
    (n,) bool mask, True for points that may be non-dominated (a superset of the frontier).
    """
    n, k = P.shape
    dims = k - 1
    side = round(cells ** (1.0 / dims))
    if side < 2:
        return np.ones(n, dtype=bool)
    shift = 1 if tol == 0 else 2
    bounds = []
    for j in range(dims):
        lo = float(P[:, j].min())
        hi = float(P[:, j].max())
        if not (hi - lo) / side > tol:
            return np.ones(n, dtype=bool)
        bounds.append((lo, side / (hi - lo)))

    def cells_of(rows: FloatArray) -> NDArray[np.intp]:
        flat = np.zeros(rows.shape[0], dtype=np.intp)
        for j, (lo, scale) in enumerate(bounds):
            b = ((rows[:, j] - lo) * scale).astype(np.intp)
            np.minimum(b, side - 1, out=b)
            flat *= side
            flat += b
        return flat

    # chunks keep the temporaries in cache; the cells are cheap to compute twice
    best = np.full(side**dims, lowest(P.dtype), dtype=P.dtype)
    for start in range(0, n, _GRID_CHUNK):
        rows = P[start : start + _GRID_CHUNK]
        np.maximum.at(best, cells_of(rows), rows[:, dims])
    grid = best.reshape((side,) * dims)
    # best over the cells `shift` or more bins above in every coordinate: shift, then suffix maxima
    above = np.full_like(grid, lowest(P.dtype))
    above[(slice(0, -shift),) * dims] = grid[(slice(shift, None),) * dims]
    for axis in range(dims):
        above = np.flip(np.maximum.accumulate(np.flip(above, axis), axis=axis), axis)
    above_flat = above.reshape(-1)
    keep = np.empty(n, dtype=bool)
    for start in range(0, n, _GRID_CHUNK):
        rows = P[start : start + _GRID_CHUNK]
        keep[start : start + rows.shape[0]] = rows[:, dims] > above_flat[cells_of(rows)]
    return keep


def lex_desc(P: FloatArray) -> NDArray[np.intp]:
    """Row order sorting ``P`` descending by its first column, then the next, and so on."""
    return np.lexsort(tuple(-P[:, j] for j in reversed(range(P.shape[1]))))


def group_points(P: FloatArray) -> tuple[FloatArray, NDArray[np.int64]]:
    """Distinct rows of ``P`` (in :func:`lex_desc` order) and, per row, the index of its group.

    Examples
    --------
    >>> pts, grp = group_points(np.array([[0.0, 1.0], [1.0, 0.0], [0.0, 1.0]]))
    >>> pts.tolist(), grp.tolist()
    ([[1.0, 0.0], [0.0, 1.0]], [1, 0, 1])
    """
    if P.shape[0] == 0:
        return P.copy(), np.zeros(0, dtype=np.int64)
    order = lex_desc(P)
    S = P[order]
    new = np.ones(S.shape[0], dtype=bool)
    new[1:] = np.any(S[1:] != S[:-1], axis=1)
    group = np.empty(P.shape[0], dtype=np.int64)
    group[order] = np.cumsum(new) - 1
    return S[new], group
