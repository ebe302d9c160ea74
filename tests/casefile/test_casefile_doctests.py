"""The examples in the case-file modules' docstrings run and give what they show."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "accord.casefile",
    "accord.casefile.atomic",
    "accord.casefile.bundled",
    "accord.casefile.domain_layout",
    "accord.casefile.genius",
    "accord.casefile.geniusweb_export",
    "accord.casefile.interop",
    "accord.casefile.io",
    "accord.casefile.json_positions",
    "accord.casefile.messages",
    "accord.casefile.prefsfile",
    "accord.casefile.schema",
    "accord.casefile.tree",
    "accord.casefile.xmltree",
    "accord.casefile.yaml12",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    assert result.attempted > 0
