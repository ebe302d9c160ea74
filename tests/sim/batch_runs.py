"""Batches of every line-up of the built-in strategies, run on a given array namespace, for the
tests that compare namespaces (test_array_namespace.py; test_arrays.py with PyTorch)."""

from __future__ import annotations

import itertools

import numpy as np
from sim_scenarios import bilateral, with_openings

from accord.sim.engine.arrays import ArraySpec
from accord.sim.engine.batch import BatchResult, run_batch
from accord.sim.strategies import make_strategy, strategy_names

STRATEGIES = [make_strategy(n) for n in strategy_names()]


def lineups(n_sides: int) -> np.ndarray:
    """Every line-up of :data:`STRATEGIES` for ``n_sides`` sides."""
    return np.array(list(itertools.product(range(len(STRATEGIES)), repeat=n_sides)))


def run_on(spec, scenarios, sid, lineup, n_rounds, seed, trace=False) -> BatchResult:
    return run_batch(
        scenarios,
        sid,
        STRATEGIES,
        lineup,
        n_rounds,
        seed=seed,
        indices=np.arange(len(lineup)),
        record_trace=trace,
        xp=spec.namespace(),
    )


def same_share(spec, scenarios, n_sides, n_rounds=100):
    """The share of negotiations that end alike on ``spec`` and on NumPy float64 (and both results)."""
    lineup = np.repeat(lineups(n_sides), len(scenarios), axis=0)
    sid = np.arange(len(lineup)) % len(scenarios)
    exact = run_on(ArraySpec(), scenarios, sid, lineup, n_rounds, 2)
    fast = run_on(spec, scenarios, sid, lineup, n_rounds, 2)
    same = (
        (exact.agreement == fast.agreement)
        & (exact.end_turn == fast.end_turn)
        & (exact.reason == fast.reason)
    )
    return float(same.mean()), exact, fast, sid


def assert_a_lone_strategy_plays_as_among_others(spec: ArraySpec) -> None:
    """With one strategy the engine skips the lineup (plan id = scenario index): same results."""
    scenarios = [bilateral(0), with_openings(bilateral(1), 3)]
    sid = np.arange(40) % 2
    xp = spec.namespace()
    for name in ("boulware", "hardliner", "tit-for-tat", "random-acceptable", "frontier-walker"):
        k = strategy_names().index(name)
        alone = run_batch(
            scenarios, sid, [STRATEGIES[k]], np.zeros((40, 2), int), 30, seed=4, indices=np.arange(40), xp=xp
        )
        among = run_batch(
            scenarios, sid, STRATEGIES, np.full((40, 2), k), 30, seed=4, indices=np.arange(40), xp=xp
        )
        for field in ("agreement", "end_turn", "reason"):
            assert getattr(alone, field).dtype == np.int64
            assert getattr(alone, field).tolist() == getattr(among, field).tolist()
