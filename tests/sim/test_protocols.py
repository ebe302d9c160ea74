"""Mediated single text and separate deals / pattern bargaining: scripted traces, properties,
determinism under a seed."""

from __future__ import annotations

import numpy as np
import pytest
from sim_scenarios import bilateral, coalition

from accord.analysis.frontier import pareto_frontier
from accord.model import DecisionRule
from accord.sim.cases.mediated import mediator_path, run_mediated
from accord.sim.cases.pattern import compare_pattern, member_scenario, separate_deals
from accord.sim.engine.reference import OFFER, run_negotiation
from accord.sim.scenarios.scenario import Calendar, Scenario, Side
from accord.sim.strategies import ACCEPT, make_strategy

# a likes 0, b likes 4; 2 is the Nash point (0.36 against 0.28 for 1 and 3); 5 is dominated.
SPREAD = Scenario.bilateral(
    "spread",
    np.array([[1.0, 0.0], [0.7, 0.4], [0.6, 0.6], [0.4, 0.7], [0.0, 1.0], [0.1, 0.1]]),
    ("a", "b"),
)


def _texts(m):
    return [(t.round, t.proposal, t.votes) for t in m.texts]


def test_mediator_steps_from_the_far_ends_to_the_nash_point():
    path, target = mediator_path(SPREAD, 5)
    assert target == 2 and path.tolist() == [0, 4, 1, 3, 2]
    # more rounds than frontier packages: each text is repeated, the last is still the target
    path, _ = mediator_path(SPREAD, 9)
    assert path.tolist() == [0, 4, 4, 1, 1, 3, 3, 2, 2]
    # fewer rounds than packages: the farthest are skipped, the target is still last
    assert mediator_path(SPREAD, 2)[0].tolist() == [1, 2]
    # the utilitarian point is 2 too (sum 1.2); with a (0.9, 0.4) package it moves there
    assert mediator_path(SPREAD, 3, "utilitarian")[1] == 2
    richer = SPREAD.replace(U=np.vstack([SPREAD.U, [0.9, 0.4]]))
    assert mediator_path(richer, 3, "utilitarian")[1] == 6


def test_mediated_linear_pair_agrees_when_both_thresholds_fall_below_the_text():
    # Linear thresholds 1 - t - 1e-4 with t = (round + 1) / 6: 0.83, 0.67, 0.5, 0.33. Round 0:
    # text 0, a yes, b no; round 1: text 4, a no, b yes; round 2: text 1 (0.7, 0.4), b no;
    # round 3: text 3 (0.4, 0.7), both yes.
    m = run_mediated(SPREAD, [make_strategy("linear")] * 2, 5)
    assert _texts(m) == [
        (0, 0, (True, False)),
        (1, 4, (False, True)),
        (2, 1, (True, False)),
        (3, 3, (True, True)),
    ]
    assert (m.reason, m.agreement, m.end_round, m.end_turn) == ("agreement", 3, 3, 7)


def test_mediated_hardliners_reach_the_deadline():
    m = run_mediated(SPREAD, [make_strategy("hardliner")] * 2, 4)
    assert m.reason == "deadline" and m.agreement == -1 and len(m.texts) == 4


def test_mediated_texts_lie_on_the_frontier_of_what_every_side_may_offer():
    s = coalition(3)
    path, target = mediator_path(s, 30)
    from accord.sim.engine.agent_view import agent_views

    sides = agent_views(s, 30)
    V = np.stack([a.voice.u for a in sides], axis=1)
    allowed = np.intersect1d(sides[0].voice.order, sides[1].voice.order)
    frontier = set(allowed[pareto_frontier(V[allowed])].tolist())
    assert set(path.tolist()) <= frontier and path[-1] == target


def test_mediated_is_deterministic_under_a_seed():
    s = bilateral(2)
    strategies = [make_strategy("random-acceptable")] * 2
    runs = [run_mediated(s, strategies, 30, seed=seed, index=1) for seed in (7, 7, 8, 9, 10, 11)]
    assert _texts(runs[0]) == _texts(runs[1])
    assert len({str(_texts(r)) for r in runs[1:]}) > 1


def test_mediated_rejects_an_unknown_concept():
    with pytest.raises(ValueError, match="nash"):
        mediator_path(SPREAD, 3, "fairness")


