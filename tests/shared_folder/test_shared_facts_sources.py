"""The bundled cases cite exactly the sources of the facts file they were built from (the shared
folder's cases/wga-amptp-2023-facts.md, section 8), each at the address the file gives."""

from __future__ import annotations

import re

import pytest
from shared_data import shared_path

from accord.casefile import resolve_case

CASE_NAMES = ("wga-amptp-2023", "sag-aftra-amptp-2023")


@pytest.fixture(scope="module")
def fact_sources() -> dict[str, str]:
    """Source id -> its line in the facts file's section 8 (addresses and notes)."""
    text = shared_path("cases", "wga-amptp-2023-facts.md").read_text(encoding="utf-8")
    return dict(re.findall(r"(?m)^- (S\d+) (.*)$", text.split("## 8. Sources", 1)[1]))


@pytest.mark.parametrize("name", CASE_NAMES)
def test_sources_are_the_facts_files_sources(name: str, fact_sources: dict[str, str]) -> None:
    for source in resolve_case(name).sources:
        assert source.id in fact_sources, source.id
        if source.url:
            assert source.url in fact_sources[source.id], source.id
