"""Dates in an article's sentences, resolved against its published date (no clock is read).

- A month and day ("Aug. 11", "August 17th and 18th", "Sept. 20, 2023") take the year that puts
  them nearest the published date; "and"/"-" lists give one date per day.
- A month alone ("in January", "its April offer") is the first of that month, precision ``month``,
  in the year before the published date's when the month has not come yet.
- A weekday ("Friday", "late Friday", "Tuesday night") is the last such day on or before the
  published date, or the next one where the words before it look ahead ("will meet Thursday",
  "next Monday").
- Relative words ("yesterday", "last week", "two days ago", "earlier this month") are resolved by
  dateparser with the published date as its base.

>>> import datetime as dt
>>> [(m.text, m.dates) for m in find_dates("The AMPTP said late Friday it made offers on August 17th and 18th.", dt.date(2023, 9, 9))]
[('late Friday', (datetime.date(2023, 9, 8),)), ('August 17th and 18th', (datetime.date(2023, 8, 17), datetime.date(2023, 8, 18)))]
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = (
    r"(?P<month>Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|July?|"
    r"Aug(?:ust|\.)?|Sept(?:ember|\.)?|Sep\.?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)"
)
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_MORE = r"(?P<more>(?:\s*(?:,|and|&|-|–|to|through)\s*[0-3]?\d(?:st|nd|rd|th)?\b(?!\s*(?:%|percent|days?|weeks?|years?|months?|hours?|-)))*)"
MONTH_DAY = re.compile(rf"\b{_MONTH}\s+{_DAY}\b{_MORE}(?:,?\s+(?P<year>(?:19|20)\d\d)\b)?")
MONTH_ONLY = re.compile(
    r"\b(?P<month>January|February|March|April|May|June|July|August|September|October|November|December)"
    r"\b(?!\s+[0-3]?\d\b)(?:\s+(?P<year>(?:19|20)\d\d)\b)?"
)
WEEKDAY = re.compile(
    r"\b(?:(?P<mod>[Ll]ast|[Tt]his|[Nn]ext|[Ee]arly|[Ll]ate|[Ee]arlier|[Ll]ater)\s+)?"
    r"(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
    r"(?:\s+(?P<part>morning|afternoon|evening|night))?\b"
)
RELATIVE = re.compile(
    r"\b(?:today|tonight|yesterday|last\s+night|this\s+(?:morning|afternoon|evening)|"
    r"(?:last|this)\s+(?:week|month)|earlier\s+this\s+(?:week|month)|"
    r"(?:a|one|two|three|four|five|six|seven|eight|nine|ten|\d{1,2})\s+(?:days?|weeks?|months?)\s+ago)\b",
    re.IGNORECASE,
)
ISO = re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b")
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_AHEAD = re.compile(
    r"(?:\b(?:will|would|until|next|scheduled|set|planned|plans|expected|slated|due|coming)\W+(?:\w+\W+){0,3}"
    r"|\bby\s+|\bto\s+(?:meet|resume|return|sit|talk|vote|come)\b[^.;]{0,40}?)$",
    re.IGNORECASE,
)
_MONTH_ONLY_LEAD = re.compile(
    r"\b(?:in|since|early|late|mid|of|until|through|during|by|last|this|its|their|the|his|her|our|that)\W*$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date expression at ``[start, end)`` of a sentence and the day(s) it stands for."""

    start: int
    end: int
    text: str
    dates: tuple[dt.date, ...]
    precision: str = "day"
    ahead: bool = False