# Union and two identical members: 0 is the union's best, 2 the members', 1 a compromise.
UNION = Scenario(
    name="pattern",
    U=np.array([[1.0, 0.0, 0.0], [0.6, 0.6, 0.6], [0.0, 1.0, 1.0]]),
    columns=("union", "m0", "m1"),
    sides=(Side("union", (0,)), Side("studios", (1, 2), DecisionRule())),
    calendar=Calendar(0, 1.0),
)


def _steps(n):
    return [(s.side, s.action, s.outcome) for s in n.trace]


def test_sequence_first_deal_sets_the_pattern_for_the_next_member():
    deals = separate_deals(UNION, [make_strategy("linear")] * 2, 4)
    first, second = deals.deals
    # as the bilateral linear pair on a line: offers 0 / 2, then 1 accepted in round 1 (day 1)
    assert _steps(first.negotiation) == [(0, OFFER, 0), (1, OFFER, 2), (0, OFFER, 1), (1, ACCEPT, 1)]
    assert (first.under_pattern, first.start_day, first.end_day) == (False, 0, 1)
    assert (deals.pattern, deals.pattern_member) == (1, "m0")
    # m1 moves first facing the pattern; its linear threshold 0.8 rejects it and it offers 2; the
    # union, whose reservation rose to the pattern (0.6), counters with the pattern; m1 takes it
    assert _steps(second.negotiation) == [(0, OFFER, 2), (1, OFFER, 1), (0, ACCEPT, 1)]
    assert (second.under_pattern, second.start_day, second.end_day) == (True, 1, 2)
    assert deals.last_day == 2 and deals.settled == 2


def test_under_a_pattern_the_union_neither_asks_more_nor_takes_less_at_first():
    m = member_scenario(UNION, 2, start_day=3, pattern=1)
    assert m.standing_offer == 1 and [s.name for s in m.sides] == ["m1", "union"]
    n = run_negotiation(m, [make_strategy("conceder"), make_strategy("hardliner")], 3)
    # the hardline union only ever offers the pattern and accepts nothing worse
    assert {o for side, action, o in _steps(n) if side == 1 and action == OFFER} <= {1}


def test_simultaneous_members_settling_together_keep_their_deals():
    deals = separate_deals(UNION, [make_strategy("linear")] * 2, 4, mode="simultaneous")
    assert [d.under_pattern for d in deals.deals] == [False, False]
    assert [d.agreement for d in deals.deals] == [1, 1] and deals.last_day == 1


def test_simultaneous_late_members_restart_under_the_pattern():
    s = coalition(1)
    deals = separate_deals(s, [make_strategy("boulware"), make_strategy("conceder")], 20, mode="simultaneous")
    leader = [d for d in deals.deals if not d.under_pattern and d.agreement == deals.pattern]
    assert leader and deals.pattern_member == leader[0].member
    for d in deals.deals:
        if d.under_pattern:
            assert d.start_day == leader[0].end_day


def test_comparison_reports_both_protocols_for_every_member():
    c = compare_pattern(
        coalition(0), [make_strategy("boulware"), make_strategy("linear")], 20, order=["m2", "m0", "m1"]
    )
    assert c.members == ("m2", "m0", "m1")
    assert c.member_utility.shape == (3, 2) and c.union_utility.shape == (3, 2)
    whole = run_negotiation(coalition(0), [make_strategy("boulware"), make_strategy("linear")], 20)
    assert (c.coalition.agreement, c.coalition.end_turn) == (whole.agreement, whole.end_turn)
    if whole.agreement >= 0:
        assert np.allclose(c.union_utility[:, 1], coalition(0).U[whole.agreement, 0])


def test_separate_deals_are_deterministic_under_a_seed():
    s = coalition(2)
    strategies = [make_strategy("random-acceptable"), make_strategy("random-acceptable")]

    def outcome(seed, mode):
        deals = separate_deals(s, strategies, 15, mode=mode, seed=seed)
        return [(d.agreement, d.end_day, d.negotiation.trace) for d in deals.deals]

    for mode in ("sequence", "simultaneous"):
        assert outcome(4, mode) == outcome(4, mode)
        assert len({str(outcome(seed, mode)) for seed in range(4)}) > 1


def test_separate_deals_reject_bad_input():
    linear = [make_strategy("linear")] * 2
    with pytest.raises(ValueError, match="mode"):
        separate_deals(UNION, linear, 3, mode="parallel")
    with pytest.raises(ValueError, match="once each"):
        separate_deals(UNION, linear, 3, order=["m0"])
    with pytest.raises(ValueError, match="coalition"):
        separate_deals(bilateral(), linear, 3)
