"""The timeline: proposals and events in time order, filterable by party, issue and date range."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import cast

from accord.ledger.jsonable import JSON, to_jsonable
from accord.ledger.positions import check_issues, check_parties
from accord.ledger.records import EXTENSIONS, REBUILD, Ledger, LedgerRecord, as_day, ledger
from accord.ledger.sharing import Layered, bisected
from accord.ledger.stoppages_view import STOPPAGE_RECORDS, stoppage_records
from accord.model import (
    Case,
    Confidence,
    Milestone,
    Proposal,
    Request,
    Response,
    Statement,
    StoppageEnded,
    StoppageStarted,
    Talks,
    TAWithdrawn,
    TentativeAgreement,
    Vote,
)


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """One proposal or event on the timeline.

    ``kind`` is ``"proposal"`` or the event's kind; ``parties`` are every party the record
    involves; ``issues`` the issues it touches (a proposal's positions, a tentative agreement's
    issues, all issues for a whole-contract agreement). ``superseded_by`` names the correction
    that replaced this record, if any; ``supersedes`` the record this one corrects.
    """

    date: dt.date
    time: dt.time | None
    kind: str
    record_id: str
    parties: tuple[str, ...]
    issues: tuple[str, ...]
    summary: str
    sources: tuple[str, ...]
    confidence: Confidence
    superseded_by: str | None
    supersedes: str | None


def _unique(items: Iterable[str | None]) -> tuple[str, ...]:
    found: list[str] = []
    for item in items:
        if item is not None and item not in found:
            found.append(item)
    return tuple(found)


def _starts(book: Ledger) -> dict[str, StoppageStarted]:
    records = book.derived(STOPPAGE_RECORDS, stoppage_records)
    return {r.stoppage: r for r in records if isinstance(r, StoppageStarted)}


def _issue_ids(book: Ledger) -> tuple[str, ...]:
    return tuple(issue.id for issue in book.case.issues)


def _labels(book: Ledger) -> dict[str, str]:
    labels: dict[str, str] = {}
    for party in book.case.parties:
        labels.setdefault(party.id, party.label)
    return labels


def involved(book: Ledger, record: LedgerRecord) -> tuple[str, ...]:
    """Every party ``record`` involves, in the order the record names them."""
    if isinstance(record, (Proposal, Request, Response)):
        return _unique((record.from_party, record.to_party))
    if isinstance(record, Talks):
        return _unique((*record.parties, record.by))
    if isinstance(record, StoppageStarted):
        return _unique((record.by, record.against))
    if isinstance(record, StoppageEnded):
        start = book.derived("stoppage starts", _starts).get(record.stoppage)
        return () if start is None else _unique((start.by, start.against))
    if isinstance(record, Statement):
        return _unique((record.party, record.turn_of))
    if isinstance(record, TentativeAgreement):
        return _unique(record.parties)
    if isinstance(record, TAWithdrawn):
        agreement = book.record(record.agreement)
        parties = agreement.parties if isinstance(agreement, TentativeAgreement) else ()
        return _unique((record.by, *parties))
    if isinstance(record, Vote):
        return (record.party,)
    assert isinstance(record, Milestone)
    return _unique(record.parties)


def touched(book: Ledger, record: LedgerRecord) -> tuple[str, ...]:
    """The issues ``record`` touches: a proposal's positions, a (withdrawn) agreement's issues."""
    all_issues = book.derived("issue ids", _issue_ids)
    if isinstance(record, Proposal):
        return tuple(i for i in all_issues if i in record.positions)
    if isinstance(record, TentativeAgreement):
        return record.issues or all_issues
    if isinstance(record, TAWithdrawn):
        if record.issues:
            return record.issues
        agreement = book.record(record.agreement)
        if isinstance(agreement, TentativeAgreement):
            return agreement.issues or all_issues
    return ()


def _label(book: Ledger, party_id: str | None) -> str:
    if party_id is None:
        return "?"
    return book.derived("party labels", _labels).get(party_id, party_id)


def summarize(book: Ledger, record: LedgerRecord) -> str:
    """A one-line summary: the record's own, or one written from its fields."""
    own = getattr(record, "summary", None)
    if own:
        return " ".join(str(own).split())

    def name(party_id: str | None) -> str:
        return _label(book, party_id)

    if isinstance(record, Proposal):
        issues = ", ".join(touched(book, record)) or "no stated issues"
        return f"{name(record.from_party)} → {name(record.to_party)}: proposal on {issues}"
    if isinstance(record, Talks):
        what = record.kind.removeprefix("talks_")
        by = f" by {name(record.by)}" if record.by else ""
        return f"Talks {what}{by}: " + ", ".join(name(p) for p in record.parties)
    if isinstance(record, StoppageStarted):
        return f"{name(record.by)} {record.type.value} against {name(record.against)} begins"
    if isinstance(record, StoppageEnded):
        return f"Stoppage {record.stoppage} {record.how}"
    if isinstance(record, Request):
        return f"{name(record.from_party)} asks {name(record.to_party)} for a {record.asks.value}"
    if isinstance(record, Response):
        return f"{name(record.from_party)} responds to {name(record.to_party)} ({record.responds_to})"
    if isinstance(record, TentativeAgreement):
        scope = ", ".join(record.issues) if record.issues else "the whole contract"
        return f"Tentative agreement on {scope}"
    if isinstance(record, TAWithdrawn):
        return f"Tentative agreement {record.agreement} withdrawn"
    if isinstance(record, Vote):
        share = record.share_yes
        result = "passed" if record.passed else "failed"
        pct = f", {share:.1%} yes" if share is not None else ""
        return f"{name(record.party)} {record.subject.value.replace('_', ' ')} vote {result}{pct}"
    return " ".join(str(getattr(record, "summary", record.id)).split())


