"""A case: one negotiation's public record (parties, issues, sources, proposals, events, estimates)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any, NamedTuple, TypeVar

from pydantic import Field, model_validator

from accord.model.common import Confidence, Frozen, Id, Record, Source
from accord.model.event import Event
from accord.model.issue import Issue
from accord.model.limits import FIRST_DATE, Day, Finite, Name, Text, Title
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

    def default_as_of(self) -> dt.date:
        """The date a view is "as of" when none is given: the date of the last record (the
        latest news; no clock is read), and for a case with no records the earliest date Accord
        keeps (:data:`accord.model.limits.FIRST_DATE`), before which nothing is known.

        Examples
        --------
        >>> parties = [{"id": "u", "name": "U", "kind": "union"}, {"id": "e", "name": "E", "kind": "employer"}]
        >>> Case(id="c", title="t", parties=parties).default_as_of().isoformat()
        '1900-01-01'
        >>> offer = {"id": "p1", "date": "2023-05-02", "from": "u", "to": "e", "positions": {}}
        >>> Case(id="c", title="t", parties=parties, proposals=[offer]).default_as_of().isoformat()
        '2023-05-02'
        """
        return max((record.date for record in self.records()), default=FIRST_DATE)

    def record(self, record_id: str) -> Record:
        for record in self.records():
            if record.id == record_id:
                return record
        raise KeyError(f"no proposal or event {record_id!r} in case {self.id!r}")

    @property
    def coalitions(self) -> tuple[Party, ...]:
        return tuple(p for p in self.parties if p.is_coalition)


class ItemKind(NamedTuple):
    """Where a case keeps the items of one kind, and what they are."""

    field: str
    """The :class:`Case` field that holds them (``parties``, ...)."""
    type: Any
    """Their type (a model class; for issues, the union of the issue types)."""


ITEM_KINDS: dict[str, ItemKind] = {
    "party": ItemKind("parties", Party),
    "issue": ItemKind("issues", Issue),
    "source": ItemKind("sources", Source),
    "estimate": ItemKind("estimates", Estimate),
}
"""The kinds of a case's items, in the order a case file lists them (the store, the services and
the API's routes all read this one table).

>>> [(kind, item.field) for kind, item in ITEM_KINDS.items()][:2]
[('party', 'parties'), ('issue', 'issues')]
"""


def _by_id(items: tuple[T, ...], item_id: str, what: str) -> T:
    for item in items:
        if getattr(item, "id", None) == item_id:
            return item
    raise KeyError(f"no {what} {item_id!r}")
