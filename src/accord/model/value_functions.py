"""Value functions: how one party values the positions on one issue, each mapping to ``[0, 1]``.

=============  ==============  ===============================================================
issue          ``kind``        value of a position
=============  ==============  ===============================================================
numeric        ``linear``      0 at the worse end of ``[low, high]``, 1 at the better, linear
numeric        ``piecewise``   linear interpolation between ``points`` ``[at, value]``; flat
                               beyond the first and last point
numeric        ``steps``       the value of the last step ``[at, value]`` with ``at <= x``;
                               ``below`` under the first step
ordinal or     ``options``     ``scores[option]``
categorical
provisions     ``provisions``  additive: the sum of ``values[p]`` over the provisions included,
                               rescaled so the worst set scores 0 and the best 1
=============  ==============  ===============================================================

They are parts of a :class:`~accord.model.PreferenceModel` (:mod:`accord.model.preferences`).

>>> from accord.model import NumericIssue
>>> pay = NumericIssue(id="pay", name="Pay", unit="%", low=2, high=6)
>>> LinearValue(direction="higher").value(pay, "wga", 5), StepValue(steps=[[4, 0.6]]).value(pay, "wga", 3)
(0.75, 0.0)
"""

from __future__ import annotations

from itertools import pairwise
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from accord.model.common import Frozen, Id
from accord.model.issue import Direction, Issue, NumericIssue, OptionIssue, ProvisionIssue, Value
from accord.model.limits import Finite, Name, NonNegative, sum_problem

__all__ = [
    "Finite",
    "LinearValue",
    "NonNegative",
    "OptionValue",
    "PiecewiseValue",
    "Point",
    "ProvisionValue",
    "StepValue",
    "Unit",
    "ValueFunction",
]

Unit = Annotated[float, Field(ge=0.0, le=1.0)]
"""A number in ``[0, 1]``."""
Point = tuple[Finite, Unit]
"""``[at, value]``: a position on a numeric issue and its value in ``[0, 1]``."""


def _increasing(points: tuple[Point, ...], what: str) -> None:
    ats = [at for at, _ in points]
    if any(b <= a for a, b in pairwise(ats)):
        raise ValueError(f"{what} must be listed with strictly increasing 'at' (got {ats})")


def _number(function: object, issue: Issue, position: Value) -> tuple[NumericIssue, float]:
    if not isinstance(issue, NumericIssue):
        kind = getattr(function, "kind", "?")
        raise ValueError(f"a {kind!r} value function needs a numeric issue; {issue.id!r} is {issue.type}")
    if isinstance(position, bool) or not isinstance(position, (int, float)):
        raise ValueError(f"issue {issue.id!r}: expected a number, got {position!r}")
    return issue, float(position)


def _interpolate(points: tuple[Point, ...], x: float) -> float:
    """Linear interpolation between ``points``, flat beyond the first and the last."""
    if x <= points[0][0]:
        return points[0][1]
    for (x0, y0), (x1, y1) in pairwise(points):
        if x <= x1:
            return y0 + (y1 - y0) * (x - x0) / (x1 - x0)
    return points[-1][1]


class LinearValue(Frozen):
    """Numeric issue: 0 at the worse end of ``[low, high]``, 1 at the better end.

    ``direction`` says which end is better; where it is left out, the issue's ``directions``
    entry for the model's party is used.
    """

    kind: Literal["linear"] = "linear"
    direction: Direction | None = None

    def value(self, issue: Issue, party: str, position: Value) -> float:
        """The value of ``position`` on ``issue`` for ``party``, in ``[0, 1]``."""
        numeric, x = _number(self, issue, position)
        direction = self.direction or numeric.directions.get(party)
        if direction is None:
            raise ValueError(
                f"linear value of {issue.id!r} for {party!r} has no direction and the issue states none"
            )
        fraction = min(1.0, max(0.0, (x - numeric.low) / (numeric.high - numeric.low)))
        return fraction if direction is Direction.HIGHER else 1.0 - fraction


class PiecewiseValue(Frozen):
    """Numeric issue: linear between ``points`` (``[at, value]``), flat beyond the ends."""

    kind: Literal["piecewise"] = "piecewise"
    points: tuple[Point, ...] = Field(min_length=2)

    @model_validator(mode="after")
    def _points_in_order(self) -> PiecewiseValue:
        _increasing(self.points, "points")
        return self

    def value(self, issue: Issue, party: str, position: Value) -> float:
        """The value of ``position`` on ``issue``, in ``[0, 1]``."""
        return _interpolate(self.points, _number(self, issue, position)[1])


class StepValue(Frozen):
    """Numeric issue: thresholds. A position ``x`` is worth the value of the last step whose
    ``at`` is at most ``x``, and ``below`` under the first step."""

    kind: Literal["steps"] = "steps"
    below: Unit = 0.0
    steps: tuple[Point, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _steps_in_order(self) -> StepValue:
        _increasing(self.steps, "steps")
        return self

    def value(self, issue: Issue, party: str, position: Value) -> float:
        """The value of ``position`` on ``issue``, in ``[0, 1]``."""
        x = _number(self, issue, position)[1]
        reached = [v for at, v in self.steps if at <= x]
        return reached[-1] if reached else self.below


class OptionValue(Frozen):
    """Ordinal or categorical issue: a score in ``[0, 1]`` for every option."""

    kind: Literal["options"] = "options"
    scores: dict[Name, Unit] = Field(min_length=1)

    def value(self, issue: Issue, party: str, position: Value) -> float:
        """The score of option ``position`` of ``issue``."""
        if not isinstance(issue, OptionIssue):
            raise ValueError(
                f"an 'options' value function needs an option issue; {issue.id!r} is {issue.type}"
            )
        if not isinstance(position, str) or position not in self.scores:
            raise ValueError(f"no score for option {position!r} of issue {issue.id!r}")
        return self.scores[position]


class ProvisionValue(Frozen):
    """Provision-set issue: each provision adds its value (negative for a provision the party
    would rather not have). The sum is rescaled to ``[0, 1]``: the set of all negative-valued
    provisions scores 0 and the set of all positive-valued ones scores 1. Provisions left out
    are worth 0."""

    kind: Literal["provisions"] = "provisions"
    values: dict[Id, Finite] = Field(min_length=1)

    @field_validator("values")
    @classmethod
    def _span_is_finite(cls, values: dict[str, float]) -> dict[str, float]:
        problem = sum_problem((abs(v) for v in values.values()), "provision values (in absolute value)")
        if problem:
            raise ValueError(problem)
        return values

    def value(self, issue: Issue, party: str, position: Value) -> float:
        """The rescaled sum of the values of the provisions in ``position`` (a set)."""
        if not isinstance(issue, ProvisionIssue):
            raise ValueError(
                f"a 'provisions' value function needs a provision issue; {issue.id!r} is {issue.type}"
            )
        if not isinstance(position, frozenset):
            raise ValueError(f"issue {issue.id!r}: expected a set of provision ids, got {position!r}")
        low = sum(v for v in self.values.values() if v < 0)
        span = sum(v for v in self.values.values() if v > 0) - low
        if span == 0:
            return 0.0
        return min(1.0, max(0.0, (sum(self.values.get(p, 0.0) for p in position) - low) / span))


ValueFunction = Annotated[
    LinearValue | PiecewiseValue | StepValue | OptionValue | ProvisionValue, Field(discriminator="kind")
]
"""Any value function; the ``kind`` field says which."""
