"""What each package on the record costs, as of a date, beside the parties' own published figures.

:func:`case_costing` costs, with a preference file's costing parameters
(:func:`accord.prefs.contract_cost`: per contract year, compounding, and over the term; the
arithmetic of one package is :mod:`accord.analysis.cost_figures`):

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
construction (the comparison is :mod:`accord.analysis.cost_estimates`). Everything is plain
values; :func:`accord.ledger.to_jsonable` gives the JSON. The public names of those two modules
are importable from here as well.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from accord.analysis.cost_estimates import EstimateComparison, compare, estimate_text, known_estimates
from accord.analysis.cost_figures import Cost, CostedPosition, money, package_cost, package_figures
from accord.analysis.proposals import tabled_proposals
from accord.ledger import effective_records
from accord.model import Case, Costing, Issue, TentativeAgreement, Value
from accord.model.case import Estimate
from accord.model.event import TAWithdrawn

__all__ = [
    "CaseCosting",
    "Cost",
    "CostedPosition",
    "CostingTerms",
    "EstimateComparison",
    "PackageCost",
    "case_costing",
    "estimate_text",
    "money",
    "package_cost",
]


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
    rows = _Rows(
        case,
        costing,
        {issue.id: issue for issue in case.issues},
        () if terms is None else terms.costed_issues,
        known_estimates(case, as_of),
    )
    found = [*_proposal_rows(rows, as_of), *_agreement_rows(rows, as_of), *_package_rows(rows, packages)]
    found.sort(key=lambda r: (r.date is None, r.date or dt.date.max))  # stable: record order kept
    return CaseCosting(case.id, case.title, as_of, terms, tuple(found), tuple(notes))


@dataclass(frozen=True, slots=True)
class _Rows:
    """What costing one package of the case takes: the case, the costing parameters, its issues by
    id, the costed ones, and the estimates known by the date (record id -> estimates)."""

    case: Case
    costing: Costing | None
    issues: dict[str, Issue]
    costed: tuple[str, ...]
    known: Mapping[str, list[Estimate]]

    def row(
        self,
        record: str | None,
        kind: str,
        date: dt.date | None,
        from_party: str | None,
        to_party: str | None,
        positions: list[CostedPosition],
        stated: Mapping[str, Value],
    ) -> PackageCost:
        """The package of ``positions`` costed, beside the estimates regarding ``record``."""
        figures = package_figures(self.costing, self.issues, positions, stated)
        estimates = (
            ()
            if record is None
            else tuple(compare(self.case, self.costing, figures, e) for e in self.known.get(record, ()))
        )
        return PackageCost(
            record, kind, date, from_party, to_party, figures.positions, figures.annual, figures.total,
            figures.average, figures.by_item, figures.by_party, figures.uncosted, estimates, figures.note,
        )  # fmt: skip

    def positions(self, stated: Mapping[str, Value]) -> list[CostedPosition]:
        """A package's costed positions: the values it states, the other costed issues not addressed."""
        return [
            CostedPosition(i, stated[i], "stated", None)
            if i in stated
            else CostedPosition(i, None, "not_addressed", None)
            for i in self.costed
        ]


def _proposal_rows(rows: _Rows, as_of: dt.date) -> list[PackageCost]:
    """Every proposal tabled up to ``as_of``, as the package it leaves on the table: an issue it
    does not state carries its maker's latest earlier stated value."""
    found: list[PackageCost] = []
    last: dict[tuple[str, str], tuple[Value, str]] = {}
    for proposal in tabled_proposals(rows.case, as_of):
        stated = {i: p.value for i, p in proposal.positions.items() if p.value is not None}
        positions = []
        for issue_id in rows.costed:
            if issue_id in stated:
                positions.append(CostedPosition(issue_id, stated[issue_id], "stated", None))
            elif (proposal.from_party, issue_id) in last:
                value, source = last[(proposal.from_party, issue_id)]
                positions.append(CostedPosition(issue_id, value, "carried", source))
            else:
                positions.append(CostedPosition(issue_id, None, "not_addressed", None))
        found.append(
            rows.row(proposal.id, "proposal", proposal.date, proposal.from_party, proposal.to_party,
                     positions, stated)
        )  # fmt: skip
        for issue_id, value in stated.items():
            last[(proposal.from_party, issue_id)] = (value, proposal.id)
    return found


def _agreement_rows(rows: _Rows, as_of: dt.date) -> list[PackageCost]:
    """Every whole-contract tentative agreement up to ``as_of`` not withdrawn, by its terms."""
    found: list[PackageCost] = []
    for agreement in _agreements(rows.case, as_of):
        stated = {i: p.value for i, p in agreement.terms.items() if p.value is not None}
        a, b = agreement.parties
        found.append(
            rows.row(agreement.id, "agreement", agreement.date, a, b, rows.positions(stated), stated)
        )
    return found


def _package_rows(rows: _Rows, packages: Sequence[Mapping[str, Value]]) -> list[PackageCost]:
    """Each package given, its values checked against the case's issues first."""
    found: list[PackageCost] = []
    for package in packages:
        for issue_id, value in package.items():
            issue = rows.issues.get(issue_id)
            if issue is None:
                raise ValueError(f"unknown issue {issue_id!r}; expected one of {list(rows.issues)}")
            error = issue.value_error(value)
            if error:
                raise ValueError(f"issue {issue_id!r}: {error}")
        found.append(rows.row(None, "package", None, None, None, rows.positions(package), dict(package)))
    return found


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
    records = list(effective_records(case, as_of))
    withdrawn = {r.agreement for r in records if isinstance(r, TAWithdrawn) and not r.issues}
    return [
        r
        for r in records
        if isinstance(r, TentativeAgreement) and r.is_whole_contract and r.id not in withdrawn
    ]
