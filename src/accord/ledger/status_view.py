"""The one-screen status report: every ledger view of a case as of one date, in one value."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from accord.ledger.gaps_view import IssueGap, issue_gaps, ranked
from accord.ledger.movement_view import ENTRENCHED_THRESHOLD, Movement, PartyMovement, movements, summarize
from accord.ledger.pending_view import Pending, pending_between
from accord.ledger.positions import resolve_sides
from accord.ledger.records import Ledger, LedgerRecord, as_day, ledger
from accord.ledger.stoppages_view import StoppageCount, StoppageState, stoppage_counts
from accord.ledger.ta_board_view import TAStatus, board
from accord.ledger.timeline_view import TimelineEntry, entry
from accord.model import Case


@dataclass(frozen=True, slots=True)
class StatusReport:
    """Where a negotiation stands as of a date (see :func:`status`)."""

    case_id: str
    title: str
    as_of: dt.date
    sides: tuple[str, str]
    stoppages: tuple[StoppageCount, ...]
    gaps: tuple[IssueGap, ...]
    movement: tuple[Movement, ...]
    who_moved: tuple[PartyMovement, ...]
    pending: Pending
    ta_board: tuple[TAStatus, ...]
    recent: tuple[TimelineEntry, ...]


def status(
    case: Case,
    as_of: dt.date,
    side_a: str | None = None,
    side_b: str | None = None,
    *,
    recent: int = 5,
) -> StatusReport:
    """Every view of ``case`` as of ``as_of`` for the one-screen summary.

    Stoppages that have not started by ``as_of`` are left out (the report shows what was known
    on the date); ``recent`` is the latest few effective timeline entries, newest last.

    Parameters
    ----------
    case, as_of, side_a, side_b
        As for every two-sided view (see :func:`accord.ledger.gaps`).
    recent : int
        How many timeline entries to include.

    Returns
    -------
    StatusReport

    Examples
    --------
    >>> import datetime as dt
    >>> from accord.model import Case
    >>> case = Case(id="c", title="Talks",
    ...     parties=[{"id": "u", "name": "U", "kind": "union"}, {"id": "e", "name": "E", "kind": "employer"}])
    >>> report = status(case, dt.date(2023, 9, 8))
    >>> (report.sides, report.gaps, report.pending.turn)
    (('u', 'e'), (), None)
    """
    day = as_day(as_of)
    book = ledger(case, day)
    a, b = resolve_sides(case, side_a, side_b)
    found = issue_gaps(book, day, case.issues, (a, b))
    moves = movements(book, day, (a, b), found, ENTRENCHED_THRESHOLD)
    return StatusReport(
        case_id=case.id,
        title=case.title,
        as_of=day,
        sides=(a, b),
        stoppages=tuple(s for s in stoppage_counts(book, day) if s.state is not StoppageState.NOT_STARTED),
        gaps=tuple(ranked(found, case.issues)),
        movement=tuple(moves),
        who_moved=tuple(summarize(moves, (a, b))),
        pending=pending_between(book, day, (a, b)),
        ta_board=tuple(board(book, day, a, b).values()),
        recent=tuple(entry(book, r) for r in _last(book, day, recent)),
    )


def _last(book: Ledger, day: dt.date, count: int) -> list[LedgerRecord]:
    """The last ``count`` effective records dated on or before ``day`` (read from those alone)."""
    if count <= 0:
        return []
    end = book.effective_count(day)
    return list(book.effective_all[max(0, end - count) : end])
