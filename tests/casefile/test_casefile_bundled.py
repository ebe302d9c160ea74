"""Bundled cases and finding a case by name or path."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from accord.casefile import (
    CaseFileError,
    bundled_case,
    bundled_case_names,
    case_names_in,
    dump_case,
    loads_case,
    read_case,
    resolve_case,
)
from accord.casefile.bundled import bundled_cases_folder

SMALL = Path(__file__).parent / "fixtures" / "small.yaml"
PACKAGE_CASES = Path(__file__).resolve().parents[2] / "src" / "accord" / "data" / "cases"


def test_case_names_are_yaml_files_with_one_suffix():
    with tempfile.TemporaryDirectory() as folder:
        for name in ("wga.yaml", "sag.yaml", "wga.prefs.yaml", "notes.md", "old.yml", ".yaml"):
            (Path(folder) / name).write_text("")
        (Path(folder) / "sub.yaml").mkdir()
        assert case_names_in(Path(folder)) == ["sag", "wga"]
    assert case_names_in(Path(folder)) == []  # a folder that is gone: none


def test_bundled_names_are_the_case_files_shipped_in_the_package():
    expected = sorted(p.stem for p in PACKAGE_CASES.glob("*.yaml") if "." not in p.stem)
    assert bundled_case_names() == expected
    assert Path(str(bundled_cases_folder())) == PACKAGE_CASES


def test_every_bundled_case_loads_and_round_trips():
    for name in bundled_case_names():
        case = bundled_case(name)
        assert resolve_case(name) == case
        assert case.id == name
        assert read_case(PACKAGE_CASES / f"{name}.yaml") == case
        assert loads_case(dump_case(case)) == case


def test_resolve_case_takes_a_path():
    assert resolve_case(str(SMALL)) == read_case(SMALL)
    assert resolve_case(SMALL).id == "small-2023"


def test_resolve_case_names_what_it_expected():
    with pytest.raises(CaseFileError) as info:
        resolve_case("no-such-case")
    listed = ", ".join(bundled_case_names()) or "none"
    assert info.value.problems[0].message == (
        f"no bundled case or file named 'no-such-case'; expected a file path or a bundled case ({listed})"
    )
    with pytest.raises(CaseFileError, match="no bundled case or file named 'x'"):
        bundled_case("x")


def test_resolve_case_reports_the_problems_of_a_bad_file():
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bad.yaml"
        path.write_text("id: c\ntitle: T\nparties: []\n")
        with pytest.raises(CaseFileError) as info:
            resolve_case(path)
    assert info.value.file == str(path)
    assert (info.value.problems[0].line, info.value.problems[0].field) == (3, "parties")
