"""Exact utility tables: integers of one rational unit per party, agreeing with the float utilities."""

from fractions import Fraction as F

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.analysis.space import enumerate_utilities
from accord.model import CategoricalIssue, NumericIssue, PreferenceModel
from accord.model.exact import ExactProfile
from accord.prefs import utility_tables
from accord.prefs.exact import INT64_LIMIT, decimal, exact_profile, exact_tables, exact_values, to_float
from strategies import preference_domains


@settings(max_examples=80, deadline=None)
@given(preference_domains(), st.booleans())
def test_exact_tables_agree_with_the_float_tables(domain, drop_one):
    issues, models = domain
    if drop_one and len(issues) > 1:  # an issue the models weigh counts at its worst, in the offset
        issues = issues[1:]
    floats = utility_tables(issues, models)
    exact = exact_tables(issues, models)
    assert exact.is_exact and not floats.is_exact
    assert exact.shape == floats.shape and exact.parties == floats.parties
    raw = enumerate_utilities(exact)
    U = enumerate_utilities(floats)
    values = exact_values(raw, exact.unit)
    # the exact utilities are the float ones without their rounding
    assert np.allclose([[float(x) for x in row] for row in values], U, atol=1e-9)
    # and to_float gives the double nearest to each
    assert to_float(raw, exact.unit).tolist() == [[float(x) for x in row] for row in values]


def test_numbers_are_read_as_the_decimals_they_print_as():
    assert decimal(0.1) == F(1, 10) and decimal(1e-5) == F(1, 100000) and decimal(2.5e300) == F(25 * 10**299)
    colour = CategoricalIssue(id="c", name="C", options=["a", "b", "c"])
    size = NumericIssue(id="s", name="S", unit="", low=0, high=0.3, step=0.1)
    model = PreferenceModel(
        party="p",
        label="P",
        weights={"c": 0.1, "s": 0.2},
        values={
            "c": {"kind": "options", "scores": {"a": 0.3, "b": 0.6, "c": 0.9}},
            "s": {"kind": "piecewise", "points": [[0, 0], [0.3, 0.9]]},
        },
        reservation=0.35,
    )
    profile = exact_profile(model, [colour, size])
    assert profile.weights == {"c": F(1, 10), "s": F(1, 5)}
    assert profile.values["s"] == (0, F(3, 10), F(3, 5), F(9, 10))  # 0.9 * x / 0.3 at 0, 0.1, 0.2, 0.3
    assert profile.reservation == F(7, 20)
    tables = exact_tables([colour, size], [model])
    # 1/3 * 0.3 + 2/3 * 0.6 and 1/3 * 0.9 + 2/3 * 0.3: equal on paper, and as integers
    raw = tables.utilities(np.array([[0, 2], [2, 1]]))
    assert raw[0, 0] == raw[1, 0]


def test_huge_denominators_fall_back_to_python_integers():
    issue = CategoricalIssue(id="c", name="C", options=["a", "b"])
    model = PreferenceModel(
        party="p", label="P", weights={"c": 1}, values={"c": {"kind": "options", "scores": {"a": 0, "b": 1}}}
    )
    odd = ExactProfile(party="p", weights={"c": F(1)}, values={"c": (F(1, 3**50), F(1, 7**40))})
    tables = exact_tables([issue], [model], [odd])
    assert tables.tables[0].dtype == object and tables.offset.dtype == object
    assert int(max(abs(x) for x in tables.tables[0].ravel())) >= INT64_LIMIT
    assert exact_values(tables.tables[0], tables.unit) == [(F(1, 3**50),), (F(1, 7**40),)]
    assert to_float(tables.tables[0], tables.unit).ravel().tolist() == [3.0**-50, 7.0**-40]


def test_profiles_must_fit_the_issues():
    issue = CategoricalIssue(id="c", name="C", options=["a", "b"])
    model = PreferenceModel(
        party="p", label="P", weights={"c": 1}, values={"c": {"kind": "options", "scores": {"a": 0, "b": 1}}}
    )
    short = ExactProfile(party="p", weights={"c": F(1)}, values={"c": (F(1),)})
    with pytest.raises(ValueError, match="1 values for the 2 options of 'c'"):
        exact_tables([issue], [model], [short])
    zero = ExactProfile(party="p", weights={"c": F(0)}, values={"c": (F(0), F(1))})
    with pytest.raises(ValueError, match="all weights are 0"):
        exact_tables([issue], [model], [zero])
    with pytest.raises(ValueError, match="2 profiles for 1 models"):
        exact_tables([issue], [model], [short, short])
