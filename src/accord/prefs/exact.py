"""Exact additive utilities: utility tables in scaled integers, so that dominance is decided exactly.

In floating point, sums that are equal on paper differ in their last bits (``0.675 + 0.255`` and
``0.68 + 0.25`` are not the same double), and a Pareto filter then keeps packages that are in fact
dominated, or drops genuine ones. Exact tables avoid that: for each party ``j`` a positive
rational *unit* ``unit[j]`` is chosen so that every weighted value of the party is a whole number
of units; a package's utility is ``unit[j] * (offset[j] + sum_i t_i[c_i, j])``, and sums of
integers are exact. Scaling one party's utilities by a positive factor never changes dominance,
so every frontier kernel runs on the integers unchanged. The tables are ``int64`` when every sum
fits (with room to add the parties' sums), Python integers in object arrays otherwise (slower, as
exact).

Where the rational numbers come from:

- an importer's :class:`~accord.model.exact.ExactProfile`: the decimals as written in the file;
- otherwise the float :class:`~accord.model.PreferenceModel` read exactly: each number as the
  shortest decimal that rounds to it (:func:`decimal`), which is the decimal written in a file
  whenever it has at most 15 significant digits, and each value function evaluated in rational
  arithmetic.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction
from itertools import pairwise
from typing import Any

import numpy as np
from numpy.typing import NDArray

from accord.model import (
    Issue,
    LinearValue,
    NumericIssue,
    OptionValue,
    PiecewiseValue,
    PreferenceModel,
    ProvisionValue,
    StepValue,
    Value,
    ValueFunction,
)
from accord.model.exact import ExactProfile
from accord.model.issue import Direction
from accord.prefs.tables import UtilityTables
from accord.prefs.tabulate import issue_options

INT64_LIMIT = 2**62
"""Exact tables are ``int64`` when the parties' largest sums add up to less than this."""


def decimal(x: float) -> Fraction:
    """The shortest decimal that rounds to ``x``, as a fraction (the number as written in a file).

    Examples
    --------
    >>> decimal(0.1), decimal(0.1 + 0.2), decimal(3.0)
    (Fraction(1, 10), Fraction(7500000000000001, 25000000000000000), Fraction(3, 1))
    """
    return Fraction(repr(float(x)))


def exact_value(function: ValueFunction, issue: Issue | None, party: str, position: Value) -> Fraction:
    """``function.value(issue, party, position)`` in rational arithmetic, every number read with
    :func:`decimal`.

    Examples
    --------
    >>> from accord.model import NumericIssue
    >>> pay = NumericIssue(id="pay", name="Pay", unit="%", low=0, high=3)
    >>> exact_value(LinearValue(direction="higher"), pay, "u", 1.0)
    Fraction(1, 3)
    """
    if isinstance(function, OptionValue):
        return decimal(function.scores[str(position)])
    if isinstance(function, ProvisionValue):
        values = {p: decimal(v) for p, v in function.values.items()}
        low = sum((v for v in values.values() if v < 0), Fraction(0))
        span = sum((v for v in values.values() if v > 0), Fraction(0)) - low
        if span == 0:
            return Fraction(0)
        assert isinstance(position, frozenset)
        total = sum((values.get(p, Fraction(0)) for p in position), Fraction(0))
        return _clip((total - low) / span)
    assert isinstance(position, (int, float)) and not isinstance(position, bool)
    x = decimal(position)
    if isinstance(function, LinearValue):
        assert isinstance(issue, NumericIssue)
        low, high = decimal(issue.low), decimal(issue.high)
        fraction = _clip((x - low) / (high - low))
        direction = function.direction or issue.directions.get(party)
        return fraction if direction is Direction.HIGHER else 1 - fraction
    if isinstance(function, PiecewiseValue):
        points = [(decimal(at), decimal(v)) for at, v in function.points]
        if x <= points[0][0]:
            return points[0][1]
        for (x0, y0), (x1, y1) in pairwise(points):
            if x <= x1:
                return y0 + (y1 - y0) * (x - x0) / (x1 - x0)
        return points[-1][1]
    assert isinstance(function, StepValue)
    reached = [decimal(v) for at, v in function.steps if decimal(at) <= x]
    return reached[-1] if reached else decimal(function.below)


