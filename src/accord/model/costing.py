"""Contract costing parameters of a preference file: what each issue's outcome costs a year, over
the contract term, and how the cost is shared. The arithmetic is in :mod:`accord.prefs.costing`.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from accord.model.common import Frozen, Id
from accord.model.limits import Finite, Name, NonNegative, Text, sum_problem


class RaiseCost(Frozen):
    """A payroll raise set by an issue, compounding year on year over the term.

    ``base`` is the covered annual payroll at the start of the contract. For an option issue,
    ``patterns`` gives each option's raises in percent per contract year (e.g. ``"6/5/5": [6, 5,
    5]``). For a numeric issue the value is the raise in percent; ``profile`` (one factor per
    year, default 1 for every year) scales it per year, so ``profile: [1, 0.8, 0.7]`` turns a
    value of 5 into 5/4/3.5. With ``compounded: true`` the value is instead the increase
    compounded over the term (e.g. 13.0 for 5/4/3.5), and the yearly raises are the ones of
    ``profile``'s shape that compound to it. On a numeric issue, ``patterns`` may give the raises
    of particular values, keyed by the value as written (``"16.9": [6, 5, 5]``: the pattern the
    record states for that figure); other values take ``profile``'s shape.
    """

    kind: Literal["raises"] = "raises"
    issue: Id
    base: NonNegative
    patterns: dict[Name, tuple[Finite, ...]] = Field(default_factory=dict)
    profile: tuple[NonNegative, ...] = ()
    compounded: bool = Field(
        default=False,
        description="The numeric issue's value is the compounded increase over the term; the yearly "
        "raises have the shape of 'profile' and compound to it.",
    )


class UnitCost(Frozen):
    """An annual cost per unit of a numeric issue above ``baseline`` (default: the issue's low)."""

    kind: Literal["per_unit"] = "per_unit"
    issue: Id
    per_unit: Finite
    baseline: Finite | None = None


class OptionCost(Frozen):
    """An annual cost for each option of an ordinal or categorical issue (options left out cost 0)."""

    kind: Literal["per_option"] = "per_option"
    issue: Id
    costs: dict[Name, Finite] = Field(min_length=1)


class ProvisionCost(Frozen):
    """An annual cost for each provision included in a package (provisions left out cost 0)."""

    kind: Literal["per_provision"] = "per_provision"
    issue: Id
    costs: dict[Id, Finite] = Field(min_length=1)


CostItem = Annotated[RaiseCost | UnitCost | OptionCost | ProvisionCost, Field(discriminator="kind")]


class Costing(Frozen):
    """Parameters for the annual and total cost of a package over the contract term.

    ``shares`` splits the cost between parties (e.g. coalition members), in any scale; the shares
    are normalised to sum 1. ``derived_from`` names the case's estimates that parameters were
    derived from (e.g. a payroll base worked back from a published cost): set beside those
    estimates, the model's figure agrees by construction, and ``accord costing`` says so.
    """

    currency: Name = "USD"
    term_years: int = Field(ge=1, le=50)
    items: tuple[CostItem, ...] = Field(min_length=1)
    shares: dict[Id, NonNegative] = Field(default_factory=dict)
    note: Text | None = None
    sources: tuple[Id, ...] = ()
    derived_from: tuple[Id, ...] = Field(
        default=(), description="Estimates of the case that parameters were derived from."
    )

    @model_validator(mode="after")
    def _fits_term(self) -> Costing:
        for item in self.items:
            if isinstance(item, RaiseCost):
                for option, raises in item.patterns.items():
                    if len(raises) > self.term_years:
                        raise ValueError(
                            f"raises of {item.issue!r} option {option!r} list {len(raises)} years; "
                            f"the term is {self.term_years}"
                        )
                if len(item.profile) > self.term_years:
                    raise ValueError(f"profile of {item.issue!r} is longer than the term ({self.term_years})")
        if self.shares and not any(share > 0 for share in self.shares.values()):
            raise ValueError("at least one cost share must be above 0")
        return self

    @field_validator("shares")
    @classmethod
    def _shares_add_up(cls, shares: dict[str, float]) -> dict[str, float]:
        problem = sum_problem(shares.values(), "cost shares")
        if problem:
            raise ValueError(problem)
        return shares
