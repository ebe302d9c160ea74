import numpy as np
import pytest
from analysis_strategies import make_tables, utility_arrays, utility_tables
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.analysis.frontier import (
    Frontier,
    frontier_by_enumeration,
    frontier_from_indices,
    pareto_frontier,
    pareto_frontier_additive,
    pareto_frontier_naive,
)
from accord.analysis.space import enumerate_utilities


def _outcome_set(f: Frontier) -> set[tuple[int, ...]]:
    return {(int(p), *map(int, c)) for p, c in zip(f.point_of, f.choices, strict=True)}


def _dominates(q: np.ndarray, p: np.ndarray) -> np.ndarray:
    return np.all(q >= p, axis=-1) & np.any(q > p, axis=-1)


@settings(deadline=None)
@given(utility_arrays(max_n=120))
def test_enumerating_kernel_matches_its_naive_twin(U):
    assert np.array_equal(pareto_frontier(U), pareto_frontier_naive(U))


@settings(max_examples=150, deadline=None)
@given(utility_tables(), st.integers(1, 40))
def test_all_kernels_agree_on_points_outcomes_and_counts(tables, chunk):
    U = enumerate_utilities(tables)
    reference = frontier_from_indices(U, pareto_frontier_naive(U), tables.shape)
    for f in (
        pareto_frontier_additive(tables, max_outcomes=None),  # two parties: the plain-Python fold
        pareto_frontier_additive(tables, max_outcomes=None, small_limit=0),  # NumPy fold
        frontier_by_enumeration(tables, chunk),
    ):
        assert np.array_equal(f.points, reference.points)
        assert f.counts == reference.counts
        assert _outcome_set(f) == _outcome_set(reference)
        assert f.is_complete
        assert np.all(np.diff(f.point_of) >= 0)  # listed grouped by point
        assert np.array_equal(tables.utilities(f.choices), f.points[f.point_of])


@settings(deadline=None)
@given(utility_arrays(max_n=120))
def test_no_frontier_point_is_dominated_and_every_other_point_is(U):
    on = np.zeros(U.shape[0], dtype=bool)
    on[pareto_frontier(U)] = True
    F = U[on]
    for p in F:
        assert not np.any(_dominates(U, p))
    for p in U[~on]:
        assert np.any(_dominates(F, p))


@settings(deadline=None)
@given(utility_arrays(max_n=120), st.data())
def test_frontier_ignores_outcome_order(U, data):
    perm = np.asarray(data.draw(st.permutations(range(U.shape[0]))), dtype=np.int64)
    on = pareto_frontier(U)
    assert np.array_equal(np.sort(perm[pareto_frontier(U[perm])]), on)


@settings(deadline=None)
@given(utility_arrays(max_n=120), st.data())
def test_frontier_ignores_positive_affine_rescaling(U, data):
    k = U.shape[1]
    # integer scales and shifts keep small-integer utilities exact, so ties stay ties
    scale = np.array(data.draw(st.lists(st.integers(1, 9), min_size=k, max_size=k)), dtype=float)
    shift = np.array(data.draw(st.lists(st.integers(-9, 9), min_size=k, max_size=k)), dtype=float)
    V = np.round(U * 64) * scale + shift
    W = np.round(U * 64)
    assert np.array_equal(pareto_frontier(V), pareto_frontier(W))


@settings(max_examples=50, deadline=None)
@given(utility_tables(min_parties=2, max_parties=3, kind="int"), st.data())
def test_additive_frontier_ignores_issue_and_option_order(tables, data):
    issues = data.draw(st.permutations(range(len(tables.tables))))
    option_perms = [np.asarray(data.draw(st.permutations(range(m))), dtype=np.int64) for m in tables.shape]
    shuffled = make_tables([tables.tables[i][option_perms[i]] for i in issues], tables.offset.copy())
    a = pareto_frontier_additive(tables)
    b = pareto_frontier_additive(shuffled)
    assert np.array_equal(a.points, b.points)  # integer utilities: sums are exact in any order
    back = np.empty_like(b.choices)
    for col, i in enumerate(issues):
        back[:, i] = option_perms[i][b.choices[:, col]]
    assert {(int(p), *map(int, c)) for p, c in zip(b.point_of, back, strict=True)} == _outcome_set(a)


