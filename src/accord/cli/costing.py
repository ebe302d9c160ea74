"""What the packages cost: ``accord costing``.

JSON shape (``--json``), stable: :class:`accord.analysis.costing.CaseCosting` through
:func:`accord.ledger.to_jsonable`: ``case``, ``title``, ``as_of``, ``costing`` (``currency``,
``term_years``, ``costed_issues``, ``items``, ``shares``, ``derived_from``, ``sources``,
``note``; null without costing parameters), ``packages`` (each ``record``, ``kind``, ``date``,
``from_party``, ``to_party``, ``positions``, ``annual``, ``total``, ``average``, ``by_item``,
``by_party``, ``uncosted``, ``estimates``, ``note``) and ``notes``; documented in
docs/reference/preferences.md ("Every package on the record, costed").
"""

from __future__ import annotations

from typing import Annotated

import typer

from accord.cli.app import app
from accord.cli.common import AsOfOpt, CaseArg, JsonOpt, bad_input_exits, emit, parse_date


@app.command()
def costing(
    case: CaseArg,
    as_of: AsOfOpt = None,
    prefs: Annotated[
        str | None,
        typer.Option("--prefs", help="Preference file (default: <case>.prefs.yaml beside the case)."),
    ] = None,
    package: Annotated[
        list[str] | None,
        typer.Option(
            "--package",
            metavar="PACKAGE",
            help="Also cost this package: 'issue=value; issue=value' (provisions joined by '+'). "
            "Repeat for more.",
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """What each proposal and agreement on the record costs, per contract year and over the term
    (raises compound), beside the parties' own published estimates and why the figures differ."""
    from accord.cli.costing_render import costing_view
    from accord.ledger import to_jsonable
    from accord.workflows.costing import costing as cost

    when = None if as_of is None else parse_date(as_of)
    with bad_input_exits():
        record, result = cost(case, when, prefs, package or ())
    emit(as_json, lambda: to_jsonable(result), lambda out: out.print(costing_view(record, result)))
