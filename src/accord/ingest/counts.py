"""Claims of how long a strike (lockout) has lasted ("hit 129 days", "the 113th day", "day two",
"at 56 days and counting"), checked against the case's counters as of the claim's date in each
convention: "day N" (the start date is day 1), days completed, and an ended stoppage's total.

>>> import datetime as dt
>>> from accord.ledger.stoppages_view import StoppageCount
>>> check_count(130, False, "exact", _count(day_number=130, days_completed=129)).convention
<Convention.DAY_NUMBER: 'day_number'>
>>> check_count(129, False, "exact", _count(day_number=130, days_completed=129)).convention
<Convention.DAYS_COMPLETED: 'days_completed'>
>>> check_count(131, True, "exact", _count(day_number=130, days_completed=129)).check
<Check.INCONSISTENT: 'inconsistent'>
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from accord.ingest.drafts import Check, Convention, StoppageClaim
from accord.ledger.stoppages_view import StoppageCount, StoppageState, stoppages
from accord.model import Case

_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
}  # fmt: skip
_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
    "fifteenth": 15, "twentieth": 20, "thirtieth": 30,
}  # fmt: skip
_NUMBER = r"\d{1,4}|" + "|".join(sorted(_WORDS, key=len, reverse=True))
_QUALIFIER = r"(?P<q>more\s+than|over|nearly|almost|about|roughly|some|at\s+least)\s+"
PATTERNS = [
    (True, re.compile(rf"\bday\s+(?P<n>{_NUMBER})\b", re.I)),
    (True, re.compile(r"\b(?P<n>\d{1,4})(?:st|nd|rd|th)\s+day\b", re.I)),
    (True, re.compile(rf"\b(?P<n>{'|'.join(_ORDINALS)})\s+day\b", re.I)),
    (
        False,
        re.compile(
            rf"(?:{_QUALIFIER})?\b(?P<n>{_NUMBER})(?:\s+|-)days?\b(?!\s+(?:ago|after|before|later|earlier|of\s+(?:talks|negotiations|bargaining|meetings|sessions)))",
            re.I,
        ),
    ),
]
STOPPAGE_WORDS = re.compile(
    r"\b(?:strike|strikes|walkout|walk-out|stoppage|lockout|picket\w*|walked\s+(?:out|off)|and\s+counting|lasted|has\s+lasted)\b",
    re.I,
)
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_NOW = re.compile(r"\b(?:now|so\s+far|to\s+date|as\s+of\s+today)\b", re.I)
_QUALIFIERS = {"more than": "more_than", "over": "more_than", "at least": "more_than", "nearly": "nearly",
               "almost": "nearly", "about": "about", "roughly": "about", "some": "about"}  # fmt: skip


@dataclass(frozen=True, slots=True)
class CountMention:
    """A count of days in a sentence: its characters, number, form and qualifier."""

    start: int
    end: int
    claimed: int
    ordinal: bool
    qualifier: str


def find_counts(text: str) -> list[CountMention]:
    """The counts of stoppage days in one sentence (a count of days only where a word for a
    stoppage is near it, and not "days of talks" or "two days ago").

    Examples
    --------
    >>> [(c.claimed, c.ordinal) for c in find_counts("The strike hit 129 days on Friday; day 130 began.")]
    [(129, False), (130, True)]
    >>> find_counts("The deal comes after five days of talks.")
    []
    """
    found: list[CountMention] = []
    for ordinal, pattern in PATTERNS:
        for match in pattern.finditer(text):
            if any(match.start() < c.end and c.start < match.end() for c in found):
                continue
            window = text[max(0, match.start() - 60) : match.end() + 60]
            if not STOPPAGE_WORDS.search(window):
                continue
            word = match["n"].lower()
            number = int(word) if word.isdigit() else _WORDS.get(word) or _ORDINALS.get(word)
            if number is None:
                continue
            qualifier = _QUALIFIERS.get(
                re.sub(r"\s+", " ", (match.groupdict().get("q") or "").lower()), "exact"
            )
            found.append(CountMention(match.start(), match.end(), number, ordinal, qualifier))
    return sorted(found, key=lambda c: c.start)


def mentions_other_years(text: str, count: StoppageCount) -> bool:
    """Whether the sentence names years none of which the stoppage spans ("in 2007 and 2008")."""
    years = {int(y) for y in _YEAR.findall(text)}
    if not years:
        return False
    last = (count.last_day or count.start_date).year
    return not any(count.start_date.year <= y <= max(last, count.start_date.year) for y in years)


def says_now(text: str) -> bool:
    return _NOW.search(text) is not None


def counts_as_of(case: Case, as_of: dt.date) -> list[StoppageCount]:
    return stoppages(case, as_of)


def check_count(claimed: int, ordinal: bool, qualifier: str, count: StoppageCount | None) -> StoppageClaim:
    """The claim checked against ``count`` (the stoppage's counters as of the claim's date)."""
    if count is None:
        return StoppageClaim(
            stoppage=None, claimed=claimed, ordinal=ordinal, qualifier=qualifier, as_of=dt.date.min,
            check=Check.UNKNOWN, explanation="no stoppage of the case fits this count",
        )  # fmt: skip
    readings: list[tuple[Convention, int]] = []
    if count.state is StoppageState.ENDED and count.total_days is not None:
        readings.append((Convention.TOTAL, count.total_days))
    elif count.state is StoppageState.IN_FORCE:
        if count.day_number is not None:
            readings.append((Convention.DAY_NUMBER, count.day_number))
        if not ordinal:
            readings.append((Convention.DAYS_COMPLETED, count.days_completed))
    matched = next((convention for convention, value in readings if _agrees(claimed, qualifier, value)), None)
    values = (
        ", ".join(f"{c.value.replace('_', ' ')} {v}" for c, v in readings)
        or f"{count.state.value.replace('_', ' ')}"
    )
    if matched is not None:
        explanation = f"agrees with the case's {matched.value.replace('_', ' ')} ({values})"
    else:
        explanation = f"the case's counters say {values}"
    return StoppageClaim(
        stoppage=count.stoppage,
        claimed=claimed,
        qualifier=qualifier,
        ordinal=ordinal,
        as_of=dt.date.min,
        check=Check.CONSISTENT if matched else Check.INCONSISTENT,
        convention=matched,
        day_number=count.day_number,
        days_completed=count.days_completed,
        total_days=count.total_days,
        explanation=explanation,
    )


def _agrees(claimed: int, qualifier: str, value: int) -> bool:
    if qualifier == "more_than":
        return value > claimed or value == claimed
    if qualifier == "nearly":
        return claimed - 7 <= value < claimed
    if qualifier == "about":
        return abs(value - claimed) <= 2
    return value == claimed


def _count(day_number: int | None, days_completed: int) -> StoppageCount:
    """A stoppage in force with these counters (for the examples)."""
    return StoppageCount(
        stoppage="s", type=None, by="u", against="e", state=StoppageState.IN_FORCE,  # type: ignore[arg-type]
        start_date=dt.date(2023, 5, 2), start_time=None, end_date=None, end_time=None, how=None,
        last_day=None, day_number=day_number, days_completed=days_completed, total_days=None,
        start_id="s0", end_id=None, sources=(),
    )  # fmt: skip
