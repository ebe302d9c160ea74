"""`accord prefs fit` and `accord prefs elicit`: preferences fitted from ratings of the bundled WGA
case, written as a preference file that `analyze` reads; bad input refused, nothing written."""

from __future__ import annotations

import csv
import json
from importlib import resources
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from accord.casefile import bundled_case
from accord.casefile.prefsfile import read_preferences
from accord.cli.app import app
from accord.model import NumericIssue, ProvisionIssue
from accord.prefs import utility

runner = CliRunner()
CASE = bundled_case("wga-amptp-2023")
BUNDLED_PREFS = resources.files("accord").joinpath("data", "cases", "wga-amptp-2023.prefs.yaml")


def _wga_model():
    from accord.casefile.prefsfile import loads_preferences

    return loads_preferences(BUNDLED_PREFS.read_text(encoding="utf-8"), "wga.prefs.yaml", CASE).model("wga")


def write_ratings(path: Path, rows: int = 60, seed: int = 7) -> Path:
    """``rows`` random packages of the WGA case, rated (whole numbers) by the bundled WGA model."""
    rng = np.random.default_rng(seed)
    model = _wga_model()
    header = [issue.id for issue in CASE.issues]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([*header, "rating"])
        for _ in range(rows):
            package, cells = {}, []
            for issue in CASE.issues:
                if isinstance(issue, NumericIssue):
                    value = float(rng.choice(issue.levels))
                    package[issue.id], text = value, f"{value:g}"
                else:
                    assert isinstance(issue, ProvisionIssue)
                    chosen = frozenset(p for p in issue.provision_ids if rng.random() < 0.5)
                    package[issue.id], text = chosen, "+".join(sorted(chosen))
                cells.append(text)
            writer.writerow([*cells, round(100 * utility(model, CASE.issues, package))])
    return path


