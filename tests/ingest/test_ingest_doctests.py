"""The examples in the reading modules' docstrings run and give what they show."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "accord.casefile.append",
    "accord.ingest.counts",
    "accord.ingest.dates",
    "accord.ingest.lexicon",
    "accord.ingest.matching",
    "accord.ingest.reader",
    "accord.ingest.review",
    "accord.ingest.text",
    "accord.model.common",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0, f"{name} has no examples"
    assert result.failed == 0
