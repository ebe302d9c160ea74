"""Fixtures of the bundled-case tests: the two cases, loaded once, and the facts file's sources."""

from __future__ import annotations

import re

import pytest
from bundled_cases import CASE_NAMES, facts_path, load_bundled

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


@pytest.fixture(scope="session")
def fact_sources() -> dict[str, str]:
    """Source id -> its line in the facts file's section 8 (addresses and notes)."""
    text = facts_path().read_text(encoding="utf-8").split("## 8. Sources", 1)[1]
    return dict(re.findall(r"(?m)^- (S\d+) (.*)$", text))