def _clip(x: Fraction) -> Fraction:
    return min(Fraction(1), max(Fraction(0), x))


def exact_profile(model: PreferenceModel, issues: Sequence[Issue]) -> ExactProfile:
    """A float model read exactly over ``issues`` (every number read with :func:`decimal`).

    Examples
    --------
    >>> from accord.model import CategoricalIssue
    >>> colour = CategoricalIssue(id="c", name="C", options=["red", "blue"])
    >>> m = PreferenceModel(party="u", label="U", weights={"c": 0.3},
    ...     values={"c": {"kind": "options", "scores": {"red": 0.1, "blue": 1}}})
    >>> p = exact_profile(m, [colour])
    >>> p.weights["c"], p.values["c"]
    (Fraction(3, 10), (Fraction(1, 10), Fraction(1, 1)))
    """
    values = {
        issue.id: tuple(
            exact_value(model.values[issue.id], issue, model.party, o) for o in issue_options(issue)
        )
        for issue in issues
        if issue.id in model.weights
    }
    return ExactProfile(
        party=model.party,
        weights={i: decimal(w) for i, w in model.weights.items()},
        values=values,
        reservation=decimal(model.reservation),
    )


def _worst(function: ValueFunction) -> Fraction:
    """The lowest value of ``function`` over its own range (an issue outside the space)."""
    if isinstance(function, (LinearValue, ProvisionValue)):
        return Fraction(0)
    if isinstance(function, OptionValue):
        return min(decimal(v) for v in function.scores.values())
    if isinstance(function, PiecewiseValue):
        return min(decimal(v) for _, v in function.points)
    return min([decimal(function.below), *(decimal(v) for _, v in function.steps)])


def exact_tables(
    issues: Sequence[Issue],
    models: Sequence[PreferenceModel],
    profiles: Sequence[ExactProfile | None] | None = None,
) -> UtilityTables:
    """Exact utility tables of ``models`` over ``issues`` (see the module docstring).

    The same outcome space and column order as :func:`accord.prefs.utility_tables`, with integer
    tables and ``unit`` set. ``profiles`` (one per model, or ``None`` for a model) give the
    rational numbers an importer read; other models are read with :func:`decimal`.

    Raises
    ------
    ValueError
        When a profile does not fit the issues, or all of a party's weights are 0.

    Examples
    --------
    >>> from accord.model import CategoricalIssue
    >>> a = CategoricalIssue(id="a", name="A", options=["x", "y"])
    >>> b = CategoricalIssue(id="b", name="B", options=["x", "y"])
    >>> m = PreferenceModel(party="u", label="U", weights={"a": 0.1, "b": 0.2},
    ...     values={"a": {"kind": "options", "scores": {"x": 1, "y": 0}},
    ...             "b": {"kind": "options", "scores": {"x": 0.5, "y": 1}}})
    >>> t = exact_tables([a, b], [m])
    >>> [table.ravel().tolist() for table in t.tables], t.unit
    ([[1, 0], [1, 2]], (Fraction(1, 3),))
    """
    if profiles is not None and len(profiles) != len(models):
        raise ValueError(f"{len(profiles)} profiles for {len(models)} models")
    options = tuple(issue_options(issue) for issue in issues)
    known = {issue.id for issue in issues}
    columns: list[tuple[list[list[Fraction]], Fraction]] = []
    for j, model in enumerate(models):
        profile = profiles[j] if profiles is not None else None
        profile = profile if profile is not None else exact_profile(model, issues)
        total = sum(profile.weights.values(), Fraction(0))
        if total <= 0:
            raise ValueError(f"party {model.party!r}: all weights are 0")
        entries = []
        for issue, opts in zip(issues, options, strict=True):
            weight = profile.weights.get(issue.id, Fraction(0)) / total
            if weight == 0:
                entries.append([Fraction(0)] * len(opts))
                continue
            values = profile.values.get(issue.id)
            if values is None or len(values) != len(opts):
                found = "none" if values is None else len(values)
                raise ValueError(
                    f"party {model.party!r}: {found} values for the {len(opts)} options of {issue.id!r}"
                )
            entries.append([weight * v for v in values])
        offset = Fraction(0)
        for issue_id, weight in profile.weights.items():
            if issue_id not in known and weight > 0:
                given = profile.values.get(issue_id)
                worst = min(given) if given else _worst(model.values[issue_id])
                offset += weight / total * worst
        columns.append((entries, offset))
    return _integer_tables(issues, options, columns, tuple(m.party for m in models))


