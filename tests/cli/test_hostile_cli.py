"""Issue 12 on the command line: what the server refuses, `accord validate` refuses; no command
ends in a traceback on hostile text, numbers or dates (rows 3, 7 and 12)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.cli.app import app

runner = CliRunner()

CASE = {
    "id": "c",
    "title": "T",
    "parties": [{"id": "w", "name": "W", "kind": "union"}, {"id": "a", "name": "A", "kind": "employer"}],
    "proposals": [{"id": "p1", "date": "2023-05-01", "from": "w", "to": "a", "summary": "S"}],
}


def _one_line_exit_2(result, *expected: str) -> str:
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for text in expected:
        assert text in lines[0], lines[0]
    lines[0].encode("utf-8")  # printable: no unpaired surrogate reaches the terminal
    return lines[0]


@pytest.mark.parametrize(
    ("bad", "code"), [("\\ud800", "U+D800"), ("\\u0000", "U+0000"), ("\\u001b", "U+001B")]
)
def test_validate_refuses_what_the_server_refuses_and_status_does_not_crash(tmp_path: Path, bad, code):
    """Issue 12, row 3: `accord validate x.json` said valid and `accord status x.json` crashed."""
    text = json.dumps(CASE, indent=2).replace('"summary": "S"', f'"summary": "S{bad}"')
    path = tmp_path / "x.json"
    path.write_text(text, encoding="utf-8")
    line = text.splitlines().index(next(x for x in text.splitlines() if '"summary"' in x)) + 1
    for command in (["validate", str(path)], ["status", str(path)], ["timeline", str(path)]):
        _one_line_exit_2(
            runner.invoke(app, command), f"{path}:{line}:", "proposals[0].summary", f"contains {code}"
        )


def test_a_record_dated_outside_the_range_is_refused_with_its_place(tmp_path: Path):
    path = tmp_path / "x.yaml"
    path.write_text(
        "id: c\ntitle: T\nparties: [{id: w, name: W, kind: union}, {id: a, name: A, kind: employer}]\n"
        "proposals:\n  - {id: p1, date: 0001-01-01, from: w, to: a}\n",
        encoding="utf-8",
    )
    for command in (["validate", str(path)], ["status", str(path)]):
        _one_line_exit_2(
            runner.invoke(app, command), f"{path}:5:", "proposals[0].date", "1900-01-01 to 2100-12-31"
        )


@pytest.mark.parametrize("as_of", ["9999-12-31", "0001-01-01", "2023-02-30", "x\x1b"])
def test_as_of_outside_the_range_is_one_line_exit_2(as_of):
    for command in ("status", "timeline", "gaps", "stoppages"):
        _one_line_exit_2(
            runner.invoke(app, [command, "wga-amptp-2023", "--as-of", as_of]), "--as-of: expected a date"
        )


def test_a_url_that_is_not_http_is_refused_in_a_case_file(tmp_path: Path):
    path = tmp_path / "x.yaml"
    path.write_text(
        "id: c\ntitle: T\nparties: [{id: w, name: W, kind: union}]\nsources:\n"
        '  - {id: s, url: "javascript:alert(1)"}\n',
        encoding="utf-8",
    )
    _one_line_exit_2(runner.invoke(app, ["validate", str(path)]), f"{path}:5:", "sources[0].url", "http")


def test_a_token_that_would_expire_beyond_any_date_is_one_line_exit_2(tmp_path: Path):
    """Issue 12, row 12: `accord token create u --expires-days 3000000` ended in a traceback."""
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    assert runner.invoke(app, ["db", "upgrade", "--database-url", url]).exit_code == 0
    added = runner.invoke(
        app, ["user", "add", "u", "--password-stdin", "--database-url", url], input="correct horse battery\n"
    )
    assert added.exit_code == 0, added.output
    result = runner.invoke(app, ["token", "create", "u", "--expires-days", "3000000", "--database-url", url])
    _one_line_exit_2(result, "--expires-days: expected 1 to 3650 days, got 3000000")
    made = runner.invoke(
        app, ["token", "create", "u", "--expires-days", "3650", "--json", "--database-url", url]
    )
    assert made.exit_code == 0, made.output
    assert json.loads(made.output)["expires_at"] is not None
