"""The zone of possible agreement (ZOPA): packages every side prefers to walking away.

An outcome is in the ZOPA when ``u_j > d_j`` for every party ``j`` (``d`` the disagreement
point: reservation values). For additive utilities this module counts the ZOPA and finds, per
issue, the options that appear in some ZOPA package, without enumerating the space:

- counting is a breadth-first branch and bound over the issues (Land & Doig 1960): partial
  packages equal in utility are merged with multiplicities; a partial whose worst completion is
  still above ``d`` for all counts all its completions at once, one whose best completion misses
  ``d`` for someone is dropped. If more than ``max_states`` partials stay undecided, the count
  stops with bounds instead of an exact figure;
- option bounds fix one option and search for a completion above ``d``: only non-dominated
  partials can matter (if ``q`` dominates ``p``, any completion of ``p`` above ``d`` is also one
  of ``q``), so the same fold as the frontier, with the hopeless partials dropped.

Decisions near ``d`` are left to the last issue, where the sum is the exact enumerated float
(see :mod:`accord.analysis.fold` for the rounding margin), so the results match enumeration.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import prod

import numpy as np
from numpy.typing import ArrayLike, NDArray

from accord.analysis.dominance import group_points, nondominated_mask
from accord.analysis.space import decode, rounding_margin, utility_chunks
from accord.analysis.zopa_split import split_point, split_zopa
from accord.prefs.tables import UtilityTables

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]

MAX_STATES = 200_000
MAX_ENUMERATE = 20_000_000


@dataclass(frozen=True, slots=True)
class Zopa:
    """The zone of possible agreement of an additive outcome space.

    count_low, count_high: bounds on the number of ZOPA outcomes (equal when ``is_exact``).
    n_outcomes: size of the whole space.
    options: per issue, a tuple of booleans: does the option appear in some ZOPA outcome.
    """

    count_low: int
    count_high: int
    n_outcomes: int
    options: tuple[tuple[bool, ...], ...]

    @property
    def is_exact(self) -> bool:
        return self.count_low == self.count_high

    @property
    def count(self) -> int | None:
        """The exact number of ZOPA outcomes, or None when only bounds are known."""
        return self.count_low if self.is_exact else None

    @property
    def share(self) -> tuple[float, float]:
        """Bounds on the ZOPA's share of the outcome space."""
        return self.count_low / self.n_outcomes, self.count_high / self.n_outcomes

    @property
    def is_empty(self) -> bool:
        return self.count_high == 0


def zopa_mask(U: FloatArray, d: ArrayLike) -> BoolArray:
    """Which outcomes of ``U: (n, k)`` every party strictly prefers to ``d``.

    Examples
    --------
    >>> zopa_mask(np.array([[1.0, 0.5], [0.2, 0.9]]), [0.3, 0.3]).tolist()
    [True, False]
    """
    U = np.asarray(U, dtype=np.float64)
    inside: BoolArray = np.all(np.asarray(d, dtype=np.float64) < U, axis=1)
    return inside


def count_zopa_by_enumeration(tables: UtilityTables, d: ArrayLike, chunk: int = 1 << 20) -> int:
    """Number of outcomes with ``U > d``, enumerating the space in chunks of about ``chunk``."""
    return sum(int(np.count_nonzero(zopa_mask(U, d))) for _, U in utility_chunks(tables, chunk))


def zopa_by_enumeration(tables: UtilityTables, d: ArrayLike, chunk: int = 1 << 20) -> Zopa:
    """Reference twin of :func:`zone_of_possible_agreement`: enumerate every outcome."""
    count = 0
    seen = [np.zeros(m, dtype=bool) for m in tables.shape]
    for start, U in utility_chunks(tables, chunk):
        idx = np.flatnonzero(zopa_mask(U, d)) + start
        count += int(idx.size)
        choices = decode(idx, tables.shape)
        for i, s in enumerate(seen):
            s[choices[:, i]] = True
    options = tuple(tuple(bool(x) for x in s) for s in seen)
    return Zopa(count, count, tables.n_outcomes, options)


def zone_of_possible_agreement(
    tables: UtilityTables,
    d: ArrayLike,
    max_enumerate: int = MAX_ENUMERATE,
    max_states: int = MAX_STATES,
) -> Zopa:
    """The ZOPA of additive ``tables`` relative to ``d``.

    Spaces of at most ``max_enumerate`` outcomes are counted exactly by enumeration in chunks;
    larger ones of two parties by meet in the middle (:mod:`accord.analysis.zopa_split`) when
    each half is small enough, else by branch and bound, which may stop with bounds (see the
    module docstring).
    Option bounds never enumerate and are always exact.

    Parameters
    ----------
    tables : additive utilities of ``k`` parties.
    d : ``(k,)`` disagreement point.
    max_enumerate : largest space counted by enumeration.
    max_states : most undecided partial packages kept by branch and bound; beyond it the count
        is returned as bounds (``is_exact`` False).

    Examples
    --------
    >>> t = UtilityTables(("a", "b"), ((0, 1), (0, 1)),
    ...     (np.array([[0.0, 1.0], [1.0, 0.0]]), np.array([[0.0, 2.0], [2.0, 0.0]])),
    ...     np.zeros(2), ("p", "q"))
    >>> z = zone_of_possible_agreement(t, [0.5, 0.5])
    >>> z.count, z.options
    (2, ((True, True), (True, True)))
    """
    dv = _check_d(tables, d)
    if tables.n_outcomes <= max_enumerate:
        low = high = count_zopa_by_enumeration(tables, dv)
    else:
        cut = split_point(tables.shape) if tables.n_parties == 2 else None
        if cut is not None:  # two parties: meet in the middle, exact and quick
            low, high, options = split_zopa(tables, dv, cut)
            return Zopa(low, high, tables.n_outcomes, options)
        low, high = count_zopa(tables, dv, max_states)
    return Zopa(low, high, tables.n_outcomes, option_bounds(tables, dv))


