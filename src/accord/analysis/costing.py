"""What each package on the record costs, as of a date, beside the parties' own published figures.

:func:`case_costing` costs, with a preference file's costing parameters
(:func:`accord.prefs.contract_cost`: per contract year, compounding, and over the term):

- every **proposal** tabled up to the date, as the package it leaves on the table: on each costed
  issue the value it states, else its maker's latest earlier stated value (an offer stands until
  its maker revises it, as :mod:`accord.analysis.proposals` and the ledger read positions), else
  nothing (the issue was never addressed, so the old contract holds and it costs nothing); a
  proposal that addresses no costed issue at all gets no figure rather than a cost of 0;
- every **whole-contract tentative agreement** up to the date (its terms), unless withdrawn;
- any **package** given (e.g. a counter-proposal being drafted).

Beside each, the case's **estimates** that regard it (``Estimate.regarding``) and that were known
by the date (an undated estimate counts from the date of what it regards): the model's figure
on the estimate's basis (a year's cost is the average over the term; an amount with no "per" is
the whole term; a party's part is its share), the difference, and an explanation of it in words:
what the model leaves uncosted, whether the estimate is only a bound, and whether parameters
were derived from the estimate itself (``Costing.derived_from``), when agreement is by
construction. Everything is plain values; :func:`accord.ledger.to_jsonable` gives the JSON.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from accord.analysis.proposals import tabled_proposals
from accord.ledger import effective_records
from accord.model import Case, Confidence, Costing, Issue, TentativeAgreement, Value
from accord.model.case import Estimate
from accord.model.event import TAWithdrawn
from accord.prefs import contract_cost


@dataclass(frozen=True, slots=True)
class Cost:
    """What one whole package costs: per contract year (``annual``), over the term (``total``), the
    yearly ``average``, and the total split by the costing's shares (``by_party``)."""

    currency: str
    annual: tuple[float, ...]
    total: float
    average: float
    by_party: dict[str, float]


def package_cost(costing: Costing, issues: Sequence[Issue], package: Mapping[str, Value]) -> Cost:
    """:func:`accord.prefs.contract_cost` of ``package`` as a :class:`Cost`.

    Examples
    --------
    >>> from accord.model import Costing, NumericIssue
    >>> pay = NumericIssue(id="pay", name="Pay", unit="%", low=0, high=10)
    >>> cost = package_cost(Costing(term_years=2, items=[{"kind": "raises", "issue": "pay", "base": 100}]),
    ...     [pay], {"pay": 5.0})
    >>> [round(a, 2) for a in cost.annual], round(cost.total, 2)
    ([5.0, 10.25], 15.25)
    """
    cost = contract_cost(costing, issues, package)
    return Cost(cost.currency, cost.annual, cost.total, cost.total / costing.term_years, cost.by_party)


@dataclass(frozen=True, slots=True)
class CostedPosition:
    """A costed issue of a package: its value and how it was found (``stated``, ``carried`` from
    ``from_record``, or ``not_addressed``: no value, so no change from the old contract)."""

    issue: str
    value: Value | None
    basis: str
    from_record: str | None


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


@dataclass(frozen=True, slots=True)
class PackageCost:
    """One costed package: a proposal (``kind`` ``proposal``), a tentative agreement
    (``agreement``) or a package given (``package``, no record).

    ``annual``: the cost of each contract year above the old contract; ``total`` over the term and
    ``average`` per year (all empty or ``None`` without costing parameters, or when the package
    addresses no costed issue: ``note`` says which). ``by_party``: the total split by the
    costing's shares. ``uncosted``: issues the package states a value on that the costing
    prices not at all.
    """

    record: str | None
    kind: str
    date: dt.date | None
    from_party: str | None
    to_party: str | None
    positions: tuple[CostedPosition, ...]
    annual: tuple[float, ...]
    total: float | None
    average: float | None
    by_item: dict[str, tuple[float, ...]]
    by_party: dict[str, float]
    uncosted: tuple[str, ...]
    estimates: tuple[EstimateComparison, ...]
    note: str | None


@dataclass(frozen=True, slots=True)
class CostingTerms:
    """The costing parameters used, as the output states them."""

    currency: str
    term_years: int
    costed_issues: tuple[str, ...]
    items: tuple[str, ...]
    shares: dict[str, float]
    derived_from: tuple[str, ...]
    sources: tuple[str, ...]
    note: str | None


