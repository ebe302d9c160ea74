"""Sweeps: the same table in this process, in local worker processes and on a Dask cluster, and
each row the reference engine's negotiation of that value."""

from __future__ import annotations

import pytest
from sim_scenarios import assert_tables_equal, bilateral

from accord.sim.engine.reference import run_negotiation
from accord.sim.runs.runners import DaskRunner, LocalRunner
from accord.sim.runs.sweep import sweep, vary
from accord.sim.runs.tournament import Tournament
from accord.sim.strategies import make_strategy

VALUES = [0.0, 0.5, 0.8, 0.9, 0.99]
STRATEGIES = [make_strategy("boulware"), make_strategy("random-acceptable")]


def _sweep(runner=None):
    return sweep(bilateral(0), STRATEGIES, "reservation", 1, VALUES, 12, seed=3, runner=runner)


@pytest.fixture(scope="module")
def baseline():
    return _sweep()


def test_each_value_is_the_reference_engines_negotiation(baseline):
    assert baseline["value"].tolist() == VALUES
    for i, value in enumerate(VALUES):
        scenario = vary(bilateral(0), "reservation", 1, value)
        expected = run_negotiation(scenario, STRATEGIES, 12, seed=3, index=i)
        assert baseline["outcome"][i] == expected.agreement
        assert baseline["turn"][i] == expected.end_turn
        assert baseline["reason"][i] == expected.reason
        assert baseline["strategy_1"][i] == "random-acceptable"
    # a higher walk-away point for side 1 moves the settlement its way
    utility = baseline[f"utility_{bilateral(0).columns[1]}"]
    assert utility[0] < utility[2] and len(set(baseline["outcome"].tolist())) > 2


def test_local_processes_give_the_same_table(baseline):
    assert_tables_equal(baseline, _sweep(LocalRunner(2)))


def test_dask_local_cluster_gives_the_same_table(baseline):
    import distributed

    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=False, dashboard_address=":0"
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        assert_tables_equal(baseline, _sweep(DaskRunner(client)))


def test_a_lineup_must_fit_the_scenarios_and_the_strategies():
    with pytest.raises(ValueError, match="one strategy per side"):
        Tournament((bilateral(0),), tuple(STRATEGIES), lineup=(0, 1, 1))
    with pytest.raises(ValueError, match="indexes of the 2 strategies"):
        Tournament((bilateral(0),), tuple(STRATEGIES), lineup=(0, 2))
