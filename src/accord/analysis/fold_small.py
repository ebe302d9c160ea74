"""The two-party additive fold in plain Python, for small fronts.

Same algorithm and same floating-point sums as :mod:`accord.analysis.fold` (and so the same
result, bit for bit); on fronts of a few hundred points NumPy's per-call overhead dominates,
and plain lists are several times faster. :func:`fold_2d_small` gives up (returns None) as soon
as a step has more than ``limit`` candidates, and the caller falls back to the NumPy fold.
On exact tables the items are Python integers, compared exactly with no margin.
"""

from __future__ import annotations

from itertools import chain
from typing import Any

import numpy as np
from numpy.typing import NDArray

from accord.prefs.tables import UtilityTables

Item = tuple[Any, Any, int]
"""A candidate: first utility, second utility, minus its rank in generation order."""

SMALL_LIMIT = 512
EPS = float(np.finfo(np.float64).eps)


def prune_2d(items: list[Item], tol: float) -> list[Item]:
    """Items no other item dominates by more than ``tol``, sorted by utilities descending.

    For exact (integer) items pass the integer ``0``: adding it leaves them integers.

    The sweep of Kung, Luccio & Preparata (1975), as in :func:`accord.analysis.fold._step_2d`:
    an item goes when an item with a first utility ``> x + tol`` has a second one ``>= y``, or
    one with a first utility ``>= x`` (at best the head of its group of equal ``x``, as ties
    are sorted by ``y`` descending) has a second one ``> y + tol``. Sorting the tuples
    ``(x, y, -rank)`` descending keeps equal utilities in generation order, as the stable NumPy
    lexsort does. Sorts ``items`` in place.
    """
    items.sort(reverse=True)
    kept: list[Item] = []
    above = 0  # items with a first utility > x + tol form a prefix that only grows
    above_x = items[0][0] if items else 0.0  # the first utility of the item just past it
    above_best = run = head_best = float("-inf")  # best y: in that prefix, so far, up to the head
    head_x = float("nan")
    for item in items:
        x, y, _ = item
        if x != head_x:
            head_x = x
            head_best = run if run > y else y
        if above_x > x + tol:
            limit = x + tol
            while above_x > limit:  # stops at this item at the latest
                if items[above][1] > above_best:
                    above_best = items[above][1]
                above += 1
                above_x = items[above][0]
        if y > run:
            run = y
        if above_best >= y or head_best > y + tol:
            continue
        kept.append(item)
    return kept


def fold_2d_small(
    tables: UtilityTables, max_outcomes: int | None, limit: int = SMALL_LIMIT
) -> tuple[NDArray[Any], list[int], NDArray[np.int64], NDArray[np.int64], bool] | None:
    """Two-party fold on lists; same return value as :func:`accord.analysis.fold.fold_frontier`."""
    x0, y0 = tables.offset.tolist()
    all_rows = [t.tolist() for t in tables.tables]
    tol: float = 0  # the integer 0: exact items stay integers when it is added
    if not tables.is_exact:
        # rounding_margin(tables), computed on lists: the same floats in the same order
        magnitude = max(abs(x0), abs(y0)) + sum(
            max(map(abs, chain.from_iterable(rows)), default=0.0) for rows in all_rows
        )
        tol = 4.0 * (len(all_rows) + 2) * EPS * magnitude
    front: list[tuple[float, float]] = [(x0, y0)]
    counts = [1]
    steps: list[list[list[tuple[int, int]]]] = []
    last = len(all_rows) - 1
    for i, rows in enumerate(all_rows):
        margin = 0 if i == last else tol
        options = [-item[2] for item in prune_2d([(r[0], r[1], -o) for o, r in enumerate(rows)], margin)]
        options.sort()  # option order, as the NumPy fold lists ties
        m = len(options)
        if len(front) * m > limit:
            return None
        picked = [(rows[o][0], rows[o][1], -j) for j, o in enumerate(options)]
        bases = [(fx, fy, -p * m) for p, (fx, fy) in enumerate(front)]
        candidates = [(fx + ox, fy + oy, b + j) for fx, fy, b in bases for ox, oy, j in picked]
        new_front: list[tuple[float, float]] = []
        entries: list[list[tuple[int, int]]] = []
        new_counts: list[int] = []
        last_x = last_y = float("nan")  # equal to nothing
        for x, y, rank in prune_2d(candidates, margin):
            p, j = divmod(-rank, m)
            if x == last_x and y == last_y:
                entries[-1].append((p, options[j]))
                new_counts[-1] += counts[p]
            else:
                last_x, last_y = x, y
                new_front.append((x, y))
                entries.append([(p, options[j])])
                new_counts.append(counts[p])
        front, counts = new_front, new_counts
        steps.append(entries)
    complete = max_outcomes is None or sum(counts) <= max_outcomes
    # walk back from the final points, one column of chosen options per issue (last issue first)
    point_of = list(range(len(front)))
    nodes = point_of
    columns: list[list[int]] = []
    for entries in reversed(steps):
        reached = [entries[node] for node in nodes]
        if complete and any(len(ways) > 1 for ways in reached):  # ties: one row per way
            fan = [(row, way) for row, ways in enumerate(reached) for way in ways]
            columns = [[column[row] for row, _ in fan] for column in columns]
            point_of = [point_of[row] for row, _ in fan]
            ways = [way for _, way in fan]
        else:
            ways = [ways[0] for ways in reached]
        nodes = [parent for parent, _ in ways]
        columns.append([option for _, option in ways])
    choices = np.array(columns[::-1], dtype=np.int64).reshape(len(columns), len(point_of)).T.copy()
    points = np.array(front, dtype=tables.offset.dtype).reshape(-1, 2)
    return points, counts, choices, np.array(point_of, dtype=np.int64), complete
