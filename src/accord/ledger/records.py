"""The effective record of a case: corrections applied, records in time order.

Every ledger view reads a case through :class:`Ledger`, which applies the one rule about
corrections (a record with ``supersedes: X`` replaces ``X``; along a chain the newest wins) and
puts records in a single time order: date, then time of day (unknown time counts as the start of
the day), then the order of the case file (proposals before events).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from accord.model import Case, Event, Proposal, ProposalStatus

LedgerRecord = Proposal | Event
"""A dated record of a case: a proposal or an event."""

OrderKey = tuple[dt.date, dt.time, int]


def as_day(as_of: dt.date) -> dt.date:
    """``as_of`` as a plain date (a ``datetime`` is cut to its date, so comparisons never mix the two)."""
    if isinstance(as_of, dt.datetime):
        return as_of.date()
    return as_of


@dataclass(frozen=True, slots=True)
class Ledger:
    """A case indexed for the views: time order, corrections resolved.

    Build it with :func:`ledger`; it holds no state beyond the case.
    """

    case: Case
    ordered: tuple[LedgerRecord, ...]
    """Every record (superseded ones too) in time order."""
    keys: dict[str, OrderKey]
    superseded_by: dict[str, str]
    """Record id -> id of the record that directly supersedes it."""

    def key(self, record: LedgerRecord) -> OrderKey:
        return self.keys[record.id]

    def is_effective(self, record: LedgerRecord) -> bool:
        return record.id not in self.superseded_by

    def newest(self, record_id: str) -> str:
        """The id of the record that stands for ``record_id`` after every correction of it."""
        seen = {record_id}
        while record_id in self.superseded_by:
            record_id = self.superseded_by[record_id]
            if record_id in seen:  # a cycle cannot pass the model's checks; stop rather than spin
                break
            seen.add(record_id)
        return record_id

    def effective(self, as_of: dt.date | None = None) -> list[LedgerRecord]:
        """Records not superseded, in time order, dated on or before ``as_of`` (all when ``None``)."""
        day = None if as_of is None else as_day(as_of)
        return [r for r in self.ordered if self.is_effective(r) and (day is None or r.date <= day)]

    def tabled(self, as_of: dt.date) -> list[Proposal]:
        """Effective proposals on the table by ``as_of``: neither drafts nor withdrawn, in time order."""
        return [
            r
            for r in self.effective(as_of)
            if isinstance(r, Proposal) and r.status not in (ProposalStatus.DRAFT, ProposalStatus.WITHDRAWN)
        ]

    def events(self, as_of: dt.date) -> list[Event]:
        """Effective events dated on or before ``as_of``, in time order."""
        return [r for r in self.effective(as_of) if not isinstance(r, Proposal)]

    def record(self, record_id: str) -> LedgerRecord | None:
        """The effective record standing for ``record_id`` (following corrections), if any."""
        newest = self.newest(record_id)
        for record in self.ordered:
            if record.id == newest:
                return record
        return None


def ledger(case: Case) -> Ledger:
    """Index ``case`` for the views."""
    records: list[LedgerRecord] = [*case.proposals, *case.events]
    keys: dict[str, OrderKey] = {}
    for index, record in enumerate(records):
        keys.setdefault(record.id, (record.date, record.time or dt.time(0, 0), index))
    ordered = tuple(sorted(records, key=lambda r: keys[r.id]))
    superseded_by: dict[str, str] = {}
    for record in ordered:
        if record.supersedes is not None and record.supersedes not in superseded_by:
            superseded_by[record.supersedes] = record.id
    return Ledger(case=case, ordered=ordered, keys=keys, superseded_by=superseded_by)


def effective_records(case: Case) -> tuple[LedgerRecord, ...]:
    """The records every view uses: proposals and events not superseded by a correction, in time order.

    A record with ``supersedes: X`` replaces ``X``; along a chain of corrections only the newest
    stays. Superseded records stay in the case (and in :func:`accord.ledger.timeline`, marked).

    Parameters
    ----------
    case : Case
        The negotiation record.

    Returns
    -------
    tuple of Proposal or Event
        Sorted by date, then time of day (unknown time first), then file order.

    Examples
    --------
    >>> from accord.model import Case
    >>> case = Case(id="c", title="t", parties=[{"id": "u", "name": "U", "kind": "union"}],
    ...     events=[{"id": "m1", "kind": "milestone", "date": "2023-05-01", "summary": "first"},
    ...             {"id": "m2", "kind": "milestone", "date": "2023-05-02", "summary": "fixed",
    ...              "supersedes": "m1"}])
    >>> [r.id for r in effective_records(case)]
    ['m2']
    """
    return tuple(ledger(case).effective())
