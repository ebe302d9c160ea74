"""Parties at the table: unions, employers, coalitions (with members and a decision rule), mediators."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field, field_validator, model_validator

from accord.model.common import Alias, Frozen, Id, unique_aliases
from accord.model.limits import Name, NonNegative, Text, sum_problem


class PartyKind(StrEnum):
    UNION = "union"
    EMPLOYER = "employer"
    COALITION = "coalition"
    MEDIATOR = "mediator"
    OTHER = "other"


class RuleKind(StrEnum):
    UNANIMITY = "unanimity"
    MAJORITY = "majority"
    WEIGHTED = "weighted"


class DecisionRule(Frozen):
    """How a coalition decides whether it can accept a package.

    - ``unanimity``: every member accepts;
    - ``majority``: more than half of the members accept;
    - ``weighted``: the accepting members' ``shares`` add up to more than ``threshold`` of the total.

    ``vetoes`` names members whose rejection blocks the package under any rule.
    """

    kind: RuleKind = RuleKind.UNANIMITY
    shares: dict[Id, NonNegative] = Field(default_factory=dict)
    threshold: float = Field(default=0.5, gt=0.0, lt=1.0)
    vetoes: tuple[Id, ...] = ()

    @model_validator(mode="after")
    def _shares_fit_kind(self) -> DecisionRule:
        if self.kind is RuleKind.WEIGHTED and not self.shares:
            raise ValueError("a weighted rule needs 'shares' (member id -> share)")
        return self

    @field_validator("shares")
    @classmethod
    def _shares_add_up(cls, shares: dict[str, float]) -> dict[str, float]:
        problem = sum_problem(shares.values(), "shares")
        if problem:
            raise ValueError(problem)
        return shares


class Party(Frozen):
    """One side at the table, or a mediator. A coalition lists its members and its decision rule."""

    id: Id
    name: Name
    kind: PartyKind
    short_name: Name | None = None
    members: tuple[Id, ...] = ()
    decision_rule: DecisionRule | None = None
    description: Text | None = None
    sources: tuple[Id, ...] = ()
    aliases: tuple[Alias, ...] = Field(
        default=(),
        description="Other names the party goes by in the press (e.g. 'the studios'), or its spokespeople.",
    )

    _aliases_unique = field_validator("aliases")(unique_aliases)

    @model_validator(mode="after")
    def _members_only_for_coalitions(self) -> Party:
        if self.members and self.kind is not PartyKind.COALITION:
            raise ValueError(f"only a coalition has members (kind is {self.kind.value!r})")
        if self.decision_rule is not None and self.kind is not PartyKind.COALITION:
            raise ValueError("only a coalition has a decision rule")
        return self

    @property
    def is_coalition(self) -> bool:
        return self.kind is PartyKind.COALITION

    @property
    def label(self) -> str:
        return self.short_name or self.name

    @property
    def rule(self) -> DecisionRule:
        """The decision rule, unanimity where none is stated."""
        return self.decision_rule or DecisionRule()
