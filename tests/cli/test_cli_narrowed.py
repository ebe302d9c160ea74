"""The console script runs a command through an app holding that command alone
(:func:`accord.cli.app.for_arguments`): the same help, errors and exit codes as the whole app."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.cli.app import _command_name, app, for_arguments

NAMES = [_command_name(c) for c in app.registered_commands] + [str(g.name) for g in app.registered_groups]


def _run(target, args):
    result = CliRunner().invoke(target, args, env={"COLUMNS": "100"})
    return result.exit_code, result.stdout, result.stderr


def test_every_command_and_group_is_named_once():
    assert len(NAMES) == len(set(NAMES)) > 30
    assert {"tournament", "status", "prefs", "db", "ta-board", "cli-reference"} <= set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_a_command_alone_answers_as_the_whole_app(name):
    one = for_arguments([name])
    assert one is not app
    assert [_command_name(c) for c in one.registered_commands] + [g.name for g in one.registered_groups] == [
        name
    ]
    for args in ([name, "--help"], [name, "--no-such-option"]):
        assert _run(one, args) == _run(app, args), args


@pytest.mark.parametrize("args", [[], ["--help"], ["tournamnt"], ["--no-such-option"], ["prefs-fit"]])
def test_anything_else_gets_the_whole_app(args):
    assert for_arguments(args) is app


WHOLE = "import sys; from accord.cli.app import app; app(sys.argv[1:], prog_name='accord')"


def _process(command, args):
    done = subprocess.run(
        [*command, *args], capture_output=True, text=True, check=False, env={**os.environ, "COLUMNS": "100"}
    )
    return done.returncode, done.stdout, done.stderr


def test_the_console_script_runs_the_command_alone():
    """The ``accord`` console script (its ``main``) answers as the whole app does, in a
    terminal 100 columns wide, and a misspelt command still gets the whole app's suggestion."""
    script = [str(Path(sys.executable).parent / "accord")]
    seen = {}
    for args, code in ((["tournament", "--help"], 0), (["tournamnt"], 2), (["prefs", "fit", "--help"], 0)):
        answer = _process(script, args)
        assert answer[0] == code, answer
        assert answer == _process([sys.executable, "-c", WHOLE], args)
        seen[args[0]] = answer
    assert "Usage: accord tournament [OPTIONS]" in seen["tournament"][1]
    assert "Did you mean 'tournament'?" in seen["tournamnt"][2]
