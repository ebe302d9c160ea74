"""What one package costs: the arithmetic of :func:`accord.prefs.contract_cost` (per contract year,
compounding, and over the term) as the costing of the record states it, and amounts as people
write them.

:func:`package_cost` gives a whole package's :class:`Cost`; :func:`package_figures` the figures of
a package found on the record, issue by issue (:class:`CostedPosition`: stated, carried from an
earlier proposal, or not addressed), which :func:`accord.analysis.costing.case_costing` lists
and :mod:`accord.analysis.cost_estimates` compares with the published estimates.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from accord.model import Costing, Issue, Value
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
class PackageFigures:
    """The figures of one package found on the record (the fields of the same names of
    :class:`accord.analysis.costing.PackageCost`): all empty or ``None`` without costing
    parameters, or when the package addresses no costed issue (``note`` says which)."""

    positions: tuple[CostedPosition, ...]
    annual: tuple[float, ...]
    total: float | None
    average: float | None
    by_item: dict[str, tuple[float, ...]]
    by_party: dict[str, float]
    uncosted: tuple[str, ...]
    note: str | None


def package_figures(
    costing: Costing | None,
    issues: Mapping[str, Issue],
    positions: Sequence[CostedPosition],
    stated: Mapping[str, Value],
) -> PackageFigures:
    """The figures of the package of ``positions`` (one per costed issue) with ``costing``;
    ``stated``: every value the package states, so that those the costing prices not at all are
    named (``uncosted``)."""
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
    return PackageFigures(tuple(positions), annual, total, average, by_item, by_party, uncosted, note)


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
