"""What every command shares: its options' vocabulary, reading CASE and dates, printing JSON or Rich,
and failing with one line and exit code 2.

The vocabulary, the same in every command: ``--as-of DATE`` (the date to look from), ``--from DATE``
and ``--to DATE`` (a span of dates), ``--low X`` and ``--high X`` (a span of numbers), ``--json`` (a
documented, stable JSON shape on stdout). Bad input: :func:`fail` (one line on stderr, exit code 2,
nothing changed). JSON: :func:`print_json` (UTF-8 text as is, two-space indents).

This module is imported by every command module when ``accord`` starts: it imports nothing heavy
at its top (the model, Rich and the rest are imported inside the functions that use them).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

if TYPE_CHECKING:
    from rich.console import Console

    from accord.model import Case

PIPED_WIDTH = 100
"""Columns of text output when it is not a terminal and ``COLUMNS`` does not say."""

CaseArg = Annotated[
    str,
    typer.Argument(metavar="CASE", help="A bundled case name (see `accord cases`) or a case file path."),
]
AsOfOpt = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="DATE",
        help="The date to look from (YYYY-MM-DD); default: the case's last record.",
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON (a documented, stable shape).")]


_QUICK_EXIT: list[bool] = []


def skip_teardown() -> None:
    """Let the console script end the process as soon as this command returns (its files are
    written and closed, its output flushed): freeing a large results table object by object at
    interpreter shutdown only keeps the user waiting (a tenth of a second per 200,000 rows)."""
    _QUICK_EXIT.append(True)


def ends_quickly() -> bool:
    """Whether the command that ran asked for :func:`skip_teardown`."""
    return bool(_QUICK_EXIT)


def fail(message: str) -> NoReturn:
    """Bad input: one line on stderr, exit code 2, nothing changed."""
    typer.echo(f"error: {' '.join(message.split())}", err=True)
    raise typer.Exit(code=2)


def dumps_json(data: Any) -> str:
    """The one JSON layout of every command: two-space indents, UTF-8 text as is, dates as ISO text."""
    return json.dumps(data, indent=2, ensure_ascii=False, default=str)


def print_json(data: Any) -> None:
    sys.stdout.write(dumps_json(data) + "\n")


def console(*, stderr: bool = False, soft_wrap: bool = False) -> Console:
    """Rich on a terminal; plain text (no colour) when piped, ``COLUMNS`` wide if set, else
    :data:`PIPED_WIDTH`. Strings print as they are (a ``[`` in a case's wording is not markup);
    with ``soft_wrap`` a line of text is never broken (a URL, a token, a path), tables still fit."""
    from rich.console import Console

    out = Console(stderr=stderr, soft_wrap=soft_wrap, markup=False, emoji=False)
    if out.is_terminal:
        return out
    columns = os.environ.get("COLUMNS", "").strip()
    width = int(columns) if columns.isdigit() and int(columns) > 0 else PIPED_WIDTH
    return Console(
        stderr=stderr,
        soft_wrap=soft_wrap,
        no_color=True,
        highlight=False,
        width=width,
        emoji=False,
        markup=False,
    )


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


def date_span(start: str | None, end: str | None) -> tuple[dt.date | None, dt.date | None]:
    """``--from`` and ``--to`` as dates; a span that ends before it starts is bad input."""
    first = parse_date(start, "--from") if start else None
    last = parse_date(end, "--to") if end else None
    if first is not None and last is not None and last < first:
        fail(f"--to {last.isoformat()} is before --from {first.isoformat()}: the span holds no dates")
    return first, last


def as_of_or_last(case: Case, as_of: str | None) -> dt.date:
    return parse_date(as_of) if as_of else case.default_as_of()


def emit(as_json: bool, data: Callable[[], Any], render: Callable[[Console], None]) -> None:
    """Print the JSON shape or the human rendering."""
    if as_json:
        print_json(data())
    else:
        render(console())
