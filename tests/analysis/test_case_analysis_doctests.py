"""The docstring examples of the case-analysis modules run as tests."""

import doctest
import importlib

import pytest

MODULES = ["proposals", "efficiency", "moves", "coalition", "case_analysis", "costing"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    module = importlib.import_module(f"accord.analysis.{name}")
    failed, attempted = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert attempted > 0 and failed == 0
