"""The two-party additive fold in plain Python, for small fronts.

Same algorithm and same floating-point sums as :mod:`accord.analysis.fold` (and so the same
result, bit for bit); on fronts of a few hundred points NumPy's per-call overhead dominates,
and plain lists are several times faster. :func:`fold_2d_small` gives up (returns None) as soon
as a step has more than ``limit`` candidates, and the caller falls back to the NumPy fold.
"""

from __future__ import annotations

from itertools import accumulate
from operator import itemgetter

import numpy as np
from numpy.typing import NDArray

from accord.prefs.tables import UtilityTables

Item = tuple[tuple[int, int], float, float]
"""A candidate: (parent point, option), first utility, second utility."""

SMALL_LIMIT = 512
EPS = float(np.finfo(np.float64).eps)


def prune_2d(items: list[Item], tol: float) -> list[Item]:
    """Items no other item dominates by more than ``tol``, sorted by utilities descending.

    The sweep of Kung, Luccio & Preparata (1975), as in :func:`accord.analysis.fold._step_2d`:
    an item goes when an item with a first utility ``> x + tol`` has a second one ``>= y``, or
    one with a first utility ``>= x`` (at best the head of its group of equal ``x``, as ties
    are sorted by ``y`` descending) has a second one ``> y + tol``.
    """
    items = sorted(items, key=itemgetter(1, 2), reverse=True)  # stable, like the NumPy lexsort
    if not items:
        return items
    _, xs, ys = zip(*items, strict=True)
    best = list(accumulate(ys, max))
    n = len(items)
    kept = []
    above = 0  # items with a first utility > x + tol form a prefix that only grows
    head = 0
    for i in range(n):
        x, y = xs[i], ys[i]
        if x != xs[head]:
            head = i
        while xs[above] > x + tol:
            above += 1
        if (above and best[above - 1] >= y) or best[head] > y + tol:
            continue
        kept.append(items[i])
    return kept


def fold_2d_small(
    tables: UtilityTables, max_outcomes: int | None, limit: int = SMALL_LIMIT
) -> tuple[NDArray[np.float64], list[int], NDArray[np.int64], NDArray[np.int64], bool] | None:
    """Two-party fold on lists; same return value as :func:`accord.analysis.fold.fold_frontier`."""
    x0, y0 = (float(v) for v in tables.offset)
    all_rows = [t.tolist() for t in tables.tables]
    # rounding_margin(tables), computed on lists: the same floats in the same order
    magnitude = max(abs(x0), abs(y0)) + sum(
        max((abs(v) for r in rows for v in r), default=0.0) for rows in all_rows
    )
    tol = 4.0 * (len(all_rows) + 2) * EPS * magnitude
    front: list[tuple[float, float]] = [(x0, y0)]
    counts = [1]
    steps: list[list[list[tuple[int, int]]]] = []
    last = len(tables.tables) - 1
    for i, rows in enumerate(all_rows):
        margin = 0.0 if i == last else tol
        options = prune_2d([((0, o), r[0], r[1]) for o, r in enumerate(rows)], margin)
        options.sort(key=lambda c: c[0][1])  # option order, as the NumPy fold lists ties
        if len(front) * len(options) > limit:
            return None
        candidates = [
            ((p, key[1]), fx + ox, fy + oy) for p, (fx, fy) in enumerate(front) for key, ox, oy in options
        ]
        new_front: list[tuple[float, float]] = []
        entries: list[list[tuple[int, int]]] = []
        new_counts: list[int] = []
        last_x = last_y = float("nan")  # equal to nothing
        for key, x, y in prune_2d(candidates, margin):
            if x == last_x and y == last_y:
                entries[-1].append(key)
                new_counts[-1] += counts[key[0]]
            else:
                last_x, last_y = x, y
                new_front.append((x, y))
                entries.append([key])
                new_counts.append(counts[key[0]])
        front, counts = new_front, new_counts
        steps.append(entries)
    complete = max_outcomes is None or sum(counts) <= max_outcomes
    # walk back: each row is (final point, node at this step, options chosen after this step)
    rows_out: list[tuple[int, int, tuple[int, ...]]] = [(p, p, ()) for p in range(len(front))]
    for entries in reversed(steps):
        rows_out = [
            (p, parent, (option, *chosen))
            for p, node, chosen in rows_out
            for parent, option in (entries[node] if complete else entries[node][:1])
        ]
    n_issues = len(tables.tables)
    choices = np.array([r[2] for r in rows_out], dtype=np.int64).reshape(len(rows_out), n_issues)
    point_of = np.array([r[0] for r in rows_out], dtype=np.int64)
    return np.array(front, dtype=np.float64).reshape(-1, 2), counts, choices, point_of, complete
