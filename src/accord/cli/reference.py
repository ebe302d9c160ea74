"""The CLI reference (docs/reference/cli.md), generated from the commands themselves so it cannot
drift: a test compares the checked-in page with this output."""

from __future__ import annotations

from typing import Any

import typer

from accord.cli.app import app


def _option_line(param: Any) -> str:
    if param.param_type_name == "argument":
        help_text = " ".join((getattr(param, "help", None) or "").split())
        return f"- `{param.metavar or str(param.name).upper()}` (argument): {help_text}".rstrip(": ")
    value = f" {param.metavar}" if param.metavar and not param.is_flag else ""
    names = ", ".join(f"`{name}{value}`" for name in [*param.opts, *param.secondary_opts])
    help_text = " ".join((param.help or "").split())
    default = ""
    if not param.is_flag and param.default not in (None, (), []) and not callable(param.default):
        default = f" (default: `{param.default}`)"
    return f"- {names}: {help_text}{default}".rstrip(": ")


def _command_section(name: str, command: Any, depth: int) -> list[str]:
    lines = [f"{'#' * depth} `accord {name}`", ""]
    if command.help:
        lines += [" ".join(command.help.split()), ""]
    if hasattr(command, "commands"):
        for sub_name in sorted(command.commands):
            lines += _command_section(f"{name} {sub_name}", command.commands[sub_name], depth + 1)
        return lines
    params = [p for p in command.params if p.name != "help"]
    lines += [_option_line(p) for p in params] + [""]
    return lines


def cli_reference_markdown() -> str:
    """Markdown for every command, in the order ``accord --help`` lists them.

    Typer vendors its own click, so commands are read by their attributes, not their classes.
    """
    group = typer.main.get_command(app)
    lines = [
        "# CLI reference",
        "",
        "Generated from the commands (`accord cli-reference > docs/reference/cli.md`); a test checks",
        "that this page matches them. One vocabulary: `--as-of DATE` (the date to look from), `--from DATE`",
        "and `--to DATE` (a span of dates), `--low` and `--high` (a span of numbers), `--json` (a flag: a",
        "documented, stable JSON shape). Bad input exits with code 2 and a one-line message; an unexpected",
        "error with code 1 and a one-line message (`ACCORD_DEBUG=1` shows its traceback).",
        "",
    ]
    commands: dict[str, Any] = getattr(group, "commands", {})
    for name, command in commands.items():
        if not command.hidden:
            lines += _command_section(name, command, 2)
    return "\n".join(lines).rstrip() + "\n"


@app.command("cli-reference", hidden=True)
def cli_reference() -> None:
    """Print the CLI reference page (Markdown)."""
    typer.echo(cli_reference_markdown(), nl=False)
