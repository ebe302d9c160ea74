"""Preferences without YAML: ``accord prefs fit`` (from a CSV of rated packages) and ``accord prefs
elicit`` (asked in the terminal), both writing a preference file that ``analyze`` reads.

The fit is :mod:`accord.prefs.fitting`; the files go through :mod:`accord.workflows.preferences`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from accord.cli.app import app
from accord.cli.common import CaseArg, JsonOpt, bad_input_exits, load_case

if TYPE_CHECKING:
    from rich.console import Console

    from accord.prefs.fitting import PreferenceFit

prefs_app = typer.Typer(
    help="A party's preferences fitted from its ratings of packages (no YAML by hand).",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(prefs_app, name="prefs")

PartyOpt = Annotated[
    str, typer.Option("--party", metavar="PARTY", help="The party whose preferences these are.")
]
OutputOpt = Annotated[
    str | None,
    typer.Option(
        "-o",
        "--output",
        metavar="FILE",
        help="The preference file to write (FILE.prefs.yaml); an existing one of the case keeps its "
        "other parties' models.",
    ),
]


@prefs_app.command("fit")
def fit(
    case: CaseArg,
    ratings: Annotated[
        str,
        typer.Argument(
            metavar="RATINGS.csv",
            help="One column per issue id plus 'rating' (0-100), one row per rated package; values as "
            "in case files, provisions joined with '+'.",
        ),
    ],
    party: PartyOpt,
    output: OutputOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Fit the party's additive preferences (issue weights, option values, piecewise-linear values
    of numeric issues) to its ratings by bounded least squares; report the fit (RMSE, rank agreement,
    the least consistent rows) and write the preference file with -o."""
    from accord.workflows.preferences import fit_jsonable, fit_ratings_file, write_fitted

    record = load_case(case)
    with bad_input_exits():
        result = fit_ratings_file(record, party, ratings)
    if output is not None:
        with bad_input_exits():
            updated = write_fitted(record, result.fit.model, output)
    for warning in result.fit.quality.warnings:
        typer.echo(f"warning: {warning}", err=True)
    if as_json:
        from accord.cli.common import print_json

        print_json(fit_jsonable(party, result.fit))
    else:
        from accord.cli.common import console

        render_fit(console(), party, result.fit)
    if output is not None:
        what = "Updated" if updated else "Wrote"
        typer.echo(f"{what} {output}: the model of {party!r}.", err=as_json)


def render_fit(out: Console, party: str, fit: PreferenceFit) -> None:
    """The fitted weights and values, and how well they reproduce the ratings."""
    from accord.cli.render import titled_table

    quality = fit.quality
    weights = titled_table(
        f"Preferences of {party}, fitted from {quality.rows} ratings", "issue", "weight", "values"
    )
    for issue_id, weight in sorted(fit.weights.items(), key=lambda item: -item[1]):
        shown = ", ".join(f"{k} {v:.2f}" for k, v in fit.values[issue_id].items())
        weights.add_row(issue_id, f"{weight:.3f}", shown)
    out.print(weights)
    out.print(
        f"Fit: RMSE {quality.rmse:.1f} rating points; rank agreement (Kendall tau) "
        f"{quality.kendall_tau:.2f}; a rating reads as {fit.offset * 100:.1f} + "
        f"{fit.scale * 100:.1f} x utility."
    )
    rows = titled_table("Least consistent rows", "row", "rating", "fitted", "residual")
    for r in quality.least_consistent:
        rows.add_row(r.row, f"{r.rating:g}", f"{r.fitted:.1f}", f"{r.residual:+.1f}")
    out.print(rows)


@prefs_app.command("elicit")
def elicit(
    case: CaseArg,
    party: PartyOpt,
    output: OutputOpt = None,
    seed: Annotated[
        int, typer.Option("--seed", help="Seed of the packages drawn for a case of many issues.")
    ] = 0,
) -> None:
    """Ask the party's preferences in the terminal: rank the issues, rate each issue's options (or
    levels, or provisions), then rate 8-12 packages chosen to tell the weights apart; fit the weights
    to them and write the preference file (-o; without it, print it)."""
    from accord.cli.prefs_dialog import run_elicitation

    record = load_case(case)
    with bad_input_exits():
        run_elicitation(record, party, output, seed)
