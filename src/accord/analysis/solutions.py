"""Bargaining solutions on the Pareto frontier, relative to a disagreement point.

Notation: ``P: (f, k)`` frontier points, ``d: (k,)`` the disagreement point (each party's
reservation value, what it gets by walking away). Every solution here picks among the
*individually rational* frontier points, those with ``P >= d`` for every party, and returns
nothing when there is none. Ties are all returned. On float points a point ties when its
objective is within ``tie_tol * max(1, |best|)`` of the best; on the exact points of a frontier of
exact tables (:attr:`Frontier.is_exact`) everything is decided in rational arithmetic, ``d``
included (a float read as the decimal it prints as), and ties are exact equalities.

- Nash: maximise the product of gains ``prod_j (p_j - d_j)`` (Nash 1950, "The bargaining
  problem", Econometrica 18(2)).
- Kalai–Smorodinsky: maximise the smallest normalised gain ``(p_j - d_j) / (I_j - d_j)``, where
  the ideal point ``I`` is each party's best individually rational utility (Kalai & Smorodinsky
  1975, "Other solutions to Nash's bargaining problem", Econometrica 43(3)); on a finite set of
  points this max-min is the discrete counterpart of the point on the segment from ``d`` to ``I``.
  A party that cannot gain at all (``I_j == d_j``) is left out of the minimum.
- Egalitarian: maximise the smallest absolute gain ``min_j (p_j - d_j)`` (Kalai 1977,
  "Proportional solutions to bargaining situations: interpersonal utility comparisons",
  Econometrica 45(7)).
- Utilitarian: maximise total utility ``sum_j p_j`` (maximum welfare).
- Kalai, GeniusWeb's reading (``kalai_genius``): the point whose utilities are closest to equal,
  smallest ``max_j p_j - min_j p_j`` (for two parties ``|u_a - u_b|``), on raw utilities, not on
  gains over ``d``. GENIUS and GeniusWeb report this point as "Kalai"; here it is taken among the
  individually rational points like every other concept, so with ``d`` at 0 it is GeniusWeb's
  point and with a higher ``d`` it never gives a party less than ``d_j``. Its value is minus the
  spread. Ours above normalises
  the gains by the ideal point; the two agree on symmetric problems and can differ otherwise.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, cast

import numpy as np
from numpy.typing import ArrayLike, NDArray

from accord.analysis.frontier import Frontier

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
Objective = Callable[[FloatArray, FloatArray], FloatArray]

TIE_TOL = 1e-12


@dataclass(frozen=True, slots=True)
class Solution:
    """A bargaining solution: the frontier points that attain it and the outcomes reaching them.

    concept: a name of :data:`CONCEPTS` ("nash", "kalai_smorodinsky", "egalitarian",
        "utilitarian", "kalai_genius").
    point_ids: indexes into the frontier's points (empty when no point is individually rational).
    points: ``(s, k)`` those points.
    value: the attained objective (NaN when empty).
    choices: ``(n, n_issues)`` the listed outcomes reaching those points.
    """

    concept: str
    point_ids: IntArray
    points: FloatArray
    value: float
    choices: IntArray


def rational_points(P: FloatArray, d: ArrayLike) -> IntArray:
    """Indexes of the points at least as good as ``d`` for every party.

    Examples
    --------
    >>> rational_points(np.array([[1.0, 0.0], [0.5, 0.5]]), [0.2, 0.2]).tolist()
    [1]
    """
    P, dv = _check(P, d)
    return np.flatnonzero(np.all(dv <= P, axis=1)).astype(np.int64)


def _best(P: FloatArray, d: ArrayLike, objective: Objective, tie_tol: float) -> tuple[IntArray, float]:
    P, dv = _check(P, d)
    ids = np.flatnonzero(np.all(dv <= P, axis=1)).astype(np.int64)
    if ids.size == 0:
        return ids, float("nan")
    values = objective(P[ids], dv)
    best = float(values.max())
    ties = values >= best - tie_tol * max(1.0, abs(best))
    return ids[ties], best


def _nash(R: FloatArray, d: FloatArray) -> FloatArray:
    gains: FloatArray = np.prod(R - d, axis=1)
    return gains


def _egalitarian(R: FloatArray, d: FloatArray) -> FloatArray:
    gains: FloatArray = np.min(R - d, axis=1)
    return gains


def _utilitarian(R: FloatArray, d: FloatArray) -> FloatArray:
    welfare: FloatArray = R.sum(axis=1)
    return welfare


def _kalai_smorodinsky(R: FloatArray, d: FloatArray) -> FloatArray:
    ideal = R.max(axis=0)
    span = ideal - d
    can_gain = span > 0
    if not np.any(can_gain):
        return np.zeros(R.shape[0])
    ratios: FloatArray = np.min((R[:, can_gain] - d[can_gain]) / span[can_gain], axis=1)
    return ratios


def _kalai_genius(R: FloatArray, d: FloatArray) -> FloatArray:
    spread: FloatArray = -(R.max(axis=1) - R.min(axis=1))
    return spread


def nash_points(P: FloatArray, d: ArrayLike, tie_tol: float = TIE_TOL) -> IntArray:
    """Indexes of the Nash bargaining points among ``P`` (Nash 1950).

    Examples
    --------
    >>> nash_points(np.array([[1.0, 0.0], [0.6, 0.6], [0.0, 1.0]]), [0.0, 0.0]).tolist()
    [1]
    """
    return _best(P, d, _nash, tie_tol)[0]


def kalai_smorodinsky_points(P: FloatArray, d: ArrayLike, tie_tol: float = TIE_TOL) -> IntArray:
    """Indexes of the Kalai–Smorodinsky points among ``P`` (Kalai & Smorodinsky 1975).

    Examples
    --------
    >>> kalai_smorodinsky_points(np.array([[2.0, 0.0], [1.0, 0.5], [0.0, 1.0]]), [0.0, 0.0]).tolist()
    [1]
    """
    return _best(P, d, _kalai_smorodinsky, tie_tol)[0]


def egalitarian_points(P: FloatArray, d: ArrayLike, tie_tol: float = TIE_TOL) -> IntArray:
    """Indexes of the egalitarian points (largest smallest gain) among ``P`` (Kalai 1977).

    Examples
    --------
    >>> egalitarian_points(np.array([[2.0, 0.0], [1.0, 0.5], [0.0, 1.0]]), [0.0, 0.0]).tolist()
    [1]
    """
    return _best(P, d, _egalitarian, tie_tol)[0]


def utilitarian_points(P: FloatArray, d: ArrayLike, tie_tol: float = TIE_TOL) -> IntArray:
    """Indexes of the individually rational points of largest total utility among ``P``.

    Examples
    --------
    >>> utilitarian_points(np.array([[2.0, 0.0], [1.0, 0.5], [0.0, 1.0]]), [0.0, 0.0]).tolist()
    [0]
    """
    return _best(P, d, _utilitarian, tie_tol)[0]


@dataclass(frozen=True, slots=True)
class Concept:
    """A bargaining solution concept: its name (in JSON, options and :class:`Solution`), how a
    page or a table writes it, and the objective it maximises over the gains ``R = P - d``."""

    name: str
    label: str
    objective: Objective


CONCEPTS: dict[str, Concept] = {
    c.name: c
    for c in (
        Concept("nash", "Nash", _nash),
        Concept("kalai_smorodinsky", "Kalai–Smorodinsky", _kalai_smorodinsky),
        Concept("egalitarian", "egalitarian", _egalitarian),
        Concept("utilitarian", "utilitarian", _utilitarian),
        Concept("kalai_genius", "Kalai (GeniusWeb)", _kalai_genius),
    )
}
"""Every solution concept, by name: the one table the analysis, the mediator and the pages read.

