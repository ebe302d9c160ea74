"""Rich rendering of ``accord costing``: the costing used, each package's cost, the parties' own
estimates beside the model's figures, and why they differ. Imported when the command runs."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text

from accord.analysis.cost_estimates import estimate_text
from accord.analysis.cost_figures import CostedPosition, money
from accord.analysis.costing import CaseCosting, PackageCost
from accord.cli.render import party_label, titled_table
from accord.model import Case


def _value(position: CostedPosition) -> str:
    value = position.value
    if value is None:
        return "-"
    text = (
        "{" + ", ".join(sorted(value)) + "}"
        if isinstance(value, frozenset)
        else f"{value:g}"
        if isinstance(value, float)
        else str(value)
    )
    return f"{text} (carried)" if position.basis == "carried" else text


def _who(case: Case, row: PackageCost) -> str:
    if row.kind == "package":
        return "(package given)"
    arrow = " & " if row.kind == "agreement" else " -> "
    return f"{party_label(case, row.from_party)}{arrow}{party_label(case, row.to_party)}"


def costing_view(case: Case, result: CaseCosting) -> RenderableType:
    """The costing report of :func:`accord.analysis.costing.case_costing`."""
    terms = result.costing
    parts: list[RenderableType] = []
    if terms is None:
        parts.append(
            Text(
                f"{result.title} as of {result.as_of.isoformat()}: the preference file has no costing "
                "parameters, so no package is costed. The parties' own estimates:"
            )
        )
    else:
        shares = ", ".join(f"{party_label(case, p)} {s:.0%}" for p, s in terms.shares.items())
        head = [
            f"Costing of {result.title} as of {result.as_of.isoformat()} ({terms.currency}, a "
            f"{terms.term_years}-year term; cost above the old contract).",
            "Costed: " + "; ".join(terms.items) + ".",
        ]
        if shares:
            head.append(f"Who bears it: {shares}.")
        if terms.note:
            head.append(f"Note: {' '.join(terms.note.split())}")
        parts.append(Text("\n".join(head)))
        parts.append(_packages(case, result))
    parts += _estimates(case, result)
    parts += [Text(f"Note: {note}", style="dim") for note in result.notes]
    return Group(*parts)


def _packages(case: Case, result: CaseCosting) -> RenderableType:
    terms = result.costing
    assert terms is not None
    years = [f"year {t}" for t in range(1, terms.term_years + 1)]
    table = titled_table(
        "Packages", "record", "date", "between", *terms.costed_issues, *years, "per year", "term"
    )
    notes = []
    for row in result.packages:
        cells = [_value(p) for p in row.positions]
        if row.total is None:
            money_cells = ["no figure"] + [""] * (len(years) + 1)
            notes.append(f"{row.record or 'package'}: no figure: {row.note}")
        else:
            money_cells = [money(a, terms.currency) for a in row.annual]
            money_cells += [money(row.average or 0.0, terms.currency), money(row.total, terms.currency)]
        table.add_row(
            row.record or "-",
            row.date.isoformat() if row.date else "-",
            _who(case, row),
            *cells,
            *money_cells,
        )
    if not notes:
        return table
    return Group(table, Text("\n".join(notes), style="dim"))


def _estimates(case: Case, result: CaseCosting) -> list[RenderableType]:
    currency = result.costing.currency if result.costing else "USD"
    rows = [(row, e) for row in result.packages for e in row.estimates]
    if not rows:
        return [Text("No published estimate regards these packages (as of the date).", style="dim")]
    table = titled_table(
        "The parties' own estimates beside the model",
        "record",
        "estimate",
        "by",
        "theirs",
        "model",
        "difference",
    )
    why: list[str] = []
    for row, e in rows:
        table.add_row(
            row.record or "-",
            e.label,
            f"{e.by}, {e.date.isoformat() if e.date else 'undated'} ({e.confidence.value})",
            "-" if e.figure is None else estimate_text(e, currency),
            "-" if e.model is None else money(e.model, currency),
            "-"
            if e.difference is None
            else ("+" if e.difference >= 0 else "") + money(e.difference, currency),
        )
        why.append(f"- {e.label} ({e.estimate}; scope: {e.scope}). {e.explanation}")
    if result.costing is None:
        return [
            table,
            Text("Scopes:\n" + "\n".join(f"- {e.label} ({e.estimate}): {e.scope}" for _, e in rows)),
        ]
    return [table, Text("Why they differ:\n" + "\n".join(why))]
