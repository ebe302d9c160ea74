"""Commands about case files: ``accord validate``, ``accord cases``, ``accord schema``.

JSON shapes (``--json``), stable:

- ``validate``: ``{"file": str, "valid": bool, "problems": [{"line": int|null, "column":
  int|null, "field": str|null, "message": str}], "counts": {"parties", "issues", "proposals",
  "events": int} | null}``; exit code 2 when the file is not valid.
- ``cases``: ``{"cases": [{"name", "id", "title": str, "counts": {...as above},
  "first_date", "last_date": "YYYY-MM-DD" | null}]}``.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from typing import Annotated, Any

import typer
from rich import box
from rich.console import Console
from rich.table import Table

from accord.casefile import (
    CaseFileError,
    bundled_case,
    bundled_case_names,
    case_json_schema_text,
    resolve_case,
)
from accord.cli.app import app
from accord.model import Case

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON (a documented, stable shape).")]


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


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


@app.command()
def validate(
    file: Annotated[str, typer.Argument(help="A case file (.yaml, .yml or .json) or a bundled case name.")],
    as_json: JsonOpt = False,
) -> None:
    """Check a case file. Valid: a one-line summary. Not valid: each problem on stderr as
    FILE:LINE:COLUMN: FIELD: MESSAGE, and exit code 2."""
    try:
        case = resolve_case(file)
    except CaseFileError as error:
        if as_json:
            problems = [
                {"line": p.line, "column": p.column, "field": p.field, "message": p.message}
                for p in error.problems
            ]
            _print_json({"file": error.file, "valid": False, "problems": problems, "counts": None})
        else:
            for problem in error.problems:
                typer.echo(problem.render(error.file), err=True)
        raise typer.Exit(code=2) from None
    numbers = counts(case)
    if as_json:
        _print_json({"file": file, "valid": True, "problems": [], "counts": numbers})
    else:
        typer.echo(f"{file}: valid case {case.id!r}: {_counts_text(numbers)}")


@app.command()
def cases(as_json: JsonOpt = False) -> None:
    """List the bundled cases: name, title, counts and date range."""
    summaries = []
    for name in bundled_case_names():
        try:
            summaries.append(CaseSummary(name, bundled_case(name)))
        except CaseFileError as error:
            typer.echo(f"error: {error.first_line}", err=True)
            raise typer.Exit(code=2) from None
    if as_json:
        _print_json({"cases": [summary.as_json() for summary in summaries]})
        return
    console = Console()
    if not summaries:
        typer.echo("no bundled cases")
    elif console.is_terminal:
        console.print(_cases_table(summaries))
    else:  # piped: one plain line per case, whatever the width
        width = max(len(summary.name) for summary in summaries)
        for summary in summaries:
            first, last = _date_range(summary.case)
            dates = f"{first} to {last}" if first else "no records"
            line = f"{summary.name:<{width}}  {dates}  {_counts_text(counts(summary.case))}  {summary.case.title}"
            typer.echo(line)


def _cases_table(summaries: list[CaseSummary]) -> Table:
    numeric = ("parties", "issues", "proposals", "events")
    table = Table(box=box.ROUNDED)
    table.add_column("name", no_wrap=True)
    table.add_column("title", ratio=1)
    for header in numeric:
        table.add_column(header, justify="right", no_wrap=True)
    table.add_column("from", no_wrap=True)
    table.add_column("to", no_wrap=True)
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
    sys.stdout.write(case_json_schema_text())
