"""Simulations from a date on which the talks had settled: refused (exit 2 / 422) naming the
settlement, unless asked for as a counterfactual, which the output then says."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from typer.testing import CliRunner

from accord.casefile import resolve_case
from accord.cli.app import app
from accord.ledger.settlement import counterfactual_note, settlement
from accord.model import Case

SETTLED = "the negotiation settled on 2023-09-24 (TA wga-ta-2023-09-24)"


def _run(*args: str):
    return CliRunner().invoke(app, list(args))


def test_the_wga_talks_settle_with_the_tentative_agreement_of_sept_24():
    case = resolve_case("wga-amptp-2023")
    assert settlement(case, dt.date(2023, 9, 23)) is None
    found = settlement(case, dt.date(2023, 9, 24))
    assert found is not None and found.id == "wga-ta-2023-09-24"
    assert counterfactual_note(case, dt.date(2024, 1, 1)) == f"counterfactual: {SETTLED}"


def test_a_tentative_agreement_voted_down_or_withdrawn_is_no_settlement():
    parties = [{"id": "u", "name": "U", "kind": "union"}, {"id": "e", "name": "E", "kind": "employer"}]
    ta = {"id": "ta", "kind": "tentative_agreement", "date": "2023-09-24", "parties": ["u", "e"]}
    vote = {
        "id": "v",
        "kind": "vote",
        "date": "2023-10-09",
        "party": "u",
        "subject": "ratification",
        "passed": False,
        "agreement": "ta",
    }
    withdrawn = {"id": "w", "kind": "ta_withdrawn", "date": "2023-10-01", "agreement": "ta"}
    assert (
        settlement(Case(id="c", title="t", parties=parties, events=[ta, vote]), dt.date(2023, 10, 8))
        is not None
    )
    assert (
        settlement(Case(id="c", title="t", parties=parties, events=[ta, vote]), dt.date(2023, 10, 9)) is None
    )
    assert (
        settlement(Case(id="c", title="t", parties=parties, events=[ta, withdrawn]), dt.date(2023, 10, 2))
        is None
    )


@pytest.mark.parametrize("command", ["simulate", "sweep"])
def test_the_cli_refuses_a_simulation_after_the_settlement_naming_it(command):
    extra = ["--steps", "2"] if command == "sweep" else []
    result = _run(command, "wga-amptp-2023", "--from", "2024-01-01", *extra)
    assert result.exit_code == 2
    assert SETTLED in result.output
    assert "--counterfactual" in result.output


def test_a_counterfactual_replay_is_labelled_in_text_and_json():
    text = _run("simulate", "wga-amptp-2023", "--from", "2024-01-01", "--rounds", "5", "--counterfactual")
    assert text.exit_code == 0, text.output
    assert f"COUNTERFACTUAL: {SETTLED}" in " ".join(text.output.split())
    report = json.loads(
        _run(
            "simulate",
            "wga-amptp-2023",
            "--from",
            "2024-01-01",
            "--rounds",
            "5",
            "--counterfactual",
            "--json",
        ).output
    )
    assert report["counterfactual"] == f"counterfactual: {SETTLED}"
    before = json.loads(
        _run("simulate", "wga-amptp-2023", "--from", "2023-09-01", "--rounds", "5", "--json").output
    )
    assert before["counterfactual"] is None


def test_a_counterfactual_sweep_is_labelled():
    args = [
        "sweep",
        "wga-amptp-2023",
        "--from",
        "2024-01-01",
        "--steps",
        "2",
        "--rounds",
        "5",
        "--counterfactual",
    ]
    report = json.loads(_run(*args, "--json").output)
    assert report["counterfactual"] == f"counterfactual: {SETTLED}"
    assert f"COUNTERFACTUAL: {SETTLED}" in " ".join(_run(*args).output.split())
