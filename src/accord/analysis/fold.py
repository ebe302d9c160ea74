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

import numpy as np
from numpy.typing import NDArray

from accord.analysis.dominance import group_points, nondominated_mask
from accord.prefs.tables import UtilityTables

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
Step = tuple[IntArray, IntArray, IntArray]
"""One issue's back-pointers: for each entry, its parent point, its option, its new point."""


def rounding_margin(tables: UtilityTables) -> float:
    """A bound on the total rounding error of summing the tables in order (``>= 0``)."""
    magnitude = float(np.max(np.abs(tables.offset), initial=0.0))
    magnitude += sum(float(np.max(np.abs(t), initial=0.0)) for t in tables.tables)
    return 4.0 * (len(tables.tables) + 2) * float(np.finfo(np.float64).eps) * magnitude


def fold_steps(tables: UtilityTables) -> tuple[FloatArray, list[object], list[Step]]:
    """Run the fold; return the frontier points, outcome counts per point, and back-pointers."""
    k = tables.n_parties
    tol = rounding_margin(tables)
    front = tables.offset[None, :].copy()
    counts: NDArray[np.object_] = np.array([1], dtype=object)
    steps: list[Step] = []
    last = len(tables.tables) - 1
    for i, table in enumerate(tables.tables):
        margin = 0.0 if i == last else tol
        options = np.flatnonzero(nondominated_mask(table, margin)).astype(np.int64)
        m = options.shape[0]
        candidates = (front[:, None, :] + table[options][None, :, :]).reshape(-1, k)
        kept = np.flatnonzero(nondominated_mask(candidates, margin)).astype(np.int64)
        front, point = group_points(candidates[kept])
        parent = kept // m
        new_counts: NDArray[np.object_] = np.zeros(front.shape[0], dtype=object)
        np.add.at(new_counts, point, counts[parent])
        counts = new_counts
        steps.append((parent, options[kept % m], point))
    return front, list(counts), steps


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
        order = np.argsort(point, kind="stable")
        degree = np.bincount(point)
        starts = np.concatenate(([0], np.cumsum(degree)[:-1]))
        if representatives_only:
            entry = order[starts[node]]
            keep_rows = np.arange(node.shape[0])
        else:
            reps = degree[node]
            keep_rows = np.repeat(np.arange(node.shape[0]), reps)
            within = np.arange(keep_rows.shape[0]) - np.repeat(np.cumsum(reps) - reps, reps)
            entry = order[starts[node][keep_rows] + within]
        columns = [c[keep_rows] for c in columns]
        point_of = point_of[keep_rows]
        columns.append(option[entry])
        node = parent[entry]
    choices = np.stack(columns[::-1], axis=1) if n_issues else np.zeros((n_points, 0), dtype=np.int64)
    return choices.astype(np.int64), point_of


def fold_frontier(
    tables: UtilityTables, max_outcomes: int | None
) -> tuple[FloatArray, list[int], IntArray, IntArray, bool]:
    """Frontier points (descending), counts, listed outcomes, their points, and completeness."""
    front, counts, steps = fold_steps(tables)
    int_counts = [int(c) for c in counts]  # type: ignore[call-overload]
    complete = max_outcomes is None or sum(int_counts) <= max_outcomes
    choices, point_of = expand(steps, front.shape[0], representatives_only=not complete)
    return front, int_counts, choices, point_of, complete
