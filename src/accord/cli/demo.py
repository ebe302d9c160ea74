"""`accord report` and `accord demo`.

``accord report`` prints the status report of a case (by default the bundled 2023 WGA–AMPTP case
as of 2023-09-08) and writes the same report as HTML. ``accord demo`` prints that status summary,
then starts the dashboard on a fresh SQLite database in a temporary folder with both bundled
cases and three demo users, prints their generated passwords once, and serves until Ctrl-C.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from accord.cli.app import app
from accord.cli.common import CaseArg, bad_input_exits, console, fail, load_case, parse_date

if TYPE_CHECKING:  # the server's packages load only when the demo starts (a quick CLI otherwise)
    from fastapi import FastAPI

    from accord.services import Services

DEMO_CASE = "wga-amptp-2023"
DEMO_DATE = "2023-09-08"
HtmlOpt = Annotated[Path, typer.Option(help="Where to write the HTML report.")]


@app.command()
def report(
    case: CaseArg = DEMO_CASE,
    as_of: Annotated[
        str, typer.Option("--as-of", metavar="DATE", help="The date to look from (YYYY-MM-DD).")
    ] = DEMO_DATE,
    html: HtmlOpt = Path("accord-report.html"),
) -> None:
    """Print a case's status report and write the same report as a standalone HTML file."""
    from accord import ledger
    from accord.cli import render
    from accord.cli.views import write_html_report

    record = load_case(case)
    when = parse_date(as_of)
    with bad_input_exits():
        status = ledger.status(record, when)
    out = console()
    out.print(render.status_view(record, status))
    write_html_report(record, status, html)
    out.print(f"\nReport written to {html.resolve()}", soft_wrap=True)


@app.command()
def demo(
    host: Annotated[str, typer.Option(help="The address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="The port to listen on.")] = 8000,
) -> None:
    """The main job: the WGA–AMPTP status as of 2023-09-08, then the dashboard with both bundled
    cases and three demo users (their passwords are printed once)."""
    import uvicorn
    from rich import box

    from accord import ledger
    from accord.cli import render
    from accord.cli.render import titled_table
    from accord.services import Services
    from accord.services.demo import seed_demo
    from accord.store import Database

    out = console()
    record = load_case(DEMO_CASE)
    out.print(render.status_view(record, ledger.status(record, parse_date(DEMO_DATE))))
    folder = Path(tempfile.mkdtemp(prefix="accord-demo-"))
    try:
        database = Database(f"sqlite:///{folder / 'demo.sqlite'}")
        database.upgrade()
        services = Services(database)
        seed = seed_demo(services)
        users = titled_table("Demo users (the passwords are shown only now)", "user", "password", "who")
        users.box = box.HEAVY_HEAD  # ruled columns: a password may begin with "-"
        for user in seed.users:
            users.add_row(user.username, user.password, user.description)
        out.print()
        out.print(users)
        url = f"http://{host}:{port}/dashboard/cases/{DEMO_CASE}?as_of={DEMO_DATE}"
        # soft_wrap: a URL or a path is printed whole, however narrow the terminal
        out.print(f"\nThe dashboard: {url}", soft_wrap=True)
        out.print(f"The demo database: {folder / 'demo.sqlite'} (removed on exit)", soft_wrap=True)
        out.print("Press Ctrl-C to stop.")
        try:
            uvicorn.run(dashboard_app(services), host=host, port=port, log_level="warning")
        except OSError as error:  # pragma: no cover - the port is taken
            fail(f"--port: cannot listen on {host}:{port} ({error})")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def dashboard_app(services: Services, *, threads: int | None = None) -> FastAPI:
    """The team server's app (the REST API on ``threads`` handler threads) with the dashboard
    mounted on it."""
    from accord.api import create_app
    from accord.web import mount

    application = create_app(services, threads=threads)
    mount(application, services)
    return application
