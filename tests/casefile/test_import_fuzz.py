"""Hostile GENIUS and GeniusWeb files: any change to a valid domain is either read or refused with a
:class:`CaseFileError` (one line from the CLI, exit 2); nothing else escapes the importers."""

from __future__ import annotations

import copy
import json
import re
import shutil
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from accord.casefile.errors import CaseFileError
from accord.casefile.genius import import_genius_folder
from accord.casefile.geniusweb import import_geniusweb_folder
from accord.workflows.analysis import domain_frontier

FIXTURES = Path(__file__).parent / "fixtures" / "genius"
HOSTILE = [
    "", " ", "-1", "-0", "0", "1", "2", "1.5", "1e309", "-1e309", "1e-400", "NaN", "inf", "-Infinity",
    "abc", "0x10", "1/2", "1_000", "9" * 80, "٣", "1e99999999999", "+.", ".", "e5", "\u0000", "\ud7ff",
    "v1", "red", "low", "Price", "integer", "real", "discrete", "constant", "linear", "triangular",
]  # fmt: skip
ATTRIBUTE = re.compile(r'(\w+)="([^"]*)"')


def _attribute_spans(text: str) -> list[tuple[int, int]]:
    return [match.span(2) for match in ATTRIBUTE.finditer(text)]


@st.composite
def mutated_genius_folders(draw: st.DrawFn) -> dict[str, str]:
    folder = draw(st.sampled_from(sorted(p.name for p in FIXTURES.iterdir() if p.is_dir())))
    files = {p.name: p.read_text() for p in sorted((FIXTURES / folder).glob("*.xml"))}
    for _ in range(draw(st.integers(1, 4))):
        name = draw(st.sampled_from(sorted(files)))
        text = files[name]
        spans = _attribute_spans(text)
        if draw(st.booleans()) and spans:
            start, end = draw(st.sampled_from(spans))
            value = draw(st.sampled_from(HOSTILE) | st.text(max_size=8))
            text = text[:start] + value.replace('"', "").replace("<", "").replace("&", "") + text[end:]
        else:  # drop or repeat one line
            lines = text.splitlines()
            index = draw(st.integers(0, len(lines) - 1))
            lines[index : index + 1] = [] if draw(st.booleans()) else [lines[index]] * 2
            text = "\n".join(lines)
        files[name] = text
    return files


@settings(max_examples=150, deadline=None)
@given(mutated_genius_folders())
def test_a_mutated_genius_folder_is_read_or_refused_cleanly(files):
    with tempfile.TemporaryDirectory() as tmp:
        for name, text in files.items():
            (Path(tmp) / name).write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            imported = import_genius_folder(tmp)
        except CaseFileError as error:
            assert error.first_line and "\n" not in error.first_line
            return
        if len(imported.preferences.models) <= 10:
            domain_frontier(imported)


WEB = {
    "LinearAdditiveUtilitySpace": {
        "name": "p",
        "issueUtilities": {
            "size": {"numberutils": {"lowValue": 0, "lowUtility": 1, "highValue": 4, "highUtility": 0}},
            "colour": {"DiscreteValueSetUtilities": {"valueUtilities": {"red": 0.2, "blue": 1}}},
        },
        "issueWeights": {"size": 0.5, "colour": 0.5},
        "domain": {
            "name": "d",
            "issuesValues": {
                "size": {"range": {"low": "0", "high": "4", "step": "1"}},
                "colour": {"values": ["red", "blue"]},
            },
        },
        "reservationBid": {"issuevalues": {"size": 2, "colour": "red"}},
    }
}
JSON_VALUES = st.sampled_from(
    [None, True, 0, -1, 1.5, 10**30, "x", "0", "NaN", [], {}, [1], {"a": 1}]
) | st.text(max_size=5)


def _paths(data: object, path: tuple = ()) -> list[tuple]:
    if isinstance(data, dict):
        return [path] + [p for k, v in data.items() for p in _paths(v, (*path, k))]
    return [path]


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_a_mutated_geniusweb_profile_is_read_or_refused_cleanly(data):
    profile = json.loads(json.dumps(WEB))
    for _ in range(data.draw(st.integers(1, 3))):
        paths = _paths(profile)[1:]
        if not paths:
            break
        path = data.draw(st.sampled_from(paths))
        holder = profile
        for key in path[:-1]:
            holder = holder[key]
        if data.draw(st.booleans()):
            # a copy: the drawn {} or [1] must not be changed in place by a later mutation (the
            # strategy's own object, which made Hypothesis's generation depend on earlier cases)
            holder[path[-1]] = copy.deepcopy(data.draw(JSON_VALUES))
        else:
            del holder[path[-1]]
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "p.json").write_text(json.dumps(profile))
        shutil.copy(Path(tmp) / "p.json", Path(tmp) / "q.json")
        try:
            imported = import_geniusweb_folder(tmp)
        except CaseFileError as error:
            assert error.first_line and "\n" not in error.first_line
            return
        domain_frontier(imported)
