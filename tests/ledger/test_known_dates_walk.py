"""Nothing known later shows in a view: a walk over every day of both bundled cases.

For each day D from the first record to the last (and a little past), every ledger view (the
status report with its stoppages, gaps, movement, pending and TA board; positions of both sides;
the timeline; stoppages; and each two-sided view on its own), as JSON and as the CLI's text,
must name no date later than D (ISO, or "Sept 8" in words) and show no text of a record known
only after D. The only later dates a view may name are those a record announced at the time
(a schedule, a deadline, a contract's term): :data:`ANNOUNCING`.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator

import pytest
from rich.console import Console

from accord import ledger
from accord.casefile import resolve_case
from accord.cli import render
from accord.ledger.movement_view import summarize
from accord.ledger.stoppages_view import count_notes
from accord.model import Case, Proposal

CASES = ("wga-amptp-2023", "sag-aftra-amptp-2023")
ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
MONTHS = {
    "January": 1, "Jan": 1, "February": 2, "Feb": 2, "March": 3, "Mar": 3, "April": 4, "Apr": 4,
    "May": 5, "June": 6, "Jun": 6, "July": 7, "Jul": 7, "August": 8, "Aug": 8, "September": 9,
    "Sept": 9, "Sep": 9, "October": 10, "Oct": 10, "November": 11, "Nov": 11, "December": 12, "Dec": 12,
}  # fmt: skip
WORD_DATE = re.compile(
    r"\b("
    + "|".join(sorted(MONTHS, key=len, reverse=True))
    + r")\.? (\d{1,2})(?:st|nd|rd|th)?\b(?:,? (\d{4}))?"
)
ANNOUNCING = {
    "wga-amptp-2023": {
        "milestone-2023-02-22-schedule",  # talks will start March 20; the contract expires May 1
        "milestone-2023-02-27-pattern-of-demands",  # a vote by March 7
        "request-amptp-2023-08-01",  # meet on Aug 4
        "request-amptp-2023-08-10",  # meet on Aug 11
        "milestone-2023-09-18-schedule",  # bargaining from Sept 20
        "wga-ta-2023-09-24",  # the contract's term and raises
        "wga-board-2023-09-26",  # the strike lifted from Sept 27
    },
    "sag-aftra-amptp-2023": {
        "milestone-2023-06-30-extension",  # extended to July 12
        "sag-aftra-board-strike-2023-07-13",  # a strike from July 14
        "sag-aftra-ta-2023-11-08",  # the contract's term
    },
}
"""Records that name a later date because they announce it: their own text is no leak."""
SHORTEST = 16
"""Texts shorter than this (a bare "entrenched") are not distinctive enough to look for."""


def _texts(record) -> Iterator[str]:
    for name in ("summary", "quote", "note"):
        text = getattr(record, name, None)
        if text:
            yield " ".join(text.split())
    positions = record.positions if isinstance(record, Proposal) else getattr(record, "terms", {})
    for position in positions.values():
        if position.text:
            yield " ".join(position.text.split())


def _word_dates(text: str, day: dt.date) -> Iterator[tuple[str, dt.date]]:
    for match in WORD_DATE.finditer(text):
        year = int(match.group(3)) if match.group(3) else day.year
        try:
            yield match.group(0), dt.date(year, MONTHS[match.group(1)], int(match.group(2)))
        except ValueError:  # "May 40": not a date
            continue


def _later_texts(case: Case, day: dt.date) -> dict[str, str]:
    """Text of each record known only after ``day`` -> the record, leaving out text that a
    record known by then also has (it is no news)."""
    known = {t for r in case.records() if r.known_on <= day for t in _texts(r)}
    return {
        text: r.id
        for r in case.records()
        if r.known_on > day
        for text in _texts(r)
        if len(text) >= SHORTEST and text not in known
    }


def _flat(data) -> str:
    """Every string and number of JSON data (keys too), as one line: text as a reader sees it."""
    if isinstance(data, dict):
        return " | ".join(f"{key} | {_flat(value)}" for key, value in data.items())
    if isinstance(data, list):
        return " | ".join(_flat(item) for item in data)
    return " ".join(str(data).split())


def _text(renderable) -> str:
    out = Console(width=4000, file=io.StringIO(), color_system=None, soft_wrap=True)
    out.print(renderable)
    return " ".join(out.file.getvalue().split())  # type: ignore[attr-defined]


def _views(case: Case, day: dt.date) -> Iterator[tuple[str, str]]:
    """(name, output) of every ledger view as of ``day``: JSON and text."""
    a, b = ledger.sides(case)
    report = ledger.status(case, day, recent=1000)
    yield "status json", _flat(ledger.to_jsonable(report))
    yield "status text", _text(render.status_view(case, report))
    moves = ledger.movement(case, day)
    yield "movement json", _flat(ledger.to_jsonable([moves, summarize(moves, (a, b))]))
    for name, view in (("gaps", ledger.gaps), ("pending", ledger.pending), ("ta-board", ledger.ta_board)):
        yield f"{name} json", _flat(ledger.to_jsonable(view(case, day)))
    stopped = ledger.stoppages(case, day)
    yield "stoppages json", _flat(ledger.to_jsonable(stopped))
    yield "stoppages text", _text(render.stoppages_table(case, stopped))
    yield "stoppages notes", _text(render.count_notes_text(count_notes(case, day)))
    entries = ledger.timeline(case, day)
    yield "timeline json", _flat(ledger.to_jsonable(entries))
    yield "timeline text", _text(render.timeline_table(case, entries))
    for party in (a, b):
        found = ledger.positions_as_of(case, day, party)
        yield f"positions {party} json", _flat(ledger.to_jsonable(found))
        yield (
            f"positions {party} text",
            " ".join(
                f"{render.position_text(case, p)} {p.text or ''} {p.proposal_id} {p.date}"
                for p in found.values()
            ),
        )


def _days(case: Case) -> list[dt.date]:
    first = min(r.date for r in case.records())
    last = max(r.known_on for r in case.records()) + dt.timedelta(days=1)
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


@pytest.mark.parametrize("case_id", CASES)
def test_no_view_shows_a_later_date_or_the_text_of_a_later_record(case_id):
    case = resolve_case(case_id)
    leaks: list[str] = []
    announcing = [case.record(rid) for rid in sorted(ANNOUNCING[case_id])]
    for day in _days(case):
        later = _later_texts(case, day)
        announced = [t for r in announcing if r.known_on <= day for t in _texts(r)]
        for name, output in _views(case, day):
            for match in ISO_DATE.finditer(output):
                if dt.date(*map(int, match.groups())) > day:
                    leaks.append(f"{day} {name}: names {match.group(0)}")
            words = output
            for text in announced:
                words = words.replace(text, " ")
            leaks += [f"{day} {name}: names {said!r}" for said, when in _word_dates(words, day) if when > day]
            leaks += [
                f"{day} {name}: text of {rid}: {text[:60]!r}" for text, rid in later.items() if text in output
            ]
    assert not leaks, "\n".join(sorted(set(leaks))[:40])


@pytest.mark.parametrize("case_id", CASES)
def test_each_announcing_record_names_a_later_date(case_id):
    """The list of announcements does not drift: each of them does name a date after its own."""
    case = resolve_case(case_id)
    for record_id in ANNOUNCING[case_id]:
        record = case.record(record_id)
        assert any(
            when > record.known_on for text in _texts(record) for _, when in _word_dates(text, record.date)
        )


def test_the_walk_would_see_a_leak():
    """The check is not vacuous: a record known on Sept 8 is seen on Sept 8 and not before."""
    case = resolve_case("wga-amptp-2023")
    offer = case.proposal("amptp-2023-08-17")
    assert offer.known_on == dt.date(2023, 9, 8)
    seen = dict(_views(case, dt.date(2023, 9, 8)))
    assert "amptp-2023-08-17" in seen["timeline json"]
    before = dict(_views(case, dt.date(2023, 9, 7)))
    assert "amptp-2023-08-17" not in before["timeline json"]
    assert _later_texts(case, dt.date(2023, 9, 7))
