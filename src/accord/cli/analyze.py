"""Where a negotiation could land: ``accord analyze`` (a case with preferences) and ``accord frontier``
(a GENIUS or GeniusWeb benchmark domain, or the small example shipped with Accord).

JSON shapes (``--json``), stable:

- ``analyze``: :class:`accord.analysis.case_analysis.CaseAnalysis` through
  :func:`accord.ledger.to_jsonable`: ``summary`` (first: ``text``, ``assumed``), ``case``,
  ``title``, ``as_of``, ``side_a``, ``side_b``, ``assumptions``, ``stoppage_days``, ``issues``,
  ``n_outcomes``, ``disagreement``, ``disagreement_table``, ``sides``, ``frontier`` (``size``,
  ``packages``, ``points``, ``assumed``), ``solutions`` (each with ``reading``, ``warnings``,
  ``issue_warnings``, ``assumed``), ``zopa`` (with ``zones``, ``assumed``), ``proposals`` (each
  with ``fills``, ``efficiency``, ``assumed``), ``moves``, ``coalition`` (or null) and
  ``notes``; documented in docs/concepts.md.
- ``frontier``: ``domain``, ``parties``, ``issues``, ``n_outcomes``, ``disagreement``, ``size``,
  ``packages``, ``points``, ``solutions`` (``concept``, ``points``, ``value``, ``package``),
  ``seconds`` (wall time of the frontier) and ``notes`` (what the importer interpreted).

The renderings live in :mod:`accord.cli.analysis_render`, imported when a command runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from accord.cli.app import app
from accord.cli.common import AsOfOpt, CaseArg, JsonOpt, bad_input_exits, emit, parse_date

if TYPE_CHECKING:
    from rich.console import Console

SideOpt = Annotated[
    str | None, typer.Option(metavar="PARTY", help="A party id (default: the case's two main sides).")
]


@app.command()
def analyze(
    case: CaseArg,
    prefs: Annotated[
        str | None,
        typer.Option("--prefs", help="Preference file (default: <case>.prefs.yaml beside the case)."),
    ] = None,
    as_of: AsOfOpt = None,
    side_a: SideOpt = None,
    side_b: SideOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Where it could land: a summary in words, then the ZOPA between the offers, each side's view, frontier,
    solutions from no deal and from the table, proposal efficiency, moves, coalition."""
    from accord.cli.analysis_render import analysis_view
    from accord.ledger import to_jsonable
    from accord.workflows import analysis as service

    when = None if as_of is None else parse_date(as_of)
    with bad_input_exits():
        record, result = service.analyze(case, when, prefs, side_a, side_b)
    emit(as_json, lambda: to_jsonable(result), lambda out: out.print(analysis_view(record, result)))


@app.command()
def frontier(
    domain_path: Annotated[
        str,
        typer.Argument(
            metavar="DOMAIN",
            help="A GENIUS or GeniusWeb domain folder (or a file in it), or `job-offer`: the small "
            "GENIUS example shipped with Accord.",
        ),
    ],
    points: Annotated[int, typer.Option(min=1, help="Frontier points to print (all with --json).")] = 20,
    parties: Annotated[
        str | None,
        typer.Option(help="Comma-separated profiles to take (file names), e.g. from a pool (default: all)."),
    ] = None,
    discrete: Annotated[
        str,
        typer.Option(
            help="GENIUS discrete evaluations: 'given' (GENIUS 5-7: divided by the maximum only when it "
            "exceeds 1) or 'max' (GENIUS 8+: always divided by the maximum)."
        ),
    ] = "given",
    as_json: JsonOpt = False,
) -> None:
    """Pareto frontier, bargaining solutions and timing of a GENIUS / GeniusWeb domain (exact: ties
    decided on the numbers as the files write them; the text output starts with the folder read,
    e.g. to copy the example's files as a template)."""
    from accord.casefile.domains import domain_folder, import_domain
    from accord.cli.analysis_render import frontier_view
    from accord.ledger import to_jsonable
    from accord.workflows.analysis import domain_frontier

    chosen = None if parties is None else [p.strip() for p in parties.split(",") if p.strip()]
    with bad_input_exits():
        folder = domain_folder(domain_path)
        result = domain_frontier(import_domain(folder, chosen, discrete))

    def show(out: Console) -> None:
        out.print(f"Domain folder: {folder}", soft_wrap=True)  # whole, to copy
        out.print(frontier_view(result, points))

    emit(as_json, lambda: to_jsonable(result), show)
