"""Short scripted traces, worked out by hand from each strategy's definition."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.sim.engine.agent_view import agent_views
from accord.sim.engine.reference import OFFER, run_negotiation
from accord.sim.engine.seeding import agent_uniforms
from accord.sim.scenarios.generate import pie
from accord.sim.scenarios.scenario import Scenario
from accord.sim.strategies import ACCEPT, make_strategy
from accord.sim.strategies.rubinstein import equilibrium_share

# Three packages on a line: a likes 0 best, b likes 2 best, 1 is a compromise both rate 0.6.
LINE = Scenario.bilateral("line", np.array([[1.0, 0.0], [0.6, 0.6], [0.0, 1.0]]), ("a", "b"))


def _steps(n):
    return [(s.side, s.action, s.outcome) for s in n.trace]


def test_hardliners_repeat_their_best_until_the_deadline():
    n = run_negotiation(LINE, [make_strategy("hardliner")] * 2, 3)
    assert _steps(n) == [(0, OFFER, 0), (1, OFFER, 2)] * 3
    assert n.reason == "deadline"


def test_conceder_gives_in_to_a_hardliner():
    # Conceder threshold at round 0 (t = 1/4): 1 - 0.25 ** 0.25 = 0.293..., so it offers its
    # cheapest package above that (1, worth 0.6) and takes the hardliner's 0 (worth 0) only once
    # the threshold reaches 0, which never happens before t = 1: the deadline ends it.
    n = run_negotiation(LINE, [make_strategy("hardliner"), make_strategy("conceder")], 3)
    assert _steps(n)[:2] == [(0, OFFER, 0), (1, OFFER, 1)]
    assert n.reason == "deadline"


def test_boulware_thresholds_follow_the_negmas_curve():
    view = agent_views(LINE, 4)[0].voice
    boulware = make_strategy("boulware")
    for turn in range(8):
        t = (turn // 2 + 1) / 5
        assert boulware.threshold(view, turn) == pytest.approx(1.0 - t**4 - 1e-4)


def test_linear_pair_meets_at_the_compromise():
    # Linear threshold 1 - t with t = (round + 1) / 5: 0.8, 0.6, 0.4 ... a accepts b's offer of 1
    # (worth 0.6) once its threshold is 0.6 - 1e-4, in round 1; b offered 1 in round 1 at
    # threshold 0.6 - 1e-4 too.
    n = run_negotiation(LINE, [make_strategy("linear")] * 2, 4)
    assert _steps(n) == [(0, OFFER, 0), (1, OFFER, 2), (0, OFFER, 1), (1, ACCEPT, 1)]


def test_frontier_walker_steps_from_its_own_end():
    # All three packages are on the frontier; at t = 1/4, 2/4, 3/4 a offers frontier positions
    # floor(3 t) = 0, 1, 2 from its own end.
    n = run_negotiation(LINE, [make_strategy("frontier-walker"), make_strategy("hardliner")], 3)
    offers = [o for side, action, o in _steps(n) if side == 0 and action == OFFER]
    assert offers[:2] == [0, 1]
    assert n.agreement == 2 and n.end_turn == 4


def test_tit_for_tat_mirrors_the_share_of_the_gap_closed():
    tft = make_strategy("tit-for-tat", goodwill=0.0)
    view = agent_views(LINE, 4)[0].voice
    state = tft.start(view, None)
    assert tft.respond(view, state, 1, 2, None) == 0  # first offer worth 0: nothing closed yet
    assert tft.threshold(view, state, 1) == 1.0
    assert tft.respond(view, state, 3, 1, None) == 1  # worth 0.6: 60% of the gap closed, so 0.4 will do
    assert tft.threshold(view, state, 3) == pytest.approx(0.4)
    assert tft.propose(view, state, 4, None) == 1


def test_random_acceptable_draws_from_the_negotiations_own_stream():
    n = run_negotiation(
        LINE, [make_strategy("random-acceptable"), make_strategy("hardliner")], 2, seed=9, index=4
    )
    u = agent_uniforms(9, 4, 2, 4)[0]
    # a's offerable packages by increasing utility: 2, 1, 0; it draws position floor(3 u).
    assert n.trace[0].outcome == [2, 1, 0][math.floor(3 * u[0])]


@settings(max_examples=20, deadline=None)
@given(d1=st.floats(0.5, 0.99), d2=st.floats(0.5, 0.99))
def test_rubinstein_first_mover_share(d1, d2):
    grid = 1000
    n = run_negotiation(pie(grid, d1, d2), [make_strategy("rubinstein")] * 2, 5)
    assert n.reason == "agreement" and n.end_turn == 1, "agreement at once"
    share = n.agreement / grid
    assert abs(share - (1 - d2) / (1 - d1 * d2)) <= 1 / grid
    assert share == pytest.approx(equilibrium_share(d1, d2), abs=1 / grid)


# Five packages on a line, a's utility falling and b's rising.
FIVE = Scenario.bilateral(
    "five", np.array([[1.0, 0.0], [0.8, 0.3], [0.6, 0.6], [0.3, 0.8], [0.0, 1.0]]), ("a", "b")
)


def test_openings_cap_each_side_and_put_the_last_opening_on_the_table():
    # a holds package 1 (it already conceded from 0), b holds 3. A hardliner a offers its opening,
    # never 0; b's opening 3 stands before turn 0, so a's first move answers it.
    s = FIVE.replace(openings=(1, 3))
    n = run_negotiation(s, [make_strategy("hardliner")] * 2, 2)
    assert _steps(n) == [(0, OFFER, 1), (1, OFFER, 3)] * 2
    # A conceder a at round 0 (t = 1/3): threshold lo + (hi - lo) * (1 - t ** 0.25) - 1e-4 with
    # hi = 0.8 (its opening, not 1) and lo = 0, i.e. 0.192, so it accepts b's standing 3 (worth
    # 0.3) at once.
    n = run_negotiation(s, [make_strategy("conceder"), make_strategy("hardliner")], 2)
    assert _steps(n) == [(0, ACCEPT, 3)] and n.reason == "agreement" and n.end_turn == 0


def test_a_scenario_rejects_malformed_openings():
    with pytest.raises(ValueError, match="openings"):
        FIVE.replace(openings=(1,))
    with pytest.raises(ValueError, match="openings"):
        FIVE.replace(openings=(1, 5))