def find_dates(text: str, published: dt.date) -> list[DateMention]:
    """Every date expression of ``text`` (one sentence), in order, resolved against ``published``."""
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= a or start >= b for a, b in taken)

    def add(mention: DateMention | None) -> None:
        if mention is not None and mention.dates and free(mention.start, mention.end):
            found.append(mention)
            taken.append((mention.start, mention.end))

    for match in ISO.finditer(text):
        try:
            day = dt.date(int(match["y"]), int(match["m"]), int(match["d"]))
        except ValueError:
            continue
        add(DateMention(match.start(), match.end(), match.group(), (day,)))
    for match in MONTH_DAY.finditer(text):
        add(_month_day(match, published))
    for match in MONTH_ONLY.finditer(text):
        if match["month"] == "May" and not _MONTH_ONLY_LEAD.search(text[: match.start()]):
            continue  # "may" the verb, capitalised at the start of a sentence or in a title
        add(_month_only(match, published))
    for match in WEEKDAY.finditer(text):
        add(_weekday(match, text, published))
    for match in RELATIVE.finditer(text):
        add(_relative(match, published))
    return sorted(found, key=lambda m: m.start)


def _month_number(name: str) -> int:
    return _MONTHS[name[:3].lower()]


def _nearest_year(month: int, day: int, published: dt.date) -> dt.date | None:
    options = []
    for year in (published.year - 1, published.year, published.year + 1):
        try:
            options.append(dt.date(year, month, day))
        except ValueError:
            continue
    return min(options, key=lambda d: abs((d - published).days)) if options else None


def _month_day(match: re.Match[str], published: dt.date) -> DateMention | None:
    month = _month_number(match["month"])
    days = [int(match["day"])] + [
        int(d) for d in re.findall(r"([0-3]?\d)(?:st|nd|rd|th)?", match["more"] or "")
    ]
    more = match["more"] or ""
    is_range = "-" in more or "–" in more or "through" in more
    if is_range and len(days) == 2 and days[0] < days[1] <= days[0] + 7:
        days = list(range(days[0], days[1] + 1))
    dates = []
    for number in days:
        if match["year"]:
            try:
                dates.append(dt.date(int(match["year"]), month, number))
            except ValueError:
                return None
        else:
            resolved = _nearest_year(month, number, published)
            if resolved is None:
                return None
            dates.append(resolved)
    return DateMention(match.start(), match.end(), match.group().rstrip(", "), tuple(dates))


def _month_only(match: re.Match[str], published: dt.date) -> DateMention:
    month = _month_number(match["month"])
    if match["year"]:
        year = int(match["year"])
    else:
        year = published.year if month <= published.month else published.year - 1
    return DateMention(match.start(), match.end(), match.group(), (dt.date(year, month, 1),), "month")


def _weekday(match: re.Match[str], text: str, published: dt.date) -> DateMention:
    target = _WEEKDAYS.index(match["wd"].lower())
    modifier = (match["mod"] or "").lower()
    ahead = modifier == "next" or (
        modifier not in ("last", "earlier", "late", "early") and bool(_AHEAD.search(text[: match.start()]))
    )
    if ahead:
        delta = (target - published.weekday()) % 7 or (7 if modifier == "next" else 0)
        day = published + dt.timedelta(days=delta)
    else:
        delta = (published.weekday() - target) % 7
        if modifier == "last" and delta == 0:
            delta = 7
        day = published - dt.timedelta(days=delta)
    return DateMention(match.start(), match.end(), match.group(), (day,), "day", ahead)


def _relative(match: re.Match[str], published: dt.date) -> DateMention | None:
    words = match.group().lower()
    simple = {"today": 0, "tonight": 0, "yesterday": 1, "last night": 1}
    if re.sub(r"\s+", " ", words) in simple:
        day = published - dt.timedelta(days=simple[re.sub(r"\s+", " ", words)])
        return DateMention(match.start(), match.end(), match.group(), (day,))
    if words.startswith("this ") and words.split()[-1] in ("morning", "afternoon", "evening"):
        return DateMention(match.start(), match.end(), match.group(), (published,))
    import dateparser

    settings = {
        "RELATIVE_BASE": dt.datetime.combine(published, dt.time(12, 0)),
        "PREFER_DATES_FROM": "past",
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    phrase = re.sub(r"^earlier\s+", "", words)
    parsed = dateparser.parse(phrase, languages=["en"], settings=settings)
    if parsed is None:
        return None
    precision = "month" if "month" in words else "week" if "week" in words else "day"
    return DateMention(match.start(), match.end(), match.group(), (parsed.date(),), precision)
