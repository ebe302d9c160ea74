"""The ``accord`` command: one Typer app; each command group lives in its own module."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="accord",
    help="Accord: record a negotiation, see where it stands, where it could land, and simulate it.",
    no_args_is_help=True,
    add_completion=False,
)


def main() -> None:
    app()


from accord.cli import analyze as _analyze  # noqa: E402,F401
from accord.cli import demo as _demo  # noqa: E402,F401
from accord.cli import files as _files  # noqa: E402,F401
from accord.cli import ingest as _ingest  # noqa: E402,F401
from accord.cli import reference as _reference  # noqa: E402,F401
from accord.cli import replay as _replay  # noqa: E402,F401
from accord.cli import server as _server  # noqa: E402,F401
from accord.cli import simulate as _simulate  # noqa: E402,F401
from accord.cli import views as _views  # noqa: E402,F401
