"""The README stays true: every command of its first session runs, in order, in an empty folder (as
on a fresh clone), and every file it links to is in the repository."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from typer.testing import CliRunner

from accord.cli.app import app

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
runner = CliRunner()


def first_session() -> list[str]:
    section = README.split("## A first session", 1)[1].split("\n## ", 1)[0]
    return [line.split("#", 1)[0].strip() for line in section.splitlines() if line.startswith("    accord ")]


def test_every_command_of_the_first_session_runs_in_an_empty_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    commands = first_session()
    assert len(commands) >= 9 and commands[-2:] == [
        "accord init my-case.yaml",
        "accord validate my-case.yaml",
    ]
    for command in commands:
        result = runner.invoke(app, shlex.split(command)[1:])
        assert result.exit_code == 0, f"{command}\n{result.output}"
    assert [p.name for p in tmp_path.iterdir()] == ["my-case.yaml"]


def test_every_file_the_readme_links_to_is_in_the_repository():
    links = re.findall(r"\]\(([^)#]+)\)", README)
    assert "docs/architecture.md" in links
    for link in links:
        assert (ROOT / link).is_file(), link
