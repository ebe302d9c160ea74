"""The "where does it stand" commands, run as a user would (CliRunner and a real subprocess)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.cli.app import app

runner = CliRunner()
CASE = "wga-amptp-2023"


def run_json(*args: str) -> object:
    """The view's data, after checking its envelope (the case, the view, the date, the version)."""
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    assert list(found) == ["case", "view", "as_of", "schema_version", "data"]
    assert (found["case"], found["view"], found["schema_version"]) == (CASE, args[0], 2)
    if "--as-of" in args:
        assert found["as_of"] == args[args.index("--as-of") + 1]
    return found["data"]


def test_status_json_has_every_section_and_the_strike_counters():
    data = run_json("status", CASE, "--as-of", "2023-09-08")
    assert data["as_of"] == "2023-09-08"
    assert data["sides"] == ["wga", "amptp"]
    counters = {s["stoppage"]: s for s in data["stoppages"]}
    assert counters["wga-strike-2023"]["day_number"] == 130
    assert counters["wga-strike-2023"]["days_completed"] == 129
    assert counters["sag-aftra-strike-2023"]["days_completed"] == 56
    assert {"gaps", "movement", "who_moved", "pending", "ta_board", "recent"} <= set(data)
    assert data["pending"]["disputed"] is True


def test_status_text_is_plain_when_piped_and_names_the_sections():
    result = runner.invoke(app, ["status", CASE, "--as-of", "2023-08-11"])
    assert result.exit_code == 0, result.output
    assert "\x1b[" not in result.stdout
    for heading in (
        "Stoppages",
        "Gap per issue",
        "Movement since opening",
        "Whose turn",
        "Tentative-agreement board",
    ):
        assert heading in result.stdout
    assert "day 102" in result.stdout


def test_status_after_the_tentative_agreement_shows_every_issue_agreed():
    data = run_json("ta-board", CASE, "--as-of", "2023-09-25")
    assert data and all(line["status"] == "ta" for line in data)
    gaps = run_json("gaps", CASE, "--as-of", "2023-09-25")
    assert all(g["label"] == "agreed" for g in gaps)


def test_stoppages_total_length_once_ended():
    data = run_json("stoppages", CASE, "--as-of", "2023-12-31")
    totals = {s["stoppage"]: s["total_days"] for s in data}
    assert totals == {"wga-strike-2023": 148, "sag-aftra-strike-2023": 118}


def test_timeline_filters_by_party_issue_and_dates():
    entries = run_json("timeline", CASE, "--issue", "staffing", "--from", "2023-08-01", "--to", "2023-08-31")
    assert entries, "August had staffing proposals"
    assert all("2023-08-01" <= e["date"] <= "2023-08-31" for e in entries)
    assert all("staffing" in e["issues"] for e in entries)
    dates = [e["date"] for e in entries]
    assert dates == sorted(dates)
    sag = run_json("timeline", CASE, "--party", "sag-aftra")
    assert sag and all("sag-aftra" in e["parties"] for e in sag)


def test_movement_and_positions_and_pending_have_their_documented_shape():
    moves = run_json("movement", CASE, "--as-of", "2023-09-08")
    assert set(moves) == {"movement", "who_moved"}
    assert {m["party"] for m in moves["who_moved"]} == {"wga", "amptp"}
    positions = run_json("positions", CASE, "amptp", "--as-of", "2023-08-12")
    assert positions["min_pay"]["proposal_id"] == "amptp-2023-08-11"
    pending = run_json("pending", CASE, "--as-of", "2023-08-31")
    assert {c["party"] for c in pending["claims"]} == {"wga", "amptp"}


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["status", "no-such-case"], "no-such-case"),
        (["status", CASE, "--as-of", "2023-13-01"], "--as-of: expected a date as YYYY-MM-DD"),
        (["gaps", CASE, "--side-a", "nobody"], "--side-a: unknown party 'nobody'"),
        (["timeline", CASE, "--issue", "pay"], "--issue: unknown issue 'pay'"),
        (["positions", CASE, "ghost"], "unknown party 'ghost'"),
    ],
)
def test_bad_input_exits_2_with_one_line(args, expected):
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0]