def entry(book: Ledger, record: LedgerRecord) -> TimelineEntry:
    return TimelineEntry(
        date=record.date,
        time=record.time,
        kind="proposal" if isinstance(record, Proposal) else record.kind,
        record_id=record.id,
        parties=involved(book, record),
        issues=touched(book, record),
        summary=summarize(book, record),
        sources=record.sources,
        confidence=record.confidence,
        superseded_by=book.superseded_by.get(record.id),
        supersedes=record.supersedes,
    )


def timeline(
    case: Case,
    as_of: dt.date | None = None,
    *,
    parties: Iterable[str] | None = None,
    issues: Iterable[str] | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    include_superseded: bool = True,
) -> list[TimelineEntry]:
    """Proposals and events in time order, as of a date, filtered.

    Parameters
    ----------
    case : Case
    as_of : datetime.date, optional
        Leave out records not yet known on this day, and corrections known later (none left
        out when ``None``).
    parties : iterable of str, optional
        Keep records that involve any of these parties.
    issues : iterable of str, optional
        Keep proposals with a position on any of these issues, and tentative agreements (and
        their withdrawals) that cover any of them.
    start, end : datetime.date, optional
        Keep records dated within ``[start, end]``.
    include_superseded : bool
        Keep records a correction replaced (marked by ``superseded_by``).

    Returns
    -------
    list of TimelineEntry
        By date, then time of day (unknown time first), then file order.

    Raises
    ------
    ValueError
        A party or issue in the filters is not one of the case's.

    Examples
    --------
    >>> import datetime as dt
    >>> from accord.model import Case
    >>> case = Case(id="c", title="t",
    ...     parties=[{"id": "u", "name": "U", "kind": "union"}, {"id": "e", "name": "E", "kind": "employer"}],
    ...     proposals=[{"id": "p1", "date": "2023-05-01", "from": "u", "to": "e"}],
    ...     events=[{"id": "s", "kind": "stoppage_started", "stoppage": "x", "date": "2023-05-02",
    ...              "by": "u", "against": "e"}])
    >>> [(e.record_id, e.summary) for e in timeline(case, dt.date(2023, 5, 2))]
    [('p1', 'U → E: proposal on no stated issues'), ('s', 'U strike against E begins')]
    """
    party_filter = None if parties is None else set(parties)
    issue_filter = None if issues is None else set(issues)
    check_parties(case, sorted(party_filter or ()))
    check_issues(case, sorted(issue_filter or ()))
    book = ledger(case, None if as_of is None else as_day(as_of))
    entries = book.derived(ENTRIES, _entries)
    dated = _dated(book, as_of, start, end, include_superseded)
    if party_filter is None and issue_filter is None:
        return [entries[record.id] for record in dated]
    found = []
    for record in dated:
        item = entries[record.id]
        if party_filter is not None and not party_filter.intersection(item.parties):
            continue
        if issue_filter is not None and not issue_filter.intersection(item.issues):
            continue
        found.append(item)
    return found


def timeline_data(
    case: Case,
    as_of: dt.date | None = None,
    *,
    parties: Iterable[str] | None = None,
    issues: Iterable[str] | None = None,
) -> list[JSON]:
    """``to_jsonable(timeline(case, as_of, parties=..., issues=...))``, each entry converted once
    per ledger (and carried to the ledgers :func:`accord.ledger.records.extended` makes from it):
    the API's timeline of a big case, read after each write, converts only what changed.

    Examples
    --------
    >>> import datetime as dt
    >>> from accord.model import Case
    >>> case = Case(id="c", title="t",
    ...     parties=[{"id": "u", "name": "U", "kind": "union"}, {"id": "e", "name": "E", "kind": "employer"}],
    ...     proposals=[{"id": "p1", "date": "2023-05-01", "from": "u", "to": "e"}])
    >>> timeline_data(case, dt.date(2023, 5, 1)) == to_jsonable(timeline(case, dt.date(2023, 5, 1)))
    True
    """
    book = ledger(case, None if as_of is None else as_day(as_of))
    data = book.derived(ENTRIES_JSON, _entries_json)
    if parties is None and issues is None:
        return [data[record.id] for record in _dated(book, as_of, None, None, True)]
    return [data[item.record_id] for item in timeline(case, as_of, parties=parties, issues=issues)]


