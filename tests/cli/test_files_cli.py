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


# --- validate: every problem in one pass ------------------------------------------------------------


def test_validate_lists_structure_and_reference_problems_together_in_file_order(tmp_path):
    text = SMALL.read_text(encoding="utf-8")
    text = text.replace("    to: wga\n    answers:", "    to: sag\n    answers:")  # a reference, line 92
    text = text.replace("      minimums: 4\n", "      minimums: 40\n")  # a value out of range, line 97
    text = text.replace("    kind: employer\n", "    kind: boss\n", 1)  # structure: netflix's kind, line 28
    path = tmp_path / "both.yaml"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert [int(line.split(":")[1]) for line in lines] == [28, 92, 97]
    assert "parties[2].kind: expected one of" in lines[0]
    # the parties that are well formed: netflix's entry is not, until its kind is fixed
    assert lines[1].endswith(
        "proposals[1].to: unknown party 'sag'; expected one of ['amptp', 'disney', 'fmcs', 'wga']"
    )


def test_validate_does_not_blame_references_to_an_item_that_is_only_ill_formed(tmp_path):
    text = SMALL.read_text(encoding="utf-8").replace("    kind: employer\n", "    kind: boss\n", 1)
    path = tmp_path / "netflix.yaml"
    path.write_text(text, encoding="utf-8")  # netflix is a member of amptp and named in a vote share
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 2 and len(result.stderr.splitlines()) == 1


def test_validate_shows_the_first_50_problems_and_counts_the_rest(tmp_path):
    proposals = "".join(f"  - {{id: p{i}, date: 2023-05-01, from: w, to: nobody{i}}}\n" for i in range(60))
    path = tmp_path / "many.yaml"
    path.write_text(
        f"id: c\ntitle: T\nparties:\n  - {{id: w, name: W, kind: union}}\nproposals:\n{proposals}"
    )
    result = runner.invoke(app, ["validate", str(path)])
    lines = result.stderr.splitlines()
    assert result.exit_code == 2 and len(lines) == 51
    assert "nobody0'" in lines[0] and "nobody49'" in lines[49]
    assert lines[50] == f"{path}: ... and 10 more problems (--json lists all)"
    report = json.loads(runner.invoke(app, ["validate", str(path), "--json"]).stdout)
    assert len(report["problems"]) == 60


# --- init: a starter case ----------------------------------------------------------------------------


def test_init_writes_a_commented_starter_case_that_validates_and_runs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["init", "my-case.yaml"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("my-case.yaml: wrote a starter case 'my-case': 2 parties, 3 issues")
    text = (tmp_path / "my-case.yaml").read_text(encoding="utf-8")
    assert text.count("\n#") >= 5 and "docs/reference/case-files.md" in text  # commented
    assert runner.invoke(app, ["validate", "my-case.yaml"]).stdout.startswith(
        "my-case.yaml: valid case 'my-case'"
    )
    for command in (
        ["status", "my-case.yaml"],
        ["timeline", "my-case.yaml", "--json"],
        ["gaps", "my-case.yaml"],
    ):
        assert runner.invoke(app, command).exit_code == 0, command


def test_init_refuses_to_overwrite_or_to_write_json_and_changes_nothing(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text("my own notes\n", encoding="utf-8")
    result = runner.invoke(app, ["init", str(path)])
    assert result.exit_code == 2 and "the file exists; choose another name, or pass --force" in result.stderr
    assert path.read_text(encoding="utf-8") == "my own notes\n"
    assert runner.invoke(app, ["init", str(path), "--force"]).exit_code == 0
    assert "id: mine\n" in path.read_text(encoding="utf-8")
    result = runner.invoke(app, ["init", str(tmp_path / "case.json")])
    assert result.exit_code == 2 and "expected .yaml or .yml" in result.stderr
    assert not (tmp_path / "case.json").exists()
