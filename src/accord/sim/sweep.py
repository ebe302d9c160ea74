"""Sweeps: vary one assumption of a scenario and watch the predicted settlement move."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from accord.sim.arrays import DEFAULT_ARRAYS, ArraySpec
from accord.sim.batch import REASONS, run_batch
from accord.sim.metrics import outcome_metrics
from accord.sim.scenario import Scenario
from accord.sim.strategies.base import Strategy
from accord.sim.tournament import Table

PARAMETERS = ("daily_cost", "reservation", "discount")


def vary(scenario: Scenario, parameter: str, column: int, value: float) -> Scenario:
    """``scenario`` with ``parameter`` (one of :data:`PARAMETERS`) of utility column ``column``
    set to ``value``."""
    if parameter not in PARAMETERS:
        raise ValueError(f"unknown parameter {parameter!r}; expected one of {list(PARAMETERS)}")
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
) -> Table:
    """One negotiation per value (negotiation ``i`` uses seed index ``i``): settlement, its day
    and the utilities, for each value of the assumption, on the array backend ``arrays``.

    Examples
    --------
    >>> from accord.sim.strategies import make_strategy
    >>> U = np.array([[1.0, 0.0], [0.7, 0.6], [0.0, 1.0]])
    >>> s = Scenario.bilateral("s", U, ("a", "b"))
    >>> t = sweep(s, [make_strategy("boulware")] * 2, "reservation", 0, [0.0, 0.8], 10)
    >>> t["outcome"].tolist(), t["reason"].tolist()
    ([1, -1], ['agreement', 'deadline'])
    """
    scenarios = [vary(scenario, parameter, column, float(v)) for v in values]
    n = len(scenarios)
    result = run_batch(
        scenarios,
        np.arange(n),
        list(strategies),
        np.tile(np.arange(scenario.n_sides), (n, 1)),
        n_rounds,
        seed=seed,
        indices=np.arange(n),
        xp=arrays.backend(),
    )
    rows = [
        outcome_metrics(s, result.agreement[i : i + 1], result.end_turn[i : i + 1])
        for i, s in enumerate(scenarios)
    ]
    table: Table = {"value": np.asarray(values, dtype=np.float64)}
    table["reason"] = np.array(REASONS, dtype=object)[result.reason]
    for key in rows[0]:
        table[key] = np.concatenate([r[key] for r in rows])
    return table