def timeline_page(case: Case, as_of: dt.date | None, offset: int, limit: int) -> tuple[list[JSON], int]:
    """Entries ``offset`` to ``offset + limit`` of ``timeline_data(case, as_of)``, and how many
    there are, converting only those (the rest of the timeline is not read).

    Examples
    --------
    >>> import datetime as dt
    >>> from accord.model import Case
    >>> case = Case(id="c", title="t",
    ...     parties=[{"id": "u", "name": "U", "kind": "union"}, {"id": "e", "name": "E", "kind": "employer"}],
    ...     proposals=[{"id": f"p{n}", "date": f"2023-05-0{n}", "from": "u", "to": "e"} for n in (1, 2, 3)])
    >>> items, total = timeline_page(case, dt.date(2023, 5, 2), 1, 10)
    >>> [item["record_id"] for item in items], total
    (['p2'], 2)
    """
    book = ledger(case, None if as_of is None else as_day(as_of))
    data = book.derived(ENTRIES_JSON, _entries_json)
    dated = _dated(book, as_of, None, None, True)
    return [data[record.id] for record in dated[offset : offset + limit]], len(dated)


def _dated(
    book: Ledger, as_of: dt.date | None, start: dt.date | None, end: dt.date | None, include_superseded: bool
) -> Sequence[LedgerRecord]:
    """The records in time order dated within the bounds (the date filter of :func:`timeline`).

    The time order is by date first, so the records within the bounds are a slice of it, found
    by bisection. Should a record ever be shown from a date later than its own (known late), the
    slice still bounds those shown as of a day (none is shown before its date), and the rest of
    the filter belongs here, applied to the slice at read time.
    """
    ordered = book.ordered
    last = min((as_day(d) for d in (as_of, end) if d is not None), default=None)
    high = len(ordered) if last is None else bisected(ordered, last, key=_date)
    low = 0 if start is None else min(bisected(ordered, as_day(start), left=True, key=_date), high)
    found = ordered[low:high]
    return found if include_superseded else [r for r in found if book.is_effective(r)]


def _date(record: LedgerRecord) -> dt.date:
    return record.date


ENTRIES = "timeline entries"
ENTRIES_JSON = "timeline entries as JSON"


def _entries(book: Ledger) -> dict[str, TimelineEntry]:
    """Record id -> its timeline entry, for every record of the ledger."""
    return {record.id: entry(book, record) for record in book.ordered}


def _entries_json(book: Ledger) -> dict[str, JSON]:
    return {record_id: to_jsonable(item) for record_id, item in book.derived(ENTRIES, _entries).items()}


def _depending(new: Ledger, added: Sequence[LedgerRecord]) -> set[str]:
    """The records whose entries may change when ``added`` join the ledger: the added ones, those
    they correct (now ``superseded_by``), and, when the record of a stoppage's start or of an
    agreement may have changed, every stoppage end and agreement withdrawal (whose parties and
    issues come from them)."""
    changed = {record.id for record in added}
    changed.update(record.supersedes for record in added if record.supersedes is not None)
    if any(r.supersedes is not None or isinstance(r, (StoppageStarted, TentativeAgreement)) for r in added):
        changed.update(r.id for r in new.ordered if isinstance(r, (StoppageEnded, TAWithdrawn)))
    return changed


def _extend_entries(old: Ledger, new: Ledger, added: Sequence[LedgerRecord]) -> object:
    changed = {}
    for record_id in _depending(new, added):
        record = new.by_id.get(record_id)
        if record is not None:
            changed[record_id] = entry(new, record)
    return Layered.of(cast(Mapping[str, TimelineEntry], old.cache[ENTRIES])).updated(changed)


def _extend_json(old: Ledger, new: Ledger, added: Sequence[LedgerRecord]) -> object:
    if ENTRIES not in new.cache:
        return REBUILD
    before = cast(Mapping[str, TimelineEntry], old.cache[ENTRIES])
    entries = cast(Mapping[str, TimelineEntry], new.cache[ENTRIES])
    changed = {}
    for record_id in _depending(new, added):
        item = entries.get(record_id)
        if item is not None and before.get(record_id) is not item:
            changed[record_id] = to_jsonable(item)
    return Layered.of(cast(Mapping[str, JSON], old.cache[ENTRIES_JSON])).updated(changed)


EXTENSIONS[ENTRIES] = _extend_entries
EXTENSIONS[ENTRIES_JSON] = _extend_json
