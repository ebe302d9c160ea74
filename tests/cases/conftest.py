"""Fixtures of the bundled-case tests: the two cases, loaded once."""

from __future__ import annotations

import pytest
from bundled_cases import CASE_NAMES, load_bundled

from accord.model import Case


@pytest.fixture(scope="session")
def cases() -> dict[str, Case]:
    return {name: load_bundled(name) for name in CASE_NAMES}


@pytest.fixture(scope="session")
def wga(cases: dict[str, Case]) -> Case:
    return cases["wga-amptp-2023"]


@pytest.fixture(scope="session")
def sag(cases: dict[str, Case]) -> Case:
    return cases["sag-aftra-amptp-2023"]