def _suffix_bounds(tables: UtilityTables) -> tuple[FloatArray, FloatArray]:
    """Per issue position ``t``, the best and worst utility the issues ``t..`` can add."""
    k = tables.n_parties
    n = len(tables.tables)
    high = np.zeros((n + 1, k))
    low = np.zeros((n + 1, k))
    for t in range(n - 1, -1, -1):
        high[t] = high[t + 1] + tables.tables[t].max(axis=0)
        low[t] = low[t + 1] + tables.tables[t].min(axis=0)
    return high, low


def count_zopa(tables: UtilityTables, d: FloatArray, max_states: int = MAX_STATES) -> tuple[int, int]:
    """Bounds ``(low, high)`` on the number of outcomes with ``U > d``; equal when exact."""
    tol = rounding_margin(tables)
    high, low = _suffix_bounds(tables)
    shape = tables.shape
    states = tables.offset[None, :].copy()
    mult: NDArray[np.object_] = np.array([1], dtype=object)
    sure = 0
    for t, table in enumerate(tables.tables):
        m = table.shape[0]
        cand = (states[:, None, :] + table[None, :, :]).reshape(-1, tables.n_parties)
        cand_mult = np.repeat(mult, m)
        rest = prod(shape[t + 1 :])
        if t == len(shape) - 1:
            inside = np.all(cand > d, axis=1)
            return sure + int(cand_mult[inside].sum()), sure + int(cand_mult[inside].sum())
        is_in = np.all(cand + low[t + 1] > d + tol, axis=1)
        is_out = np.any(cand + high[t + 1] <= d - tol, axis=1)
        sure += int(cand_mult[is_in].sum()) * rest
        open_ = ~(is_in | is_out)
        states, group = group_points(cand[open_])
        mult = np.zeros(states.shape[0], dtype=object)
        np.add.at(mult, group, cand_mult[open_])
        if states.shape[0] > max_states:
            return sure, sure + int(mult.sum()) * rest
        if states.shape[0] == 0:
            return sure, sure
    inside = int(bool(np.all(tables.offset > d)))  # no issues: the one outcome is the offset
    return inside, inside


def _can_reach(
    tables: UtilityTables,
    start: FloatArray,
    first: int,
    d: FloatArray,
    tol: float,
    bounds: tuple[FloatArray, FloatArray],
) -> bool:
    """Whether some completion (issues ``first..``) of a partial in ``start`` beats ``d``."""
    high, low = bounds
    states = start
    n = len(tables.tables)
    for t in range(first, n + 1):
        if states.shape[0] == 0:
            return False
        if t == n:
            return bool(np.any(np.all(states > d, axis=1)))
        if t > first:
            states = states[~np.any(states + high[t] <= d - tol, axis=1)]
            if states.shape[0] == 0:
                return False
            states = states[nondominated_mask(states, tol)]
        if np.any(np.all(states + low[t] > d + tol, axis=1)):
            return True
        states = (states[:, None, :] + tables.tables[t][None, :, :]).reshape(-1, tables.n_parties)
    return False


def option_bounds(tables: UtilityTables, d: FloatArray) -> tuple[tuple[bool, ...], ...]:
    """Per issue, whether each option appears in some outcome with ``U > d`` (exact)."""
    tol = rounding_margin(tables)
    bounds = _suffix_bounds(tables)
    high = bounds[0]
    out: list[tuple[bool, ...]] = []
    prefix = tables.offset[None, :].copy()
    for i, table in enumerate(tables.tables):
        flags = []
        for o in range(table.shape[0]):
            start = prefix + table[o]
            alive = start[~np.any(start + high[i + 1] <= d - tol, axis=1)]
            flags.append(_can_reach(tables, alive, i + 1, d, tol, bounds))
        out.append(tuple(flags))
        # the prefix for the next issue: every option of this one, pruned the same way
        prefix = (prefix[:, None, :] + table[None, :, :]).reshape(-1, tables.n_parties)
        prefix = prefix[~np.any(prefix + high[i + 1] <= d - tol, axis=1)]
        prefix = prefix[nondominated_mask(prefix, tol)] if prefix.shape[0] else prefix
    return tuple(out)


def _check_d(tables: UtilityTables, d: ArrayLike) -> FloatArray:
    dv = np.asarray(d, dtype=np.float64)
    if dv.shape != (tables.n_parties,) or not np.all(np.isfinite(dv)):
        raise ValueError(f"the disagreement point must be {tables.n_parties} finite numbers, got {d!r}")
    return dv
