"""What every command shares: help that shows flags as flags, one option vocabulary, one JSON layout,
tables laid out for the width they are printed at, impossible ranges refused, and no traceback from
any input (an unexpected error is one line; ACCORD_DEBUG=1 shows the traceback)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from accord.cli.app import DEBUG_VAR, AccordGroup, app
from accord.cli.sweep import PARAMETERS_HELP, RANGES_HELP

runner = CliRunner()
CASE = "wga-amptp-2023"
SRC = Path(__file__).resolve().parents[2] / "src" / "accord"


def _commands(group: Any = None, prefix: str = "") -> dict[str, Any]:
    """Every command of the app, by its full name (``db upgrade``, ``status``)."""
    group = group or typer.main.get_command(app)
    found = {}
    for name, command in getattr(group, "commands", {}).items():
        if hasattr(command, "commands"):
            found.update(_commands(command, f"{prefix}{name} "))
        else:
            found[prefix + name] = command
    return found


def test_help_shows_flags_as_flags_and_values_by_name():
    for name in ("status", "timeline", "sweep", "tournament", "validate", "init", "db upgrade"):
        result = runner.invoke(app, [*name.split(), "--help"])
        assert result.exit_code == 0, result.output
        assert "<bool>" not in result.output and "\x1b[" not in result.output, name
    status = runner.invoke(app, ["status", "--help"]).output
    assert re.search(r"^\s+--json\s+Print JSON", status, re.MULTILINE)  # a flag: no value after it
    assert re.search(r"^\s+--as-of DATE\s", status, re.MULTILINE)
    assert re.search(r"Usage: accord status \[OPTIONS\] \W*CASE\W*$", status, re.MULTILINE)


def test_every_json_option_is_a_flag_and_every_flag_takes_no_value():
    for name, command in _commands().items():
        for param in command.params:
            if "--json" in getattr(param, "opts", []):
                assert param.is_flag, name
    result = runner.invoke(app, ["stoppages", CASE, "--json", "true"])
    assert result.exit_code == 2  # "true" is an extra argument, not the flag's value


def test_one_vocabulary_dates_are_from_to_and_as_of_numbers_are_low_and_high():
    dates, numbers = set(), set()
    for name, command in _commands().items():
        for param in command.params:
            opts = set(getattr(param, "opts", []))
            if opts & {"--from", "--to", "--as-of"}:
                assert param.metavar == "DATE", (name, opts)
                dates.add(name)
            if opts & {"--low", "--high"}:
                numbers.add(name)
            assert not opts & {"--start", "--end", "--date"}, (name, opts)
    assert {"status", "timeline", "simulate", "sweep", "analyze"} <= dates and numbers == {"sweep"}
    sweep = runner.invoke(app, ["sweep", "--help"]).output
    assert re.search(r"--low <float>", sweep) and re.search(r"--high <float>", sweep)


def test_the_sweep_help_names_what_the_engine_accepts():
    from accord.sim.runs.sweep import PARAMETERS, ranges_text

    assert f"{', '.join(PARAMETERS[:-1])} or {PARAMETERS[-1]}" == PARAMETERS_HELP
    assert ranges_text() == RANGES_HELP


def test_every_command_prints_json_through_the_one_helper():
    # one layout (indent 2, UTF-8 text as is): no command module writes JSON by itself
    for path in (SRC / "cli").glob("*.py"):
        if path.name != "common.py":
            assert "json.dumps" not in path.read_text(encoding="utf-8"), path.name
    result = runner.invoke(app, ["cases", "--json"])
    assert "WGA–AMPTP" in result.stdout and "\\u2013" not in result.stdout


def _lines(result) -> list[str]:
    assert result.exit_code == 0, result.output
    return [line.rstrip() for line in result.stdout.splitlines()]


@pytest.mark.parametrize("columns", [80, 100, 140])
def test_tables_fit_the_columns_and_keep_dates_and_day_labels_whole(columns):
    env = {"COLUMNS": str(columns)}
    status = _lines(runner.invoke(app, ["status", CASE, "--as-of", "2023-09-08"], env=env))
    timeline = _lines(runner.invoke(app, ["timeline", CASE, "--issue", "staffing"], env=env))
    for line in status + timeline:
        assert len(line) <= columns, line
    text = "\n".join(status + timeline)
    assert "day 130" in text and "2023-05-02" in text and "in force" in text
    dates = {
        e["date"]
        for e in json.loads(runner.invoke(app, ["timeline", CASE, "--issue", "staffing", "--json"]).stdout)[
            "data"
        ]
    }
    assert all(date in text for date in dates)


def test_piped_output_is_100_columns_unless_columns_says_otherwise(monkeypatch):
    monkeypatch.delenv("COLUMNS", raising=False)
    lines = _lines(runner.invoke(app, ["timeline", CASE]))
    assert 95 <= max(len(line) for line in lines) <= 100  # the table's right edge is blank
    narrow = _lines(runner.invoke(app, ["timeline", CASE], env={"COLUMNS": "72"}))
    assert max(len(line) for line in narrow) <= 72


def test_words_wrap_at_word_boundaries():
    result = runner.invoke(app, ["timeline", CASE, "--issue", "staffing", "--json"])
    summaries = [e["summary"] for e in json.loads(result.stdout)["data"]]
    text = "\n".join(
        _lines(runner.invoke(app, ["timeline", CASE, "--issue", "staffing"], env={"COLUMNS": "100"}))
    )
    words = {w for s in summaries for w in s.split() if len(w) <= 12}
    # every short word of every summary appears whole in the table
    missing = [w for w in words if w not in text]
    assert missing == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["timeline", CASE, "--from", "2023-09-01", "--to", "2023-08-01"],
            "--to 2023-08-01 is before --from",
        ),
        (
            ["timeline", CASE, "--from", "2023-09-01", "--as-of", "2023-08-01"],
            "--from 2023-09-01 is after --as-of",
        ),
        (["timeline", CASE, "--from", "Sept 1"], "--from: expected a date as YYYY-MM-DD"),
        (["sweep", "--low", "0.005", "--high", "0.001"], "--high 0.001 is below --low 0.005"),
        (["sweep", CASE, "--from", "2023-02-30"], "--from: expected a date as YYYY-MM-DD"),
    ],
)
def test_impossible_ranges_and_bad_dates_exit_2_with_one_line(args, message, tmp_path):
    result = runner.invoke(app, [*args, "--json"] if args[0] == "timeline" else args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert result.stdout == ""


# --- the boundary -------------------------------------------------------------------------------------

probe = typer.Typer(cls=AccordGroup, rich_markup_mode=None)


@probe.command()
def explode(kind: str) -> None:
    """A command with a bug (or a disk that says no)."""
    if kind == "bug":
        raise RuntimeError("the invariant\nbroke")
    if kind == "disk":
        raise PermissionError(13, "Permission denied", "/root/x.html")
    raise typer.Exit(3)


@probe.command()
def other() -> None:
    """A second command, so that the group dispatches."""


def test_an_unexpected_error_is_one_line_and_exit_1_and_debug_shows_the_traceback(monkeypatch):
    monkeypatch.delenv(DEBUG_VAR, raising=False)
    result = runner.invoke(probe, ["explode", "bug"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("error: unexpected RuntimeError: the invariant broke") and DEBUG_VAR in line
    debug = runner.invoke(probe, ["explode", "bug"], env={DEBUG_VAR: "1"})
    assert isinstance(debug.exception, RuntimeError)  # propagates, traceback and all


def test_an_os_error_is_bad_input_exit_2_naming_the_file_and_an_exit_is_kept():
    result = runner.invoke(probe, ["explode", "disk"])
    assert (result.exit_code, result.stderr) == (2, "error: /root/x.html: Permission denied\n")
    assert runner.invoke(probe, ["explode", "exit"]).exit_code == 3
    assert runner.invoke(probe, ["explode"]).exit_code == 2  # Click's usage errors stay Click's


def test_writing_a_report_where_it_cannot_be_written_is_one_line(tmp_path):
    target = tmp_path / "missing-folder" / "report.html"
    result = runner.invoke(app, ["status", CASE, "--html", str(target)])
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines()[-1].startswith("error: ") and "Traceback" not in result.output
    assert not target.parent.exists()


@pytest.mark.parametrize(
    "args",
    [
        ["status", ""],
        ["status", "."],
        ["status", CASE, "--as-of", ""],
        ["status", CASE, "--side-a", ""],
        ["timeline", CASE, "--party", "\u202e"],
        ["validate", "/dev/null"],
        ["validate", "/"],
        ["analyze", CASE, "--prefs", "/"],
        ["frontier", "/"],
        ["frontier", "/dev/null"],
        ["simulate", CASE, "--from", "1900-01-01", "--rounds", "5"],
        ["sweep", "--steps", "2", "--shape", "0x3"],
        ["tournament", "--domains-dir", "/dev/null"],
        ["init", "/"],
        ["init", "/dev/null/x.yaml"],
    ],
)
def test_odd_input_never_gives_a_traceback(args, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, args)
    assert "Traceback" not in result.output and not isinstance(result.exception, AssertionError)
    assert result.exit_code in (0, 2), result.output
    if result.exit_code == 2:
        assert result.stderr.startswith(("error: ", "Usage: ")) or ": " in result.stderr
