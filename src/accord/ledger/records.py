"""The effective record of a case: corrections applied, records in time order.

Every ledger view reads a case through :class:`Ledger`, which applies the one rule about
corrections (a record with ``supersedes: X`` replaces ``X``; along a chain the newest wins) and
puts records in a single time order: date, then time of day (unknown time counts as the start of
the day), then the order of the case file (proposals before events).
"""

from __future__ import annotations

import datetime as dt
import weakref
from bisect import bisect_right, insort
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar, cast

from accord.ledger.sharing import Layered, Run, bisected
from accord.model import Case, Event, Proposal, ProposalStatus
from accord.model.limits import FIRST_DATE

LedgerRecord = Proposal | Event
"""A dated record of a case: a proposal or an event."""

OrderKey = tuple[dt.date, dt.time, int]

T = TypeVar("T")


def as_day(as_of: dt.date) -> dt.date:
    """``as_of`` as a plain date (a ``datetime`` is cut to its date, so comparisons never mix the two)."""
    if isinstance(as_of, dt.datetime):
        return as_of.date()
    return as_of


@dataclass(frozen=True, slots=True, weakref_slot=True)
class Ledger:
    """A case indexed for the views: time order, corrections resolved.

    Build it with :func:`ledger`. Records dated on or before a day are a prefix of every time
    ordered sequence here, so a view as of that day reads a slice (found by bisection) rather
    than filtering the whole case. Indexes that only some views need are built on first use and
    kept (:meth:`derived`): a ledger is worth sharing between the views of one case.

    The sequences are tuples and the mappings dicts in a ledger built from a case; in one made by
    :func:`extended`, they share what they hold with the ledger it was made from
    (:mod:`accord.ledger.sharing`).
    """

    case: Case
    ordered: Sequence[LedgerRecord]
    """Every record (superseded ones too) in time order."""
    keys: Mapping[str, OrderKey]
    superseded_by: dict[str, str]
    """Record id -> id of the record that directly supersedes it."""
    by_id: Mapping[str, LedgerRecord]
    """Record id -> the record (the first in time order, were an id used twice)."""
    effective_all: Sequence[LedgerRecord]
    """Records not superseded, in time order."""
    effective_dates: Sequence[dt.date]
    tabled_all: Sequence[Proposal]
    """Effective proposals neither drafts nor withdrawn, in time order."""
    tabled_dates: Sequence[dt.date]
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
        return list(self.effective_all[: self.effective_count(as_of)])

    def effective_count(self, as_of: dt.date) -> int:
        """How many effective records are dated on or before ``as_of``."""
        return bisected(self.effective_dates, as_day(as_of))

    def tabled(self, as_of: dt.date) -> list[Proposal]:
        """Effective proposals on the table by ``as_of``: neither drafts nor withdrawn, in time order."""
        return list(self.tabled_all[: bisected(self.tabled_dates, as_day(as_of))])

    def events(self, as_of: dt.date) -> list[Event]:
        """Effective events dated on or before ``as_of``, in time order."""
        events = self.derived(EVENTS, _effective_events)
        return events[: bisect_right(events, as_day(as_of), key=_date)]

    def record(self, record_id: str) -> LedgerRecord | None:
        """The effective record standing for ``record_id`` (following corrections), if any."""
        return self.by_id.get(self.newest(record_id))

    def default_as_of(self) -> dt.date:
        """:meth:`accord.model.Case.default_as_of`, read from the time order (the last record's
        date) rather than from every record."""
        return self.ordered[-1].date if self.ordered else self.case.default_as_of()

    def has_drafts(self) -> bool:
        """Whether any proposal of the case is a draft (a corrected one too)."""
        return self.derived(DRAFTS, _has_drafts)

    def derived(self, name: str, build: Callable[[Ledger], T]) -> T:
        """The index ``name`` of this ledger: ``build(self)``, computed on the first call only.

        ``build`` must be a pure function of the ledger, and ``name`` must stand for it alone.
        """
        if name not in self.cache:
            self.cache[name] = build(self)
        return cast(T, self.cache[name])


EVENT_ORDER = 1 << 40
"""Where events start in the third part of an :data:`OrderKey`: proposal ``i`` of the case file
is ``i``, event ``j`` is ``EVENT_ORDER + j`` (the file lists proposals first). Keys compare as
positions in the file would, and a record added later does not move the keys of the others."""

_MIDNIGHT = dt.time(0, 0)


def _order_key(record: LedgerRecord, index: int) -> OrderKey:
    return (record.date, record.time or _MIDNIGHT, index)


