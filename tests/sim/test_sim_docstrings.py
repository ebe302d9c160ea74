"""The examples in the simulator's docstrings run (and stay true)."""

import doctest
import importlib
import pkgutil

import pytest

import accord.sim

MODULES = sorted(m.name for m in pkgutil.walk_packages(accord.sim.__path__, "accord.sim."))


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    failed, _ = doctest.testmod(importlib.import_module(name), optionflags=doctest.NORMALIZE_WHITESPACE)
    assert failed == 0


def test_every_simulator_module_is_checked():
    assert {
        "accord.sim.cases.mediated",
        "accord.sim.cases.pattern",
        "accord.sim.scenarios.from_case",
        "accord.sim.cases.case_replay",
    } <= set(MODULES)