@dataclass(frozen=True, slots=True)
class CaseCosting:
    """Every package of the record as of ``as_of``, costed (see the module docstring).

    ``costing`` is ``None`` when the preference file has no costing parameters: the packages are
    listed with the estimates that regard them, and no model figures.
    """

    case: str
    title: str
    as_of: dt.date
    costing: CostingTerms | None
    packages: tuple[PackageCost, ...]
    notes: tuple[str, ...]


def case_costing(
    case: Case,
    costing: Costing | None,
    as_of: dt.date,
    packages: Sequence[Mapping[str, Value]] = (),
) -> CaseCosting:
    """Cost every proposal and whole-contract TA of ``case`` up to ``as_of`` (and each of
    ``packages``) with ``costing``, beside the estimates known by then.

    Raises
    ------
    ValueError
        When a costing item names an issue the case lacks, or a package holds a value its issue
        does not take.

    Examples
    --------
    >>> import datetime as dt
    >>> from accord.model import Case, Costing
    >>> case = Case(id="c", title="t",
    ...     parties=[{"id": "u", "name": "U", "kind": "union"}, {"id": "e", "name": "E", "kind": "employer"}],
    ...     issues=[{"id": "pay", "name": "Pay", "type": "numeric", "unit": "%", "low": 0, "high": 10}],
    ...     proposals=[{"id": "p1", "date": "2023-05-01", "from": "u", "to": "e", "positions": {"pay": 5}}],
    ...     estimates=[{"id": "x", "label": "Cost of p1", "low": 20, "high": 20, "unit": "USD per year",
    ...                 "scope": "annual cost", "by": "U", "date": "2023-05-02", "regarding": ["p1"]}])
    >>> costing = Costing(term_years=2, items=[{"kind": "raises", "issue": "pay", "base": 100}])
    >>> result = case_costing(case, costing, dt.date(2023, 6, 1))
    >>> row = result.packages[0]
    >>> [round(a, 3) for a in row.annual], round(row.average, 3)
    ([5.0, 10.25], 7.625)
    >>> comparison = row.estimates[0]
    >>> comparison.basis, comparison.figure, round(comparison.difference, 3)
    ('per_year', 20.0, 12.375)
    >>> case_costing(case, costing, dt.date(2023, 5, 1)).packages[0].estimates  # not known yet
    ()
    """
    notes: list[str] = []
    terms = None if costing is None else _terms(case, costing)
    if costing is None:
        notes.append("no costing parameters: the packages are listed with the estimates that regard them")
    by_id = {issue.id: issue for issue in case.issues}
    costed = () if terms is None else terms.costed_issues
    known = _known_estimates(case, as_of)
    rows: list[PackageCost] = []
    last: dict[tuple[str, str], tuple[Value, str]] = {}
    for proposal in tabled_proposals(case, as_of):
        stated = {i: p.value for i, p in proposal.positions.items() if p.value is not None}
        positions = []
        for issue_id in costed:
            if issue_id in stated:
                positions.append(CostedPosition(issue_id, stated[issue_id], "stated", None))
            elif (proposal.from_party, issue_id) in last:
                value, source = last[(proposal.from_party, issue_id)]
                positions.append(CostedPosition(issue_id, value, "carried", source))
            else:
                positions.append(CostedPosition(issue_id, None, "not_addressed", None))
        rows.append(
            _row(case, costing, by_id, known, proposal.id, "proposal", proposal.date,
                 proposal.from_party, proposal.to_party, positions, stated)
        )  # fmt: skip
        for issue_id, value in stated.items():
            last[(proposal.from_party, issue_id)] = (value, proposal.id)
    for agreement in _agreements(case, as_of):
        stated = {i: p.value for i, p in agreement.terms.items() if p.value is not None}
        positions = [
            CostedPosition(i, stated[i], "stated", None)
            if i in stated
            else CostedPosition(i, None, "not_addressed", None)
            for i in costed
        ]
        a, b = agreement.parties
        rows.append(
            _row(
                case,
                costing,
                by_id,
                known,
                agreement.id,
                "agreement",
                agreement.date,
                a,
                b,
                positions,
                stated,
            )
        )
    for package in packages:
        for issue_id, value in package.items():
            issue = by_id.get(issue_id)
            if issue is None:
                raise ValueError(f"unknown issue {issue_id!r}; expected one of {list(by_id)}")
            error = issue.value_error(value)
            if error:
                raise ValueError(f"issue {issue_id!r}: {error}")
        positions = [
            CostedPosition(i, package[i], "stated", None)
            if i in package
            else CostedPosition(i, None, "not_addressed", None)
            for i in costed
        ]
        rows.append(
            _row(case, costing, by_id, known, None, "package", None, None, None, positions, dict(package))
        )
    rows.sort(key=lambda r: (r.date is None, r.date or dt.date.max))  # stable: record order kept
    return CaseCosting(case.id, case.title, as_of, terms, tuple(rows), tuple(notes))


