"""Value functions evaluated on many positions at once: one issue, one party, values in ``[0, 1]``.

What each kind of value function means is defined once, by its ``value`` method in
:mod:`accord.model.value_functions` (the file formats need it too); this module applies it to arrays.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from accord.model import (
    Issue,
    LinearValue,
    NumericIssue,
    OptionValue,
    PiecewiseValue,
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
    return np.fromiter(
        (function.value(issue, party, p) for p in positions), dtype=np.float64, count=len(positions)
    )


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
        return min(function.value(issue, "", x) for x in (issue.low, issue.high, *inside))
    values = [v for _, v in _points(function)]
    if isinstance(function, StepValue):
        values.append(function.below)
    return min(values)


def _points(function: PiecewiseValue | StepValue) -> tuple[tuple[float, float], ...]:
    return function.points if isinstance(function, PiecewiseValue) else function.steps
