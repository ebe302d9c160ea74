"""The examples in the ledger's docstrings run and give what they show."""

import doctest
import importlib
import pkgutil

import pytest

import accord.ledger

MODULES = sorted(m.name for m in pkgutil.iter_modules(accord.ledger.__path__, "accord.ledger."))


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0


PUBLIC_FUNCTIONS = [n for n in accord.ledger.__all__ if n[0].islower()]


@pytest.mark.parametrize("name", PUBLIC_FUNCTIONS)
def test_every_public_function_has_an_example(name):
    assert ">>>" in (getattr(accord.ledger, name).__doc__ or ""), name
