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


app = typer.Typer(
    name="accord",
    help="Accord: record a negotiation, see where it stands, where it could land, and simulate it.",
    cls=AccordGroup,
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"max_content_width": 100},  # the terminal's width, up to that of piped tables
)


def main() -> None:
    """The console script. (A closed pipe, as in ``accord timeline X | head``, ends quietly with
    exit code 1: Click's own handling.) A command that asked for it
    (:func:`accord.cli.common.skip_teardown`) ends the process without tearing the interpreter
    down, once the output is flushed and logging shut down."""
    try:
        app()
    except SystemExit as stop:
        from accord.cli.common import ends_quickly

        if ends_quickly():
            import logging
            import sys

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