def test_demo_prints_the_report_and_writes_the_same_as_html(tmp_path: Path):
    target = tmp_path / "report.html"
    result = runner.invoke(app, ["report", "--html", str(target)])
    assert result.exit_code == 0, result.output
    assert "day 130" in result.stdout
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<title>" in page
    assert "day 130" in page and "Gap per issue" in page


def test_the_installed_command_runs_in_a_real_process():
    result = subprocess.run(
        [sys.executable, "-m", "accord", "stoppages", CASE, "--as-of", "2023-08-22"],
        capture_output=True,
        text=True,
        check=False,
        env=dict(os.environ),  # Python's view of it: readline, once imported, exports COLUMNS=80
    )
    assert result.returncode == 0, result.stderr
    assert "day 113" in result.stdout


def _text(*args: str) -> str:
    result = runner.invoke(app, list(args), env={"COLUMNS": "240"})
    assert result.exit_code == 0, result.output
    return " ".join(result.stdout.split())


def test_stoppages_prints_the_note_on_129_vs_130_days_from_the_day_it_was_said():
    said = _text("stoppages", CASE, "--as-of", "2023-09-08")
    assert (
        "Note on wga-strike-2023, sag-aftra-strike-2023 (statement-wga-2023-09-08-paralysis, 2023-09-08)"
        in said
    )
    assert (
        'the WGA\'s "130 days" counts May 2 through Sept 8 inclusive (day 130); TheWrap (S16) said "129 days"'
        in said
    )
    assert "Note on" not in _text("stoppages", CASE, "--as-of", "2023-09-07")


def test_an_ended_stoppage_shows_its_end_date_and_one_not_started_is_not_listed():
    ended = _text("stoppages", CASE, "--as-of", "2023-12-31")
    assert "wga-strike-2023 WGA vs AMPTP ended 2023-05-02 2023-09-27 00:01 148 148 days" in ended
    early = run_json("stoppages", CASE, "--as-of", "2023-05-15")
    assert [s["stoppage"] for s in early] == ["wga-strike-2023"]  # SAG-AFTRA's strike began on July 14


def test_pending_lists_the_open_ai_request_per_issue_with_who_says_what():
    data = run_json("pending", CASE, "--as-of", "2023-09-08")
    (request,) = [r for r in data["open_requests"] if r["request_id"] == "request-amptp-2023-09-08-ai"]
    assert (request["from_party"], request["to_party"], request["issues"]) == ("amptp", "wga", ["ai"])
    assert [s["statement_id"] for s in request["said"]] == ["statement-amptp-2023-09-08-respond"]
    text = _text("pending", CASE, "--as-of", "2023-09-08")
    assert "Open requests, per issue" in text and "remaining holes in the AI offer" in text
    assert "Artificial intelligence request-amptp-2023-09-08-ai" in text
    before = run_json("pending", CASE, "--as-of", "2023-09-07")
    assert "request-amptp-2023-09-08-ai" not in [r["request_id"] for r in before["open_requests"]]
    agreed = run_json("pending", CASE, "--as-of", "2023-09-24")  # the agreement closes it
    assert "request-amptp-2023-09-08-ai" not in [r["request_id"] for r in agreed["open_requests"]]


def test_views_before_sept_8_do_not_quote_what_was_said_on_sept_8():
    for command in ("positions", "gaps", "status"):
        args = [command, CASE, "amptp"] if command == "positions" else [command, CASE]
        for as_of in ("2023-08-17", "2023-09-01"):
            for output in (_text(*args, "--as-of", as_of), json.dumps(run_json(*args, "--as-of", as_of))):
                assert "AI among them, we are close" not in output
    assert "AI among them, we are close" in _text("timeline", CASE, "--as-of", "2023-09-08")


def test_a_correction_shows_from_its_own_date_only():
    before = {e["record_id"]: e for e in run_json("timeline", CASE, "--as-of", "2023-05-15")}
    assert before["statement-wga-east-2023-05-15-tweet"]["superseded_by"] is None
    assert "statement-wga-2023-05-16-clarification" not in before
    after = {e["record_id"]: e for e in run_json("timeline", CASE, "--as-of", "2023-05-16")}
    assert (
        after["statement-wga-east-2023-05-15-tweet"]["superseded_by"]
        == "statement-wga-2023-05-16-clarification"
    )