def test_fit_prints_json_and_writes_a_file_analyze_reads(tmp_path):
    ratings = write_ratings(tmp_path / "wga-ratings.csv")
    prefs = tmp_path / "wga.prefs.yaml"
    prefs.write_text(BUNDLED_PREFS.read_text(encoding="utf-8"), encoding="utf-8")
    result = runner.invoke(
        app, ["prefs", "fit", "wga-amptp-2023", "--party", "wga", str(ratings), "-o", str(prefs), "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"party", "weights", "values", "fit"} and data["party"] == "wga"
    assert sum(data["weights"].values()) == pytest.approx(1, abs=1e-5)
    assert all(0 <= v <= 1 for values in data["values"].values() for v in map(abs, values.values()))
    assert data["fit"]["kendall_tau"] > 0.9 and data["fit"]["rmse"] < 4
    assert len(data["fit"]["least_consistent"]) == 3 and data["fit"]["least_consistent"][0]["row"].startswith(
        str(ratings)
    )
    assert f"Updated {prefs}: the model of 'wga'." in result.stderr
    written = read_preferences(prefs, CASE)
    assert written.model("wga").label == "WGA (fitted from 60 ratings)" and written.model(
        "amptp"
    )  # others kept
    validated = runner.invoke(app, ["validate", "wga-amptp-2023", "--prefs", str(prefs)])
    assert validated.exit_code == 0, validated.output
    assert f"{prefs}: valid preferences for 'wga-amptp-2023': models of " in validated.stdout
    analyzed = runner.invoke(app, ["analyze", "wga-amptp-2023", "--prefs", str(prefs), "--json"])
    assert analyzed.exit_code == 0, analyzed.output
    fresh = tmp_path / "new.prefs.yaml"
    text = runner.invoke(
        app, ["prefs", "fit", "wga-amptp-2023", "--party", "wga", str(ratings), "-o", str(fresh)]
    )
    assert text.exit_code == 0, text.output
    assert "Preferences of wga, fitted from 60 ratings" in text.stdout and "Kendall tau" in text.stdout
    assert read_preferences(fresh, CASE).parties == ("wga",)
    checked = runner.invoke(app, ["validate", "wga-amptp-2023", "--prefs", str(fresh), "--json"])
    assert checked.exit_code == 0 and json.loads(checked.stdout)["prefs"] == {
        "file": str(fresh),
        "models": ["wga"],
    }


def _line_of(path, text: str) -> int:
    """The line (from 1) of the first occurrence of ``text`` in ``path``."""
    return next(n for n, line in enumerate(path.read_text().splitlines(), start=1) if text in line)


def test_validate_reports_a_preference_file_that_does_not_fit_the_case(tmp_path):
    bad = tmp_path / "bad.prefs.yaml"
    bad.write_text(
        BUNDLED_PREFS.read_text(encoding="utf-8").replace("min_pay:", "min_wage:", 1), encoding="utf-8"
    )
    result = runner.invoke(app, ["validate", "wga-amptp-2023", "--prefs", str(bad)])
    assert (
        result.exit_code == 2
        and f"{bad}:" in result.stderr
        and f"bad.prefs.yaml:{_line_of(bad, 'models:') + 1}:5: models[0]: issue(s) ['min_wage'] have a weight "
        "but no value function"
        in result.stderr
    )
    data = json.loads(
        runner.invoke(app, ["validate", "wga-amptp-2023", "--prefs", str(bad), "--json"]).stdout
    )
    assert data["valid"] is False and data["file"] == str(bad) and data["case"] == "wga-amptp-2023"


def test_bad_ratings_are_refused_at_their_line_and_nothing_is_written(tmp_path):
    out = tmp_path / "out.prefs.yaml"
    cases = {
        "min_pay,ai,rating\n13,not_a_writer,50\n9.3,,abc\n": ":3: rating: expected a number from 0 to 100, got 'abc'",
        "min_pay,ai,rating\n13,robots,50\n": ":2: ai: unknown provision(s) ['robots']",
        "min_pay,pay,rating\n13,1,50\n": ":1: pay: column 2: unknown issue 'pay'",
        "min_pay,rating\n13,50\n14\n": ":3: expected 2 fields (as in the header), got 1",
        'min_pay,rating\n"13,50\n': ": not valid CSV",
        "min_pay,staffing,rating\n13,0,50\n14,1,60\n15,2,70\n": "3 rated packages, but the model has 5 parameters "
        "(1 for the ratings' floor, min_pay 2, staffing 2): rate at least 5 packages",
    }
    for number, (text, expected) in enumerate(cases.items()):
        path = tmp_path / f"bad{number}.csv"
        path.write_text(text, encoding="utf-8")
        result = runner.invoke(
            app, ["prefs", "fit", "wga-amptp-2023", "--party", "wga", str(path), "-o", str(out)]
        )
        assert result.exit_code == 2, (text, result.output)
        assert expected in result.stderr, (text, result.stderr)
        assert not out.exists()
    unknown = runner.invoke(app, ["prefs", "fit", "wga-amptp-2023", "--party", "sag", str(path)])
    assert unknown.exit_code == 2 and "unknown party 'sag'" in unknown.stderr


def test_inconsistent_ratings_warn_naming_the_rows(tmp_path):
    ratings = write_ratings(tmp_path / "r.csv")
    lines = ratings.read_text(encoding="utf-8").splitlines()
    cells = lines[5].split(",")
    cells[-1] = "100" if float(cells[-1]) < 50 else "0"
    lines[5] = ",".join(cells)
    ratings.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["prefs", "fit", "wga-amptp-2023", "--party", "wga", str(ratings)])
    assert result.exit_code == 0, result.output
    assert f"warning: {ratings}:6: rated" in result.stderr


ANSWERS = {  # each issue's asked levels (accord.prefs.elicit.asked_levels) and their ratings
    "min_pay": [0, 30, 60, 90, 100],  # at 0, 5, 10, 15, 20 %
    "staffing": [0, 25, 50, 75, 100],
    "duration": [0, 25, 50, 75, 100],
    "residuals": [50, 20, 10, 10],  # per provision, -100 to 100
    "ai": [80, 80, 40, 30, 60, -20, 10],
    "health_pension": [0, 40, 80, 100],  # 11.5 to 13
    "features": [30, 20, 20, 10],
}
TRUE_WEIGHTS = {
    "min_pay": 0.3,
    "staffing": 0.2,
    "duration": 0.05,
    "residuals": 0.15,
    "ai": 0.2,
    "health_pension": 0.05,
    "features": 0.05,
}


def test_elicit_asks_in_the_terminal_and_writes_the_file(tmp_path):
    from accord.prefs.elicit import (
        asked_levels,
        elicited_model,
        informative_packages,
        package_count,
        value_function,
    )

    functions = {
        issue.id: value_function(issue, dict(zip(asked_levels(issue), ANSWERS[issue.id], strict=True)))
        for issue in CASE.issues
    }
    truth = elicited_model("wga", "truth", TRUE_WEIGHTS, functions)
    packages = informative_packages(CASE.issues, functions, "wga", package_count(CASE.issues))
    assert len(packages) == 11
    ratings = [str(round(100 * utility(truth, CASE.issues, p), 1)) for p in packages]
    order = ["1,2,3", "1,2,3,4,5,6,7"]  # a bad ranking first: asked again
    levels = [str(r) for issue in CASE.issues for r in ANSWERS[issue.id]]
    out = tmp_path / "wga.prefs.yaml"
    typed = "\n".join([*order, *levels, "101", *ratings]) + "\n"
    result = runner.invoke(
        app, ["prefs", "elicit", "wga-amptp-2023", "--party", "wga", "-o", str(out)], input=typed
    )
    assert result.exit_code == 0, result.output
    assert "expected each of 1 to 7 once, got '1,2,3'" in result.output
    assert "expected a number from 0 to 100, got '101'" in result.output
    assert "Package 11: " in result.output and "Package 12: " not in result.output
    written = read_preferences(out, CASE).model("wga")
    assert written.label == "WGA (elicited)" and written.values == truth.values
    for issue_id, weight in TRUE_WEIGHTS.items():
        assert written.weights[issue_id] == pytest.approx(weight, abs=0.02)
    assert "Fit: RMSE 0.0 rating points; rank agreement (Kendall tau) 1.00" in result.output


def test_elicit_without_output_prints_the_file_and_a_closed_input_stops(tmp_path):
    result = runner.invoke(
        app, ["prefs", "elicit", "wga-amptp-2023", "--party", "wga"], input="1,2,3,4,5,6,7\n5\n"
    )
    assert result.exit_code == 1 and "Aborted" in result.output
    assert not list(tmp_path.iterdir())
