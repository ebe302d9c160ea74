"""The examples in the simulator's docstrings run and give what they show."""

import doctest
import importlib
import pkgutil

import pytest

import accord.sim
import accord.sim.strategies

MODULES = sorted(
    m.name
    for package in (accord.sim, accord.sim.strategies)
    for m in pkgutil.iter_modules(package.__path__, package.__name__ + ".")
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
