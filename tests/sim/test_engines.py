"""Differential tests: the batch engine gives exactly the reference engine's traces."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sim_scenarios import RULES, bilateral, coalition, static_pair_batches, three_party, with_openings

from accord.sim.engine.batch import run_batch
from accord.sim.engine.reference import run_negotiation
from accord.sim.engine.rounds import REASONS
from accord.sim.strategies import make_strategy, strategy_names

STRATEGIES = [make_strategy(n) for n in strategy_names()]


def _lineups(n_sides: int) -> np.ndarray:
    return np.array(list(itertools.product(range(len(STRATEGIES)), repeat=n_sides)))


def _assert_same_as_reference(scenarios, scenario_index, lineup, n_rounds, seed, indices):
    result = run_batch(
        scenarios, scenario_index, STRATEGIES, lineup, n_rounds, seed=seed, indices=indices, record_trace=True
    )
    n_turns = scenarios[0].n_sides * n_rounds
    for b in range(len(indices)):
        strategies = [STRATEGIES[i] for i in lineup[b]]
        ref = run_negotiation(
            scenarios[scenario_index[b]], strategies, n_rounds, seed=seed, index=int(indices[b])
        )
        actions, outcomes = ref.trace_arrays(n_turns)
        assert (ref.agreement, ref.end_turn, ref.reason) == (
            result.agreement[b],
            result.end_turn[b],
            REASONS[result.reason[b]],
        ), f"negotiation {b}: {[s.name for s in strategies]}"
        np.testing.assert_array_equal(actions, result.actions[b])
        np.testing.assert_array_equal(outcomes, result.outcomes[b])
    return result


def test_bilateral_all_pairs_over_several_scenarios():
    scenarios = [bilateral(seed) for seed in range(3)]
    lineup = np.repeat(_lineups(2), 3, axis=0)
    scenario_index = np.arange(len(lineup)) % 3
    result = _assert_same_as_reference(
        scenarios, scenario_index, lineup, 15, 11, np.arange(len(lineup)) + 1000
    )
    assert set(result.reason.tolist()) >= {0, 1}, "both agreements and deadlines occur"


def test_three_parties_all_triples():
    lineup = _lineups(3)[::9]
    _assert_same_as_reference(
        [three_party()], np.zeros(len(lineup), int), lineup, 8, 5, np.arange(len(lineup))
    )


def test_union_vs_coalition_all_pairs():
    scenarios = [coalition(seed) for seed in range(2)]
    lineup = np.repeat(_lineups(2), 2, axis=0)
    _assert_same_as_reference(scenarios, np.arange(len(lineup)) % 2, lineup, 10, 2, np.arange(len(lineup)))


@settings(max_examples=4, deadline=None)
@given(seed=st.integers(0, 2**31), split=st.integers(2, 6))
def test_results_do_not_depend_on_how_the_batch_is_split(seed, split):
    scenarios = [bilateral(0), bilateral(1)]
    lineup = np.repeat(_lineups(2), 2, axis=0)
    sid = np.arange(len(lineup)) % 2
    indices = np.arange(len(lineup))
    whole = run_batch(scenarios, sid, STRATEGIES, lineup, 10, seed=seed, indices=indices)
    order = np.random.default_rng(seed).permutation(len(lineup))
    for chunk in np.array_split(order, split):
        part = run_batch(
            scenarios, sid[chunk], STRATEGIES, lineup[chunk], 10, seed=seed, indices=indices[chunk]
        )
        np.testing.assert_array_equal(part.agreement, whole.agreement[chunk])
        np.testing.assert_array_equal(part.end_turn, whole.end_turn[chunk])


def test_batch_rejects_scenarios_with_different_tables():
    with pytest.raises(ValueError, match="same sides"):
        run_batch(
            [bilateral(), coalition()],
            np.array([0, 1]),
            STRATEGIES,
            np.zeros((2, 2), int),
            5,
            seed=0,
            indices=np.arange(2),
        )


def test_openings_bilateral_three_party_and_coalition():
    scenarios = [with_openings(bilateral(seed), seed) for seed in range(2)]
    lineup = np.repeat(_lineups(2), 2, axis=0)
    _assert_same_as_reference(scenarios, np.arange(len(lineup)) % 2, lineup, 12, 3, np.arange(len(lineup)))
    triples = _lineups(3)[::13]
    _assert_same_as_reference(
        [with_openings(three_party(), 5)], np.zeros(len(triples), int), triples, 6, 1, np.arange(len(triples))
    )
    coalitions = [with_openings(coalition(seed), seed + 7) for seed in range(2)]
    _assert_same_as_reference(coalitions, np.arange(len(lineup)) % 2, lineup, 10, 2, np.arange(len(lineup)))


def test_a_batch_may_mix_scenarios_with_and_without_openings():
    scenarios = [bilateral(0), with_openings(bilateral(0), 1)]
    lineup = np.repeat(_lineups(2), 2, axis=0)
    result = _assert_same_as_reference(
        scenarios, np.arange(len(lineup)) % 2, lineup, 10, 0, np.arange(len(lineup))
    )
    assert (result.agreement[0::2] != result.agreement[1::2]).any()


STATIC = [i for i, s in enumerate(STRATEGIES) if s.static]


def _static_lineups(n_sides: int) -> np.ndarray:
    return np.array(list(itertools.product(STATIC, repeat=n_sides)))


@pytest.mark.parametrize("rule", RULES.values(), ids=RULES.keys())
def test_static_pairs_without_traces_play_as_the_reference(rule):
    """Two sides of static strategies take the loop without a standing offer per negotiation
    (:func:`accord.sim.engine.rounds.play_static_pair`); a trace takes the general loop. Both give the
    reference engine's results, with and without openings, and with a side whose walk-away
    point beats every package (it walks)."""
    pairs = np.repeat(_static_lineups(2), 4, axis=0)
    for scenarios in static_pair_batches(rule):
        sid = np.arange(len(pairs)) % len(scenarios)
        fast = run_batch(scenarios, sid, STRATEGIES, pairs, 12, seed=4, indices=np.arange(len(pairs)))
        traced = _assert_same_as_reference(scenarios, sid, pairs, 12, 4, np.arange(len(pairs)))
        for name in ("agreement", "end_turn", "reason"):
            np.testing.assert_array_equal(getattr(fast, name), getattr(traced, name), err_msg=name)
        assert set(fast.reason.tolist()) == {0, 1, 2}, "agreements, deadlines and walks all occur"
