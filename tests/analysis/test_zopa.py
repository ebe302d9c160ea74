import numpy as np
import pytest
from analysis_strategies import make_tables, utility_tables
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.analysis.space import enumerate_utilities
from accord.analysis.zopa import (
    count_zopa,
    zone_of_possible_agreement,
    zopa_by_enumeration,
    zopa_mask,
)


@st.composite
def domain_and_d(draw):
    tables = draw(utility_tables(max_issues=5))
    U = enumerate_utilities(tables)
    q = draw(st.floats(0.0, 1.0))
    d = np.quantile(U, q, axis=0)
    if draw(st.booleans()):
        d = U[draw(st.integers(0, U.shape[0] - 1))]
    return tables, U, d


@settings(max_examples=120, deadline=None)
@given(domain_and_d(), st.integers(1, 50))
def test_branch_and_bound_matches_enumeration(case, max_states):
    tables, U, d = case
    reference = zopa_by_enumeration(tables, d, chunk=7)
    assert reference.count == int(np.count_nonzero(zopa_mask(U, d)))
    exact = zone_of_possible_agreement(tables, d, max_enumerate=0, max_states=10**6)
    assert exact.count == reference.count
    assert exact.options == reference.options
    low, high = count_zopa(tables, d, max_states)
    assert low <= reference.count <= high


def test_small_example_counts_and_bounds():
    tables = make_tables(
        [np.array([[0.0, 1.0], [1.0, 0.0], [0.6, 0.6]]), np.array([[0.0, 2.0], [2.0, 0.0]])],
        np.zeros(2),
    )
    z = zone_of_possible_agreement(tables, [0.5, 0.5])
    # utilities: (0,3) (2,1) (1,2) (3,0) (.6,2.6) (2.6,.6) -> four outcomes beat (0.5, 0.5)
    assert (z.count, z.share) == (4, (4 / 6, 4 / 6))
    assert z.options == ((True, True, True), (True, True))
    z = zone_of_possible_agreement(tables, [2.5, 0.5])
    assert z.count == 1 and z.options == ((False, False, True), (False, True))  # only (2.6, .6)
    assert zone_of_possible_agreement(tables, [3.0, 3.0]).is_empty


def test_huge_space_gives_bounds_and_exact_option_bounds():
    rng = np.random.default_rng(11)
    tables = make_tables([rng.random((10, 2)) for _ in range(30)], np.zeros(2))
    d = np.array([17.0, 17.0])
    z = zone_of_possible_agreement(tables, d, max_states=5_000)
    assert z.count_low <= z.count_high <= tables.n_outcomes
    # an option is in the ZOPA bounds iff forcing it still lets both parties beat d; check the
    # claim for the forced option with a frontier, which is exact on its own
    from accord.analysis.frontier import pareto_frontier_additive

    for i in (0, 29):
        for o in range(10):
            forced = list(tables.tables)
            forced[i] = tables.tables[i][[o]]
            f = pareto_frontier_additive(make_tables(forced, tables.offset))
            assert z.options[i][o] == bool(np.any(np.all(f.points > d, axis=1)))


def test_bad_disagreement_point_is_refused():
    tables = make_tables([np.zeros((2, 2))], np.zeros(2))
    with pytest.raises(ValueError, match="2 finite numbers"):
        zone_of_possible_agreement(tables, [0.0])


@st.composite
def two_party_domain_and_d(draw):
    tables = draw(utility_tables(min_parties=2, max_parties=2, max_issues=5, max_options=5))
    U = enumerate_utilities(tables)
    d = np.quantile(U, draw(st.floats(0.0, 1.0)), axis=0)
    if draw(st.booleans()):
        d = U[draw(st.integers(0, U.shape[0] - 1))]
    return tables, d


@settings(max_examples=150, deadline=None)
@given(two_party_domain_and_d(), st.data())
def test_meet_in_the_middle_matches_enumeration(case, data):
    """The split used for two parties on large spaces, at every cut, against enumeration."""
    from accord.analysis.zopa_split import split_zopa

    tables, d = case
    if len(tables.tables) < 2:
        return
    cut = data.draw(st.integers(1, len(tables.tables) - 1))
    low, high, options = split_zopa(tables, np.asarray(d, dtype=np.float64), cut)
    reference = zopa_by_enumeration(tables, d)
    assert (low, high) == (reference.count_low, reference.count_high)
    assert options == reference.options


def test_large_two_party_spaces_take_the_split_and_stay_exact():
    from accord.analysis.zopa_split import split_point

    rng = np.random.default_rng(7)
    tables = make_tables([rng.random((12, 2)) for _ in range(7)], np.zeros(2))  # 35.8M outcomes
    assert (tables.n_outcomes > 20_000_000 and split_point(tables.shape) == 4 - 1) or split_point(
        tables.shape
    )
    d = np.array([3.4, 3.4])
    z = zone_of_possible_agreement(tables, d)
    assert z.is_exact
    small = zone_of_possible_agreement(tables, d, max_enumerate=10**9)  # the same by enumeration
    assert (z.count, z.options) == (small.count, small.options)
