"""The additive frontier fold: combine issues one at a time, never enumerating the space.

With additive utilities ``u(c) = offset + sum_i t_i[c_i]``, a partial package over the first
issues that is dominated stays dominated whatever the remaining issues add, so after each issue
only non-dominated partial utility vectors need to be kept (the dynamic programming of
multi-objective multiple-choice problems; Bazgan, Hugot & Vanderpooten 2009, Computers & OR
36(1)). Partials equal in utility are merged into one point with one back-pointer per way of
reaching it, so the outcomes reaching each final point (ties) are recovered by walking back.

Floating point. Sums are formed in table order, as in enumeration, so the final utilities are
bit-identical to the enumerated ones. Rounding is monotone, so ``q >= p`` on partials survives
any later addition; a *strict* gain smaller than the rounding error can vanish, though. So
intermediate steps drop a partial only when another beats it by more than ``tol`` (a bound on
the rounding error of the remaining additions), and the last step uses exact dominance: the
result is exactly the frontier of the enumerated utilities, every tying outcome included.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from accord.analysis.dominance import group_points, lowest, nondominated_mask, plus
from accord.analysis.space import rounding_margin
from accord.prefs.tables import UtilityTables

FloatArray = NDArray[Any]
"""Utilities: floats, or the integers of exact tables."""
IntArray = NDArray[np.int64]
Step = tuple[IntArray, IntArray, IntArray]
"""One issue's back-pointers: for each entry, its parent point, its option, its new point."""


def _step_2d(front: FloatArray, table: FloatArray, tol: float) -> tuple[FloatArray, IntArray, IntArray]:
    """Two parties: add every option to every partial, keep the non-dominated ones, merge ties.

    Candidates are sorted by (first utility, second utility) descending, then swept: a candidate
    goes when some candidate with a first utility ``> x + tol`` has a second utility ``>= y``, or
    one with a first utility ``>= x`` has a second utility ``> y + tol`` (Kung et al. 1975).
    Returns the new front (sorted), and for each kept candidate its flat index and its point.
    """
    x = np.add.outer(front[:, 0], table[:, 0]).ravel()
    y = np.add.outer(front[:, 1], table[:, 1]).ravel()
    order = np.lexsort((-y, -x))
    nx = -x[order]
    ys = y[order]
    best = np.empty(ys.shape[0] + 1, dtype=ys.dtype)
    best[0] = lowest(ys.dtype)
    np.maximum.accumulate(ys, out=best[1:])
    dominated = best[np.searchsorted(nx, plus(nx, -tol), side="left")] >= ys
    dominated |= best[np.searchsorted(nx, nx, side="right")] > plus(ys, tol)
    kept = np.flatnonzero(~dominated)
    kx, ky = nx[kept], ys[kept]
    new = np.empty(kept.shape[0], dtype=bool)
    new[:1] = True
    np.not_equal(kx[1:], kx[:-1], out=new[1:])
    new[1:] |= ky[1:] != ky[:-1]
    point = np.cumsum(new) - 1
    out = np.stack((-kx[new], ky[new]), axis=1)
    return out, order[kept], point


def _step_nd(front: FloatArray, table: FloatArray, tol: float) -> tuple[FloatArray, IntArray, IntArray]:
    """Any number of parties: as :func:`_step_2d`, with the presorted block filter."""
    k = front.shape[1]
    candidates = (front[:, None, :] + table[None, :, :]).reshape(-1, k)
    kept = np.flatnonzero(nondominated_mask(candidates, tol))
    out, point = group_points(candidates[kept])
    by_point = np.argsort(point, kind="stable")
    return out, kept[by_point], point[by_point]


def fold_steps(tables: UtilityTables) -> tuple[FloatArray, list[int], list[Step]]:
    """Run the fold; return the frontier points, outcome counts per point, and back-pointers.

    In every step the entries are sorted by the point they reach.
    """
    k = tables.n_parties
    tol = rounding_margin(tables)
    front = tables.offset[None, :].copy()
    exact_ints = tables.n_outcomes < 2**62
    counts: NDArray[Any] = np.ones(1, dtype=np.int64 if exact_ints else object)
    steps: list[Step] = []
    last = len(tables.tables) - 1
    for i, table in enumerate(tables.tables):
        margin = 0.0 if i == last else tol
        options = np.flatnonzero(nondominated_mask(table, margin))
        m = options.shape[0]
        step = _step_2d if k == 2 else _step_nd
        front, kept, point = step(front, table[options], margin)
        parent = kept // m
        starts = np.flatnonzero(np.diff(point, prepend=-1))
        counts = np.add.reduceat(counts[parent], starts)
        steps.append((parent, options[kept % m], point))
    return front, [int(c) for c in counts], steps


def expand(steps: list[Step], n_points: int, representatives_only: bool) -> tuple[IntArray, IntArray]:
    """Walk the back-pointers from the final points to ``(choices, point_of)``.

    With ``representatives_only`` each point yields one outcome (its first way of being reached);
    otherwise every outcome reaching a point is listed.
    """
    n_issues = len(steps)
    node = np.arange(n_points, dtype=np.int64)
    point_of = node.copy()
    columns: list[IntArray] = []
    for parent, option, point in reversed(steps):
        starts = np.searchsorted(point, node, side="left")
        if representatives_only or point.shape[0] == int(point[-1]) + 1:
            entry = starts  # one entry per point: nothing to fan out
        else:
            degree = np.searchsorted(point, node, side="right") - starts
            rows = np.repeat(np.arange(node.shape[0]), degree)
            within = np.arange(rows.shape[0]) - np.repeat(np.cumsum(degree) - degree, degree)
            entry = starts[rows] + within
            columns = [c[rows] for c in columns]
            point_of = point_of[rows]
        columns.append(option[entry])
        node = parent[entry]
    choices = np.stack(columns[::-1], axis=1) if n_issues else np.zeros((n_points, 0), dtype=np.int64)
    return choices.astype(np.int64), point_of


def fold_frontier(
    tables: UtilityTables, max_outcomes: int | None
) -> tuple[FloatArray, list[int], IntArray, IntArray, bool]:
    """Frontier points (descending), counts, listed outcomes, their points, and completeness."""
    front, int_counts, steps = fold_steps(tables)
    complete = max_outcomes is None or sum(int_counts) <= max_outcomes
    choices, point_of = expand(steps, front.shape[0], representatives_only=not complete)
    return front, int_counts, choices, point_of, complete
