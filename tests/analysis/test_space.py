import itertools

import numpy as np
import pytest
from analysis_strategies import utility_tables
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.analysis.space import decode, encode, enumerate_utilities, package, utility_chunks


@settings(deadline=None)
@given(utility_tables())
def test_enumeration_matches_per_outcome_sums_bit_for_bit(tables):
    shape = tables.shape
    choices = np.array(list(itertools.product(*[range(m) for m in shape])), dtype=np.int64).reshape(
        tables.n_outcomes, len(shape)
    )
    assert np.array_equal(encode(choices, shape), np.arange(tables.n_outcomes))
    assert np.array_equal(decode(np.arange(tables.n_outcomes), shape), choices)
    assert np.array_equal(enumerate_utilities(tables), tables.utilities(choices))


@settings(deadline=None)
@given(utility_tables(), st.data())
def test_any_range_and_any_chunking_give_the_same_utilities(tables, data):
    full = enumerate_utilities(tables)
    n = tables.n_outcomes
    start = data.draw(st.integers(0, n))
    stop = data.draw(st.integers(start, n))
    assert np.array_equal(enumerate_utilities(tables, start, stop), full[start:stop])
    chunk = data.draw(st.integers(1, n + 2))
    parts = list(utility_chunks(tables, chunk))
    assert [s for s, _ in parts] == sorted(s for s, _ in parts)
    assert np.array_equal(np.concatenate([u for _, u in parts]), full)


def test_package_names_the_chosen_options():
    from analysis_strategies import make_tables

    tables = make_tables([np.zeros((2, 1)), np.zeros((3, 1))], np.zeros(1))
    assert package(tables, [1, 2]) == {"issue0": "o1", "issue1": "o2"}
    with pytest.raises(ValueError, match="expected 2 choices"):
        package(tables, [1])


def test_out_of_range_indexes_and_choices_are_refused():
    with pytest.raises(ValueError, match="out of range"):
        decode(np.array([6]), (2, 3))
    with pytest.raises(ValueError, match="out of range"):
        encode(np.array([[0, 3]]), (2, 3))
    with pytest.raises(ValueError, match="too many outcomes"):
        decode(np.array([0]), (10,) * 30)
