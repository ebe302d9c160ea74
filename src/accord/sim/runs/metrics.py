"""Per-negotiation results: agreement, timing, utilities, efficiency, strike days and costs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from accord.analysis.frontier import pareto_frontier
from accord.analysis.solutions import nash_points
from accord.sim.scenarios.scenario import FloatArray, IntArray, Scenario


@dataclass(frozen=True, slots=True, eq=False)
class Reference:
    """What a scenario's outcomes are measured against: its Pareto frontier (distinct utility
    points over all ``k`` columns, :func:`accord.analysis.frontier.pareto_frontier`) and its Nash
    point (:func:`accord.analysis.solutions.nash_points`; disagreement point = the reservation
    values; NaN when no frontier point is individually rational)."""

    frontier: FloatArray
    nash: FloatArray

    @classmethod
    def of(cls, scenario: Scenario) -> Reference:
        frontier = unique_rows(scenario.U[pareto_frontier(scenario.U)])
        best = nash_points(frontier, scenario.reservation)
        # Ties (equal Nash products) are rare; the first point in frontier order stands for them.
        nash = frontier[best[0]] if best.size else np.full(scenario.k, np.nan)
        return cls(frontier, nash)


def unique_rows(points: FloatArray) -> FloatArray:
    """The distinct rows of ``points`` in lexicographic order: ``np.unique(points, axis=0)``,
    which imports ``numpy.ma`` (a fiftieth of a second of every tournament's start) to ask
    whether its input is masked.

    Examples
    --------
    >>> unique_rows(np.array([[0.5, 1.0], [0.2, 0.3], [0.5, 1.0], [0.5, 0.1]])).tolist()
    [[0.2, 0.3], [0.5, 0.1], [0.5, 1.0]]
    """
    if points.shape[0] == 0:
        return points.copy()
    ordered = points[np.lexsort(points.T[::-1])]
    new = np.ones(ordered.shape[0], dtype=bool)
    new[1:] = (ordered[1:] != ordered[:-1]).any(axis=1)
    return ordered[new]


def _nearest_distance(points: FloatArray, frontier: FloatArray, chunk: int = 4096) -> FloatArray:
    out = np.empty(points.shape[0])
    for start in range(0, points.shape[0], chunk):
        p = points[start : start + chunk]
        d = np.sqrt(((p[:, None, :] - frontier[None, :, :]) ** 2).sum(axis=2)).min(axis=1)
        out[start : start + chunk] = d
    return out


def outcome_metrics(
    scenario: Scenario,
    agreement: IntArray,
    end_turn: IntArray,
    reference: Reference | None = None,
) -> dict[str, NDArray[Any]]:
    """Columns describing each negotiation (``B`` rows).

    ``round``, ``day`` (the calendar day it ended: strike days, counting those before the
    simulation started), then per utility column ``c``: ``utility_c`` (the agreed package's
    utility, NaN without agreement), ``payoff_c`` (the utility discounted by ``discount ** turn``,
    or the reservation value without agreement, less the strike cost), ``strike_cost_c``
    (``daily_cost * day``); then ``welfare`` (sum of payoffs), and the Euclidean distances of the
    agreed utilities to the nearest frontier point and to the Nash point (NaN without agreement).

    Examples
    --------
    >>> U = np.array([[1.0, 0.0], [0.6, 0.6], [0.4, 0.4]])
    >>> m = outcome_metrics(Scenario.bilateral("s", U, ("a", "b")), np.array([1, 2, -1]), np.array([3, 3, 9]))
    >>> m["frontier_distance"].round(3).tolist()[:2], m["welfare"].tolist()
    ([0.0, 0.283], [1.2, 0.8, 0.0])
    """
    reference = reference or Reference.of(scenario)
    agreed = agreement >= 0
    rounds = end_turn // scenario.n_sides
    day = scenario.calendar.day_of_round(rounds)
    U = scenario.U[np.where(agreed, agreement, 0)]
    utility = np.where(agreed[:, None], U, np.nan)
    cost = day[:, None] * scenario.daily_cost[None, :]
    discounted = U * scenario.discount[None, :] ** end_turn[:, None]
    payoff = np.where(agreed[:, None], discounted, scenario.reservation[None, :]) - cost
    columns: dict[str, NDArray[Any]] = {
        "agreement": agreed,
        "outcome": agreement,
        "turn": end_turn,
        "round": rounds,
        "day": day,
    }
    for j, name in enumerate(scenario.columns):
        columns[f"utility_{name}"] = utility[:, j]
        columns[f"payoff_{name}"] = payoff[:, j]
        columns[f"strike_cost_{name}"] = cost[:, j]
    columns["welfare"] = payoff.sum(axis=1)
    frontier_distance = np.full(agreement.shape[0], np.nan)
    nash_distance = np.full(agreement.shape[0], np.nan)
    if agreed.any():
        # Per distinct agreed outcome (a tournament repeats few outcomes many times), then
        # looked up: each point's distances are computed as they would be on their own.
        # (np.unique, not a table over all outcomes: a sweep's chunks hold one negotiation each.)
        distinct, settled = np.unique(agreement[agreed], return_inverse=True)
        points = scenario.U[distinct]
        frontier_distance[agreed] = _nearest_distance(points, reference.frontier)[settled]
        nash_distance[agreed] = np.sqrt(((points - reference.nash) ** 2).sum(axis=1))[settled]
    columns["frontier_distance"] = frontier_distance
    columns["nash_distance"] = nash_distance
    return columns
