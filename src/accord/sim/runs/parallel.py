"""One batch over several local processes: contiguous index ranges, results joined in order.

Every negotiation's result depends only on its own scenario, line-up and seed index (see
:mod:`accord.sim.engine.seeding`), so splitting a batch never changes it: the joined result is the
single-process one, row for row (the tests check this).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

import numpy as np

from accord.sim.engine.arrays import DEFAULT_ARRAYS, ArraySpec
from accord.sim.engine.batch import BatchResult, run_batch
from accord.sim.scenarios.scenario import IntArray, Scenario
from accord.sim.strategies.base import Strategy


def _piece(
    scenarios: Sequence[Scenario],
    scenario_index: IntArray,
    strategies: Sequence[Strategy],
    lineup: IntArray,
    n_rounds: int,
    seed: int,
    indices: IntArray,
    arrays: ArraySpec,
) -> BatchResult:
    return run_batch(
        scenarios,
        scenario_index,
        strategies,
        lineup,
        n_rounds,
        seed=seed,
        indices=indices,
        xp=arrays.namespace(),
    )


def run_batch_parallel(
    scenarios: Sequence[Scenario],
    scenario_index: IntArray,
    strategies: Sequence[Strategy],
    lineup: IntArray,
    n_rounds: int,
    *,
    seed: int,
    indices: IntArray,
    workers: int = 2,
    arrays: ArraySpec = DEFAULT_ARRAYS,
) -> BatchResult:
    """:func:`~accord.sim.engine.batch.run_batch` split into ``workers`` contiguous pieces, each run in
    its own process (one worker runs in this process), joined in the original order.

    Examples
    --------
    >>> from accord.sim.strategies.timedep import Boulware
    >>> U = np.array([[1.0, 0.0], [0.7, 0.6], [0.0, 1.0]])
    >>> s = Scenario.bilateral("s", U, ("a", "b"))
    >>> r = run_batch_parallel([s], np.zeros(4, int), [Boulware()], np.zeros((4, 2), int), 10,
    ...                        seed=0, indices=np.arange(4), workers=2)
    >>> r.agreement.tolist()
    [1, 1, 1, 1]
    """
    if workers < 1:
        raise ValueError(f"workers must be >= 1, got {workers}")
    scenario_index = np.asarray(scenario_index, dtype=np.int64)
    lineup = np.asarray(lineup, dtype=np.int64)
    indices = np.asarray(indices, dtype=np.int64)
    bounds = np.linspace(0, scenario_index.shape[0], workers + 1).astype(int)
    pieces = [slice(int(lo), int(hi)) for lo, hi in itertools.pairwise(bounds) if hi > lo]
    if len(pieces) <= 1:
        return _piece(scenarios, scenario_index, strategies, lineup, n_rounds, seed, indices, arrays)
    # CUDA cannot be used in a forked child of a process that touched it: spawn for GPUs.
    context = get_context("spawn" if arrays.device != "cpu" else "fork")
    with ProcessPoolExecutor(max_workers=len(pieces), mp_context=context) as pool:
        futures = [
            pool.submit(
                _piece,
                scenarios,
                scenario_index[piece],
                strategies,
                lineup[piece],
                n_rounds,
                seed,
                indices[piece],
                arrays,
            )
            for piece in pieces
        ]
        results = [f.result() for f in futures]
    traced = all(r.actions is not None for r in results)

    def join(name: str) -> IntArray:
        return np.concatenate([getattr(r, name) for r in results])

    return BatchResult(
        indices,
        join("agreement"),
        join("end_turn"),
        join("reason"),
        join("actions") if traced else None,
        join("outcomes") if traced else None,
    )
