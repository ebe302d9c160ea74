"""Proposal efficiency and improvement suggestions, checked against brute-force enumeration."""

import numpy as np
from analysis_strategies import make_tables, utility_tables
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.analysis.efficiency import dominates, efficiency, improvements
from accord.analysis.frontier import pareto_frontier_additive
from accord.analysis.space import decode, enumerate_utilities


def _all(tables):
    U = enumerate_utilities(tables)
    C = decode(np.arange(tables.n_outcomes), tables.shape)
    return U, C


@st.composite
def tables_and_package(draw):
    tables = draw(utility_tables(min_parties=2, max_parties=3, max_issues=4, max_options=4))
    choices = tuple(draw(st.integers(0, m - 1)) for m in tables.shape)
    return tables, choices


@settings(max_examples=120, deadline=None)
@given(tables_and_package())
def test_efficiency_agrees_with_enumeration(case):
    tables, choices = case
    U, _ = _all(tables)
    u = tables.utilities(np.array([choices]))[0]
    e = efficiency(
        tables, pareto_frontier_additive(tables, max_outcomes=None), choices, max_changes=2, limit=2
    )
    better = dominates(U, u)
    assert e.is_dominated == bool(better.any())
    if not e.is_dominated:
        # an undominated proposal gets no suggestions, no gain and no distance
        assert e.suggestions == () and e.pss is None and e.equal_gain == 0.0 and e.distance == 0.0
        return
    assert np.isclose(e.equal_gain, max(0.0, float((U - u).min(axis=1).max())))
    on_frontier = np.array([not dominates(U, row).any() for row in U])
    nearest = float(np.sqrt(((U[better & on_frontier] - u) ** 2).sum(axis=1)).min())
    assert np.isclose(e.distance, nearest)  # distance to the nearest dominating frontier point
    assert np.isclose(min(e.pss.gains), e.equal_gain)
    for s in [*e.suggestions, e.pss]:
        # every suggestion weakly dominates the proposal, and its changes are exactly what differs
        su = tables.utilities(np.array([s.choices]))[0]
        assert dominates(su[None, :], u)[0]
        assert np.array_equal(su, np.array(s.utilities))
        changed = {tables.issue_ids[i] for i in range(len(choices)) if s.choices[i] != choices[i]}
        assert set(s.changes) == changed and s.n_changed == len(changed)


@settings(max_examples=120, deadline=None)
@given(tables_and_package())
def test_suggestions_come_fewest_changes_first_and_miss_nothing(case):
    tables, choices = case
    U, C = _all(tables)
    u = tables.utilities(np.array([choices]))[0]
    found, searched = improvements(tables, choices, max_changes=2, limit=3)
    assert searched == min(2, len(choices))
    sizes = [s.n_changed for s in found]
    assert sizes == sorted(sizes) and all(1 <= k <= 2 for k in sizes)
    n_changed = (np.array(choices) != C).sum(axis=1)
    for k in (1, 2):
        dominating = dominates(U, u) & (n_changed == k)
        at_k = [s for s in found if s.n_changed == k]
        assert len(at_k) == min(3, int(dominating.sum()))
        if at_k:  # the first suggestion has the largest smallest gain of all such packages
            assert np.isclose(min(at_k[0].gains), float((U[dominating] - u).min(axis=1).max()))


def test_a_trade_across_two_issues_is_found():
    # each side cares more about a different issue: swapping both is a joint gain
    t = make_tables([np.array([[0.0, 0.6], [0.4, 0.0]]), np.array([[0.0, 0.4], [0.6, 0.0]])], np.zeros(2))
    found, _ = improvements(t, (1, 0))
    assert [s.choices for s in found] == [(0, 1)]
    assert np.allclose(found[0].gains, (0.2, 0.2))


def test_the_search_stops_at_its_candidate_limit():
    t = make_tables([np.random.default_rng(1).random((6, 2)) for _ in range(3)], np.zeros(2))
    found, searched = improvements(t, (0, 0, 0), max_changes=3, max_candidates=50)
    assert searched == 1 and all(s.n_changed == 1 for s in found)  # 2 changes: 3 pairs * 25 > 50
    assert improvements(t, (0, 0, 0), max_changes=3, max_candidates=100)[1] == 2  # 3 changes: 125 > 100
