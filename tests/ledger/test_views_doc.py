"""docs/reference/views.md is the JSON contract of the views: every example there must run and
print exactly what the page shows, and every view must have a section."""

import json
import re
from itertools import pairwise
from pathlib import Path

import pytest

import accord.ledger

DOC = Path(__file__).resolve().parents[2] / "docs" / "reference" / "views.md"
BLOCK = re.compile(r"```(python|json)\n(.*?)```", re.DOTALL)


def _blocks():
    return [(m.group(1), m.group(2)) for m in BLOCK.finditer(DOC.read_text(encoding="utf-8"))]


def _examples():
    blocks = _blocks()
    return [
        (code.strip(), shown)
        for (kind, code), (next_kind, shown) in pairwise(blocks[1:])
        if kind == "python" and next_kind == "json"
    ]


@pytest.fixture(scope="module")
def namespace():
    setup_kind, setup = _blocks()[0]
    assert setup_kind == "python"
    found: dict[str, object] = {}
    exec(setup, found)
    return found


@pytest.mark.parametrize(("call", "shown"), _examples(), ids=[call for call, _ in _examples()])
def test_each_example_prints_what_the_page_shows(namespace, call, shown):
    assert eval(call, namespace) == json.loads(shown)


# Every public function of accord.ledger is a view, but for these helpers.
HELPERS = {
    "agreement_text",
    "effective_records",
    "gap_distance",
    "gap_label",
    "gap_measures",
    "origin_text",
    "to_jsonable",
}


def test_every_view_has_an_example():
    calls = " ".join(call for call, _ in _examples())
    views = [name for name in accord.ledger.__all__ if name[0].islower() and name not in HELPERS]
    assert len(views) >= 10
    for view in views:
        assert f"{view}(" in calls, view
