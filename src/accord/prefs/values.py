"""Value functions evaluated on arrays of positions: one issue, one party, values in ``[0, 1]``."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from accord.model import (
    Direction,
    Issue,
    LinearValue,
    NumericIssue,
    OptionValue,
    PiecewiseValue,
    ProvisionIssue,
    ProvisionValue,
    StepValue,
    Value,
    ValueFunction,
)


def issue_values(
    function: ValueFunction, issue: Issue, party: str, positions: Sequence[Value]
) -> NDArray[np.float64]:
    """The value in ``[0, 1]`` of each position on ``issue`` under ``function``.

    Parameters
    ----------
    function
        The party's value function for this issue.
    issue
        The issue; its kind must fit the function's kind.
    party
        The party whose ``directions`` entry a :class:`LinearValue` without a direction uses.
    positions
        Valid positions on the issue (numbers, option names, or provision sets).

    Raises
    ------
    ValueError
        When the function does not fit the issue, or a position is not valid on it.

    Examples
    --------
    >>> from accord.model import NumericIssue, PiecewiseValue
    >>> pay = NumericIssue(id="pay", name="Pay", unit="%", low=0, high=10)
    >>> issue_values(PiecewiseValue(points=[(0, 0), (4, 0.8), (10, 1)]), pay, "u", [2, 4, 7]).tolist()
    [0.4, 0.8, 0.9]
    """
    for position in positions:
        error = issue.value_error(position)
        if error:
            raise ValueError(f"issue {issue.id!r}: {error}")
    if isinstance(function, (LinearValue, PiecewiseValue, StepValue)):
        if not isinstance(issue, NumericIssue):
            raise ValueError(
                f"a {function.kind!r} value function needs a numeric issue; {issue.id!r} is {issue.type}"
            )
        x = np.asarray(positions, dtype=np.float64)
        return _numeric(function, issue, party, x)
    if isinstance(function, OptionValue):
        if not hasattr(issue, "options"):
            raise ValueError(
                f"an 'options' value function needs an option issue; {issue.id!r} is {issue.type}"
            )
        missing = sorted({str(p) for p in positions} - set(function.scores))
        if missing:
            raise ValueError(f"no score for option(s) {missing} of issue {issue.id!r}")
        return np.array([function.scores[str(p)] for p in positions], dtype=np.float64)
    if not isinstance(issue, ProvisionIssue):
        raise ValueError(
            f"a 'provisions' value function needs a provision issue; {issue.id!r} is {issue.type}"
        )
    low, span = _provision_scale(function)
    sets = [position for position in positions if isinstance(position, frozenset)]
    totals = np.array([sum(function.values.get(p, 0.0) for p in s) for s in sets], dtype=np.float64)
    return np.clip((totals - low) / span, 0.0, 1.0) if span > 0 else np.zeros(len(positions))


def worst_value(function: ValueFunction, issue: Issue | None = None) -> float:
    """The lowest value ``function`` gives on ``issue`` (over the function's own range when
    ``issue`` is ``None``): what a package that leaves the issue out is worth on it.

    Examples
    --------
    >>> from accord.model import OptionValue
    >>> worst_value(OptionValue(scores={"a": 0.3, "b": 0.9}))
    0.3
    """
    if isinstance(function, (LinearValue, ProvisionValue)):
        return 0.0
    if isinstance(function, OptionValue):
        if issue is not None and hasattr(issue, "options"):
            return min(function.scores.get(o, 0.0) for o in issue.options)
        return min(function.scores.values())
    if isinstance(issue, NumericIssue):
        inside = [at for at, _ in _points(function) if issue.low < at < issue.high]
        x = np.array([issue.low, issue.high, *inside], dtype=np.float64)
        return float(_numeric(function, issue, "", x).min())
    values = [v for _, v in _points(function)]
    if isinstance(function, StepValue):
        values.append(function.below)
    return min(values)


def _points(function: PiecewiseValue | StepValue) -> tuple[tuple[float, float], ...]:
    return function.points if isinstance(function, PiecewiseValue) else function.steps


def _numeric(
    function: LinearValue | PiecewiseValue | StepValue,
    issue: NumericIssue,
    party: str,
    x: NDArray[np.float64],
) -> NDArray[np.float64]:
    if isinstance(function, LinearValue):
        direction = function.direction or issue.directions.get(party)
        if direction is None:
            raise ValueError(
                f"linear value of {issue.id!r} for {party!r} has no direction and the issue states none"
            )
        fraction = (x - issue.low) / (issue.high - issue.low)
        return np.clip(fraction if direction is Direction.HIGHER else 1.0 - fraction, 0.0, 1.0)
    if isinstance(function, PiecewiseValue):
        ats = np.array([at for at, _ in function.points])
        values = np.array([v for _, v in function.points])
        return np.asarray(np.interp(x, ats, values), dtype=np.float64)
    ats = np.array([at for at, _ in function.steps])
    values = np.array([function.below, *(v for _, v in function.steps)])
    return np.asarray(values[np.searchsorted(ats, x, side="right")], dtype=np.float64)


def _provision_scale(function: ProvisionValue) -> tuple[float, float]:
    """``(low, span)``: the sum of the negative values, and the distance to the sum of the positive."""
    low = sum(v for v in function.values.values() if v < 0)
    high = sum(v for v in function.values.values() if v > 0)
    return low, high - low
