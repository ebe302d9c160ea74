"""Sweeps: vary one assumption of a scenario and watch the predicted settlement move."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from accord.sim.arrays import DEFAULT_ARRAYS, ArraySpec
from accord.sim.backends import Backend, LocalBackend
from accord.sim.scenario import Scenario
from accord.sim.strategies.base import Strategy
from accord.sim.tournament import Table, Tournament, concat

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
    backend: Backend | None = None,
) -> Table:
    """One negotiation per value, side ``p`` playing ``strategies[p]``: the settlement, its day
    and the utilities for each value of the assumption (``value`` and the columns of a
    tournament's results table), on the array backend ``arrays``.

    The sweep is a tournament of one line-up over the varied scenarios (negotiation ``i`` is
    value ``i`` and uses seed index ``i``), so it runs on any :class:`~accord.sim.backends.Backend`
    (local processes, Dask) with the same results; by default, in this process.

    Examples
    --------
    >>> from accord.sim.strategies import make_strategy
    >>> U = np.array([[1.0, 0.0], [0.7, 0.6], [0.0, 1.0]])
    >>> s = Scenario.bilateral("s", U, ("a", "b"))
    >>> t = sweep(s, [make_strategy("boulware")] * 2, "reservation", 0, [0.0, 0.8], 10)
    >>> t["outcome"].tolist(), t["reason"].tolist()
    ([1, -1], ['agreement', 'deadline'])
    """
    scenarios = tuple(vary(scenario, parameter, column, float(v)) for v in values)
    tournament = Tournament(
        scenarios, tuple(strategies), 1, n_rounds, seed, arrays, lineup=tuple(range(scenario.n_sides))
    )
    runner = backend or LocalBackend()
    table = concat(result for _, result in runner.run(tournament, list(tournament.chunks(1))))
    return {"value": np.asarray(values, dtype=np.float64), **table}
