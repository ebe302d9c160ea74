"""Strike and lockout counters: "day N", "N days completed" and the total length, as of a date.

Convention (docs/cases.md): the start date is day 1. A stoppage that ends at 12:01 a.m. on date E (an
end time at or before 00:01, or no time given, counts as the start of the day) was in force
through E - 1, so it lasted ``(E - start).days`` days; one that ends later in the day E was in
force on E too and lasted one day more.
"""

from __future__ import annotations

import datetime as dt
from bisect import insort
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import cast

from accord.ledger.records import EXTENSIONS, REBUILD, Ledger, LedgerRecord, as_day, ledger
from accord.model import Case, Statement, StoppageEnded, StoppageStarted, StoppageType

START_OF_DAY = dt.time(0, 1)
"""An end at or before this time means the stoppage was not in force on the end date."""


class StoppageState(StrEnum):
    NOT_STARTED = "not_started"
    IN_FORCE = "in_force"
    ENDED = "ended"


@dataclass(frozen=True, slots=True)
class StoppageCount:
    """One strike or lockout as of a date.

    ``day_number`` is "day N" when the stoppage was in force on the date (``None`` otherwise);
    ``days_completed`` is the number of whole days in force before the date (``N - 1`` while in
    force; the total once ended; 0 before the start). ``total_days`` and ``last_day`` (the last
    date in force) are known once the end is on the record as of the date.
    """

    stoppage: str
    type: StoppageType
    by: str
    against: str
    state: StoppageState
    start_date: dt.date
    start_time: dt.time | None
    end_date: dt.date | None
    end_time: dt.time | None
    how: str | None
    last_day: dt.date | None
    day_number: int | None
    days_completed: int
    total_days: int | None
    start_id: str
    end_id: str | None
    sources: tuple[str, ...]


def last_day_in_force(end: StoppageEnded) -> dt.date:
    """The last date on which a stoppage ending with ``end`` was in force."""
    if end.time is None or end.time <= START_OF_DAY:
        return end.date - dt.timedelta(days=1)
    return end.date


def count(start: StoppageStarted, end: StoppageEnded | None, as_of: dt.date) -> StoppageCount:
    """The counters of one stoppage as of ``as_of`` (``end`` only if it is on the record by then)."""
    last = None if end is None else last_day_in_force(end)
    if as_of < start.date:
        state = StoppageState.NOT_STARTED
    elif end is not None:
        state = StoppageState.ENDED
    else:
        state = StoppageState.IN_FORCE
    in_force_today = start.date <= as_of and (last is None or as_of <= last)
    day_number = (as_of - start.date).days + 1 if in_force_today else None
    total = None if last is None else max(0, (last - start.date).days + 1)
    if state is StoppageState.NOT_STARTED:
        completed = 0
    elif state is StoppageState.ENDED:
        assert total is not None
        completed = total
    else:
        completed = (as_of - start.date).days
    return StoppageCount(
        stoppage=start.stoppage,
        type=start.type,
        by=start.by,
        against=start.against,
        state=state,
        start_date=start.date,
        start_time=start.time,
        end_date=None if end is None else end.date,
        end_time=None if end is None else end.time,
        how=None if end is None else end.how,
        last_day=last,
        day_number=day_number,
        days_completed=completed,
        total_days=total,
        start_id=start.id,
        end_id=None if end is None else end.id,
        sources=start.sources + tuple(s for s in (end.sources if end else ()) if s not in start.sources),
    )


def stoppages(case: Case, as_of: dt.date) -> list[StoppageCount]:
    """Every strike and lockout of the case, counted as of ``as_of``, side by side.

    Start and end events pair up by their ``stoppage`` id; an end not yet known on ``as_of`` is
    not on the record, so the stoppage is still in force then. A stoppage exists only from its
    start (or its announcement, where recorded): before, it is not listed.

    Parameters
    ----------
    case : Case
    as_of : datetime.date

    Returns
    -------
    list of StoppageCount
        In order of start (a stoppage announced but not started is ``not_started``).

    Examples
    --------
    The 2023 WGA strike began on May 2 and ended at 12:01 a.m. on Sept 27:

    >>> import datetime as dt
    >>> from accord.model import Case
    >>> case = Case(id="c", title="t",
    ...     parties=[{"id": "wga", "name": "WGA", "kind": "union"}, {"id": "amptp", "name": "AMPTP", "kind": "coalition"}],
    ...     events=[{"id": "s", "kind": "stoppage_started", "stoppage": "strike", "date": "2023-05-02",
    ...              "time": "00:01", "by": "wga", "against": "amptp"},
    ...             {"id": "e", "kind": "stoppage_ended", "stoppage": "strike", "date": "2023-09-27", "time": "00:01"}])
    >>> sept8 = stoppages(case, dt.date(2023, 9, 8))[0]
    >>> (sept8.day_number, sept8.days_completed)
    (130, 129)
    >>> stoppages(case, dt.date(2023, 10, 1))[0].total_days
    148
    """
    day = as_day(as_of)
    return stoppage_counts(ledger(case, day), day)


def stoppage_counts(book: Ledger, day: dt.date) -> list[StoppageCount]:
    """What :func:`stoppages` reports, on the ledger of the case as known on ``day``."""
    records = book.derived(STOPPAGE_RECORDS, stoppage_records)
    starts = [r for r in records if isinstance(r, StoppageStarted)]
    ends = {r.stoppage: r for r in records if isinstance(r, StoppageEnded) and r.date <= day}
    return [count(start, ends.get(start.stoppage), day) for start in starts]


@dataclass(frozen=True, slots=True)
class CountNote:
    """A note on how a stoppage is counted: on its start or end, or on a statement that counts it."""

    stoppages: tuple[str, ...]
    record_id: str
    date: dt.date
    note: str


def count_notes(case: Case, as_of: dt.date) -> list[CountNote]:
    """The notes on the stoppages' counts known on ``as_of``, in time order (what ``accord
    stoppages`` prints under its table: e.g. why one source says "130 days" and another "129").

    Examples
    --------
    >>> import datetime as dt
    >>> from accord.casefile import resolve_case
    >>> [n.record_id for n in count_notes(resolve_case("wga-amptp-2023"), dt.date(2023, 9, 8))]
    ['statement-wga-2023-09-08-paralysis']
    """
    day = as_day(as_of)
    found = []
    for record in ledger(case, day).effective(day):
        if isinstance(record, (StoppageStarted, StoppageEnded)):
            counted: tuple[str, ...] = (record.stoppage,)
        elif isinstance(record, Statement):
            counted = record.stoppages
        else:
            continue
        if record.note and counted:
            found.append(CountNote(counted, record.id, record.date, " ".join(record.note.split())))
    return found


STOPPAGE_RECORDS = "stoppage records"


def _is_stoppage(record: LedgerRecord) -> bool:
    return isinstance(record, (StoppageStarted, StoppageEnded))


def stoppage_records(book: Ledger) -> list[LedgerRecord]:
    """The effective starts and ends of stoppages, in time order."""
    return [r for r in book.effective_all if _is_stoppage(r)]


def _extendstoppage_records(old: Ledger, new: Ledger, added: Sequence[LedgerRecord]) -> object:
    """Those of ``old`` with the added ones in their places, when the added correct nothing."""
    if any(record.supersedes is not None for record in added):
        return REBUILD
    found = list(cast(list[LedgerRecord], old.cache[STOPPAGE_RECORDS]))
    for record in added:
        if _is_stoppage(record):
            insort(found, record, key=new.key)
    return found


EXTENSIONS[STOPPAGE_RECORDS] = _extendstoppage_records
