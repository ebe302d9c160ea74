"""A sweep's values are checked against the scenario's own rule before any negotiation runs."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sim_scenarios import bilateral

from accord.sim.runs.runners import LocalRunner
from accord.sim.runs.sweep import PARAMETERS, sweep, value_problems, vary
from accord.sim.scenarios.scenario import COLUMN_RANGES, column_value_problem
from accord.sim.strategies import make_strategy

STRATEGIES = [make_strategy("boulware")] * 2


class Counting(LocalRunner):
    """The local runner, counting the chunks it is asked to run."""

    def __init__(self) -> None:
        super().__init__(1)
        self.chunks = 0

    def run(self, tournament, chunks):
        self.chunks += len(chunks)
        return super().run(tournament, chunks)


BAD = [
    ("discount", [0.9, 0.0], 1, "a number in (0, 1]"),
    ("discount", [1.5, 0.9], 0, "a number in (0, 1]"),
    ("daily_cost", [0.0, 0.001, -0.001], 2, "a finite number >= 0"),
    ("daily_cost", [0.0, math.inf], 1, "a finite number >= 0"),
    ("reservation", [0.2, math.nan, 0.4], 1, "a finite number"),
]


@pytest.mark.parametrize(("parameter", "values", "position", "expected"), BAD)
def test_a_bad_value_is_refused_before_any_negotiation_runs(parameter, values, position, expected):
    runner = Counting()
    with pytest.raises(ValueError) as caught:
        sweep(bilateral(0), STRATEGIES, parameter, 0, values, 10, runner=runner)
    message = str(caught.value)
    assert f"{parameter} values[{position}]" in message and f"expected {expected}" in message
    assert runner.chunks == 0


def test_every_bad_position_is_named():
    with pytest.raises(ValueError) as caught:
        sweep(bilateral(0), STRATEGIES, "discount", 1, [0.0, 0.5, 2.0], 10)
    assert "discount values[0]" in str(caught.value) and "discount values[2]" in str(caught.value)
    assert "values[1]" not in str(caught.value)


def test_good_values_still_run():
    runner = Counting()
    table = sweep(bilateral(0), STRATEGIES, "discount", 1, [0.5, 1.0], 10, runner=runner)
    assert table["value"].tolist() == [0.5, 1.0] and runner.chunks == 2


def test_vary_names_the_parameter_and_the_range():
    with pytest.raises(ValueError, match=r"daily_cost of column 1: expected a finite number >= 0, got -1\.0"):
        vary(bilateral(0), "daily_cost", 1, -1.0)


@given(st.sampled_from(PARAMETERS), st.floats(allow_nan=True, allow_infinity=True))
def test_the_sweep_and_the_scenario_share_one_rule(parameter, value):
    """A value passes the sweep's check exactly when a scenario accepts it in that column."""
    refused_by_sweep = bool(value_problems(parameter, [value]))
    values = np.array(getattr(bilateral(0), parameter), dtype=np.float64)
    values[0] = value
    try:
        bilateral(0).replace(**{parameter: values})
        refused_by_scenario = False
    except ValueError as error:
        refused_by_scenario = True
        assert parameter in str(error) and f"expected {COLUMN_RANGES[parameter]}" in str(error)
    assert refused_by_sweep == refused_by_scenario == (column_value_problem(parameter, value) is not None)
