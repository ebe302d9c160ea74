"""A case as a negotiation domain and back: ``accord domain export`` (GENIUS or GeniusWeb, for
GENIUS, GeniusWeb/ANL agents and NegMAS) and ``accord domain import`` (a starter case and its
preference file from a domain folder).

Both write whole or not at all: the export goes to a temporary folder that then takes the target's
place; the import checks both files before writing either. An existing, non-empty folder or an
existing file is replaced only with ``--force``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from accord.cli.app import app
from accord.cli.common import CaseArg, bad_input_exits, fail

domain_app = typer.Typer(
    help="A case as a GENIUS / GeniusWeb domain, and a domain as a starter case.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(domain_app, name="domain")

ForceOpt = Annotated[bool, typer.Option("--force", help="Replace what is there already.")]


@domain_app.command("export")
def export(
    case: CaseArg,
    fmt: Annotated[str, typer.Option("--format", metavar="FORMAT", help="genius (XML) or geniusweb (JSON).")],
    output: Annotated[str, typer.Option("-o", "--output", metavar="DIR", help="The domain folder to write.")],
    prefs: Annotated[
        str | None,
        typer.Option("--prefs", help="Preference file (default: <case>.prefs.yaml beside the case)."),
    ] = None,
    force: ForceOpt = False,
) -> None:
    """Write the case's issues and preference models as a domain folder that GENIUS, GeniusWeb/ANL
    agents and NegMAS load: one profile per model, the same utility on every package. Says what
    the format cannot carry (strike-day costs, coalitions, costing)."""
    from accord.casefile.domain_files import FORMATS, export_domain
    from accord.casefile.prefsfile import case_with_preferences

    if fmt not in FORMATS:
        fail(f"--format: expected one of {', '.join(FORMATS)}, got {fmt!r}")
    target = Path(output)
    if target.is_symlink():
        fail(f"{output}: a link of that name exists; expected a folder")
    if target.exists() and not target.is_dir():
        fail(f"{output}: a file of that name exists; expected a folder")
    if target.is_dir() and any(target.iterdir()) and not force:
        fail(f"{output}: the folder holds files already; choose another, or pass --force to replace it")
    with bad_input_exits():
        record, preferences = case_with_preferences(case, prefs)
        result = export_domain(record, preferences, target, fmt, replace=force)
    typer.echo(
        f"Wrote {result.folder}: {', '.join(result.files)} ({result.issues} issues, "
        f"{result.outcomes:,} outcomes, {len(result.files) - 1} profiles)."
    )
    for note in result.notes:
        typer.echo(f"note: {note}")


@domain_app.command("import")
def import_(
    domain: Annotated[
        str,
        typer.Argument(
            metavar="DIR",
            help="A GENIUS or GeniusWeb domain folder (or a file in it), or `job-offer`: the small "
            "GENIUS example shipped with Accord.",
        ),
    ],
    output: Annotated[
        str | None,
        typer.Option(
            "-o",
            "--output",
            metavar="FILE",
            help="The case file to write (.yaml); its preferences go beside it as <name>.prefs.yaml "
            "(default: <case id>.yaml here).",
        ),
    ] = None,
    discrete: Annotated[
        str,
        typer.Option(
            help="GENIUS discrete evaluations: 'given' (GENIUS 5-7) or 'max' (GENIUS 8+); see `accord frontier`."
        ),
    ] = "given",
    force: ForceOpt = False,
) -> None:
    """Write a starter case (the domain's issues, a party per profile) and its preference file from
    a domain folder. Names are kept exactly: an issue's id is its name where the name is a valid
    id, and the name itself is kept in the case, so `accord domain export` writes it back."""
    from accord.casefile.domain_files import write_domain_case
    from accord.casefile.domains import domain_folder, import_domain

    with bad_input_exits():
        folder = domain_folder(domain)
        imported = import_domain(folder, None, discrete)
        target = Path(output) if output is not None else Path(f"{imported.case.id}.yaml")
        case_path, prefs_path = write_domain_case(imported, target, replace=force, source=str(folder))
    parties, issues = len(imported.case.parties), len(imported.case.issues)
    typer.echo(f"Wrote {case_path} ({issues} issues, {parties} parties) and {prefs_path}.")
    for note in imported.notes:
        typer.echo(f"note: {note}")
    typer.echo(f"Next: accord validate {case_path}; accord analyze {case_path}")
