"""What every command shares: reading CASE and --as-of, printing JSON or Rich, failing with exit code 2."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console

from accord.model import Case

CaseArg = Annotated[str, typer.Argument(help="A bundled case name (see `accord cases`) or a case file path.")]
AsOfOpt = Annotated[
    str | None,
    typer.Option("--as-of", help="The date to look from (YYYY-MM-DD); default: the case's last record."),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON (a documented, stable shape).")]


def console() -> Console:
    """Rich on a terminal; plain text (no colour, no box art) when piped."""
    out = Console(soft_wrap=False)
    if not out.is_terminal:
        return Console(no_color=True, highlight=False, width=max(out.width, 120), emoji=False)
    return out


def fail(message: str) -> NoReturn:
    """Bad input: one line on stderr, exit code 2, nothing changed."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code=2)


@contextmanager
def bad_input_exits() -> Iterator[None]:
    """Turn the library's input errors into the one-line, exit-code-2 failure."""
    from accord.casefile.errors import CaseFileError

    try:
        yield
    except CaseFileError as error:
        fail(error.first_line)
    except (KeyError, ValueError) as error:
        fail(str(error.args[0]) if error.args else str(error))


def load_case(name_or_path: str) -> Case:
    from accord.casefile import resolve_case

    with bad_input_exits():
        return resolve_case(name_or_path)


def parse_date(text: str, option: str = "--as-of") -> dt.date:
    """``text`` as a date from 1900-01-01 to 2100-12-31 (:func:`accord.model.limits.parse_day`)."""
    from accord.model.limits import parse_day

    try:
        return parse_day(text)
    except ValueError as error:
        fail(f"{option}: {error}")


def last_date(case: Case) -> dt.date:
    """The date of the case's last record: the default "as of" (no clock is read)."""
    dates = [record.date for record in case.records()]
    return max(dates) if dates else dt.date.min


def as_of_or_last(case: Case, as_of: str | None) -> dt.date:
    return parse_date(as_of) if as_of else last_date(case)


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


def emit(as_json: bool, data: Callable[[], Any], render: Callable[[Console], None]) -> None:
    """Print the JSON shape or the human rendering."""
    if as_json:
        print_json(data())
    else:
        render(console())