def _integer_tables(
    issues: Sequence[Issue],
    options: tuple[tuple[Value, ...], ...],
    columns: list[tuple[list[list[Fraction]], Fraction]],
    parties: tuple[str, ...],
) -> UtilityTables:
    units: list[Fraction] = []
    ints: list[tuple[list[list[int]], int]] = []
    bound = 0
    for entries, offset in columns:
        denominator = math.lcm(offset.denominator, *(v.denominator for row in entries for v in row))
        scaled = [[v.numerator * (denominator // v.denominator) for v in row] for row in entries]
        scaled_offset = offset.numerator * (denominator // offset.denominator)
        common = math.gcd(scaled_offset, *(n for row in scaled for n in row)) or 1
        scaled = [[n // common for n in row] for row in scaled]
        units.append(Fraction(common, denominator))
        ints.append((scaled, scaled_offset // common))
        bound += abs(scaled_offset // common) + sum(max(map(abs, row), default=0) for row in scaled)
    dtype: Any = np.int64 if bound < INT64_LIMIT else object
    k = len(parties)
    tables = []
    for i, opts in enumerate(options):
        table = np.zeros((len(opts), k), dtype=dtype)
        for j, (scaled, _) in enumerate(ints):
            table[:, j] = np.array(scaled[i], dtype=dtype)
        tables.append(table)
    return UtilityTables(
        issue_ids=tuple(issue.id for issue in issues),
        options=options,
        tables=tuple(tables),
        offset=np.array([o for _, o in ints], dtype=dtype),
        parties=parties,
        unit=tuple(units),
    )


def to_float(raw: NDArray[Any], unit: Sequence[Fraction]) -> NDArray[np.float64]:
    """Utilities ``(n, k)`` as floats from exact integers ``raw`` and per-party ``unit``: each the
    double nearest to the exact value, so utilities equal on paper are equal floats.

    Examples
    --------
    >>> to_float(np.array([[93, 1], [31, 2]]), (Fraction(1, 100), Fraction(1, 3))).tolist()
    [[0.93, 0.3333333333333333], [0.31, 0.6666666666666666]]
    """
    raw = np.asarray(raw)
    out = np.empty(raw.shape, dtype=np.float64)
    for j, u in enumerate(unit):
        column = raw[:, j]
        p, q = u.numerator, u.denominator
        if column.dtype == np.int64 and q < 2**53 and int(np.abs(column).max(initial=0)) * p < 2**53:
            # |raw * p| < 2**53: the product and the quotient are each rounded once, correctly
            out[:, j] = (column * p).astype(np.float64) / q
        else:
            out[:, j] = [int(n) * p / q for n in column.tolist()]
    return out


def exact_values(raw: NDArray[Any], unit: Sequence[Fraction]) -> list[tuple[Fraction, ...]]:
    """Utilities ``(n, k)`` as fractions, from exact integers ``raw`` and per-party ``unit``."""
    return [tuple(int(n) * u for n, u in zip(row, unit, strict=True)) for row in np.asarray(raw).tolist()]


__all__ = ["decimal", "exact_profile", "exact_tables", "exact_value", "exact_values", "to_float"]
