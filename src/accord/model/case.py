"""A case: one negotiation's public record (parties, issues, sources, proposals, events, estimates)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TypeVar

from pydantic import Field, model_validator

from accord.model.common import Confidence, Frozen, Id, Record, Source
from accord.model.event import Event
from accord.model.issue import Issue
from accord.model.limits import Day, Finite, Name, Text, Title
from accord.model.party import Party
from accord.model.proposal import Proposal

T = TypeVar("T")


class Estimate(Frozen):
    """A published estimate (e.g. the economic cost of a strike), kept with its scope: estimates of
    different scopes are not one series.

    ``regarding`` names the proposals or tentative agreements whose cost or value the estimate
    states (what ``accord costing`` sets the model's figure beside); ``party`` the party whose part
    of that cost it gives (e.g. one employer's share), where it gives one party's part only.
    """

    id: Id
    label: Title
    low: Finite | None = None
    high: Finite | None = None
    unit: Name = "USD"
    scope: Name
    by: Name
    date: Day | None = None
    sources: tuple[Id, ...] = ()
    confidence: Confidence = Confidence.A
    note: Text | None = None
    regarding: tuple[Id, ...] = Field(
        default=(), description="Proposals or tentative agreements whose cost or value it states."
    )
    party: Id | None = Field(default=None, description="The party whose part of the cost it gives.")


class Case(Frozen):
    """The public record of one negotiation. Construction checks every cross-reference but the
    records estimates regard (:func:`accord.model.problems.estimate_problems`, run by the case-file
    reader and by the server when an estimate is added).

    Raises :class:`accord.model.problems.CaseInvalid` (not a pydantic error) when a reference is
    wrong, listing every problem with the path of the field at fault.
    """

    id: Id
    title: Title
    description: Text | None = None
    parties: tuple[Party, ...] = Field(min_length=1)
    issues: tuple[Issue, ...] = ()
    sources: tuple[Source, ...] = ()
    proposals: tuple[Proposal, ...] = ()
    events: tuple[Event, ...] = ()
    estimates: tuple[Estimate, ...] = ()

    @model_validator(mode="after")
    def _references_resolve(self) -> Case:
        from accord.model.problems import CaseInvalid, reference_problems

        problems = reference_problems(self)
        if problems:
            raise CaseInvalid(problems)
        return self

    def party(self, party_id: str) -> Party:
        return _by_id(self.parties, party_id, "party")

    def issue(self, issue_id: str) -> Issue:
        return _by_id(self.issues, issue_id, "issue")

    def proposal(self, proposal_id: str) -> Proposal:
        return _by_id(self.proposals, proposal_id, "proposal")

    def source(self, source_id: str) -> Source:
        return _by_id(self.sources, source_id, "source")

    def records(self) -> Iterator[Record]:
        """Every dated record (proposals and events) in file order."""
        yield from self.proposals
        yield from self.events

    def record(self, record_id: str) -> Record:
        for record in self.records():
            if record.id == record_id:
                return record
        raise KeyError(f"no proposal or event {record_id!r} in case {self.id!r}")

    @property
    def coalitions(self) -> tuple[Party, ...]:
        return tuple(p for p in self.parties if p.is_coalition)


def _by_id(items: tuple[T, ...], item_id: str, what: str) -> T:
    for item in items:
        if getattr(item, "id", None) == item_id:
            return item
    raise KeyError(f"no {what} {item_id!r}")
