"""Contract costing: the annual and total cost of a package over the contract term.

Raises compound: with raises ``r_1 .. r_T`` (percent per contract year) on a covered payroll
``B``, year ``t`` costs ``B * (prod_{k <= t} (1 + r_k / 100) - 1)`` more than the old contract,
and the term costs the sum over its years. So two patterns that compound to the same final rate
cost different amounts: front-loading (5/4/3.5) costs more over the term than back-loading
(3.5/4/5). Other cost items are flat annual amounts (per unit of a numeric issue, per option, or
per provision included). An issue the package leaves out costs nothing (the old contract holds).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from accord.model import (
    Costing,
    Issue,
    NumericIssue,
    OptionCost,
    ProvisionCost,
    RaiseCost,
    UnitCost,
    Value,
)


def compounded(raises: Sequence[float]) -> float:
    """The total increase, as a fraction, of successive raises given in percent.

    Examples
    --------
    >>> round(compounded([6, 5, 5]), 4)  # the WGA's May 1 ask: "16.9% compounded"
    0.1687
    """
    return float(np.prod([1 + r / 100 for r in raises]) - 1)


def raise_costs(base: float, raises: Sequence[float], term_years: int) -> NDArray[np.float64]:
    """``(term_years,)``: what each contract year costs above the old payroll ``base``.

    Years beyond ``raises`` keep the last year's pay (no further raise).

    Examples
    --------
    >>> raise_costs(100.0, [5, 4, 3.5], 3).round(3).tolist()
    [5.0, 9.2, 13.022]
    >>> raise_costs(100.0, [3.5, 4, 5], 3).round(3).tolist()
    [3.5, 7.64, 13.022]
    """
    if len(raises) > term_years:
        raise ValueError(f"{len(raises)} yearly raises do not fit a {term_years}-year term")
    factors = np.ones(term_years)
    factors[: len(raises)] += np.asarray(raises, dtype=np.float64) / 100
    return np.asarray(base * (np.cumprod(factors) - 1), dtype=np.float64)


def raises_compounding_to(total: float, profile: Sequence[float]) -> list[float]:
    """Yearly raises (percent) proportional to ``profile`` that compound to ``total`` percent.

    Found by bisection on the scale (the compounded increase grows with it).

    Examples
    --------
    >>> [round(r, 2) for r in raises_compounding_to(13.022, [1, 0.8, 0.7])]  # 5/4/3.5 compounds to 13.022%
    [5.0, 4.0, 3.5]
    """
    if total < 0 or not any(f > 0 for f in profile):
        raise ValueError(
            f"need a total >= 0 and a profile with a positive factor (got {total}, {list(profile)})"
        )
    low, high = 0.0, max(1.0, total)
    while 100 * compounded([high * f for f in profile]) < total:
        high *= 2
    for _ in range(100):
        middle = (low + high) / 2
        if 100 * compounded([middle * f for f in profile]) < total:
            low = middle
        else:
            high = middle
    return [high * f for f in profile]


def numeric_pattern(patterns: Mapping[str, Sequence[float]], value: float) -> Sequence[float] | None:
    """The raises ``patterns`` gives for the numeric ``value`` (keys are values as written), if any.

    Examples
    --------
    >>> numeric_pattern({"16.9": [6, 5, 5], "9.3": [4, 3, 2]}, 9.3)
    [4, 3, 2]
    >>> numeric_pattern({"16.9": [6, 5, 5]}, 13.0) is None
    True
    """
    for key, raises in patterns.items():
        try:
            if abs(float(key) - value) <= 1e-9 * max(1.0, abs(value)):
                return raises
        except ValueError:
            continue
    return None


@dataclass(frozen=True, slots=True)
class ContractCost:
    """The cost of one package: per contract year, in total, per cost item, and per party.

    ``by_item`` maps ``"<kind>:<issue>"`` to that item's yearly costs; ``by_party`` splits the
    total by the costing's shares (empty when there are none).
    """

    currency: str
    annual: tuple[float, ...]
    by_item: dict[str, tuple[float, ...]]
    by_party: dict[str, float]

    @property
    def total(self) -> float:
        return float(sum(self.annual))


def contract_cost(costing: Costing, issues: Sequence[Issue], package: Mapping[str, Value]) -> ContractCost:
    """The annual and total cost of ``package`` (issue id -> position) under ``costing``.

    Raises
    ------
    ValueError
        When an item names an issue not among ``issues``, or a position has no cost entry
        (e.g. an option with no raise pattern).

    Examples
    --------
    >>> from accord.model import Costing, OrdinalIssue
    >>> pay = OrdinalIssue(id="pay", name="Minimums", options=["4/3/2", "5/4/3.5", "6/5/5"])
    >>> costing = Costing(term_years=3, items=[{"kind": "raises", "issue": "pay", "base": 1000,
    ...     "patterns": {"4/3/2": [4, 3, 2], "5/4/3.5": [5, 4, 3.5], "6/5/5": [6, 5, 5]}}],
    ...     shares={"netflix": 68, "sony": 25})
    >>> cost = contract_cost(costing, [pay], {"pay": "5/4/3.5"})
    >>> [round(a, 2) for a in cost.annual], round(cost.total, 2)
    ([50.0, 92.0, 130.22], 272.22)
    >>> {party: round(c, 1) for party, c in cost.by_party.items()}
    {'netflix': 199.0, 'sony': 73.2}
    """
    by_id = {issue.id: issue for issue in issues}
    by_item: dict[str, tuple[float, ...]] = {}
    annual = np.zeros(costing.term_years)
    for item in costing.items:
        issue = by_id.get(item.issue)
        if issue is None:
            raise ValueError(
                f"cost item {item.kind!r} names issue {item.issue!r}, which is not among the issues"
            )
        position = package.get(item.issue)
        years = _item_costs(item, issue, position, costing.term_years)
        by_item[f"{item.kind}:{item.issue}"] = tuple(float(c) for c in years)
        annual += years
    total = float(annual.sum())
    share_sum = sum(costing.shares.values())
    by_party = {party: total * share / share_sum for party, share in costing.shares.items()}
    return ContractCost(
        currency=costing.currency,
        annual=tuple(float(a) for a in annual),
        by_item=by_item,
        by_party=by_party,
    )


def _item_costs(
    item: RaiseCost | UnitCost | OptionCost | ProvisionCost, issue: Issue, position: Value | None, term: int
) -> NDArray[np.float64]:
    if position is None:
        return np.zeros(term)
    error = issue.value_error(position)
    if error:
        raise ValueError(f"issue {issue.id!r}: {error}")
    if isinstance(item, RaiseCost):
        if isinstance(position, (int, float)):
            stated = numeric_pattern(item.patterns, float(position))
            if stated is not None:
                return raise_costs(item.base, stated, term)
            profile = list(item.profile) or [1.0] * term
            if item.compounded:
                return raise_costs(item.base, raises_compounding_to(float(position), profile), term)
            return raise_costs(item.base, [float(position) * f for f in profile], term)
        if str(position) not in item.patterns:
            raise ValueError(f"no raise pattern for option {position!r} of {issue.id!r}")
        return raise_costs(item.base, item.patterns[str(position)], term)
    if isinstance(item, UnitCost):
        assert isinstance(issue, NumericIssue) and isinstance(position, (int, float))
        baseline = issue.low if item.baseline is None else item.baseline
        return np.full(term, item.per_unit * (float(position) - baseline))
    if isinstance(item, OptionCost):
        return np.full(term, item.costs.get(str(position), 0.0))
    assert isinstance(position, frozenset)
    return np.full(term, sum(item.costs.get(p, 0.0) for p in position))
