"""`accord validate`, `accord cases` and `accord schema`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from accord.casefile import bundled_case, bundled_case_names, case_json_schema_text
from accord.cli.app import app

ROOT = Path(__file__).resolve().parents[2]
SMALL = ROOT / "tests" / "casefile" / "fixtures" / "small.yaml"

runner = CliRunner()


def _broken(tmp_path: Path) -> Path:
    text = SMALL.read_text(encoding="utf-8")
    text = text.replace("    to: wga\n    answers:", "    to: sag\n    answers:")  # line 92
    text = text.replace("      minimums: 4\n", "      minimums: 40\n")  # line 97
    path = tmp_path / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_validate_a_valid_file_prints_a_one_line_summary():
    result = runner.invoke(app, ["validate", str(SMALL)])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{SMALL}: valid case 'small-2023': 5 parties, 4 issues, 2 proposals, 8 events\n"
    assert result.stderr == ""


def test_validate_an_invalid_file_prints_each_problem_and_exits_2(tmp_path):
    path = _broken(tmp_path)
    before = path.read_bytes()
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"{path}:92:9: proposals[1].to: unknown party 'sag'; expected one of "
        "['amptp', 'disney', 'fmcs', 'netflix', 'wga']",
        f"{path}:97:17: proposals[1].positions.minimums.value: issue 'minimums': 40 is outside [0, 10] %",
    ]
    assert path.read_bytes() == before


def test_validate_json_shape_for_valid_and_invalid_files(tmp_path):
    result = runner.invoke(app, ["validate", str(SMALL), "--json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {
        "file": str(SMALL),
        "valid": True,
        "problems": [],
        "counts": {"parties": 5, "issues": 4, "proposals": 2, "events": 8},
    }
    path = _broken(tmp_path)
    result = runner.invoke(app, ["validate", "--json", str(path)])
    assert result.exit_code == 2
    report = json.loads(result.stdout)
    assert report["file"] == str(path) and report["valid"] is False and report["counts"] is None
    assert report["problems"][1] == {
        "line": 97,
        "column": 17,
        "field": "proposals[1].positions.minimums.value",
        "message": "issue 'minimums': 40 is outside [0, 10] %",
    }


def test_validate_a_missing_file_or_a_syntax_error(tmp_path):
    result = runner.invoke(app, ["validate", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{tmp_path / 'nope.yaml'}: no bundled case or file named")
    path = tmp_path / "bad.json"
    path.write_text('{"id": "x",\n  "title" "t"}\n')
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 2
    assert result.stderr == f"{path}:2:11: JSON syntax error: Expecting ':' delimiter\n"


def test_cases_lists_every_bundled_case():
    result = runner.invoke(app, ["cases", "--json"])
    assert result.exit_code == 0
    listed = json.loads(result.stdout)["cases"]
    assert [row["name"] for row in listed] == bundled_case_names()
    assert {"wga-amptp-2023", "sag-aftra-amptp-2023"} <= set(bundled_case_names())
    for row in listed:
        case = bundled_case(row["name"])
        dates = sorted(record.date.isoformat() for record in case.records())
        assert row["title"] == case.title
        assert row["counts"] == {
            "parties": len(case.parties),
            "issues": len(case.issues),
            "proposals": len(case.proposals),
            "events": len(case.events),
        }
        assert (row["first_date"], row["last_date"]) == ((dates[0], dates[-1]) if dates else (None, None))


def test_cases_plain_text_gives_one_line_per_case():
    result = runner.invoke(app, ["cases"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) == len(bundled_case_names()) >= 2  # the WGA and SAG-AFTRA cases at least
    for line, name in zip(lines, bundled_case_names(), strict=True):
        case = bundled_case(name)
        dates = sorted(record.date.isoformat() for record in case.records())
        assert line.startswith(name)
        assert f"{dates[0]} to {dates[-1]}" in line
        assert f"{len(case.parties)} parties, {len(case.issues)} issues" in line
        assert line.endswith(case.title)


def test_cases_on_a_terminal_is_a_table(monkeypatch):
    monkeypatch.setenv("TTY_COMPATIBLE", "1")  # Rich treats the output as a terminal
    monkeypatch.setenv("COLUMNS", "200")
    result = runner.invoke(app, ["cases"])
    assert result.exit_code == 0
    assert "╭" in result.stdout and "proposals" in result.stdout
    assert all(name in result.stdout for name in bundled_case_names())


def test_schema_prints_the_published_schema():
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    assert result.stdout == case_json_schema_text()
    assert json.loads(result.stdout)["title"] == "Accord case file"


def test_python_dash_m_accord_validates_in_a_real_process(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    ok = subprocess.run(
        [sys.executable, "-m", "accord", "validate", str(SMALL)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert (ok.returncode, ok.stderr) == (0, "")
    assert ok.stdout.startswith(f"{SMALL}: valid case 'small-2023'")
    bad = subprocess.run(
        [sys.executable, "-m", "accord", "validate", str(_broken(tmp_path)), "--json"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert bad.returncode == 2
    assert [p["line"] for p in json.loads(bad.stdout)["problems"]] == [92, 97]
