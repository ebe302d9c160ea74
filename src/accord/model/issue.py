"""Typed issues: numeric, ordinal, categorical, and provision sets.

A position on an issue is a plain value whose type follows the issue:

- numeric: a number within ``[low, high]``;
- ordinal and categorical: one of the issue's option names;
- provisions: the set of provision ids a package includes (each provision present or absent).
"""

from __future__ import annotations

import math
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from accord.model.common import Alias, Frozen, Id, unique_aliases
from accord.model.limits import Finite, Name, Text

Value = float | str | frozenset[str]
"""A position's value on one issue; which type depends on the issue (see module docstring)."""


class Direction(StrEnum):
    """Which end of a numeric or ordinal issue a party prefers."""

    HIGHER = "higher"
    LOWER = "lower"


class IssueBase(Frozen):
    id: Id
    name: Name
    description: Text | None = None
    sources: tuple[Id, ...] = ()
    aliases: tuple[Alias, ...] = Field(
        default=(), description="Other names the issue goes by in the press (e.g. 'AI', 'residuals')."
    )

    _aliases_unique = field_validator("aliases")(unique_aliases)

    def value_error(self, value: object) -> str | None:
        """Why ``value`` is not a valid position on this issue, or ``None`` when it is."""
        raise NotImplementedError

    def distance(self, a: Value, b: Value) -> float:
        """Normalised distance between two valid positions, in ``[0, 1]``."""
        raise NotImplementedError


class NumericIssue(IssueBase):
    """A quantity with a unit, bounds and a step (e.g. a wage increase in percent)."""

    type: Literal["numeric"] = "numeric"
    unit: Name
    low: Finite
    high: Finite
    step: Finite = Field(default=1.0, gt=0)
    directions: dict[Id, Direction] = Field(
        default_factory=dict, description="Party id -> the end of the range that party prefers."
    )

    @model_validator(mode="after")
    def _bounds_in_order(self) -> NumericIssue:
        if not self.low < self.high:
            raise ValueError(f"low ({self.low}) must be below high ({self.high})")
        if not math.isfinite(self.high - self.low):
            raise ValueError(f"high - low ({self.high} - {self.low}) is more than the largest number")
        return self

    def value_error(self, value: object) -> str | None:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value):
            return f"expected a number in [{self.low:g}, {self.high:g}] {self.unit}, got {value!r}"
        if not self.low <= value <= self.high:
            return f"{value:g} is outside [{self.low:g}, {self.high:g}] {self.unit}"
        return None

    def distance(self, a: Value, b: Value) -> float:
        assert isinstance(a, (int, float)) and isinstance(b, (int, float))
        return abs(float(a) - float(b)) / (self.high - self.low)

    @property
    def levels(self) -> tuple[float, ...]:
        """The discrete values from ``low`` to ``high`` by ``step`` (``high`` always included)."""
        count = math.floor((self.high - self.low) / self.step + 1e-9)
        values = [round(self.low + i * self.step, 12) for i in range(count + 1)]
        if values[-1] < self.high:
            values.append(self.high)
        return tuple(values)


class OptionIssue(IssueBase):
    options: tuple[Name, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _options_unique(self) -> OptionIssue:
        if len(set(self.options)) != len(self.options):
            raise ValueError("options must be unique")
        return self

    def value_error(self, value: object) -> str | None:
        if value not in self.options:
            return f"expected one of {list(self.options)}, got {value!r}"
        return None


class OrdinalIssue(OptionIssue):
    """Ordered options, listed from lowest to highest."""

    type: Literal["ordinal"] = "ordinal"
    directions: dict[Id, Direction] = Field(default_factory=dict)

    def distance(self, a: Value, b: Value) -> float:
        if len(self.options) == 1:
            return 0.0
        return abs(self.options.index(str(a)) - self.options.index(str(b))) / (len(self.options) - 1)


class CategoricalIssue(OptionIssue):
    """Unordered options."""

    type: Literal["categorical"] = "categorical"

    def distance(self, a: Value, b: Value) -> float:
        return 0.0 if a == b else 1.0


class Provision(Frozen):
    id: Id
    name: Name
    description: Text | None = None


class ProvisionIssue(IssueBase):
    """A clause issue: a set of named provisions, each present or absent in a package."""

    type: Literal["provisions"] = "provisions"
    provisions: tuple[Provision, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _provision_ids_unique(self) -> ProvisionIssue:
        ids = [p.id for p in self.provisions]
        if len(set(ids)) != len(ids):
            raise ValueError("provision ids must be unique")
        return self

    @property
    def provision_ids(self) -> tuple[str, ...]:
        return tuple(p.id for p in self.provisions)

    def value_error(self, value: object) -> str | None:
        if not isinstance(value, frozenset):
            return f"expected a list of provision ids from {list(self.provision_ids)}, got {value!r}"
        unknown = sorted(value - set(self.provision_ids))
        if unknown:
            return f"unknown provision(s) {unknown}; expected ids from {list(self.provision_ids)}"
        return None

    def distance(self, a: Value, b: Value) -> float:
        assert isinstance(a, frozenset) and isinstance(b, frozenset)
        return len(a ^ b) / len(self.provisions)


Issue = Annotated[
    NumericIssue | OrdinalIssue | CategoricalIssue | ProvisionIssue, Field(discriminator="type")
]
"""Any issue; the ``type`` field says which kind."""
