"""A package's cost beside the published estimates that regard it.

The case's **estimates** that regard a record (``Estimate.regarding``) and that were known by a
date (an undated estimate counts from the date of what it regards) are set beside the model's
figure on the estimate's basis (a year's cost is the average over the term; an amount with no
"per" is the whole term; a party's part is its share), with the difference and an explanation of
it in words: what the model leaves uncosted, whether the estimate is only a bound, and whether
parameters were derived from the estimate itself (``Costing.derived_from``), when agreement is by
construction. :func:`accord.analysis.costing.case_costing` lists them with each package.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from accord.analysis.cost_figures import PackageFigures, money
from accord.model import Case, Confidence, Costing
from accord.model.case import Estimate


@dataclass(frozen=True, slots=True)
class EstimateComparison:
    """A published estimate set beside the model's figure for the same package.

    ``basis``: ``per_year`` (compared with the model's average annual cost), ``term`` (with its
    cost over the term) or ``None`` (a unit the model does not give, e.g. per day). ``figure``:
    the estimate as one number (the middle of ``low``-``high``, or its one bound); ``model``: the
    model's figure on the same basis (``None`` where there is none); ``difference``: ``figure -
    model``.
    """

    estimate: str
    label: str
    by: str
    date: dt.date | None
    confidence: Confidence
    scope: str
    unit: str
    low: float | None
    high: float | None
    party: str | None
    basis: str | None
    figure: float | None
    model: float | None
    difference: float | None
    explanation: str


def known_estimates(case: Case, as_of: dt.date) -> dict[str, list[Estimate]]:
    """Record id -> the estimates regarding it known by ``as_of`` (an undated one from the latest
    date of the records it regards, before which it cannot have been made)."""
    dates = {r.id: r.date for r in case.records()}
    found: dict[str, list[Estimate]] = {}
    for estimate in case.estimates:
        known = estimate.date or max((dates[r] for r in estimate.regarding if r in dates), default=None)
        if known is None or known > as_of:
            continue
        for record in dict.fromkeys(estimate.regarding):
            found.setdefault(record, []).append(estimate)
    return found


def _basis(unit: str, currency: str) -> str | None:
    words = unit.strip().split()
    if not words or words[0] != currency:
        return None
    rest = " ".join(words[1:]).lower()
    if rest in ("per year", "a year", "per annum", "/yr", "per yr"):
        return "per_year"
    if rest in ("", "over the term"):
        return "term"
    return None


def _figure(estimate: Estimate) -> float | None:
    if estimate.low is not None and estimate.high is not None:
        return (estimate.low + estimate.high) / 2
    return estimate.low if estimate.low is not None else estimate.high


def compare(
    case: Case, costing: Costing | None, row: PackageFigures, estimate: Estimate
) -> EstimateComparison:
    """``estimate`` beside the model's figure for the package of ``row``, and why they differ."""
    currency = costing.currency if costing else "USD"
    basis = _basis(estimate.unit, currency)
    figure = _figure(estimate)
    model, why = _model_figure(case, costing, row, estimate, basis)
    difference = None if model is None or figure is None else figure - model
    return EstimateComparison(
        estimate=estimate.id,
        label=estimate.label,
        by=estimate.by,
        date=estimate.date,
        confidence=estimate.confidence,
        scope=estimate.scope,
        unit=estimate.unit,
        low=estimate.low,
        high=estimate.high,
        party=estimate.party,
        basis=basis,
        figure=figure,
        model=model,
        difference=difference,
        explanation=" ".join(why + _differs(case, costing, row, estimate, figure, model)),
    )


