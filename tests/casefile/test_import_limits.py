"""GENIUS and GeniusWeb import against a hostile file (issue #12, parsers): linear in size, a
documented limit on values, deep nesting and non-finite numbers refused in one line (exit 2 from
`accord frontier` and `accord tournament --domain`), and pools of profiles read, never a crash."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.casefile.errors import CaseFileError
from accord.casefile.genius import import_genius_folder
from accord.casefile.genius_reader import MAX_ISSUE_VALUES
from accord.casefile.geniusweb import import_geniusweb
from accord.casefile.interop import MAX_FILE_BYTES
from accord.casefile.xmltree import parse_xml
from accord.cli.app import app

runner = CliRunner()
FIXTURES = Path(__file__).parent / "fixtures" / "genius"


def _domain(folder: Path, n_values: int, profiles: int = 2) -> Path:
    """A GENIUS folder whose first issue has ``n_values`` items (and a second of two)."""
    folder.mkdir(parents=True, exist_ok=True)
    items = "".join(f'<item index="{k}" value="v{k}"/>' for k in range(n_values))
    (folder / "domain.xml").write_text(
        '<negotiation_template><utility_space><objective index="0" name="Big">'
        f'<issue index="1" name="I" type="discrete">{items}</issue>'
        '<issue index="2" name="J" type="discrete"><item index="1" value="a"/><item index="2" value="b"/></issue>'
        "</objective></utility_space></negotiation_template>"
    )
    for p in range(profiles):
        evaluations = "".join(
            f'<item index="{k}" value="v{k}" evaluation="{(k * 7919 + p) % 100}"/>' for k in range(n_values)
        )
        (folder / f"p{p:02d}.xml").write_text(
            '<utility_space><objective index="0" name="Big">'
            f'<issue index="1" name="I">{evaluations}</issue>'
            f'<issue index="2" name="J"><item index="1" value="a" evaluation="{1 + p % 2}"/>'
            f'<item index="2" value="b" evaluation="{2 - p % 2}"/></issue>'
            '<weight index="1" value="0.6"/><weight index="2" value="0.4"/></objective></utility_space>'
        )
    return folder


def _one_line(result, message: str) -> None:
    assert result.exit_code == 2, result.output
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "Traceback" not in result.output


def test_a_million_values_are_refused_by_the_size_limit_before_parsing(tmp_path):
    folder = _domain(tmp_path / "million", 1_000_000, profiles=1)
    assert (folder / "domain.xml").stat().st_size > MAX_FILE_BYTES
    start = time.perf_counter()
    with pytest.raises(CaseFileError, match=r"GENIUS files of more than 8,388,608 bytes are refused"):
        import_genius_folder(folder)
    assert time.perf_counter() - start < 1.0
    _one_line(runner.invoke(app, ["frontier", str(folder)]), "bytes are refused")


def test_an_issue_may_have_at_most_the_documented_number_of_values(tmp_path):
    folder = _domain(tmp_path / "many", MAX_ISSUE_VALUES + 1, profiles=0)
    with pytest.raises(CaseFileError, match=r"issue 'I' has 100,001 items; at most 100,000 are read"):
        import_genius_folder(folder)


def test_import_is_linear_in_values_per_issue(tmp_path):
    # a membership test on a list made 10,000 values take 10 s; 20,000 would take 40 s
    folder = _domain(tmp_path / "big", 20_000)
    start = time.perf_counter()
    imported = import_genius_folder(folder)
    assert time.perf_counter() - start < 5.0
    assert len(imported.case.issues[0].options) == 20_000 and len(imported.exact[1].values["I"]) == 20_000


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('evaluation="0.4"', 'evaluation="NaN"'), "profile.xml:12:7: <item evaluation=...>: expected a finite number, got 'NaN'"),
        (('value="0.7"', 'value="inf"'), "profile.xml:14:5: <weight value=...>: expected a finite number, got 'inf'"),
        (('value="0.3"', 'value="-Infinity"'), "expected a finite number, got '-Infinity'"),
    ],
)  # fmt: skip
def test_non_finite_numbers_in_genius_xml_exit_2_with_one_line(tmp_path, change, message):
    folder = tmp_path / "domain"
    shutil.copytree(FIXTURES / "objective-weight", folder)
    profile = folder / "profile.xml"
    profile.write_text(profile.read_text().replace(*change, 1))
    _one_line(runner.invoke(app, ["frontier", str(folder)]), message)
    _one_line(
        runner.invoke(app, ["tournament", "--domain", str(folder), "--out", str(tmp_path / "o")]), message
    )


def test_xml_nested_too_deep_or_too_large_is_refused():
    with pytest.raises(CaseFileError, match="nested more than 64 levels deep"):
        parse_xml(b"<a>" * 70 + b"</a>" * 70, "f.xml")
    with pytest.raises(CaseFileError, match="more than 10 elements"):
        parse_xml(b"<a>" + b"<b/>" * 20 + b"</a>", "f.xml", max_elements=10)


def _web(folder: Path, text: str) -> Path:
    folder.mkdir()
    (folder / "p.json").write_text(text)
    return folder


def test_a_geniusweb_profile_nested_100k_deep_exits_2_with_one_line(tmp_path):
    text = '{"LinearAdditiveUtilitySpace": ' + "[" * 100_000 + "]" * 100_000 + "}"
    folder = _web(tmp_path / "deep", text)
    with pytest.raises(CaseFileError, match="nested too deep"):
        import_geniusweb([folder / "p.json"])
    _one_line(runner.invoke(app, ["frontier", str(folder)]), "lists and objects are nested too deep")
    _one_line(
        runner.invoke(app, ["tournament", "--domain", str(folder), "--out", str(tmp_path / "o")]),
        "lists and objects are nested too deep",
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [("NaN", "expected a finite number, got 'NaN'"), ("-Infinity", "expected a finite number, got '-Infinity'"),
     ("1e999", "(too large)"), ("1" * 5000, "at most 60 digits"),
     ('0.5, "c": 0.25', "duplicate key 'c'; a key may appear only once")],
)  # fmt: skip
def test_non_finite_numbers_in_geniusweb_json_are_refused(tmp_path, value, message):
    profile = {
        "LinearAdditiveUtilitySpace": {
            "name": "p",
            "issueUtilities": {"c": {"discreteutils": {"valueUtilities": {"red": 0.5, "blue": 1}}}},
            "issueWeights": {"c": "WEIGHT"},
            "domain": {"name": "d", "issuesValues": {"c": {"values": ["red", "blue"]}}},
        }
    }
    folder = _web(tmp_path / "web", json.dumps(profile).replace('"WEIGHT"', value))
    _one_line(runner.invoke(app, ["frontier", str(folder)]), message)


def test_a_pool_of_profiles_is_read_and_the_frontier_needs_a_choice(tmp_path):
    folder = _domain(tmp_path / "pool", 4, profiles=12)
    imported = import_genius_folder(folder)
    assert len(imported.preferences.models) == 12  # read, all of them
    _one_line(
        runner.invoke(app, ["frontier", str(folder)]), "12 profiles; the frontier is computed for at most 10"
    )
    result = runner.invoke(app, ["frontier", str(folder), "--parties", "p03,p07.xml,p11", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["parties"] == ["p03", "p07", "p11"]
    _one_line(
        runner.invoke(app, ["frontier", str(folder), "--parties", "p03,nobody"]),
        "no profile named ['nobody']",
    )
    _one_line(
        runner.invoke(app, ["tournament", "--domain", str(folder), "--out", str(tmp_path / "o")]),
        "12 profiles; a domain scenario plays at most 8 parties",
    )


def test_ten_parties_of_a_pool_over_4096_outcomes(tmp_path):
    folder = _domain(tmp_path / "twenty", 2048, profiles=20)
    result = runner.invoke(
        app, ["frontier", str(folder), "--parties", ",".join(f"p{p:02d}" for p in range(10))]
    )
    assert result.exit_code == 0, result.output


def test_the_discrete_reading_is_an_option_of_accord_frontier(tmp_path):
    folder = tmp_path / "readings"
    shutil.copytree(FIXTURES / "discrete-readings", folder)
    other = folder / "other.xml"
    other.write_text((folder / "profile.xml").read_text().replace('evaluation="0.2"', 'evaluation="0.8"'))
    given = json.loads(runner.invoke(app, ["frontier", str(folder), "--json"]).stdout)
    latest = json.loads(runner.invoke(app, ["frontier", str(folder), "--json", "--discrete", "max"]).stdout)
    assert given["points"] != latest["points"]
    _one_line(
        runner.invoke(app, ["frontier", str(folder), "--discrete", "newest"]),
        "expected one of ['given', 'max']",
    )
