"""The effective record of a case: corrections applied, records in time order.

Every ledger view reads a case through :class:`Ledger`, which applies the one rule about
corrections (a record with ``supersedes: X`` replaces ``X``; along a chain the newest wins) and
puts records in a single time order: date, then time of day (unknown time counts as the start of
the day), then the order of the case file (proposals before events).
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar, cast

from accord.model import Case, Event, Proposal, ProposalStatus

LedgerRecord = Proposal | Event
"""A dated record of a case: a proposal or an event."""

OrderKey = tuple[dt.date, dt.time, int]

T = TypeVar("T")


def as_day(as_of: dt.date) -> dt.date:
    """``as_of`` as a plain date (a ``datetime`` is cut to its date, so comparisons never mix the two)."""
    if isinstance(as_of, dt.datetime):
        return as_of.date()
    return as_of


@dataclass(frozen=True, slots=True)
class Ledger:
    """A case indexed for the views: time order, corrections resolved.

    Build it with :func:`ledger`. Records dated on or before a day are a prefix of every time
    ordered sequence here, so a view as of that day reads a slice (found by bisection) rather
    than filtering the whole case. Indexes that only some views need are built on first use and
    kept (:meth:`derived`): a ledger is worth sharing between the views of one case.
    """

    case: Case
    ordered: tuple[LedgerRecord, ...]
    """Every record (superseded ones too) in time order."""
    keys: dict[str, OrderKey]
    superseded_by: dict[str, str]
    """Record id -> id of the record that directly supersedes it."""
    by_id: dict[str, LedgerRecord]
    """Record id -> the record (the first in time order, were an id used twice)."""
    effective_all: tuple[LedgerRecord, ...]
    """Records not superseded, in time order."""
    effective_dates: tuple[dt.date, ...]
    tabled_all: tuple[Proposal, ...]
    """Effective proposals neither drafts nor withdrawn, in time order."""
    tabled_dates: tuple[dt.date, ...]
    cache: dict[str, object] = field(default_factory=dict, compare=False, repr=False)

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
        if as_of is None:
            return list(self.effective_all)
        return list(self.effective_all[: bisect_right(self.effective_dates, as_day(as_of))])

    def tabled(self, as_of: dt.date) -> list[Proposal]:
        """Effective proposals on the table by ``as_of``: neither drafts nor withdrawn, in time order."""
        return list(self.tabled_all[: bisect_right(self.tabled_dates, as_day(as_of))])

    def events(self, as_of: dt.date) -> list[Event]:
        """Effective events dated on or before ``as_of``, in time order."""
        return [r for r in self.effective(as_of) if not isinstance(r, Proposal)]

    def record(self, record_id: str) -> LedgerRecord | None:
        """The effective record standing for ``record_id`` (following corrections), if any."""
        return self.by_id.get(self.newest(record_id))

    def derived(self, name: str, build: Callable[[Ledger], T]) -> T:
        """The index ``name`` of this ledger: ``build(self)``, computed on the first call only.

        ``build`` must be a pure function of the ledger, and ``name`` must stand for it alone.
        """
        if name not in self.cache:
            self.cache[name] = build(self)
        return cast(T, self.cache[name])


def known_by(record: LedgerRecord, day: dt.date) -> bool:
    """Whether ``record`` is known on ``day``: views as of ``day`` show it (its ``known`` date, or
    its date; a stoppage's start from its announcement, where recorded)."""
    return record.known_on <= day


def ledger(case: Case, as_of: dt.date | None = None) -> Ledger:
    """Index ``case`` for the views; with ``as_of``, only the records known on that day.

    A view as of a day must be built on ``ledger(case, day)``: a record known later is left
    out, and so is a correction known later (before it, the record it corrects stands and
    nothing points to the correction).

    Examples
    --------
    >>> import datetime as dt
    >>> from accord.model import Case
    >>> case = Case(id="c", title="t", parties=[{"id": "u", "name": "U", "kind": "union"}],
    ...     events=[{"id": "m1", "kind": "milestone", "date": "2023-05-01", "summary": "first"},
    ...             {"id": "m2", "kind": "milestone", "date": "2023-05-02", "summary": "fixed",
    ...              "supersedes": "m1"}])
    >>> [r.id for r in ledger(case, dt.date(2023, 5, 1)).effective()]
    ['m1']
    >>> [r.id for r in ledger(case).effective()]
    ['m2']
    """
    records: list[LedgerRecord] = [*case.proposals, *case.events]
    if as_of is not None:
        day = as_day(as_of)
        records = [r for r in records if known_by(r, day)]
    keys: dict[str, OrderKey] = {}
    for index, record in enumerate(records):
        keys.setdefault(record.id, (record.date, record.time or dt.time(0, 0), index))
    ordered = tuple(sorted(records, key=lambda r: keys[r.id]))
    superseded_by: dict[str, str] = {}
    by_id: dict[str, LedgerRecord] = {}
    for record in ordered:
        by_id.setdefault(record.id, record)
        if record.supersedes is not None and record.supersedes not in superseded_by:
            superseded_by[record.supersedes] = record.id
    effective = tuple(r for r in ordered if r.id not in superseded_by)
    tabled = tuple(
        r
        for r in effective
        if isinstance(r, Proposal) and r.status not in (ProposalStatus.DRAFT, ProposalStatus.WITHDRAWN)
    )
    return Ledger(
        case=case,
        ordered=ordered,
        keys=keys,
        superseded_by=superseded_by,
        by_id=by_id,
        effective_all=effective,
        effective_dates=tuple(r.date for r in effective),
        tabled_all=tabled,
        tabled_dates=tuple(p.date for p in tabled),
    )


def effective_records(case: Case, as_of: dt.date | None = None) -> tuple[LedgerRecord, ...]:
    """The records every view uses: proposals and events not superseded by a correction, in time order.

    A record with ``supersedes: X`` replaces ``X``; along a chain of corrections only the newest
    stays. Superseded records stay in the case (and in :func:`accord.ledger.timeline`, marked).

    Parameters
    ----------
    case : Case
        The negotiation record.
    as_of : datetime.date, optional
        Only the records known on this day, with the corrections known by then.

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
    if as_of is None:
        return tuple(ledger(case).effective())
    return tuple(ledger(case, as_of).effective(as_of))
