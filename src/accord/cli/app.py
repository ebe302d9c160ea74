"""The ``accord`` command: one Typer app; each command group lives in its own module.

Importing this module must stay cheap (``accord --help`` runs it): the command modules import
only Typer and :mod:`accord.cli.common` at their top, and whatever a command needs (the model, the
ledger, NumPy, Rich, the server) inside the command. ``tests/cli/test_cli_imports.py`` checks it;
``bench/bench_cli.py`` measures it.

Help is Click's plain layout (``rich_markup_mode=None``): flags read as flags, and no Rich import
just to print ``--help``.
"""

from __future__ import annotations

import importlib
import os
from typing import Any

import typer
from typer.core import TyperGroup

DEBUG_VAR = "ACCORD_DEBUG"
"""Set (to anything but empty or ``0``) to see the traceback of an unexpected error."""


def _debugging() -> bool:
    return os.environ.get(DEBUG_VAR, "") not in ("", "0")


class AccordGroup(TyperGroup):
    """The top-level group, and the CLI's one boundary: whatever a command raises that is not a
    CLI exit becomes one line on stderr and a non-zero exit code, never a traceback.

    - An ``OSError`` (a file that cannot be read or written, a port in use): exit code 2, naming
      the file or address and the system's reason; nothing else is done.
    - Anything else is a bug: exit code 1, one line naming the error, and how to see the
      traceback (``ACCORD_DEBUG=1``), which then propagates unchanged.
    """

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, KeyboardInterrupt, BrokenPipeError):
            raise
        except Exception as error:
            if hasattr(error, "exit_code") or _debugging():  # Click's own usage errors, or debugging
                raise
            typer.echo(f"error: {_one_line(error)}", err=True)
            raise typer.Exit(code=2 if isinstance(error, OSError) else 1) from None


def _one_line(error: Exception) -> str:
    if isinstance(error, OSError):
        where = " ".join(str(f) for f in (error.filename, error.filename2) if f is not None)
        reason = error.strerror or str(error) or type(error).__name__
        return f"{where}: {reason}" if where else reason
    text = " ".join(str(error).split()) or "(no message)"
    return (
        f"unexpected {type(error).__name__}: {text} (a bug in Accord; run again with {DEBUG_VAR}=1 "
        "to see the traceback, and report it)"
    )


SETTINGS: dict[str, Any] = {
    "name": "accord",
    "help": "Accord: record a negotiation, see where it stands, where it could land, and simulate it.",
    "cls": AccordGroup,
    "no_args_is_help": True,
    "add_completion": False,
    "rich_markup_mode": None,
    "pretty_exceptions_enable": False,
    "context_settings": {"max_content_width": 100},  # the terminal's width, up to that of piped tables
}
app = typer.Typer(**SETTINGS)


def _command_name(command: Any) -> str:
    from typer.main import get_command_name

    return str(command.name or get_command_name(command.callback.__name__))


def for_arguments(arguments: list[str]) -> typer.Typer:
    """The app as a run with ``arguments`` needs it: where they start with the name of one
    command (or group), an app holding that one alone; else the whole app.

    Typer reads every registered command's options before it runs one, and some of them need
    pydantic: with 37 commands that is a sixth of a second each run (`accord tournament` spends
    less in its engine). The app of one command behaves as the whole app does for it: the same
    group class and settings, the same help, errors and exit codes
    (``tests/cli/test_cli_narrowed.py`` compares them); any other arguments (``--help``, a
    misspelt command) get the whole app.
    """
    if not arguments:
        return app
    commands = [c for c in app.registered_commands if _command_name(c) == arguments[0]]
    groups = [g for g in app.registered_groups if g.name == arguments[0]]
    if len(commands) + len(groups) != 1:
        return app
    one = typer.Typer(**SETTINGS, callback=_no_options)  # a callback keeps it a group of commands
    one.registered_commands = commands
    one.registered_groups = groups
    return one


def _no_options() -> None:
    """The whole app's callback: it has none (no options before the command)."""


def main() -> None:
    """The console script. (A closed pipe, as in ``accord timeline X | head``, ends quietly with
    exit code 1: Click's own handling.) A command that asked for it
    (:func:`accord.cli.common.skip_teardown`) ends the process without tearing the interpreter
    down, once the output is flushed and logging shut down."""
    import sys

    try:
        for_arguments(sys.argv[1:])()
    except SystemExit as stop:
        from accord.cli.common import ends_quickly

        if ends_quickly():
            import logging

            code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
            for stream in (sys.stdout, sys.stderr):
                try:
                    stream.flush()
                except OSError:
                    code = code or 1
            logging.shutdown()
            os._exit(code)
        raise


# The command modules, in the order `accord --help` lists their commands: where a negotiation stands,
# where it could land, what it costs, simulations, case files and domains, reading the news, the
# demo, the team server.
COMMAND_MODULES = (
    "views",
    "analyze",
    "prefs",
    "costing",
    "casesim",
    "simulate",
    "sweep",
    "files",
    "domains",
    "ingest",
    "demo",
    "server",
    "reference",
)
for _module in COMMAND_MODULES:
    importlib.import_module(f"accord.cli.{_module}")
