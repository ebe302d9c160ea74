"""The one rule for what a stored value may be: text, numbers, dates and links, each field kind
with a documented limit.

Every model field is typed with these (:data:`Name`, :data:`Title`, :data:`Text`, :data:`Url`,
:data:`Day`, :data:`Finite`, :data:`Count`), so a case file, a preference file, an API body and a
dashboard form are held to one rule and nothing stored can break a read or an export. The edges
that read values before the model (API path and query values and JSON bodies, the dashboard's
query values, CLI options) call the same predicates: :func:`text_problem`, :func:`date_problem`,
:func:`number_problem`, :func:`url_problem` (docs/reference/case-files.md, "Text, numbers and
dates").

Text
    Unicode scalar values only: no unpaired surrogates (``"\\ud800"`` in JSON or YAML), no NUL
    or other control character (C0, DEL, C1) except tab and line breaks, no noncharacter
    (U+FDD0 to U+FDEF, U+FFFE and U+FFFF of every plane). A one-line field (an id, a name, a
    title, a unit, an option, a link) also holds no tab or line break (LF, CR, U+2028, U+2029)
    and no explicit bidirectional embedding, override or isolate (U+202A to U+202E, U+2066 to
    U+2069), which could make a name display as another. Lengths are counted in characters.
Numbers
    Finite: no NaN, no infinity (``1e309`` reads as infinity). Sums that get normalised (weights,
    shares) must be finite too.
Dates
    From :data:`FIRST_DATE` (1900-01-01) to :data:`LAST_DATE` (2100-12-31).
Links
    ``http://`` or ``https://`` with a host, one line, no spaces.

>>> text_problem("Writers Guild"), text_problem("a\\x00b") is not None
(None, True)
>>> text_problem("line one\\nline two"), text_problem("two\\nlines", one_line=True)
(None, 'contains U+000A (a line break) at character 4; expected one line of text')
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import Annotated, TypeVar

from pydantic import AfterValidator, BeforeValidator, Field, StringConstraints, WithJsonSchema

T = TypeVar("T")

ID_MAX = 80
"""Most characters of an id (letters, digits, ``_``, ``.``, ``-``)."""
NAME_MAX = 200
"""Most characters of a name: a party, an issue, an option, a provision, a unit, a label."""
TITLE_MAX = 500
"""Most characters of a title: a case's, a source's, an estimate's label."""
TEXT_MAX = 20_000
"""Most characters of a long text: a description, summary, quote, note, rationale."""
URL_MAX = 2_000
"""Most characters of a link."""
PARAMETER_MAX = 2_000
"""Most characters of a value in a request's path or query."""
COUNT_MAX = 10**9
"""Largest count (of votes)."""
FIRST_DATE = dt.date(1900, 1, 1)
"""The earliest date a record, an estimate, a source or an "as of" may have."""
LAST_DATE = dt.date(2100, 12, 31)
"""The latest date a record, an estimate, a source or an "as of" may have."""


def _noncharacters() -> str:
    planes = "".join(f"\\U{plane:04x}fffe\\U{plane:04x}ffff" for plane in range(1, 17))
    return "\\ufdd0-\\ufdef\\ufffe\\uffff" + planes


# Never in any text: C0 controls but tab, LF and CR; DEL and C1; surrogates; noncharacters.
_NEVER = "\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f\\ud800-\\udfff" + _noncharacters()
# Also not in a one-line field: tab, line breaks, bidirectional embeddings, overrides, isolates.
_NOT_IN_A_LINE = "\\t\\n\\r\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069"
_BAD_TEXT = re.compile(f"[{_NEVER}]")
_BAD_LINE = re.compile(f"[{_NEVER}{_NOT_IN_A_LINE}]")
_WEB_URL = re.compile(r"https?://[^/?#\s]+(?:[/?#]\S*)?", re.IGNORECASE)


def _describe(char: str) -> str:
    code = ord(char)
    if 0xD800 <= code <= 0xDFFF:
        what = "an unpaired surrogate"
    elif char in "\n\r\u2028\u2029":
        what = "a line break"
    elif char == "\t":
        what = "a tab"
    elif code == 0:
        what = "NUL"
    elif unicodedata.category(char) == "Cc":
        what = "a control character"
    elif unicodedata.category(char) == "Cf":
        what = "a bidirectional formatting character"
    else:
        what = "a noncharacter"
    return f"U+{code:04X} ({what})"


def text_problem(value: str, *, one_line: bool = False) -> str | None:
    """Why ``value`` breaks the text rule, or ``None`` when it keeps it (length aside).

    ``one_line``: the stricter rule of ids, names, titles, options and links.

    Examples
    --------
    >>> text_problem("caf\\u00e9 \\u05e9\\u05dc\\u05d5\\u05dd"), text_problem("tab\\there")
    (None, None)
    >>> text_problem("bad \\ud800")
    'contains U+D800 (an unpaired surrogate) at character 5; expected text without NUL, control characters, unpaired surrogates or noncharacters'
    """
    found = (_BAD_LINE if one_line else _BAD_TEXT).search(value)
    if found is None:
        return None
    expected = (
        "expected one line of text"
        if one_line and _BAD_TEXT.match(found.group()) is None
        else "expected text without NUL, control characters, unpaired surrogates or noncharacters"
    )
    return f"contains {_describe(found.group())} at character {found.start() + 1}; {expected}"


