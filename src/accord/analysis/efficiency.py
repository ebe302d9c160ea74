"""How efficient a package is, and packages near it that leave every side at least as well off.

For a package with utility vector ``u`` (one entry per party) and the exact Pareto frontier:

- ``is_dominated``: some package is at least as good for every party and better for one;
- ``equal_gain``: the largest ``t >= 0`` such that some package gives every party at least
  ``u_j + t``, the gain all sides can have at once (Raiffa's joint gain along the diagonal);
  0 for an undominated package, and for one dominated only weakly (no gain for somebody);
- ``distance``: the Euclidean distance in utility space from ``u`` to the nearest frontier point
  that dominates it (0 for an undominated package);
- ``pss``: a *post-settlement settlement* (Raiffa 1985, "Post-settlement settlements",
  *Negotiation Journal* 1(1)): the frontier point of largest equal gain, reached by the frontier
  package that changes the fewest issues;
- ``suggestions``: improvements near the package, fewest issues changed first: every change of 1
  issue, then of 2, ... up to ``max_changes``, keeping the packages that dominate ``u``, best
  first by smallest gain across parties, then by total gain. This is the local search of the
  Inspire and Smartsettle support systems, which propose efficient improvements to a tentative
  agreement (Kersten & Noronha 1999, "WWW-based negotiation support: design, implementation,
  and use", *Decision Support Systems* 25(2); Thiessen & Soberg 2003, "SmartSettle described
  with the Montreal taxonomy", *Group Decision and Negotiation* 12(2)).

Utilities are the table-order sums of :meth:`UtilityTables.utilities`, bit-identical to the
frontier kernels', so "dominates" is decided exactly, without a tolerance.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations
from math import prod

import numpy as np
from numpy.typing import NDArray

from accord.analysis.frontier import Frontier
from accord.analysis.space import package
from accord.model import Value
from accord.prefs.tables import UtilityTables

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

MAX_CANDIDATES = 2_000_000
"""Most packages examined per number of changed issues; beyond it the search stops."""
_SLACK = 1e-9  # pre-filter margin for rounding; the kept packages are then checked exactly


@dataclass(frozen=True, slots=True)
class Improvement:
    """A package that leaves every party at least as well off as a reference package.

    changes: issue id -> new value, for the issues that differ from the reference.
    utilities, gains: per party, the package's utility and its gain over the reference.
    """

    choices: tuple[int, ...]
    changes: dict[str, Value]
    utilities: tuple[float, ...]
    gains: tuple[float, ...]

    @property
    def n_changed(self) -> int:
        return len(self.changes)


@dataclass(frozen=True, slots=True)
class Efficiency:
    """The efficiency of one package (see the module docstring for each measure).

    searched_changes: the suggestions cover every package differing in at most this many issues.
    """

    utilities: tuple[float, ...]
    is_dominated: bool
    equal_gain: float
    distance: float
    nearest: tuple[float, ...] | None
    pss: Improvement | None
    suggestions: tuple[Improvement, ...]
    searched_changes: int


def dominates(a: FloatArray, b: FloatArray) -> NDArray[np.bool_]:
    """Whether each row of ``a`` dominates ``b``: at least as good everywhere, better somewhere.

    Examples
    --------
    >>> dominates(np.array([[1.0, 1.0], [1.0, 0.5], [2.0, 0.0]]), np.array([1.0, 0.5])).tolist()
    [True, False, False]
    """
    a = np.atleast_2d(a)
    result: NDArray[np.bool_] = np.all(a >= b, axis=1) & np.any(a > b, axis=1)
    return result


def efficiency(
    tables: UtilityTables,
    frontier: Frontier,
    choices: tuple[int, ...],
    max_changes: int = 2,
    limit: int = 3,
    max_candidates: int = MAX_CANDIDATES,
) -> Efficiency:
    """The efficiency of the package ``choices`` against the exact ``frontier`` of ``tables``.

    Parameters
    ----------
    tables : additive utilities of the parties.
    frontier : the exact frontier of ``tables`` (e.g. :func:`pareto_frontier_additive`).
    choices : one option index per issue.
    max_changes, limit, max_candidates : see :func:`improvements`.

    Examples
    --------
    Two issues each side cares about differently: trading them is a joint gain.

    >>> from accord.analysis.frontier import pareto_frontier_additive
    >>> t = UtilityTables(("a", "b"), ((0, 1), (0, 1)),
    ...     (np.array([[0.0, 0.6], [0.4, 0.0]]), np.array([[0.0, 0.4], [0.6, 0.0]])),
    ...     np.zeros(2), ("p", "q"))
    >>> e = efficiency(t, pareto_frontier_additive(t), (0, 0))
    >>> e.utilities, e.is_dominated, round(e.equal_gain, 2)
    ((0.0, 1.0), False, 0.0)
    >>> e = efficiency(t, pareto_frontier_additive(t), (1, 0))
    >>> e.is_dominated, round(e.equal_gain, 2), e.pss.changes
    (True, 0.2, {'a': 0, 'b': 1})
    """
    u = tables.utilities(np.array([choices], dtype=np.int64))[0]
    P = frontier.points
    better = dominates(P, u)
    is_dominated = bool(better.any())
    equal_gain, distance, nearest, pss = 0.0, 0.0, None, None
    if is_dominated:
        gains = P - u
        worst = gains.min(axis=1)
        equal_gain = max(0.0, float(worst.max()))
        dist = np.where(better, np.sqrt((gains**2).sum(axis=1)), np.inf)
        near = int(np.argmin(dist))
        distance, nearest = float(dist[near]), tuple(float(x) for x in P[near])
        best = int(np.argmax(np.where(better, worst, -np.inf)))
        pss = _fewest_changes(tables, frontier.outcomes_of(best), choices, u)
    suggestions, searched = (
        improvements(tables, choices, max_changes, limit, max_candidates)
        if is_dominated
        else ((), max_changes)
    )
    return Efficiency(
        utilities=tuple(float(x) for x in u),
        is_dominated=is_dominated,
        equal_gain=equal_gain,
        distance=distance,
        nearest=nearest,
        pss=pss,
        suggestions=suggestions,
        searched_changes=searched,
    )


def improvements(
    tables: UtilityTables,
    choices: tuple[int, ...],
    max_changes: int = 2,
    limit: int = 3,
    max_candidates: int = MAX_CANDIDATES,
) -> tuple[tuple[Improvement, ...], int]:
    """Packages that dominate ``choices``, changing 1 issue, then 2, ... up to ``max_changes``.

    For each number of changed issues, the ``limit`` best are kept (largest smallest gain, then
    largest total gain, then option order). The search stops early when a level would examine
    more than ``max_candidates`` packages.

    Returns
    -------
    (suggestions, searched): fewest changes first; ``searched`` is the number of changed
    issues fully searched.

    Examples
    --------
    >>> t = UtilityTables(("a", "b"), ((0, 1), (0, 1)),
    ...     (np.array([[0.0, 0.6], [0.4, 0.0]]), np.array([[0.0, 0.4], [0.6, 0.0]])),
    ...     np.zeros(2), ("p", "q"))
    >>> found, searched = improvements(t, (1, 0))
    >>> [(s.changes, np.round(s.gains, 2).tolist()) for s in found], searched
    ([({'a': 0, 'b': 1}, [0.2, 0.2])], 2)
    """
    base = np.array(choices, dtype=np.int64)
    u = tables.utilities(base[None, :])[0]
    deltas = [table - table[c] for table, c in zip(tables.tables, choices, strict=True)]
    others = [np.flatnonzero(np.arange(len(t)) != c) for t, c in zip(tables.tables, choices, strict=True)]
    found: list[Improvement] = []
    searched = 0
    for k in range(1, min(max_changes, len(choices)) + 1):
        combos = list(combinations(range(len(choices)), k))
        if sum(prod(len(others[i]) for i in combo) for combo in combos) > max_candidates:
            break
        level: list[tuple[IntArray, FloatArray]] = []
        for combo in combos:
            cand = _changed_packages(base, combo, others, deltas, u)
            if cand is not None:
                level.append(cand)
        if level:
            found.extend(_best(tables, np.concatenate([c for c, _ in level]), base, u, limit))
        searched = k
    return tuple(found), searched


def _changed_packages(
    base: IntArray, combo: tuple[int, ...], others: list[IntArray], deltas: list[FloatArray], u: FloatArray
) -> tuple[IntArray, FloatArray] | None:
    """The packages changing exactly the issues ``combo`` that may dominate the base (pre-filter)."""
    total = np.zeros((1, u.shape[0]))
    picks = np.zeros((1, 0), dtype=np.int64)
    for i in combo:
        d = deltas[i][others[i]]
        total = (total[:, None, :] + d[None, :, :]).reshape(-1, u.shape[0])
        picks = np.concatenate(
            [np.repeat(picks, len(others[i]), axis=0), np.tile(others[i], picks.shape[0])[:, None]], axis=1
        )
    keep = np.all(total >= -_SLACK, axis=1) & np.any(total > -_SLACK, axis=1)
    if not keep.any():
        return None
    rows = np.repeat(base[None, :], int(keep.sum()), axis=0)
    rows[:, list(combo)] = picks[keep]
    return rows, total[keep]


def _best(
    tables: UtilityTables, rows: IntArray, base: IntArray, u: FloatArray, limit: int
) -> list[Improvement]:
    U = tables.utilities(rows)
    ok = dominates(U, u)
    rows, U = rows[ok], U[ok]
    gains = U - u
    order = np.lexsort((*rows.T[::-1], -gains.sum(axis=1), -gains.min(axis=1)))[:limit]
    return [_improvement(tables, rows[i], base, U[i], u) for i in order]


def _improvement(
    tables: UtilityTables, row: IntArray, base: IntArray, U: FloatArray, u: FloatArray
) -> Improvement:
    whole = package(tables, [int(c) for c in row])
    changes = {tables.issue_ids[i]: whole[tables.issue_ids[i]] for i in np.flatnonzero(row != base)}
    return Improvement(
        choices=tuple(int(c) for c in row),
        changes=changes,
        utilities=tuple(float(x) for x in U),
        gains=tuple(float(x) for x in U - u),
    )


def _fewest_changes(
    tables: UtilityTables, outcomes: IntArray, choices: tuple[int, ...], u: FloatArray
) -> Improvement:
    base = np.array(choices, dtype=np.int64)
    changed = (outcomes != base).sum(axis=1)
    row = outcomes[int(np.argmin(changed))]
    return _improvement(tables, row, base, tables.utilities(row[None, :])[0], u)
