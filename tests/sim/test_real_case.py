"""The bundled WGA–AMPTP case: scenarios from the record, `accord simulate`, `accord sweep`."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pytest
from typer.testing import CliRunner

from accord.casefile.prefsfile import case_with_preferences
from accord.cli.app import app
from accord.ledger import positions_as_of
from accord.sim.scenarios.from_case import scenario_from_case

runner = CliRunner()
AUG11 = dt.date(2023, 8, 11)


@pytest.fixture(scope="module")
def wga():
    return case_with_preferences("wga-amptp-2023")


def test_openings_are_the_positions_on_record_and_fills_are_listed(wga):
    case, prefs = wga
    built = scenario_from_case(case, prefs, AUG11)
    union, amptp = built.openings
    aug11 = case.proposal("amptp-2023-08-11").positions
    for issue, position in aug11.items():
        assert amptp[issue] == position.value, issue
    for issue, at in positions_as_of(case, AUG11, "wga").items():
        if at.value is not None:
            assert union[issue] == at.value, issue
    filled = {(f.party, f.issue) for f in built.filled}
    assert filled == {("wga", "health_pension"), ("amptp", "health_pension"), ("amptp", "features")}
    # silence concedes nothing: each side's fill is its own best option
    assert (union["health_pension"], amptp["health_pension"], amptp["features"]) == (13.0, 11.5, frozenset())
    s = built.scenario
    assert s.packages.decode(s.openings[0]) == union and s.packages.decode(s.openings[1]) == amptp
    assert s.standing_offer == s.openings[1] and [side.name for side in s.sides] == ["wga", "amptp"]


def test_the_space_spans_the_bargaining_range_and_the_calendar_the_strike(wga):
    case, prefs = wga
    built = scenario_from_case(case, prefs, AUG11, max_levels=5)
    options = dict(zip(built.scenario.packages.issue_ids, built.scenario.packages.options, strict=True))
    assert options["min_pay"][0] == 13.0 and options["min_pay"][-1] == 16.9 and len(options["min_pay"]) == 5
    assert options["duration"] == (10.0,)
    # both hold view_data; they differ on foreign_svod_increase and viewership_bonus
    assert all("view_data" in o for o in options["residuals"]) and len(options["residuals"]) == 4
    assert built.start_day == 101 and built.stoppage == "wga-strike-2023"  # Aug 11 is strike day 102
    assert built.date_of_day(145) == dt.date(2023, 9, 24)
    assert built.assumed == ("wga", "amptp")


def test_members_mode_seats_the_eight_under_unanimity(wga):
    case, prefs = wga
    built = scenario_from_case(case, prefs, AUG11, members=True)
    coalition = built.scenario.sides[1]
    assert coalition.is_coalition and coalition.rule.kind.value == "unanimity"
    assert [built.scenario.columns[c] for c in coalition.columns] == list(case.party("amptp").members)
    assert set(built.assumed) == {"wga", "amptp", *case.party("amptp").members}


def test_without_a_date_the_space_spans_every_position_on_record(wga):
    case, prefs = wga
    built = scenario_from_case(case, prefs, None)
    assert built.openings == () and built.start_day == 0 and built.scenario.openings == ()
    pay = dict(zip(built.scenario.packages.issue_ids, built.scenario.packages.options, strict=True))[
        "min_pay"
    ]
    assert (pay[0], pay[-1]) == (9.3, 16.9)


def test_missing_models_are_clear_errors(wga):
    case, prefs = wga
    fewer = prefs.model_copy(update={"models": tuple(m for m in prefs.models if m.party != "netflix")})
    with pytest.raises(ValueError, match="netflix"):
        scenario_from_case(case, fewer, AUG11, members=True)


def _simulate(*extra):
    result = runner.invoke(app, ["simulate", "wga-amptp-2023", "--from", "2023-08-11", "--json", *extra])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_simulate_from_aug_11_predicts_a_settlement_against_the_record():
    report = _simulate()
    assert "assumptions" in report["assumptions"]["notice"].lower()
    assert report["assumptions"]["assumed_models"] == ["wga", "amptp"]
    assert report["start"] == {"strike_days_completed": 101, "strike_day": 102, "stoppage": "wga-strike-2023"}
    assert report["actual"]["agreement"] == "wga-ta-2023-09-24"
    assert (report["actual"]["date"], report["actual"]["strike_day"]) == ("2023-09-24", 146)
    assert report["outcome"] in ("agreement", "deadline", "walk")
    if report["outcome"] == "agreement":
        settlement = report["settlement"]
        assert settlement["strike_day"] == 102 + settlement["round"]  # one day per round
        assert dt.date.fromisoformat(settlement["date"]) == AUG11 + dt.timedelta(days=settlement["round"])
        issues = [d["issue"] for d in report["distances"]]
        assert issues == list(report["actual"]["terms"])
        assert all(0.0 <= d["distance"] <= 1.0 for d in report["distances"])
        assert report["mean_distance"] == pytest.approx(np.mean([d["distance"] for d in report["distances"]]))
    else:
        assert report["settlement"] is None and report["distances"] == []
    assert report["openings"]["amptp"]["staffing"] == 2.0 and report["openings"]["wga"]["min_pay"] == 16.9


def test_simulate_is_deterministic_for_a_seed():
    random = ["--strategy-a", "random-acceptable", "--strategy-b", "boulware"]
    first, again = _simulate(*random, "--seed", "3"), _simulate(*random, "--seed", "3")
    assert first == again
    others = [_simulate(*random, "--seed", str(seed))["ended"] for seed in (4, 5, 6)]
    assert any(o != first["ended"] for o in others)


def test_simulate_text_says_the_preferences_are_assumptions():
    result = runner.invoke(app, ["simulate", "wga-amptp-2023", "--from", "2023-08-11"])
    assert result.exit_code == 0, result.output
    assert result.output.count("ASSUMPTIONS") == 2
    assert "strike day 146" in result.output and "Per issue" in result.output


def test_simulate_mediated_and_pattern_protocols():
    mediated = _simulate("--protocol", "mediated", "--rounds", "60")
    assert mediated["protocol"] == "mediated" and mediated["assumptions"]["notice"]
    pattern = _simulate("--protocol", "pattern", "--rounds", "60")
    deals = pattern["separate"]["deals"]
    assert [d["member"] for d in deals] == [
        "disney",
        "wbd",
        "nbcu",
        "paramount",
        "sony",
        "netflix",
        "amazon",
        "apple",
    ]
    assert pattern["coalition"]["outcome"] in ("agreement", "deadline", "walk")
    assert len(pattern["assumptions"]["assumed_models"]) == 10
    text = runner.invoke(
        app, ["simulate", "wga-amptp-2023", "--from", "2023-08-11", "--protocol", "pattern", "--rounds", "40"]
    )
    assert text.exit_code == 0 and "Separate deals" in text.output and "ASSUMPTIONS" in text.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--protocol", "auction"], "--protocol"),
        (["--from", "Aug 11"], "--from"),
        (["--strategy-b", "nope"], "--strategy-b"),
        (["--prefs", "/no/such.prefs.yaml"], "no/such"),
    ],
)
def test_simulate_bad_input_exits_2_with_one_line(args, message):
    result = runner.invoke(app, ["simulate", "wga-amptp-2023", *args])
    assert result.exit_code == 2, result.output
    assert message in result.output and result.output.strip().count("\n") == 0


def test_sweep_on_the_case_moves_the_settlement_and_writes_a_plot(tmp_path):
    result = runner.invoke(
        app,
        [
            "sweep",
            "wga-amptp-2023",
            "--from",
            "2023-08-11",
            "--party",
            "amptp",
            "--parameter",
            "reservation",
            "--low",
            "0.3",
            "--high",
            "0.9",
            "--steps",
            "4",
            "--json",
            "--out",
            str(tmp_path),
        ],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["assumptions"]["notice"] and report["party"] == "amptp"
    rows = report["rows"]
    assert [r["value"] for r in rows] == pytest.approx([0.3, 0.5, 0.7, 0.9])
    assert len({(r["reason"], r["strike_day"]) for r in rows}) > 1
    assert all(r["strike_day"] >= 102 for r in rows)
    assert (tmp_path / "sweep.csv").exists() and (tmp_path / "sweep.html").stat().st_size > 100_000
    bad = runner.invoke(app, ["sweep", "wga-amptp-2023", "--party", "fox"])
    assert bad.exit_code == 2 and "fox" in bad.output


def test_the_documented_json_shapes_match_the_reports():
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / "docs" / "reference" / "simulate.md").read_text()
    blocks = doc.split("```json-keys\n")[1:]
    alternating, pattern = (b.split("\n", 1)[0].split() for b in blocks)
    assert list(_simulate("--rounds", "20")) == alternating
    assert list(_simulate("--protocol", "mediated", "--rounds", "20")) == alternating
    assert list(_simulate("--protocol", "pattern", "--rounds", "20")) == pattern
