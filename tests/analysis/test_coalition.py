"""Coalition analysis against brute-force enumeration on small generated domains."""

import numpy as np
import pytest
from analysis_strategies import make_tables
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.analysis.coalition import (
    best_accepted,
    coalition_analysis,
    count_accepted,
    minimal_winning_sets,
    separate_deal,
)
from accord.analysis.frontier import pareto_frontier_additive
from accord.analysis.solutions import nash_points
from accord.analysis.space import decode, enumerate_utilities
from accord.model import DecisionRule
from accord.prefs import coalition_accepts
from accord.prefs.tables import UtilityTables

RULES = [
    DecisionRule(kind="unanimity"),
    DecisionRule(kind="majority"),
    DecisionRule(kind="weighted", shares={"party1": 3, "party2": 1, "party3": 1}, threshold=0.5),
    DecisionRule(kind="majority", vetoes=["party2"]),
]


def _members(t: UtilityTables) -> UtilityTables:
    return UtilityTables(
        t.issue_ids, t.options, tuple(x[:, 1:] for x in t.tables), t.offset[1:], t.parties[1:]
    )


@st.composite
def coalitions(draw):
    """Column 0 the union, columns 1..3 the members; utilities in [0, 1), reservations around the middle."""
    shape = draw(st.lists(st.integers(1, 5), min_size=1, max_size=4))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    tables = [rng.random((m, 4)) / len(shape) for m in shape]
    if draw(st.booleans()):  # ties: utilities on a coarse grid
        tables = [np.round(t * 4) / 4 for t in tables]
    r = rng.uniform(0.2, 0.7, size=3)
    return make_tables(tables, np.zeros(4)), r


@settings(max_examples=30, deadline=None)
@given(coalitions())
def test_counts_and_best_package_match_enumeration(case):
    tables, r = case
    U = enumerate_utilities(tables)
    members = tables.parties[1:]
    previous = None
    for rule in RULES:
        accepted = coalition_accepts(rule, members, U[:, 1:], r).accepted
        count = count_accepted(_members(tables), rule, r)
        assert count.is_exact and count.low == count.high == int(accepted.sum())
        best, exact = best_accepted(tables, rule, r, max_enumerate=0)  # the branch and bound
        assert exact
        enumerated, _ = best_accepted(tables, rule, r)  # the small-space route
        assert (best is None) == (enumerated is None)
        if not accepted.any():
            assert best is None
        else:
            assert best is not None
            u = tables.utilities(np.array([best]))[0]
            assert coalition_accepts(rule, members, u[1:], r).accepted[0]
            assert u[0] == U[accepted, 0].max() == tables.utilities(np.array([enumerated]))[0, 0]
        if rule.kind.value == "unanimity":
            previous = (accepted, best)
        elif rule == RULES[1]:
            # what a unanimous coalition accepts, a majority accepts too; so the union can only do better
            assert np.all(accepted[previous[0]])
            if previous[1] is not None:
                assert (
                    tables.utilities(np.array([best]))[0, 0]
                    >= tables.utilities(np.array([previous[1]]))[0, 0]
                )


def test_minimal_winning_sets():
    members = ["a", "b", "c"]
    assert minimal_winning_sets(DecisionRule(kind="unanimity"), members) == ((0, 1, 2),)
    assert minimal_winning_sets(DecisionRule(kind="majority"), members) == ((0, 1), (0, 2), (1, 2))
    weighted = DecisionRule(kind="weighted", shares={"a": 3, "b": 1, "c": 1}, threshold=0.5)
    assert minimal_winning_sets(weighted, members) == ((0,),)
    with pytest.raises(ValueError, match="members"):
        minimal_winning_sets(DecisionRule(), [])


def test_a_sampled_count_brackets_the_exact_one():
    rng = np.random.default_rng(7)
    tables = make_tables([rng.random((9, 3)) / 4 for _ in range(4)], np.zeros(3))
    rule, r = DecisionRule(kind="majority"), np.array([0.45, 0.5, 0.55])
    exact = count_accepted(tables, rule, r)
    sampled = count_accepted(tables, rule, r, max_enumerate=100, samples=20_000, seed=11)
    assert sampled.method == "sample" and not sampled.is_exact
    assert sampled.low <= exact.estimate <= sampled.high
    assert sampled == count_accepted(tables, rule, r, max_enumerate=100, samples=20_000, seed=11)  # seeded


def test_the_search_reports_when_it_is_cut_short():
    rng = np.random.default_rng(5)
    tables = make_tables([rng.random((8, 3)) / 3 for _ in range(3)], np.zeros(3))
    best, exact = best_accepted(tables, DecisionRule(), [0.1, 0.1], max_states=1, max_enumerate=0)
    assert not exact
    if best is not None:  # the best package found so far, accepted
        assert np.all(tables.utilities(np.array([best]))[0, 1:] >= 0.1)


def test_separate_deal_is_the_pairs_nash_point():
    rng = np.random.default_rng(2)
    tables = make_tables([rng.random((5, 3)) / 3 for _ in range(3)], np.zeros(3))
    d = (0.2, 0.3)
    found = separate_deal(tables, 0, 2, d)
    U = enumerate_utilities(tables)[:, [0, 2]]
    ids = nash_points(U, np.array(d))
    assert found is not None
    assert (found.utilities["party0"], found.utilities["party2"]) == tuple(U[ids[0]])


def test_coalition_analysis_ranks_members_by_their_surplus_at_the_offer():
    rng = np.random.default_rng(9)
    tables = make_tables([rng.random((6, 4)) / 3 for _ in range(3)], np.zeros(4))
    voice = make_tables([t[:, :2] for t in tables.tables], np.zeros(2))  # the union and a stand-in voice
    frontier = pareto_frontier_additive(voice)
    d = [0.2, 0.3, 0.35, 0.4]
    offer = (1, 2, 3)
    result = coalition_analysis(tables, DecisionRule(kind="majority"), d, frontier, (0.2, 0.3), offer)
    u = tables.utilities(np.array([offer]))[0]
    surplus = {m: u[j] - d[j] for j, m in enumerate(tables.parties) if j}
    assert list(result.worst_off) == sorted(surplus, key=surplus.get)
    assert set(result.offer_blockers) == {m for m, s in surplus.items() if s < 0}
    assert result.offer_accepted == (sum(s >= 0 for s in surplus.values()) >= 2)
    for view in result.member_views:
        assert view.offer_surplus == pytest.approx(surplus[view.member])
        if view.separate is not None and view.deal_utility is not None:
            assert view.separate_beats_coalition == (view.separate.utilities[view.member] > view.deal_utility)
    all_choices = decode(np.arange(tables.n_outcomes), tables.shape)
    assert result.accepted.estimate == int(
        coalition_accepts(
            DecisionRule(kind="majority"), tables.parties[1:], tables.utilities(all_choices)[:, 1:], d[1:]
        ).accepted.sum()
    )
