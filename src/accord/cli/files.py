"""Commands about case files: ``accord validate``, ``accord init``, ``accord cases``, ``accord schema``.

JSON shapes (``--json``), stable:

- ``validate``: ``{"file": str, "valid": bool, "problems": [{"line": int|null, "column":
  int|null, "field": str|null, "message": str}], "counts": {"parties", "issues", "proposals",
  "events": int} | null}``; exit code 2 when the file is not valid.
- ``cases``: ``{"cases": [{"name", "id", "title": str, "counts": {...as above},
  "first_date", "last_date": "YYYY-MM-DD" | null}]}``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from accord.cli.app import app
from accord.cli.common import JsonOpt, console, fail, print_json

if TYPE_CHECKING:
    from rich.table import Table

    from accord.model import Case

MAX_PROBLEMS_SHOWN = 50
"""``accord validate`` prints at most this many problems, then how many more there are (``--json``
lists them all)."""


def counts(case: Case) -> dict[str, int]:
    """How many parties, issues, proposals and events a case holds."""
    return {
        "parties": len(case.parties),
        "issues": len(case.issues),
        "proposals": len(case.proposals),
        "events": len(case.events),
    }


def _date_range(case: Case) -> tuple[str | None, str | None]:
    dates = sorted(record.date for record in case.records())
    return (dates[0].isoformat(), dates[-1].isoformat()) if dates else (None, None)


_SINGULAR = {"parties": "party", "issues": "issue", "proposals": "proposal", "events": "event"}


def _counts_text(numbers: dict[str, int]) -> str:
    return ", ".join(f"{n} {name if n != 1 else _SINGULAR[name]}" for name, n in numbers.items())


@dataclass(frozen=True)
class CaseSummary:
    """One line of ``accord cases``."""

    name: str
    case: Case

    def as_json(self) -> dict[str, Any]:
        first, last = _date_range(self.case)
        return {
            "name": self.name,
            "id": self.case.id,
            "title": self.case.title,
            "counts": counts(self.case),
            "first_date": first,
            "last_date": last,
        }


@app.command()
def validate(
    file: Annotated[
        str,
        typer.Argument(metavar="FILE", help="A case file (.yaml, .yml or .json) or a bundled case name."),
    ],
    prefs: Annotated[
        str | None,
        typer.Option("--prefs", metavar="PREFS", help="Also check this preference file against the case."),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Check a case file (and with --prefs a preference file against it). Valid: a one-line summary.
    Not valid: every problem, structure and references together, in file order, on stderr as
    FILE:LINE:COLUMN: FIELD: MESSAGE (the first 50, then how many more), and exit code 2."""
    from accord.casefile import CaseFileError, resolve_case

    try:
        case = resolve_case(file)
    except CaseFileError as error:
        _invalid(error, as_json, {"counts": None})
    numbers = counts(case)
    checked: dict[str, Any] = {}
    if prefs is not None:
        from accord.casefile.prefsfile import read_preferences

        try:
            checked = {"prefs": {"file": prefs, "models": list(read_preferences(prefs, case).parties)}}
        except CaseFileError as error:
            _invalid(error, as_json, {"case": file, "counts": numbers})
    if as_json:
        print_json({"file": file, "valid": True, "problems": [], "counts": numbers, **checked})
        return
    typer.echo(f"{file}: valid case {case.id!r}: {_counts_text(numbers)}")
    if checked:
        typer.echo(
            f"{prefs}: valid preferences for {case.id!r}: models of {', '.join(checked['prefs']['models'])}"
        )


def _invalid(error: Any, as_json: bool, extra: dict[str, Any]) -> NoReturn:
    """Every problem of ``error`` (a ``CaseFileError``), as JSON or on stderr; exit code 2."""
    if as_json:
        problems = [
            {"line": p.line, "column": p.column, "field": p.field, "message": p.message}
            for p in error.problems
        ]
        print_json({"file": error.file, "valid": False, "problems": problems, **extra})
    else:
        lines = [problem.render(error.file) for problem in error.problems[:MAX_PROBLEMS_SHOWN]]
        more = len(error.problems) - MAX_PROBLEMS_SHOWN
        if more > 0:
            lines.append(
                f"{error.file}: ... and {more} more problem{'s' if more > 1 else ''} (--json lists all)"
            )
        typer.echo("\n".join(lines), err=True)
    raise typer.Exit(code=2)


@app.command()
def init(
    file: Annotated[str, typer.Argument(metavar="FILE", help="The new case file (.yaml or .yml).")],
    force: Annotated[bool, typer.Option("--force", help="Replace the file if it exists.")] = False,
) -> None:
    """Write a starter case: a small, commented, valid case file to edit into your own (its id from
    the file name). Then: `accord validate FILE`, `accord status FILE`."""
    from accord.casefile import CaseFileError
    from accord.casefile.starter import write_starter_case

    try:
        case = write_starter_case(file, overwrite=force)
    except CaseFileError as error:
        fail(error.first_line)
    typer.echo(
        f"{file}: wrote a starter case {case.id!r}: {_counts_text(counts(case))}. "
        f"Edit it, then run `accord validate {file}`."
    )


@app.command()
def cases(as_json: JsonOpt = False) -> None:
    """List the bundled cases: name, title, counts and date range."""
    from accord.casefile import CaseFileError, bundled_case, bundled_case_names

    summaries = []
    for name in bundled_case_names():
        try:
            summaries.append(CaseSummary(name, bundled_case(name)))
        except CaseFileError as error:
            fail(error.first_line)
    if as_json:
        print_json({"cases": [summary.as_json() for summary in summaries]})
        return
    out = console()
    if not summaries:
        typer.echo("no bundled cases")
    elif out.is_terminal:
        out.print(_cases_table(summaries))
    else:  # piped: one plain line per case, whatever the width
        width = max(len(summary.name) for summary in summaries)
        for summary in summaries:
            first, last = _date_range(summary.case)
            dates = f"{first} to {last}" if first else "no records"
            line = f"{summary.name:<{width}}  {dates}  {_counts_text(counts(summary.case))}  {summary.case.title}"
            typer.echo(line)


def _cases_table(summaries: list[CaseSummary]) -> Table:
    from rich import box

    from accord.cli.render import titled_table

    numeric = ("parties", "issues", "proposals", "events")
    table = titled_table("", "name", "title", *numeric, "from", "to")
    table.box = box.ROUNDED
    for column in table.columns[2:6]:
        column.justify = "right"
    for summary in summaries:
        numbers = counts(summary.case)
        first, last = _date_range(summary.case)
        table.add_row(
            summary.name,
            summary.case.title,
            *(str(numbers[key]) for key in numeric),
            first or "-",
            last or "-",
        )
    return table


@app.command()
def schema() -> None:
    """Print the JSON Schema of case files (the published copy: src/accord/data/schema/case.schema.json)."""
    import sys

    from accord.casefile import case_json_schema_text

    sys.stdout.write(case_json_schema_text())
