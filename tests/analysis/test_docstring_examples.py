import doctest
import importlib

import pytest

MODULES = ["dominance", "space", "fold", "frontier", "solutions", "zopa"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    module = importlib.import_module(f"accord.analysis.{name}")
    failed, _ = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert failed == 0
