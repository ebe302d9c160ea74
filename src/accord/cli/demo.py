"""`accord demo`: the main job on the embedded default (the bundled 2023 WGA–AMPTP case)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from accord import ledger
from accord.cli import render
from accord.cli.app import app
from accord.cli.common import console, load_case
from accord.cli.views import write_html_report

DEMO_CASE = "wga-amptp-2023"
DEMO_DATE = dt.date(2023, 9, 8)


@app.command()
def demo(
    html: Annotated[Path, typer.Option(help="Where to write the HTML report.")] = Path(
        "accord-report-wga-amptp-2023.html"
    ),
) -> None:
    """Print the status of the bundled WGA–AMPTP case as of 2023-09-08 and write it as HTML."""
    case = load_case(DEMO_CASE)
    report = ledger.status(case, DEMO_DATE)
    out = console()
    out.print(render.status_view(case, report))
    write_html_report(case, report, html)
    out.print(f"\nReport written to {html.resolve()}")
