"""`accord report` and `accord demo`: the main job on the embedded default (the bundled 2023
WGA–AMPTP case as of 2023-09-08)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from accord import ledger
from accord.cli import render
from accord.cli.app import app
from accord.cli.common import CaseArg, console, load_case, parse_date
from accord.cli.views import write_html_report

DEMO_CASE = "wga-amptp-2023"
DEMO_DATE = "2023-09-08"
HtmlOpt = Annotated[Path, typer.Option(help="Where to write the HTML report.")]


@app.command()
def report(
    case: CaseArg = DEMO_CASE,
    as_of: Annotated[str, typer.Option("--as-of", help="The date to look from (YYYY-MM-DD).")] = DEMO_DATE,
    html: HtmlOpt = Path("accord-report.html"),
) -> None:
    """Print a case's status report and write the same report as a standalone HTML file."""
    record = load_case(case)
    status = ledger.status(record, parse_date(as_of))
    out = console()
    out.print(render.status_view(record, status))
    write_html_report(record, status, html)
    out.print(f"\nReport written to {html.resolve()}")


@app.command()
def demo(html: HtmlOpt = Path("accord-report.html")) -> None:
    """The main job: the status of the bundled WGA–AMPTP case as of 2023-09-08, as text and HTML."""
    report(DEMO_CASE, DEMO_DATE, html)
