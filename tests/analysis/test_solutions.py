import numpy as np
import pytest
from analysis_strategies import utility_tables
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.analysis.frontier import frontier_from_indices, pareto_frontier, pareto_frontier_additive
from accord.analysis.solutions import (
    all_solutions,
    egalitarian_points,
    kalai_smorodinsky_points,
    nash_points,
    rational_points,
    solution,
    utilitarian_points,
)
from accord.analysis.space import enumerate_utilities

CONCEPTS = ["nash", "kalai_smorodinsky", "egalitarian", "utilitarian", "kalai_genius"]


def _objective(concept: str, R: np.ndarray, d: np.ndarray) -> np.ndarray:
    """The objective written out directly, over any set of rational utility vectors."""
    if concept == "nash":
        return np.prod(R - d, axis=1)
    if concept == "egalitarian":
        return np.min(R - d, axis=1)
    if concept == "utilitarian":
        return R.sum(axis=1)
    if concept == "kalai_genius":
        return -(R.max(axis=1) - R.min(axis=1))
    ideal = R.max(axis=0)
    span = ideal - d
    if not np.any(span > 0):
        return np.zeros(R.shape[0])
    return np.min((R[:, span > 0] - d[span > 0]) / span[span > 0], axis=1)


@st.composite
def domain_and_d(draw):
    tables = draw(utility_tables(min_parties=2, max_parties=3, max_issues=3))
    U = enumerate_utilities(tables)
    pick = draw(st.integers(0, U.shape[0] - 1))
    lower = draw(st.booleans())
    d = U[pick] - (0.5 if lower else 0.0)
    if draw(st.booleans()):
        d = U.max(axis=0) + 1.0  # nobody can be satisfied
    return tables, U, d


@settings(max_examples=80, deadline=None)
@given(domain_and_d())
def test_solutions_are_rational_frontier_points_and_optimal_over_all_outcomes(case):
    tables, U, d = case
    frontier = pareto_frontier_additive(tables)
    rational_outcomes = U[np.all(d <= U, axis=1)]
    for concept in CONCEPTS:
        s = solution(frontier, d, concept)
        if rational_outcomes.shape[0] == 0:
            assert s.point_ids.size == 0 and np.isnan(s.value)
            continue
        assert s.point_ids.size >= 1
        assert np.all(s.points >= d)
        assert np.array_equal(s.points, frontier.points[s.point_ids])
        assert np.array_equal(
            tables.utilities(s.choices),
            frontier.points[np.repeat(s.point_ids, [frontier.counts[i] for i in s.point_ids])],
        )
        # no outcome at all, on the frontier or not, does better (GeniusWeb's Kalai: no frontier
        # point; a dominated package may be more equal)
        among = (
            frontier.points[np.all(d <= frontier.points, axis=1)]
            if concept == "kalai_genius"
            else rational_outcomes
        )
        assert np.max(_objective(concept, among, d)) <= s.value + 1e-9 * max(1.0, abs(s.value))


@settings(deadline=None)
@given(domain_and_d())
def test_array_functions_agree_with_the_frontier_wrapper(case):
    _, U, d = case
    f = frontier_from_indices(U, pareto_frontier(U))
    for fn, concept in [
        (nash_points, "nash"),
        (kalai_smorodinsky_points, "kalai_smorodinsky"),
        (egalitarian_points, "egalitarian"),
        (utilitarian_points, "utilitarian"),
    ]:
        assert np.array_equal(fn(f.points, d), solution(f, d, concept).point_ids)
    assert set(all_solutions(f, d)) == set(CONCEPTS)


def test_textbook_example_separates_the_concepts():
    # d = 0; frontier points (4, 0), (3, 2), (2, 3.5), (0, 4): Nash takes (2, 3.5) (product 7),
    # welfare also (2, 3.5) (5.5); KS with ideal (4, 4): min ratios .0, .5, .5, 0 -> (3, 2) and
    # (2, 3.5) tie at 0.5; egalitarian: min gains 0, 2, 2, 0 -> (3, 2) and (2, 3.5)
    P = np.array([[4.0, 0.0], [3.0, 2.0], [2.0, 3.5], [0.0, 4.0]])
    d = np.zeros(2)
    assert nash_points(P, d).tolist() == [2]
    assert utilitarian_points(P, d).tolist() == [2]
    assert kalai_smorodinsky_points(P, d).tolist() == [1, 2]
    assert egalitarian_points(P, d).tolist() == [1, 2]
    # raising party 0's reservation value to 2.5 leaves (4, 0) and (3, 2) rational
    assert rational_points(P, [2.5, 0.0]).tolist() == [0, 1]
    assert nash_points(P, [2.5, 0.0]).tolist() == [1]
    assert kalai_smorodinsky_points(P, [2.5, 0.0]).tolist() == [1]


def test_ks_ignores_a_party_that_cannot_gain():
    P = np.array([[1.0, 2.0], [1.0, 1.0]])
    assert kalai_smorodinsky_points(P, [1.0, 0.0]).tolist() == [0]


def test_bad_disagreement_points_are_refused():
    P = np.zeros((2, 2))
    with pytest.raises(ValueError, match="disagreement point"):
        nash_points(P, [0.0])
    with pytest.raises(ValueError, match="finite"):
        nash_points(P, [0.0, np.inf])
    f = frontier_from_indices(P, np.arange(2))
    with pytest.raises(ValueError, match="unknown solution concept"):
        solution(f, [0.0, 0.0], "rubinstein")


def test_the_two_kalai_readings_differ_where_the_problem_is_not_symmetric():
    # d = 0, ideal (1, 0.5): ours (normalised gains) takes (0.8, 0.4), both at 80% of their best;
    # GeniusWeb's takes the point closest to equal utilities, (0.5, 0.45)
    P = np.array([[1.0, 0.0], [0.8, 0.4], [0.5, 0.45], [0.0, 0.5]])
    f = frontier_from_indices(P, np.arange(4))
    assert solution(f, [0.0, 0.0], "kalai_smorodinsky").point_ids.tolist() == [1]
    assert solution(f, [0.0, 0.0], "kalai_genius").point_ids.tolist() == [2]
    # it too keeps to the individually rational points: with d = (0.6, 0) only (1, 0) and (0.8, 0.4)
    assert solution(f, [0.6, 0.0], "kalai_genius").point_ids.tolist() == [1]


def test_kalai_genius_on_exact_points_agrees_with_floats():
    from fractions import Fraction

    from accord.analysis.frontier import pareto_frontier_additive
    from accord.model import NumericIssue, PreferenceModel
    from accord.prefs.exact import exact_tables

    issues = [NumericIssue(id="pay", name="Pay", unit="%", low=0, high=4, step=1)]
    models = [
        PreferenceModel(party="u", label="U", weights={"pay": 1}, values={"pay": {"kind": "linear"}}),
        PreferenceModel(
            party="e",
            label="E",
            weights={"pay": 1},
            values={"pay": {"kind": "piecewise", "points": [[0, 1], [1, 0.9], [4, 0]]}},
        ),
    ]
    tables = exact_tables(issues, models, None)
    f = pareto_frontier_additive(tables)
    exact = solution(f, [Fraction(0), Fraction(0)], "kalai_genius")
    floats = solution(frontier_from_indices(f.points, np.arange(f.size)), [0.0, 0.0], "kalai_genius")
    assert exact.points.tolist() == floats.points.tolist()