def test_ties_are_all_listed_unless_capped():
    # issue 1 is irrelevant to both parties: each frontier point is reached twice
    tables = make_tables(
        [np.array([[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]]), np.array([[0.0, 0.0], [0.0, 0.0]])],
        np.zeros(2),
    )
    full = pareto_frontier_additive(tables)
    assert full.points.tolist() == [[1.0, 0.0], [0.0, 1.0]]
    assert full.counts == (2, 2)
    assert full.outcomes_of(0).tolist() == [[0, 0], [0, 1]]
    for small_limit in (0, 512):
        capped = pareto_frontier_additive(tables, max_outcomes=3, small_limit=small_limit)
        assert not capped.is_complete
        assert capped.counts == (2, 2)
        assert capped.point_of.tolist() == [0, 1]
        assert np.array_equal(tables.utilities(capped.choices), capped.points)


@pytest.mark.parametrize("k", [2, 3])
def test_huge_additive_space_is_solved_without_enumerating(k):
    rng = np.random.default_rng(7)
    shape = (10,) * 30 if k == 2 else (6,) * 12
    tables = make_tables([rng.random((m, k)) for m in shape], np.zeros(k))
    f = pareto_frontier_additive(tables)
    assert tables.n_outcomes > 10**9
    assert np.array_equal(tables.utilities(f.choices), f.points[f.point_of])
    assert np.array_equal(pareto_frontier_naive(f.points), np.arange(f.size))
    # the lexicographically best outcome takes each issue's best option for the first party
    best = tables.offset.copy()
    for t in tables.tables:
        best += t[np.argmax(t[:, 0])]
    assert f.points[0, 0] == best[0]


def test_bad_utilities_are_refused():
    with pytest.raises(ValueError, match="shape"):
        pareto_frontier(np.zeros(3))
    with pytest.raises(ValueError, match="finite"):
        pareto_frontier(np.array([[np.nan, 1.0]]))


def test_ties_that_appear_only_after_rounding_are_kept():
    # on paper 0.3 + 0.6 + 0.6 + 0.7 == 0.3 + 0.7 + 0.7 + 0.6; in floats the partial sums differ
    # by one ulp and the final sums are equal, so both outcomes reach the same frontier point
    tables = make_tables(
        [
            np.array([[0.3, 0.1], [0.6, 0.7], [0.7, 0.6]]),
            np.array([[0.1, 0.7], [0.6, 0.7], [0.7, 0.6]]),
            np.array([[0.7, 0.3], [0.7, 0.7], [0.2, 0.3]]),
        ],
        np.array([0.3, 0.2]),
    )
    U = enumerate_utilities(tables)
    reference = frontier_from_indices(U, pareto_frontier_naive(U), tables.shape)
    assert reference.counts == (1, 2, 1)
    for small_limit in (0, 512):
        f = pareto_frontier_additive(tables, small_limit=small_limit)
        assert f.counts == reference.counts
        assert _outcome_set(f) == _outcome_set(reference)


@pytest.mark.parametrize("seed", range(4))
def test_plain_python_and_numpy_folds_are_identical_on_mid_sized_fronts(seed):
    rng = np.random.default_rng(seed)
    values = np.array([0.1, 0.2, 0.3, 0.6, 0.7])
    shape = rng.integers(2, 8, size=8)
    tables = make_tables([rng.choice(values, size=(m, 2)) * rng.random() for m in shape], np.zeros(2))
    a = pareto_frontier_additive(tables, max_outcomes=None, small_limit=10**6)
    b = pareto_frontier_additive(tables, max_outcomes=None, small_limit=0)
    assert np.array_equal(a.points, b.points) and a.counts == b.counts
    assert np.array_equal(a.choices, b.choices) and np.array_equal(a.point_of, b.point_of)