def known_by(record: LedgerRecord, day: dt.date) -> bool:
    """Whether ``record`` is known on ``day``: views as of ``day`` show it (its ``known`` date, or
    its date; a stoppage's start from its announcement, where recorded)."""
    return record.known_on <= day


def ledger(case: Case, as_of: dt.date | None = None) -> Ledger:
    """Index ``case`` for the views; with ``as_of``, only the records known on that day.

    A view as of a day must be built on ``ledger(case, day)``: a record known later is left
    out, and so is a correction known later (before it, the record it corrects stands and
    nothing points to the correction). Where every record is known on that day, this is the
    ledger of the whole case (the one :func:`remember` keeps for it, if any, with the indexes
    :func:`extended` carried forward); else one of the records known then, built again.

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
    whole = _REMEMBERED.get(id(case))
    if whole is None or whole.case is not case:
        whole = _built(case, None)
    if as_of is None or whole.derived(LAST_KNOWN, _last_known) <= as_day(as_of):
        return whole
    return _built(case, as_day(as_of))


def _built(case: Case, day: dt.date | None) -> Ledger:
    """The ledger of the records of ``case`` known on ``day`` (all when ``None``)."""
    keys: dict[str, OrderKey] = {}
    records: list[LedgerRecord] = []
    for index, proposal in enumerate(case.proposals):
        if day is None or known_by(proposal, day):
            keys.setdefault(proposal.id, _order_key(proposal, index))
            records.append(proposal)
    for index, event in enumerate(case.events):
        if day is None or known_by(event, day):
            keys.setdefault(event.id, _order_key(event, EVENT_ORDER + index))
            records.append(event)
    ordered = tuple(sorted(records, key=lambda r: keys[r.id]))
    superseded_by: dict[str, str] = {}
    by_id: dict[str, LedgerRecord] = {}
    for record in ordered:
        by_id.setdefault(record.id, record)
        if record.supersedes is not None and record.supersedes not in superseded_by:
            superseded_by[record.supersedes] = record.id
    return _indexed(case, ordered, keys, superseded_by, by_id)


def _indexed(
    case: Case,
    ordered: Sequence[LedgerRecord],
    keys: Mapping[str, OrderKey],
    superseded_by: dict[str, str],
    by_id: Mapping[str, LedgerRecord],
) -> Ledger:
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


def _inserted(book: Ledger, parts: Ledger, added: list[LedgerRecord]) -> Ledger:
    """:func:`_indexed` where ``added`` (in time order) correct nothing: each goes into the
    effective (and tabled) records of ``book`` in its place, found by bisection."""
    effective, effective_dates = Run.of(book.effective_all), Run.of(book.effective_dates)
    tabled, tabled_dates = Run.of(book.tabled_all), Run.of(book.tabled_dates)
    for record in added:
        key = parts.key(record)
        place = effective.bisect_right(key, key=parts.key)
        effective = effective.inserted(place, record)
        effective_dates = effective_dates.inserted(place, record.date)
        if isinstance(record, Proposal) and record.status not in (
            ProposalStatus.DRAFT,
            ProposalStatus.WITHDRAWN,
        ):
            place = tabled.bisect_right(key, key=parts.key)
            tabled = tabled.inserted(place, record)
            tabled_dates = tabled_dates.inserted(place, record.date)
    return Ledger(
        case=parts.case,
        ordered=parts.ordered,
        keys=parts.keys,
        superseded_by=parts.superseded_by,
        by_id=parts.by_id,
        effective_all=effective,
        effective_dates=effective_dates,
        tabled_all=tabled,
        tabled_dates=tabled_dates,
    )


Extension = Callable[[Ledger, Ledger, Sequence[LedgerRecord]], object]
"""Brings one derived index of a ledger up to date with records added (see :func:`extended`):
``(old ledger, new ledger, records added)`` -> the new index, or :data:`REBUILD`."""

REBUILD = object()
"""What an :data:`Extension` returns when the index must be built again from the new ledger."""

EXTENSIONS: dict[str, Extension] = {}
"""The derived indexes (by name, as :meth:`Ledger.derived` knows them) that :func:`extended`
carries forward; any other is built again on first use."""


def extended(book: Ledger, case: Case, added: Sequence[LedgerRecord]) -> Ledger:
    """The ledger of ``case``, which is ``book.case`` with ``added`` appended (to its proposals
    and events, in that order of writing): equal to ``ledger(case)``, built from ``book`` without
    sorting or scanning the records again where it can.

    New records go into the time order by bisection (a record dated in the past goes in its
    place, not at the end); the derived indexes of :data:`EXTENSIONS` are brought up to date,
    the others built again when a view asks. A record whose id the case already holds, or two
    added with one id (which the model refuses), make it build the whole ledger.

    Examples
    --------
    >>> from accord.model import Case
    >>> parties = [{"id": "u", "name": "U", "kind": "union"}, {"id": "e", "name": "E", "kind": "employer"}]
    >>> first = Case(id="c", title="t", parties=parties,
    ...     proposals=[{"id": "p1", "date": "2023-05-03", "from": "u", "to": "e"}])
    >>> both = Case(id="c", title="t", parties=parties,
    ...     proposals=[*first.proposals, {"id": "p0", "date": "2023-05-01", "from": "e", "to": "u"}])
    >>> [r.id for r in extended(ledger(first), both, both.proposals[1:]).ordered]
    ['p0', 'p1']
    """
    ids = {record.id for record in added}
    if len(ids) < len(added) or any(record_id in book.keys for record_id in ids):
        return ledger(case)
    n_proposals, n_events = len(book.case.proposals), len(book.case.events)
    new_keys: dict[str, OrderKey] = {}
    for record in added:
        if isinstance(record, Proposal):
            index, n_proposals = n_proposals, n_proposals + 1
        else:
            index, n_events = EVENT_ORDER + n_events, n_events + 1
        new_keys[record.id] = _order_key(record, index)
    keys = Layered.of(book.keys).updated(new_keys)

    def key_of(record: LedgerRecord) -> OrderKey:
        return keys[record.id]

    in_order = sorted(added, key=key_of)
    ordered = Run.of(book.ordered)
    for record in in_order:
        ordered = ordered.inserted(ordered.bisect_right(keys[record.id], key=key_of), record)
    by_id = Layered.of(book.by_id).updated({record.id: record for record in added})
    superseded_by = book.superseded_by
    if any(record.supersedes is not None for record in added):
        superseded_by = dict(superseded_by)
        for record in added:
            target = record.supersedes
            if target is not None and (
                target not in superseded_by or keys[record.id] < keys[superseded_by[target]]
            ):
                superseded_by[target] = record.id  # the first correction in time order stands
        new = _indexed(case, ordered, keys, superseded_by, by_id)
    else:  # nothing corrected: the effective and tabled records are those before, and the added
        parts = Ledger(case, ordered, keys, superseded_by, by_id, (), (), (), ())
        new = _inserted(book, parts, in_order)
    for name, extend in EXTENSIONS.items():
        if name in book.cache:
            index_value = extend(book, new, added)
            if index_value is not REBUILD:
                new.cache[name] = index_value
    return new


EVENTS = "effective events"


def _date(record: LedgerRecord) -> dt.date:
    return record.date


def _effective_events(book: Ledger) -> list[Event]:
    return [r for r in book.effective_all if not isinstance(r, Proposal)]


def _extend_events(old: Ledger, new: Ledger, added: Sequence[LedgerRecord]) -> object:
    """The effective events of ``old`` with the added ones in their places (when they correct
    nothing; else made again on first use)."""
    if any(record.supersedes is not None for record in added):
        return REBUILD
    found = list(cast(list[Event], old.cache[EVENTS]))
    for record in added:
        if not isinstance(record, Proposal):
            insort(found, record, key=new.key)
    return found


EXTENSIONS[EVENTS] = _extend_events

DRAFTS = "has drafts"


def _is_draft(record: LedgerRecord) -> bool:
    return isinstance(record, Proposal) and record.status is ProposalStatus.DRAFT


def _has_drafts(book: Ledger) -> bool:
    return any(_is_draft(r) for r in book.ordered)


def _extend_drafts(old: Ledger, new: Ledger, added: Sequence[LedgerRecord]) -> object:
    return old.cache[DRAFTS] or any(_is_draft(record) for record in added)


EXTENSIONS[DRAFTS] = _extend_drafts

LAST_KNOWN = "last known"


def _last_known(book: Ledger) -> dt.date:
    """The day on which every record of the ledger is known (the earliest date Accord keeps,
    for a ledger of no records)."""
    return max((r.known_on for r in book.ordered), default=FIRST_DATE)


def _extend_last_known(old: Ledger, new: Ledger, added: Sequence[LedgerRecord]) -> object:
    return max([cast(dt.date, old.cache[LAST_KNOWN]), *(r.known_on for r in added)])


EXTENSIONS[LAST_KNOWN] = _extend_last_known

_REMEMBERED: weakref.WeakValueDictionary[int, Ledger] = weakref.WeakValueDictionary()


def remember(book: Ledger) -> Ledger:
    """Make :func:`ledger` of ``book.case`` return ``book`` for as long as something else keeps
    ``book`` alive (a server's cache of cases: a view of a cached case then reads the ledger
    :func:`extended` made rather than build it again). Returns ``book``."""
    _REMEMBERED[id(book.case)] = book
    return book


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
