"""Proposals: dated packages over some issues, from one party to another."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import BeforeValidator, Field, PlainSerializer, field_validator

from accord.model.common import Confidence, Frozen, Id, Record
from accord.model.limits import NAME_MAX, Text, number_problem, text_problem


def _to_value(raw: object) -> object:
    """Lists become provision sets; everything else is left for the issue to check."""
    if isinstance(raw, (list, tuple, set, frozenset)):
        try:
            return frozenset(raw)
        except TypeError:  # unhashable members (e.g. nested lists): left for validation to refuse
            return raw
    return raw


PositionValue = Annotated[
    float | str | Annotated[frozenset[str], PlainSerializer(sorted, return_type=list[str])] | None,
    BeforeValidator(_to_value),
]


def _to_position(raw: object) -> object:
    """A bare value is shorthand for ``{value: ...}``."""
    if isinstance(raw, (dict, Position)):
        return raw
    return {"value": raw}


class Position(Frozen):
    """One side's stance on one issue inside a proposal.

    ``value`` is the typed value (see :mod:`accord.model.issue`), or ``None`` where the issue was
    addressed without a value that can be stated (e.g. "further offers; contents not public").
    ``text`` keeps the source's own wording; ``sources`` name the case's sources for this
    position where they differ from the record's (e.g. each agreed term of a tentative agreement).
    """

    value: PositionValue = None
    text: Text | None = None
    confidence: Confidence | None = Field(
        default=None, description="Overrides the proposal's confidence for this position."
    )
    sources: tuple[Id, ...] = Field(
        default=(), description="Ids of the case's sources for this position (default: the record's)."
    )

    @field_validator("value")
    @classmethod
    def _value_keeps_the_rule(cls, value: object) -> object:
        """An option name or provision id is a name; a number is finite (the issue checks the rest)."""
        if isinstance(value, float):
            problem = number_problem(value)
            if problem:
                raise ValueError(problem)
        names = value if isinstance(value, frozenset) else (value,) if isinstance(value, str) else ()
        for name in sorted(names):
            problem = text_problem(name, one_line=True)
            if problem is None and len(name) > NAME_MAX:
                problem = f"expected text of at most {NAME_MAX} characters, got {len(name)}"
            if problem:
                raise ValueError(problem)
        return value

    @property
    def has_value(self) -> bool:
        return self.value is not None


Positions = dict[Id, Annotated[Position, BeforeValidator(_to_position)]]


class ProposalStatus(StrEnum):
    TABLED = "tabled"
    DRAFT = "draft"
    WITHDRAWN = "withdrawn"
    REJECTED = "rejected"
    ACCEPTED = "accepted"


class Proposal(Record):
    """A package over some issues (a partial package is fine), from one party to another.

    ``answers`` lists the earlier proposals this one responds to (a counter-proposal answers the
    proposal it counters).
    """

    from_party: Id = Field(alias="from")
    to_party: Id = Field(alias="to")
    positions: Positions = Field(default_factory=dict)
    answers: tuple[Id, ...] = ()
    status: ProposalStatus = ProposalStatus.TABLED
    summary: Text | None = None

    @property
    def is_counter(self) -> bool:
        return bool(self.answers)
