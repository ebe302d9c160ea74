"""docs/tutorial.md stays honest: every command it shows runs, and the figures it quotes are what the
commands print."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from typer.testing import CliRunner

from accord.cli.app import app

TUTORIAL = Path(__file__).resolve().parents[2] / "docs" / "tutorial.md"
runner = CliRunner()


def run(command: str) -> str:
    args = shlex.split(command)
    assert args[0] == "accord"
    result = runner.invoke(app, args[1:])
    assert result.exit_code == 0, f"{command}\n{result.output}"
    return result.stdout


def tutorial_commands() -> list[str]:
    """Commands in code blocks (lines starting with ``accord``) and in inline code spans."""
    text = TUTORIAL.read_text(encoding="utf-8")
    blocks = [line.strip() for line in text.splitlines() if re.match(r"^\s*accord \w", line)]
    inline = re.findall(r"`(accord [\w-]+ [^`]+)`", text)
    return list(dict.fromkeys(blocks + inline))


def test_every_command_in_the_tutorial_runs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    commands = tutorial_commands()
    assert len(commands) >= 8
    for command in commands:
        run(command)


def test_the_figures_quoted_for_each_date():
    may = run("accord status wga-amptp-2023 --as-of 2023-05-02")
    assert "day 1 " in may
    august = run("accord status wga-amptp-2023 --as-of 2023-08-22")
    assert "day 113" in august and "day 40" in august
    september = run("accord status wga-amptp-2023 --as-of 2023-09-08")
    assert "day 130" in september and "129" in september and "56" in september
    assert "DISPUTED" in september
    after = run("accord stoppages wga-amptp-2023 --as-of 2023-12-31")
    assert "148 days" in after and "118 days" in after
