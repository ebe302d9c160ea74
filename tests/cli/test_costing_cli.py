"""`accord costing`: the bundled WGA case costed, as JSON and as text, and bad input refused."""

from __future__ import annotations

import doctest
import json

import pytest
from typer.testing import CliRunner

from accord.cli.app import app
from accord.workflows import costing

runner = CliRunner()


def _json(*args: str) -> dict:
    result = runner.invoke(app, ["costing", *args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_json_costs_each_package_beside_the_estimates():
    data = _json("wga-amptp-2023", "--as-of", "2023-09-30")
    assert set(data) == {"case", "title", "as_of", "costing", "packages", "notes"}
    assert data["costing"]["term_years"] == 3 and data["costing"]["costed_issues"] == ["min_pay"]
    ta = next(p for p in data["packages"] if p["record"] == "wga-ta-2023-09-24")
    assert ta["kind"] == "agreement" and len(ta["annual"]) == 3
    (deal,) = ta["estimates"]
    # the WGA valued the deal at $233M a year (S44, S45)
    assert deal["figure"] == 233e6 and deal["basis"] == "per_year"
    assert deal["difference"] == pytest.approx(233e6 - ta["average"])


def test_a_package_given_is_costed_too():
    data = _json("wga-amptp-2023", "--package", "min_pay=13.0; staffing=3")
    given = [p for p in data["packages"] if p["kind"] == "package"]
    assert len(given) == 1 and given[0]["uncosted"] == ["staffing"]
    ta = next(p for p in data["packages"] if p["record"] == "wga-ta-2023-09-24")
    assert given[0]["annual"] == pytest.approx(ta["annual"])  # the same 5/4/3.5


def test_text_shows_the_packages_the_estimates_and_why_they_differ():
    result = runner.invoke(
        app, ["costing", "wga-amptp-2023", "--as-of", "2023-05-01"], env={"COLUMNS": "160"}
    )
    assert result.exit_code == 0, result.output
    out = result.stdout
    for text in (
        "Packages",
        "The parties' own estimates beside the model",
        "Why they differ",
        "$429M a year",
    ):
        assert text in out
    assert "wga-ta-2023-09-24" not in out  # not yet known on May 1


def test_a_case_without_costing_parameters_says_so():
    result = runner.invoke(app, ["costing", "sag-aftra-amptp-2023"])
    assert result.exit_code == 0, result.output
    assert "no costing parameters" in result.stdout and "Value of the pattern offer" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--package", "pay=3"], "unknown issue 'pay'"),
        (["--package", "min_pay=lots"], "'min_pay' needs a number"),
        (["--package", "min_pay"], "expected issue=value"),
        (["--as-of", "2023-13-01"], "--as-of"),
        (["--prefs", "/nonexistent/p.yaml"], "p.yaml"),
    ],
)
def test_bad_input_is_one_line_and_exit_code_2(args, message):
    result = runner.invoke(app, ["costing", "wga-amptp-2023", *args])
    assert result.exit_code == 2, result.output
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_the_package_reader_examples_run():
    failed, attempted = doctest.testmod(costing, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert attempted > 0 and failed == 0
