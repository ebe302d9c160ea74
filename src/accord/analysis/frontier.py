"""The exact Pareto frontier: enumerating kernels for any utility, a fold for additive ones.

A package is on the frontier when no package is at least as good for every party and better for
one (maximisation). Several packages may reach the same frontier *point* (utility vector); all
of them are kept: :class:`Frontier` lists the distinct points and every outcome reaching each.
Dominance is decided on the utilities exactly as summed in table order (see
:mod:`accord.analysis.space`), so all kernels agree bit for bit, ties included. On float tables
that is the dominance of the rounded sums; on exact tables (:func:`accord.prefs.exact.exact_tables`,
integers) it is the dominance of the utilities as written, to the last tie, and the frontier keeps
the exact points (``raw`` and ``unit``) beside their nearest floats.

Kernels
-------
- :func:`pareto_frontier` (any ``U``): exact vectorised filter, O(n log n) for two parties;
- :func:`pareto_frontier_naive` (any ``U``): the O(n^2) reference twin;
- :func:`frontier_by_enumeration` (tables): chunked enumeration + :func:`pareto_frontier`;
- :func:`pareto_frontier_additive` (tables): never enumerates; see :mod:`accord.analysis.fold`.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
from numpy.typing import NDArray

from accord.analysis.dominance import group_points, nondominated_mask, nondominated_mask_naive
from accord.analysis.fold import fold_frontier
from accord.analysis.fold_small import fold_2d_small
from accord.analysis.space import decode, encode, utility_chunks
from accord.prefs.tables import UtilityTables

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
Utilities = NDArray[Any]
"""Utility vectors: floats, or the integers of exact tables."""

SMALL_SPACE = 4096


@dataclass(frozen=True, slots=True)
class Frontier:
    """The Pareto frontier of an outcome space.

    points: ``(f, k)`` distinct utility vectors on the frontier, sorted by the first party's
        utility descending (then the next party's, and so on).
    counts: ``(f,)`` how many outcomes reach each point (Python ints, exact even beyond 2**63).
    choices: ``(n, n_issues)`` option indexes of the listed outcomes, grouped by point.
    point_of: ``(n,)`` the point each listed outcome reaches.
    is_complete: whether every outcome reaching the frontier is listed (``n == sum(counts)``);
        False only when the caller capped the listing.
    raw, unit: for a frontier of exact tables, the points as integers ``(f, k)`` and the worth
        of one integer step per party (``points`` are then the doubles nearest to
        ``unit * raw``); ``None`` otherwise.
    """

    points: FloatArray
    counts: tuple[int, ...]
    choices: IntArray
    point_of: IntArray
    is_complete: bool
    raw: Utilities | None = None
    unit: tuple[Fraction, ...] | None = None

    @property
    def is_exact(self) -> bool:
        """Whether the points are known exactly (the frontier of exact tables)."""
        return self.raw is not None and self.unit is not None

    def exact_points(self) -> list[tuple[Fraction, ...]]:
        """The points as fractions (exact tables only).

        Raises
        ------
        ValueError
            For a frontier of float utilities.
        """
        if self.raw is None or self.unit is None:
            raise ValueError("a frontier of float utilities has no exact points")
        from accord.prefs.exact import exact_values  # here: the engine starts without the model

        return exact_values(self.raw, self.unit)

    @property
    def size(self) -> int:
        """Number of distinct frontier points."""
        return int(self.points.shape[0])

    def indices(self, shape: tuple[int, ...]) -> IntArray:
        """Mixed-radix indexes of the listed outcomes (spaces under 2**63 outcomes)."""
        return encode(self.choices, shape)

    def outcomes_of(self, point: int) -> IntArray:
        """Choices ``(m, n_issues)`` of the listed outcomes reaching frontier point ``point``."""
        rows: IntArray = self.choices[self.point_of == point]
        return rows


def make_frontier(
    points: Utilities,
    counts: tuple[int, ...],
    choices: IntArray,
    point_of: IntArray,
    is_complete: bool,
    unit: tuple[Fraction, ...] | None = None,
) -> Frontier:
    """A :class:`Frontier` from its points as the kernels found them: floats, or with ``unit``
    the integers of exact tables (kept as ``raw``; ``points`` become their nearest doubles)."""
    if unit is None:
        return Frontier(points, counts, choices, point_of, is_complete)
    from accord.prefs.exact import to_float  # here: the engine starts without the model

    return Frontier(to_float(points, unit), counts, choices, point_of, is_complete, points, unit)


def pareto_frontier(U: Utilities) -> IntArray:
    """Indexes (ascending) of all outcomes on the Pareto frontier of ``U: (n, k)``.

    Exact and vectorised; equal utility vectors are all kept. Two parties: a grid pre-filter and
    a sort-and-sweep, O(n log n) (Kung, Luccio & Preparata 1975); three or more: presorted block
    filtering (Chomicki et al. 2003). See :mod:`accord.analysis.dominance`.

    Examples
    --------
    >>> pareto_frontier(np.array([[1.0, 0.0], [0.5, 0.5], [0.4, 0.4], [0.0, 1.0]])).tolist()
    [0, 1, 3]
    """
    U = _check_utilities(U)
    return np.flatnonzero(nondominated_mask(U)).astype(np.int64)


def pareto_frontier_naive(U: Utilities) -> IntArray:
    """Reference twin of :func:`pareto_frontier`: compares every pair, O(n^2).

    Examples
    --------
    >>> pareto_frontier_naive(np.array([[1.0, 0.0], [0.5, 0.5], [0.4, 0.4], [0.0, 1.0]])).tolist()
    [0, 1, 3]
    """
    U = _check_utilities(U)
    return np.flatnonzero(nondominated_mask_naive(U)).astype(np.int64)


def frontier_from_indices(
    U: Utilities,
    indices: IntArray,
    shape: tuple[int, ...] | None = None,
    unit: tuple[Fraction, ...] | None = None,
) -> Frontier:
    """Group frontier outcomes ``indices`` of ``U`` by utility point into a :class:`Frontier`.

    ``shape`` decodes indexes into choices; without it each outcome is its own single "choice".
    ``unit``: ``U`` holds the integers of exact tables, worth ``unit`` each (see :class:`Frontier`).

    Examples
    --------
    >>> U = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 0.0]])
    >>> f = frontier_from_indices(U, pareto_frontier(U))
    >>> f.points.tolist(), f.counts, f.choices.ravel().tolist()
    ([[1.0, 0.0], [0.0, 1.0]], (2, 1), [0, 2, 1])
    """
    indices = np.asarray(indices, dtype=np.int64)
    points, point_of = group_points(U[indices])
    order = np.argsort(point_of, kind="stable")
    indices, point_of = indices[order], point_of[order]
    choices = decode(indices, shape) if shape is not None else indices[:, None]
    counts = tuple(int(c) for c in np.bincount(point_of, minlength=points.shape[0]))
    return make_frontier(points, counts, choices, point_of, True, unit)


def frontier_by_enumeration(tables: UtilityTables, chunk: int = 1 << 20) -> Frontier:
    """Exact frontier of additive ``tables`` by enumerating the space in chunks.

    The frontier of a union is the frontier of the union of each part's frontier, so each chunk
    of about ``chunk`` outcomes is reduced to its frontier and only those candidates are kept;
    memory stays near ``chunk * k`` floats plus the candidates.

    Examples
    --------
    >>> t = UtilityTables(("a",), ((0, 1, 2),), (np.array([[0.0, 1.0], [1.0, 0.0], [0.5, 0.5]]),),
    ...     np.zeros(2), ("p", "q"))
    >>> frontier_by_enumeration(t).points.tolist()
    [[1.0, 0.0], [0.5, 0.5], [0.0, 1.0]]
    """
    cand_idx: list[IntArray] = []
    cand_U: list[FloatArray] = []
    for start, U in utility_chunks(tables, chunk):
        keep = pareto_frontier(U)
        cand_idx.append(keep + start)
        cand_U.append(U[keep])
    U_all = np.concatenate(cand_U)
    idx_all = np.concatenate(cand_idx)
    keep = pareto_frontier(U_all)
    frontier = frontier_from_indices(U_all, keep, shape=None)
    choices = decode(idx_all[frontier.choices[:, 0]], tables.shape)
    return make_frontier(frontier.points, frontier.counts, choices, frontier.point_of, True, tables.unit)


def pareto_frontier_additive(
    tables: UtilityTables, max_outcomes: int | None = 10**6, small_limit: int = 512
) -> Frontier:
    """Exact frontier of additive ``tables`` without enumerating the outcome space.

    Folds the issues in one at a time: the non-dominated partial packages so far, plus each
    option of the next issue, pruned of dominated partials (a dominated partial package stays
    dominated whatever the remaining issues add). Partials equal in utility are merged with
    back-pointers, so ties cost nothing until listed. This is the dynamic-programming scheme for
    multi-objective multiple-choice problems; see e.g. Bazgan, Hugot & Vanderpooten (2009),
    "Solving efficiently the 0-1 multi-objective knapsack problem", Computers & OR 36(1).

    Small problems take faster routes to the same result, bit for bit: two parties with small
    fronts a plain-Python fold (:mod:`accord.analysis.fold_small`), more parties on spaces of at
    most ``SMALL_SPACE`` outcomes enumeration.

    Parameters
    ----------
    tables : additive utilities of ``k >= 1`` parties.
    max_outcomes : list at most this many outcomes; if more reach the frontier, list one per
        point and set ``is_complete=False`` (``counts`` stay exact). ``None``: list all.
    small_limit : most candidates per step for the plain-Python two-party fold; 0 forces NumPy.

    Examples
    --------
    >>> t = UtilityTables(("a", "b"), ((0, 1), (0, 1)),
    ...     (np.array([[0.0, 1.0], [1.0, 0.0]]), np.array([[0.0, 2.0], [2.0, 0.0]])),
    ...     np.zeros(2), ("p", "q"))
    >>> pareto_frontier_additive(t).points.tolist()
    [[3.0, 0.0], [2.0, 1.0], [1.0, 2.0], [0.0, 3.0]]
    """
    if len(tables.parties) == 2:
        if small_limit > 0 and (small := fold_2d_small(tables, max_outcomes, small_limit)) is not None:
            points, counts, choices, point_of, complete = small  # listed by point already
            return make_frontier(points, tuple(counts), choices, point_of, complete, tables.unit)
    elif tables.n_outcomes <= SMALL_SPACE:  # cheaper, and the same result
        enumerated = frontier_by_enumeration(tables)
        if max_outcomes is None or enumerated.choices.shape[0] <= max_outcomes:
            return enumerated
    points, counts, choices, point_of, complete = fold_frontier(tables, max_outcomes)
    if not np.all(point_of[1:] >= point_of[:-1]):
        by_point = np.argsort(point_of, kind="stable")
        choices, point_of = choices[by_point], point_of[by_point]
    return make_frontier(points, tuple(counts), choices, point_of, complete, tables.unit)


def _check_utilities(U: Utilities) -> Utilities:
    U = np.asarray(U)
    if U.dtype != object and not np.issubdtype(U.dtype, np.integer):
        U = U.astype(np.float64)
        if not np.all(np.isfinite(U)):
            raise ValueError("U must be finite (found NaN or infinity)")
    if U.ndim != 2:
        raise ValueError(f"U must have shape (n_outcomes, n_parties), got {U.shape}")
    return U