def _terms(case: Case, costing: Costing) -> CostingTerms:
    issues = {issue.id for issue in case.issues}
    unknown = [item.issue for item in costing.items if item.issue not in issues]
    if unknown:
        raise ValueError(f"the costing names issues the case does not have: {unknown}")
    total = sum(costing.shares.values())
    return CostingTerms(
        currency=costing.currency,
        term_years=costing.term_years,
        costed_issues=tuple(dict.fromkeys(item.issue for item in costing.items)),
        items=tuple(_item_text(item, costing.currency) for item in costing.items),
        shares={p: s / total for p, s in costing.shares.items()} if total else {},
        derived_from=costing.derived_from,
        sources=costing.sources,
        note=costing.note,
    )


def _item_text(item: object, currency: str) -> str:
    kind, issue = getattr(item, "kind", "?"), getattr(item, "issue", "?")
    if kind == "raises":
        return f"{issue}: raises compounding on a payroll of {money(getattr(item, 'base', 0.0), currency)}"
    if kind == "per_unit":
        return f"{issue}: {money(getattr(item, 'per_unit', 0.0), currency)} a year per unit"
    return f"{issue}: a yearly cost per {'option' if kind == 'per_option' else 'provision'}"


def _agreements(case: Case, as_of: dt.date) -> list[TentativeAgreement]:
    """Whole-contract tentative agreements up to ``as_of`` not withdrawn (wholly) by then."""
    records = [r for r in effective_records(case) if r.date <= as_of]
    withdrawn = {r.agreement for r in records if isinstance(r, TAWithdrawn) and not r.issues}
    return [
        r
        for r in records
        if isinstance(r, TentativeAgreement) and r.is_whole_contract and r.id not in withdrawn
    ]


def _row(
    case: Case,
    costing: Costing | None,
    issues: Mapping[str, Issue],
    known: Mapping[str, list[Estimate]],
    record: str | None,
    kind: str,
    date: dt.date | None,
    from_party: str | None,
    to_party: str | None,
    positions: list[CostedPosition],
    stated: Mapping[str, Value],
) -> PackageCost:
    costed = {p.issue for p in positions}
    uncosted = tuple(i for i in stated if i not in costed and i in issues)
    note = None
    annual: tuple[float, ...] = ()
    total = average = None
    by_item: dict[str, tuple[float, ...]] = {}
    by_party: dict[str, float] = {}
    if costing is None:
        note = "no costing parameters"
    elif all(p.value is None for p in positions):
        note = f"states no value on the costed issues ({', '.join(sorted(costed))})"
    else:
        package = {p.issue: p.value for p in positions if p.value is not None}
        cost = contract_cost(costing, [issues[i] for i in costed], package)
        annual, total, by_item, by_party = cost.annual, cost.total, cost.by_item, cost.by_party
        average = cost.total / costing.term_years
    row = PackageCost(
        record, kind, date, from_party, to_party, tuple(positions), annual, total, average,
        by_item, by_party, uncosted, (), note,
    )  # fmt: skip
    if record is None:
        return row
    found = tuple(_compare(case, costing, row, e) for e in known.get(record, ()))
    return replace(row, estimates=found)


def _known_estimates(case: Case, as_of: dt.date) -> dict[str, list[Estimate]]:
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


def _compare(case: Case, costing: Costing | None, row: PackageCost, estimate: Estimate) -> EstimateComparison:
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
    case: Case, costing: Costing | None, row: PackageCost, estimate: Estimate, basis: str | None
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
    row: PackageCost,
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


def money(amount: float, currency: str = "USD") -> str:
    """An amount as people write it, to three significant figures.

    Examples
    --------
    >>> money(608e6), money(41.308e6), money(1.2e9), money(950), money(-2.5e6, "EUR")
    ('$608M', '$41.3M', '$1.2B', '$950', '-2.5M EUR')
    """
    size = abs(amount)
    scaled = next(
        (
            f"{amount / unit:.3g}{suffix}"
            for unit, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "K"))
            if size >= unit
        ),
        f"{amount:.3g}",
    )
    if currency != "USD":
        return f"{scaled} {currency}"
    return f"-${scaled[1:]}" if scaled.startswith("-") else f"${scaled}"
