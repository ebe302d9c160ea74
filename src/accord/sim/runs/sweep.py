"""Sweeps: vary one assumption of a scenario and watch the predicted settlement move."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

import numpy as np

from accord.sim.engine.arrays import DEFAULT_ARRAYS, ArraySpec
from accord.sim.runs.runners import LocalRunner, Runner
from accord.sim.runs.tournament import Table, Tournament, concat, results
from accord.sim.scenarios.scenario import COLUMN_RANGES, Scenario, column_value_problem
from accord.sim.strategies.base import Strategy

PARAMETERS = tuple(COLUMN_RANGES)
"""The assumptions a sweep may vary: the scenario's per-column ones, each with its range."""


def ranges_text() -> str:
    """What each parameter may be, for help texts.

    Examples
    --------
    >>> ranges_text()
    'daily_cost: a finite number >= 0; reservation: a finite number; discount: a number in (0, 1]'
    """
    return "; ".join(f"{parameter}: {COLUMN_RANGES[parameter]}" for parameter in PARAMETERS)


def _known(parameter: str) -> None:
    if parameter not in PARAMETERS:
        raise ValueError(f"unknown parameter {parameter!r}; expected one of {list(PARAMETERS)}")


def value_problems(parameter: str, values: Sequence[float]) -> list[tuple[int, str]]:
    """The position of each of ``values`` that ``parameter`` cannot take, with what was expected
    (the scenario's own rule, :func:`accord.sim.scenarios.scenario.column_value_problem`).

    Examples
    --------
    >>> value_problems("discount", [0.9, 0.0, 1.0, 1.5])
    [(1, 'expected a number in (0, 1], got 0.0'), (3, 'expected a number in (0, 1], got 1.5')]
    """
    _known(parameter)
    found = ((i, column_value_problem(parameter, v)) for i, v in enumerate(values))
    return [(i, problem) for i, problem in found if problem is not None]


def check_values(parameter: str, values: Sequence[float]) -> None:
    """Refuse (``ValueError``) a sweep of ``parameter`` over ``values`` if any value is out of its
    range, naming the parameter, each bad value's position and the range.

    Examples
    --------
    >>> check_values("daily_cost", [0.0, -0.001])
    Traceback (most recent call last):
    ...
    ValueError: daily_cost values[1]: expected a finite number >= 0, got -0.001
    """
    problems = value_problems(parameter, values)
    if problems:
        raise ValueError("; ".join(f"{parameter} values[{i}]: {problem}" for i, problem in problems))


def vary(scenario: Scenario, parameter: str, column: int, value: float) -> Scenario:
    """``scenario`` with ``parameter`` (one of :data:`PARAMETERS`) of utility column ``column``
    set to ``value`` (``ValueError`` if ``value`` is out of the parameter's range)."""
    _known(parameter)
    problem = column_value_problem(parameter, value)
    if problem is not None:
        raise ValueError(f"{parameter} of column {column}: {problem}")
    if not 0 <= column < scenario.k:
        raise ValueError(
            f"column {column} is out of range; the scenario has columns {list(scenario.columns)}"
        )
    values = np.array(getattr(scenario, parameter), dtype=np.float64)
    values[column] = value
    return scenario.replace(**{parameter: values})


def sweep(
    scenario: Scenario,
    strategies: Sequence[Strategy],
    parameter: str,
    column: int,
    values: Sequence[float],
    n_rounds: int,
    *,
    seed: int = 0,
    arrays: ArraySpec = DEFAULT_ARRAYS,
    runner: Runner | None = None,
) -> Table:
    """One negotiation per value, side ``p`` playing ``strategies[p]``: the settlement, its day
    and the utilities for each value of the assumption (``value`` and the columns of a
    tournament's results table), on the array namespace ``arrays``.

    The sweep is a tournament of one line-up over the varied scenarios (negotiation ``i`` is
    value ``i`` and uses seed index ``i``), so it runs on any :class:`~accord.sim.runs.runners.Runner`
    (local processes, Dask) with the same results; by default, in this process.

    Examples
    --------
    >>> from accord.sim.strategies import make_strategy
    >>> U = np.array([[1.0, 0.0], [0.7, 0.6], [0.0, 1.0]])
    >>> s = Scenario.bilateral("s", U, ("a", "b"))
    >>> t = sweep(s, [make_strategy("boulware")] * 2, "reservation", 0, [0.0, 0.8], 10)
    >>> t["outcome"].tolist(), t["reason"].tolist()
    ([1, -1], ['agreement', 'deadline'])

    Every value is checked (:func:`check_values`) before any negotiation runs.
    """
    check_values(parameter, values)
    scenarios = tuple(vary(scenario, parameter, column, float(v)) for v in values)
    tournament = Tournament(
        scenarios, tuple(strategies), 1, n_rounds, seed, arrays, lineup=tuple(range(scenario.n_sides))
    )
    runner = runner or LocalRunner()
    engine = concat(result for _, result in runner.run(tournament, list(tournament.chunks(1))))
    table = results(tournament, engine)
    return {"value": np.asarray(values, dtype=np.float64), **table}


def sweep_values(low: float, high: float, count: int) -> list[float]:
    """``count`` evenly spaced values from ``low`` to ``high`` (both included).

    Examples
    --------
    >>> sweep_values(0.0, 0.002, 3)
    [0.0, 0.001, 0.002]
    """
    if count < 2:
        return [low]
    step = (high - low) / (count - 1)
    values = [low + i * step for i in range(count)]
    assert all(b >= a for a, b in pairwise(values)) or high < low
    return [round(v, 12) for v in values]
