import numpy as np
import pytest
from analysis_strategies import utility_arrays
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.analysis.dominance import (
    dominance_order,
    grid_prefilter,
    group_points,
    nondominated_mask,
    nondominated_mask_naive,
)


@settings(deadline=None)
@given(utility_arrays(), st.sampled_from([0.0, 0.5, 1.0, 2.5]))
def test_fast_filter_matches_its_naive_twin(P, tol):
    assert np.array_equal(nondominated_mask(P, tol), nondominated_mask_naive(P, tol))


@pytest.mark.parametrize("k", [2, 3, 4])
@pytest.mark.parametrize("tol", [0.0, 0.75])
def test_large_inputs_take_the_grid_path_and_stay_exact(k, tol):
    rng = np.random.default_rng(k)
    P = rng.integers(0, 40, size=(6000, k)).astype(np.float64)
    assert np.array_equal(nondominated_mask(P, tol), nondominated_mask_naive(P, tol))


@settings(deadline=None)
@given(utility_arrays(max_n=200))
def test_grid_prefilter_only_drops_dominated_points(P):
    if P.shape[1] < 2 or P.shape[0] == 0:
        return
    keep = grid_prefilter(P, cells=64)
    assert np.all(keep[nondominated_mask_naive(P)])


@settings(deadline=None)
@given(utility_arrays())
def test_dominance_order_puts_every_dominator_first(P):
    order = dominance_order(P)
    position = np.empty_like(order)
    position[order] = np.arange(order.shape[0])
    for i in range(P.shape[0]):
        dominators = np.all(P[i] <= P, axis=1) & np.any(P[i] < P, axis=1)
        assert np.all(position[dominators] < position[i])


def test_equal_points_do_not_dominate_each_other():
    P = np.array([[1.0, 1.0], [1.0, 1.0], [0.5, 1.0]])
    assert nondominated_mask(P).tolist() == [True, True, False]


@settings(deadline=None)
@given(utility_arrays())
def test_grouping_recovers_every_row(P):
    points, group = group_points(P)
    assert np.array_equal(points[group], P)
    assert len({tuple(p) for p in points}) == points.shape[0]


BIG = 2**70  # beyond int64 and beyond the integers a double holds exactly


@settings(deadline=None)
@given(utility_arrays(), st.sampled_from(["int64", "object"]))
def test_the_filters_are_exact_on_integers_of_any_size(P, kind):
    """Exact utilities: int64, or Python integers past 2**63 whose differences no double sees."""
    ints = np.rint(P * 8).astype(np.int64)
    Q = ints if kind == "int64" else ints.astype(object) * BIG + 1
    expected = nondominated_mask_naive(ints.astype(np.float64))
    assert np.array_equal(nondominated_mask(Q), expected)
    assert np.array_equal(nondominated_mask_naive(Q), expected)


def test_differences_below_a_double_s_precision_are_seen():
    # (BIG + 1, 1) dominates (BIG, 1), although float(BIG + 1) == float(BIG)
    P = np.array([[BIG + 1, 1], [BIG, 1], [0, 2]], dtype=object)
    assert nondominated_mask(P).tolist() == [True, False, True]
    Q = np.array([[BIG + 1, 1, 0], [BIG, 1, 0], [0, 2, 0]] * 2000, dtype=object)  # the grid path
    assert nondominated_mask(Q).tolist() == [True, False, True] * 2000


def test_many_parties_skip_the_grid_instead_of_allocating_it():
    # 2**(k-1) cells for k = 40 would not fit in any memory
    P = np.random.default_rng(0).integers(0, 3, size=(5000, 40)).astype(np.float64)
    assert grid_prefilter(P).all()
    assert np.array_equal(nondominated_mask(P[:300]), nondominated_mask_naive(P[:300]))