def is_valid_text(value: object, *, one_line: bool = False, max_length: int = TEXT_MAX) -> bool:
    """Whether ``value`` is text that keeps the rule and is at most ``max_length`` long.

    >>> is_valid_text("ok"), is_valid_text("x" * 201, max_length=NAME_MAX), is_valid_text(3)
    (True, False, False)
    """
    return (
        isinstance(value, str) and len(value) <= max_length and text_problem(value, one_line=one_line) is None
    )


def printable(text: str) -> str:
    """``text`` with every character the one-line rule refuses written as an escape, so that a
    message quoting a bad value can be printed, encoded and shown.

    >>> printable("a\\x00b\\ud800\\n")
    'a\\\\x00b\\\\ud800\\\\n'
    """
    return _BAD_LINE.sub(lambda found: repr(found.group())[1:-1], text)


def date_problem(day: dt.date) -> str | None:
    """Why ``day`` is outside the dates Accord keeps, or ``None``.

    >>> date_problem(dt.date(2023, 5, 2)), date_problem(dt.date(1, 1, 1))
    (None, 'expected a date from 1900-01-01 to 2100-12-31, got 0001-01-01')
    """
    if FIRST_DATE <= day <= LAST_DATE:
        return None
    return f"expected a date from {FIRST_DATE} to {LAST_DATE}, got {day.isoformat()}"


def parse_day(text: str) -> dt.date:
    """The date ``YYYY-MM-DD`` in ``text``, within the dates Accord keeps.

    Raises ``ValueError`` saying what was expected.

    >>> parse_day("2023-09-08")
    datetime.date(2023, 9, 8)
    >>> parse_day("9999-12-31")
    Traceback (most recent call last):
    ...
    ValueError: expected a date from 1900-01-01 to 2100-12-31, got 9999-12-31
    """
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"expected a date as YYYY-MM-DD, got {text[:40]!r}") from None
    problem = date_problem(day)
    if problem:
        raise ValueError(problem)
    return day


def number_problem(value: float) -> str | None:
    """Why ``value`` is not a number Accord keeps (NaN or infinite), or ``None``.

    >>> number_problem(1e308), number_problem(float("1e309"))
    (None, 'expected a finite number, got inf')
    """
    return None if math.isfinite(value) else f"expected a finite number, got {value}"


def sum_problem(values: Iterable[float], what: str) -> str | None:
    """Why the sum of ``values`` (finite, non-negative numbers such as weights) overflows, or ``None``.

    >>> sum_problem([1e308, 1e308], "weights")
    'the weights add up to more than the largest number (1.8e308); use a smaller scale'
    """
    if math.isfinite(sum(values)):
        return None
    return f"the {what} add up to more than the largest number (1.8e308); use a smaller scale"


def url_problem(url: str) -> str | None:
    """Why ``url`` is not a web link (``http://`` or ``https://`` with a host), or ``None``.

    >>> url_problem("https://www.wga.org/news"), url_problem("javascript:alert(1)")
    (None, "expected an http:// or https:// link, got 'javascript:alert(1)'")
    """
    problem = text_problem(url, one_line=True)
    if problem:
        return problem
    if _WEB_URL.fullmatch(url) is None:
        return f"expected an http:// or https:// link, got {url[:60]!r}"
    return None


def is_web_url(url: object) -> bool:
    """Whether ``url`` is a link a page may render (what :func:`url_problem` accepts)."""
    return isinstance(url, str) and len(url) <= URL_MAX and url_problem(url) is None


def _checked(problem_of: Callable[[T], str | None]) -> Callable[[T], T]:
    """A pydantic validator raising the problem ``problem_of`` finds (a ``value_error``)."""

    def check(value: T) -> T:
        problem = problem_of(value)
        if problem:
            raise ValueError(problem)
        return value

    return check


def _text_checked(one_line: bool) -> BeforeValidator:
    """The text rule, checked before pydantic's own string checks (which would refuse an unpaired
    surrogate with a message that does not say where or why)."""

    def check(value: object) -> object:
        if isinstance(value, str):
            problem = text_problem(value, one_line=one_line)
            if problem:
                raise ValueError(problem)
        return value

    return BeforeValidator(check)


OneLine = _text_checked(one_line=True)
"""The one-line text rule as a pydantic validator (for types defined elsewhere, e.g. ids)."""

Name = Annotated[str, StringConstraints(max_length=NAME_MAX), OneLine]
"""One line of text, at most :data:`NAME_MAX` characters: a name, an option, a unit, a label."""
Title = Annotated[str, StringConstraints(max_length=TITLE_MAX), OneLine]
"""One line of text, at most :data:`TITLE_MAX` characters."""
Text = Annotated[str, StringConstraints(max_length=TEXT_MAX), _text_checked(one_line=False)]
"""Text of any number of lines, at most :data:`TEXT_MAX` characters."""
Url = Annotated[
    str,
    StringConstraints(max_length=URL_MAX),
    OneLine,
    AfterValidator(_checked(url_problem)),
    WithJsonSchema(
        {"type": "string", "maxLength": URL_MAX, "pattern": "^[Hh][Tt][Tt][Pp][Ss]?://[^/?#\\s]+"}
    ),
]
"""An ``http://`` or ``https://`` link, at most :data:`URL_MAX` characters."""
Day = Annotated[dt.date, AfterValidator(_checked(date_problem))]
"""A date from :data:`FIRST_DATE` to :data:`LAST_DATE`."""
Finite = Annotated[float, Field(allow_inf_nan=False)]
"""A finite number."""
NonNegative = Annotated[float, Field(ge=0.0, allow_inf_nan=False)]
"""A finite number at least 0."""
Count = Annotated[int, Field(ge=0, le=COUNT_MAX)]
"""A whole number from 0 to :data:`COUNT_MAX`."""