>>> [c.label for c in CONCEPTS.values()]
['Nash', 'Kalai–Smorodinsky', 'egalitarian', 'utilitarian', 'Kalai (GeniusWeb)']
"""


def solution_points(P: FloatArray, d: ArrayLike, concept: str, tie_tol: float = TIE_TOL) -> IntArray:
    """Indexes of the points among ``P`` that solve ``concept`` relative to ``d`` (ties all).

    Examples
    --------
    >>> solution_points(np.array([[2.0, 0.0], [1.0, 0.5], [0.0, 1.0]]), [0.0, 0.0], "utilitarian").tolist()
    [0]
    """
    _check_concept(concept)
    return _best(P, d, CONCEPTS[concept].objective, tie_tol)[0]


def _check_concept(concept: str) -> None:
    if concept not in CONCEPTS:
        raise ValueError(f"unknown solution concept {concept!r}; expected one of {sorted(CONCEPTS)}")


def solution(
    frontier: Frontier, d: ArrayLike | Sequence[Fraction], concept: str, tie_tol: float = TIE_TOL
) -> Solution:
    """The bargaining solution ``concept`` on ``frontier`` relative to ``d``, with its outcomes.

    Examples
    --------
    >>> from accord.analysis.frontier import frontier_from_indices
    >>> U = np.array([[1.0, 0.0], [0.6, 0.6], [0.0, 1.0], [0.6, 0.6]])
    >>> s = solution(frontier_from_indices(U, np.arange(4)), [0.0, 0.0], "nash")
    >>> s.points.tolist(), s.choices.ravel().tolist()
    ([[0.6, 0.6]], [1, 3])
    """
    _check_concept(concept)
    if frontier.raw is not None and frontier.unit is not None:
        ids, value = _best_exact(frontier.raw, frontier.unit, exact_point(d, frontier.unit), concept)
    else:
        ids, value = _best(frontier.points, _floats(d), CONCEPTS[concept].objective, tie_tol)
    choices = frontier.choices[np.isin(frontier.point_of, ids)]
    return Solution(concept, ids, frontier.points[ids], value, choices)


def all_solutions(
    frontier: Frontier, d: ArrayLike | Sequence[Fraction], tie_tol: float = TIE_TOL
) -> dict[str, Solution]:
    """Every solution concept of this module, by name (``d``: see :func:`solution`)."""
    return {name: solution(frontier, d, name, tie_tol) for name in CONCEPTS}


def _floats(d: ArrayLike | Sequence[Fraction]) -> FloatArray:
    if isinstance(d, (list, tuple)):
        return np.array([float(x) for x in d], dtype=np.float64)
    return np.asarray(cast(ArrayLike, d), dtype=np.float64)


def exact_point(d: ArrayLike | Sequence[Fraction], unit: Sequence[Fraction]) -> tuple[Fraction, ...]:
    """``d`` as fractions: fractions and integers as they are, floats as the decimals they
    print as (:func:`accord.prefs.exact.decimal`); one per party of ``unit``."""
    from accord.prefs.exact import decimal  # here: the engine starts without the model

    values = list(d) if isinstance(d, (list, tuple)) else np.asarray(d).tolist()
    if len(values) != len(unit):
        raise ValueError(f"expected a disagreement point of {len(unit)} values, got {len(values)}")
    out = []
    for x in values:
        if isinstance(x, (Fraction, int)) and not isinstance(x, bool):
            out.append(Fraction(x))
        elif isinstance(x, float) and math.isfinite(x):
            out.append(decimal(x))
        else:
            raise ValueError(f"the disagreement point must be finite numbers, got {x!r}")
    return tuple(out)


def _best_exact(
    raw: NDArray[Any], unit: Sequence[Fraction], d: Sequence[Fraction], concept: str
) -> tuple[IntArray, float]:
    """:func:`_best` on exact points ``unit * raw``, in integer arithmetic.

    Party ``j``'s gain over ``d_j`` is ``G[:, j] / c_j`` with integer ``G`` and a positive
    integer ``c_j``; each objective is brought to one positive denominator and compared as
    integers, so ties are exact.
    """
    k = len(unit)
    R = np.asarray(raw).astype(object)
    gains = np.empty(R.shape, dtype=object)
    denominators = []
    for j, (u, dj) in enumerate(zip(unit, d, strict=True)):
        # raw*u - d = (raw * u.num * d.den - d.num * u.den) / (u.den * d.den)
        gains[:, j] = R[:, j] * (u.numerator * dj.denominator) - dj.numerator * u.denominator
        denominators.append(u.denominator * dj.denominator)
    ids = np.flatnonzero(np.all(gains >= 0, axis=1)).astype(np.int64)
    if ids.size == 0:
        return ids, float("nan")
    G = gains[ids]
    if concept == "nash":
        keys = np.prod(G, axis=1)
        scale = Fraction(1, math.prod(denominators))
    elif concept == "utilitarian":
        common = math.lcm(*(u.denominator for u in unit))
        keys = sum(R[ids, j] * (u.numerator * (common // u.denominator)) for j, u in enumerate(unit))
        scale = Fraction(1, common)
    elif concept == "kalai_genius":  # smallest spread of the exact utilities raw_j * u_j
        common = math.lcm(*(u.denominator for u in unit))
        scaled = np.stack(
            [R[ids, j] * (u.numerator * (common // u.denominator)) for j, u in enumerate(unit)], axis=1
        )
        keys = -(np.max(scaled, axis=1) - np.min(scaled, axis=1))
        scale = Fraction(1, common)
    elif concept == "egalitarian":
        common = math.lcm(*denominators)
        scaled = np.stack([G[:, j] * (common // c) for j, c in enumerate(denominators)], axis=1)
        keys = np.min(scaled, axis=1)
        scale = Fraction(1, common)
    else:  # kalai_smorodinsky: the ideal gain I_j cancels c_j: min_j G_j / I_j
        ideal = [int(v) for v in np.max(G, axis=0)]
        can_gain = [j for j in range(k) if ideal[j] > 0]
        if not can_gain:
            keys, scale = np.zeros(len(ids), dtype=object), Fraction(0)
        else:
            common = math.lcm(*(ideal[j] for j in can_gain))
            scaled = np.stack([G[:, j] * (common // ideal[j]) for j in can_gain], axis=1)
            keys = np.min(scaled, axis=1)
            scale = Fraction(1, common)
    keys = np.asarray(keys, dtype=object)
    best = max(keys.tolist())
    ties = np.array([key == best for key in keys.tolist()], dtype=bool)
    return ids[ties], float(best * scale)


def _check(P: FloatArray, d: ArrayLike) -> tuple[FloatArray, FloatArray]:
    P = np.asarray(P, dtype=np.float64)
    dv = np.asarray(d, dtype=np.float64)
    if P.ndim != 2 or dv.shape != (P.shape[1],):
        raise ValueError(
            f"expected points (f, k) and a disagreement point (k,), got {P.shape} and {dv.shape}"
        )
    if not np.all(np.isfinite(dv)):
        raise ValueError("the disagreement point must be finite")
    return P, dv
