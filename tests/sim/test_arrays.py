"""The PyTorch array namespace (CPU build here, CUDA where there is one) gives the NumPy engine's
and the reference engine's results exactly in float64, and within the documented tolerance in
float32. Only about PyTorch (the suite without it: test_array_namespace.py and the rest)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import torch
from batch_runs import STRATEGIES, assert_a_lone_strategy_plays_as_among_others, lineups, run_on, same_share
from hypothesis import given, settings
from hypothesis import strategies as st
from sim_scenarios import RULES, bilateral, coalition, static_pair_batches, three_party, with_openings

from accord.prefs import rule_accepts
from accord.sim.engine.arrays import ArraySpec, ArraysUnavailableError
from accord.sim.engine.batch import run_batch
from accord.sim.engine.reference import run_negotiation
from accord.sim.engine.rounds import REASONS
from accord.sim.scenarios.generate import pie, random_scenario, union_vs_coalition
from accord.sim.strategies import make_strategy

TORCH64 = ArraySpec(library="torch")
DEVICES = ["cpu", "cuda"] if torch.cuda.is_available() else ["cpu"]


CASES = {
    "bilateral": ([bilateral(0), bilateral(1)], 2),
    "three-party": ([three_party()], 3),
    "coalition": ([coalition(0), coalition(1)], 2),
    "openings": ([bilateral(0), with_openings(bilateral(1), 3)], 2),
    "coalition-openings": ([with_openings(coalition(0), 7), coalition(1)], 2),
}


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("case", sorted(CASES))
def test_torch_float64_traces_equal_numpy_and_the_reference(case, device):
    scenarios, n_sides = CASES[case]
    lineup = lineups(n_sides)[:: 3 if n_sides == 3 else 1]
    sid = np.arange(len(lineup)) % len(scenarios)
    ours = run_on(ArraySpec(device, library="torch"), scenarios, sid, lineup, 12, 7, trace=True)
    numpy = run_on(ArraySpec(), scenarios, sid, lineup, 12, 7, trace=True)
    for name in ("agreement", "end_turn", "reason", "actions", "outcomes"):
        np.testing.assert_array_equal(getattr(ours, name), getattr(numpy, name), err_msg=name)
    for b in range(0, len(lineup), 7):
        ref = run_negotiation(scenarios[sid[b]], [STRATEGIES[i] for i in lineup[b]], 12, seed=7, index=b)
        assert (ref.agreement, ref.end_turn, ref.reason) == (
            ours.agreement[b],
            ours.end_turn[b],
            REASONS[ours.reason[b]],
        )
    assert {REASONS[r] for r in ours.reason} >= {"agreement", "deadline"}


@pytest.mark.parametrize("rule", RULES.values(), ids=RULES.keys())
def test_the_decision_rule_on_torch_arrays_is_the_numpy_one(rule):
    votes = np.array(list(itertools.product([False, True], repeat=3)))
    xp = TORCH64.namespace()
    columns = [xp.asarray(votes[:, j], "bool") for j in range(3)]
    on_torch = rule_accepts(rule, ["m0", "m1", "m2"], columns, xp=xp)
    assert isinstance(on_torch, torch.Tensor)
    expected = rule_accepts(rule, ["m0", "m1", "m2"], votes)
    np.testing.assert_array_equal(xp.to_numpy(on_torch), expected)
    assert expected.any() and not expected.all()


@settings(max_examples=6, deadline=None)
@given(
    seed=st.integers(0, 2**20),
    rule=st.sampled_from(list(RULES.values())),
    reservation=st.floats(0.0, 0.5),
    daily_cost=st.floats(0.0, 0.01),
)
def test_union_vs_coalition_is_the_same_on_torch(seed, rule, reservation, daily_cost):
    rng = np.random.default_rng(seed)
    scenarios = [
        union_vs_coalition(rng, (4, 3, 5), 3, rule, reservation=reservation, daily_cost=[daily_cost] * 4)
        for _ in range(2)
    ]
    lineup = np.repeat(lineups(2), 2, axis=0)
    sid = np.arange(len(lineup)) % 2
    a = run_on(ArraySpec(), scenarios, sid, lineup, 20, seed)
    b = run_on(TORCH64, scenarios, sid, lineup, 20, seed)
    for name in ("agreement", "end_turn", "reason"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name), err_msg=name)


def test_float32_settles_like_float64_on_random_domains():
    """The documented tolerance: >= 99% identical results on random additive domains (NumPy's
    float32 in test_array_namespace.py)."""
    library = "torch"
    rng = np.random.default_rng(11)
    scenarios = [
        random_scenario(rng, (10, 10, 10)).replace(reservation=[0.2, 0.3], daily_cost=[0.001, 0.002])
        for _ in range(8)
    ]
    share, *_ = same_share(ArraySpec(dtype="float32", library=library), scenarios, 2)
    assert share >= 0.99


def test_float32_near_ties_on_a_round_grid_stay_close():
    """On a pie cut in hundredths, utilities tie with reservation values exactly; float32 may
    settle such near-ties differently, but >= 90% of results stay identical and the others
    land within a tenth of the pie."""
    scenarios = [
        pie(100, d1, 0.9).replace(reservation=[r, 0.1], daily_cost=[0.003, 0.001])
        for d1 in (0.9, 1.0)
        for r in (0.0, 0.3)
    ]
    share, exact, fast, _sid = same_share(ArraySpec(dtype="float32", library="torch"), scenarios, 2)
    assert share >= 0.9
    both = (exact.agreement >= 0) & (fast.agreement >= 0)
    assert np.abs(exact.agreement[both] - fast.agreement[both]).max() <= 10


def test_cuda_without_a_gpu_says_so():
    spec = ArraySpec("cuda")
    if torch.cuda.is_available():
        assert spec.namespace().device == "cuda"
    else:
        with pytest.raises(ArraysUnavailableError, match="sees no CUDA GPU"):
            spec.namespace()
    with pytest.raises(ArraysUnavailableError, match="CUDA"):
        ArraySpec(f"cuda:{torch.cuda.device_count() + 3}").namespace()


def test_two_processes_give_the_single_process_result():
    from accord.sim.runs.parallel import run_batch_parallel

    scenarios = [bilateral(0), bilateral(1)]
    lineup = np.repeat(lineups(2), 5, axis=0)
    sid = np.arange(len(lineup)) % 2
    args = (scenarios, sid, STRATEGIES, lineup, 20)
    single = run_batch(*args, seed=3, indices=np.arange(len(lineup)) + 50)
    for workers, spec in ((2, ArraySpec()), (3, TORCH64)):
        split = run_batch_parallel(
            *args, seed=3, indices=np.arange(len(lineup)) + 50, workers=workers, arrays=spec
        )
        for name in ("indices", "agreement", "end_turn", "reason"):
            np.testing.assert_array_equal(getattr(split, name), getattr(single, name), err_msg=name)


def test_tournament_carries_the_array_backend_to_dask_workers():
    import distributed

    from accord.sim.runs.runners import DaskRunner, LocalRunner
    from accord.sim.runs.tournament import Tournament, concat

    strategies = tuple(make_strategy(n) for n in ("boulware", "tit-for-tat", "random-acceptable"))
    base = Tournament((bilateral(0), coalition(0)), strategies, repetitions=3, n_rounds=15, seed=9)
    on_torch = Tournament(base.scenarios, strategies, 3, 15, 9, arrays=TORCH64)
    expected = concat(t for _, t in LocalRunner(1).run(base, list(base.chunks(1000))))
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=False, dashboard_address=":0"
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        got = concat(t for _, t in DaskRunner(client).run(on_torch, list(on_torch.chunks(7))))
    for name, values in expected.items():
        assert np.asarray(values).tolist() == np.asarray(got[name]).tolist() or np.array_equal(
            values, got[name], equal_nan=True
        ), name


def test_a_lone_strategy_plays_as_it_does_among_others_on_torch():
    assert_a_lone_strategy_plays_as_among_others(TORCH64)


def test_bad_indexes_are_refused_before_anything_runs():
    scenarios = [bilateral(0), bilateral(1)]
    boulware = [make_strategy("boulware")]
    with pytest.raises(ValueError, match="every entry must be 0"):
        run_batch(
            scenarios, np.zeros(3, int), boulware, np.eye(3, 2, dtype=int), 5, seed=0, indices=np.arange(3)
        )
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        run_batch(
            scenarios,
            np.array([0, 2]),
            boulware,
            np.zeros((2, 2), int),
            5,
            seed=0,
            indices=np.arange(2),
            xp=TORCH64.namespace(),
        )


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(-1, 2**40), min_size=1, max_size=20))
def test_index_arrays_cross_the_bus_unchanged(values):
    """Index arrays go to the device and back in their narrowest type, and come back intact."""
    xp = TORCH64.namespace()
    host = np.array(values, dtype=np.int64)
    upper = int(host.max())
    back = xp.to_numpy_int(xp.asarray(host, "int"), -1, upper)
    assert back.dtype == np.int64 and back.tolist() == values
    shifted = host + 1
    assert xp.to_numpy(xp.asindex(shifted, upper + 1)).tolist() == shifted.tolist()


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("rule", RULES.values(), ids=RULES.keys())
def test_static_pairs_on_torch_settle_as_the_general_loop_on_numpy(device, rule):
    """The loop of two static sides (no trace) on PyTorch float64 against NumPy's general loop
    (a trace asked for); float32 within its documented tolerance."""
    static = [i for i, s in enumerate(STRATEGIES) if s.static]
    pairs = np.repeat(np.array(list(itertools.product(static, repeat=2))), 3, axis=0)
    for scenarios in static_pair_batches(rule):
        sid = np.arange(len(pairs)) % len(scenarios)
        general = run_on(ArraySpec(), scenarios, sid, pairs, 15, 3, trace=True)
        for dtype in ("float64", "float32"):
            pair = run_on(ArraySpec(device, dtype, "torch"), scenarios, sid, pairs, 15, 3)
            same = np.ones(len(pairs), dtype=bool)
            for name in ("agreement", "end_turn", "reason"):
                same &= getattr(pair, name) == getattr(general, name)
            assert same.all() if dtype == "float64" else same.mean() >= 0.99, dtype