def _model_figure(
    case: Case, costing: Costing | None, row: PackageFigures, estimate: Estimate, basis: str | None
) -> tuple[float | None, list[str]]:
    """The model's figure on the estimate's basis, and what it is, in words."""
    if costing is None:
        return None, ["The preference file has no costing parameters, so the model gives no figure."]
    if row.total is None:
        return None, [f"The model gives no figure: the package {row.note}."]
    if basis is None:
        return None, [
            f"The estimate is in {estimate.unit!r}; the model gives {costing.currency} per contract year "
            "and over the term, so the two are not compared."
        ]
    amount = row.average if basis == "per_year" else row.total
    assert amount is not None
    said = (
        f"The model's figure is the average yearly cost over the {costing.term_years}-year term "
        f"(year 1 {money(row.annual[0], costing.currency)}, year {len(row.annual)} "
        f"{money(row.annual[-1], costing.currency)})."
        if basis == "per_year"
        else f"The model's figure is the cost over the {costing.term_years}-year term."
    )
    if estimate.party is None:
        return amount, [said]
    share = _share(case, costing, estimate.party)
    if share is None:
        return None, [
            said,
            f"The costing's shares give no part to {estimate.party!r}, so it is not compared.",
        ]
    return amount * share, [said, f"Of it, {estimate.party!r} bears {share:.0%} (the costing's shares)."]


def _share(case: Case, costing: Costing, party: str) -> float | None:
    """The share of the cost ``party`` bears: its own, or (a coalition) its members' together."""
    total = sum(costing.shares.values())
    if not total:
        return None
    if party in costing.shares:
        return costing.shares[party] / total
    members = next((p.members for p in case.parties if p.id == party), ())
    parts = [costing.shares[m] for m in members if m in costing.shares]
    return sum(parts) / total if parts else None


def _differs(
    case: Case,
    costing: Costing | None,
    row: PackageFigures,
    estimate: Estimate,
    figure: float | None,
    model: float | None,
) -> list[str]:
    """Why the estimate and the model's figure differ (or agree), in words."""
    if costing is None or model is None or figure is None:
        return []
    words = []
    if estimate.low is not None and estimate.high is None:
        words.append('The estimate is a lower bound ("more than").')
    elif estimate.high is not None and estimate.low is None:
        words.append("The estimate is an upper bound.")
    if estimate.id in costing.derived_from:
        words.append(
            "The costing's parameters were derived from this estimate, so the costed part agrees "
            "by construction: it is no check of the model."
        )
    names = {issue.id: issue.name for issue in case.issues}
    costed = ", ".join(names.get(i, i) for i in dict.fromkeys(p.issue for p in row.positions))
    if row.uncosted:
        left = ", ".join(names.get(i, i) for i in row.uncosted)
        words.append(
            f"The model prices only {costed}; the package also settles {left}, which the costing "
            "has no figures for and counts at 0."
        )
    if model > 0:
        ratio = figure / model
        relation = "above" if figure > model else "below"
        words.append(
            f"The estimate is {money(abs(figure - model), costing.currency)} {relation} the model's figure "
            f"({ratio:.1f} times it)."
            if abs(ratio - 1) >= 0.005
            else "The estimate and the model's figure agree (within 0.5%)."
        )
    if row.uncosted and figure > model:
        words.append(
            f"On this reading, the issues the model does not price account for about "
            f"{money(figure - model, costing.currency)} of the estimate."
        )
    return words


def estimate_text(estimate: EstimateComparison, currency: str = "USD") -> str:
    """An estimate as its publisher gave it: a bound, a range or one figure, and its basis.

    Examples
    --------
    >>> from dataclasses import replace
    >>> from accord.model import Confidence
    >>> e = EstimateComparison("x", "L", "b", None, Confidence.A, "s", "USD", 1e9, 1.11e9, None,
    ...     "term", 1.055e9, None, None, "")
    >>> estimate_text(e), estimate_text(replace(e, low=8e8, high=None, basis="per_year"))
    ('$1B to $1.11B over the term', 'more than $800M a year')
    """
    per = {"per_year": " a year", "term": " over the term"}.get(estimate.basis or "", f" ({estimate.unit})")
    low, high = estimate.low, estimate.high
    if low is not None and high is not None and low != high:
        return f"{money(low, currency)} to {money(high, currency)}{per}"
    if low is not None and high is None:
        return f"more than {money(low, currency)}{per}"
    if high is not None and low is None:
        return f"up to {money(high, currency)}{per}"
    return f"{money(estimate.figure or 0.0, currency)}{per}"
