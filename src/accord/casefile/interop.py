"""What the GENIUS and GeniusWeb importers and exporters share: the result type, ids from names,
decimal numbers read exactly, the case, the discrete values of an issue."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from pydantic import ValidationError

from accord.casefile.errors import CaseFileError, FileProblem
from accord.model import (
    Case,
    Issue,
    NumericIssue,
    Party,
    PartyKind,
    PreferenceModel,
    PreferenceSet,
    ProvisionIssue,
    Value,
)
from accord.model.exact import ExactProfile
from accord.model.issue import OptionIssue
from accord.model.limits import ID_MAX

MAX_FILE_BYTES = 8 * 2**20
"""Largest GENIUS or GeniusWeb file read (8 MiB; public benchmark files have a few hundred KB)."""
MAX_DIGITS = 60
"""Most digits a number in an imported file may have (the doubles GENIUS reads have 17)."""
LARGEST = 10**300
"""Numbers of this size or more are refused (GENIUS would read them as infinity)."""
ROUNDING = Fraction(1, 10**12)
"""Weights summing to 1 within this (the doubles an export writes) are not noted as normalised."""

_DECIMAL = re.compile(r"\s*[+-]?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d{1,6}))?\s*\Z")


def parse_decimal(text: str) -> Fraction:
    """A decimal number written in a file, read exactly as a fraction.

    Raises
    ------
    ValueError
        With what was expected: for text that is not a decimal number, NaN or infinity, more
        than :data:`MAX_DIGITS` digits, or a magnitude of :data:`LARGEST` or more.

    Examples
    --------
    >>> parse_decimal("0.1"), parse_decimal("-2.5e-3"), parse_decimal(" 7 ")
    (Fraction(1, 10), Fraction(-1, 400), Fraction(7, 1))
    >>> parse_decimal("NaN")
    Traceback (most recent call last):
    ValueError: expected a finite number, got 'NaN'
    """
    if text.isdigit() and len(text) <= 18:  # the common case (an integer evaluation), fast
        return Fraction(int(text))
    match = _DECIMAL.match(text)
    if match is None or not (match[1] or match[2]):
        if text.strip().lower().lstrip("+-") in ("nan", "inf", "infinity"):
            raise ValueError(f"expected a finite number, got {text!r}")
        raise ValueError(f"expected a number, got {text[:40]!r}")
    digits = len(match[1]) + len(match[2] or "")
    exponent = int(match[3] or 0)
    if digits > MAX_DIGITS:
        raise ValueError(f"expected a number of at most {MAX_DIGITS} digits, got {text[:40]!r}")
    if abs(exponent) > 400:
        size = "too large" if exponent > 0 else "too small"
        raise ValueError(f"expected a finite number, got {text[:40]!r} ({size})")
    value = Fraction(text.strip())
    if abs(value) >= LARGEST:
        raise ValueError(f"expected a finite number, got {text[:40]!r} (too large)")
    return value


@dataclass(frozen=True, slots=True)
class Imported:
    """An imported negotiation domain: a case with its issues and one party per profile, the
    parties' preference models, and ``notes`` on what the importer had to interpret or repair
    (duplicate items, evaluations rescaled, weights normalised), each naming file and line.
    ``exact``: per model, the same preferences in rational numbers as the files state them (for
    exact analysis, :func:`accord.prefs.exact.exact_tables`)."""

    case: Case
    preferences: PreferenceSet
    notes: tuple[str, ...] = ()
    exact: tuple[ExactProfile, ...] = ()


def slug(name: str) -> str:
    """An id made from a name: lower case, runs of other characters as ``_``.

    Examples
    --------
    >>> slug("Increase in Max. Salary"), slug("$4.37"), slug("  ")
    ('increase_in_max._salary', '4.37', 'x')
    """
    text = re.sub(r"[^a-z0-9_.\-]+", "_", name.strip().lower()).strip("_.-")
    return text[:80] or "x"


_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]*")


def name_id(name: str) -> str:
    """The id of something a domain names: the name itself where it is a valid id (letters,
    digits, ``_``, ``.`` and ``-``, starting with a letter or digit, at most ``ID_MAX``
    characters), case and all; else the name with each run of other characters as ``_``. The
    name itself is kept beside the id (an issue's or party's ``name``), and exports write it.

    Examples
    --------
    >>> name_id("issueA"), name_id("External Monitor"), name_id("$4.37"), name_id("  ")
    ('issueA', 'External_Monitor', '4.37', 'x')
    """
    if _ID.fullmatch(name) and len(name) <= ID_MAX:
        return name
    text = re.sub(r"[^A-Za-z0-9_.\-]+", "_", name.strip()).strip("_.-")
    return text[:ID_MAX] or "x"


def unique_ids(names: Sequence[str]) -> list[str]:
    """One id per name (see :func:`name_id`), made unique with ``_2``, ``_3``... where ids collide.

    Examples
    --------
    >>> unique_ids(["issueA", "issue A", "issue_A"])
    ['issueA', 'issue_A', 'issue_A_2']
    """
    ids: list[str] = []
    taken: set[str] = set()
    for name in names:
        base = name_id(name)
        candidate, count = base, 1
        while candidate in taken:
            count += 1
            candidate = f"{base[: ID_MAX - 1 - len(str(count))]}_{count}"
        ids.append(candidate)
        taken.add(candidate)
    return ids


def level_label(level: float) -> str:
    """A numeric level as the value name an export writes: whole numbers without a point, others
    as the shortest decimal that reads back as the same number (so nothing is rounded away).

    Examples
    --------
    >>> level_label(3.0), level_label(16.9), level_label(1234567.0), level_label(0.1 + 0.2)
    ('3', '16.9', '1234567', '0.30000000000000004')
    """
    if level.is_integer() and abs(level) < 1e15:
        return str(int(level))
    return repr(level)


def discrete_options(issue: Issue, tool: str) -> tuple[list[str], list[Value]]:
    """An issue as the discrete values an exporter writes: labels, and the positions they stand
    for (a numeric issue: one per level). ``ValueError`` naming ``tool`` for a provision set.

    Examples
    --------
    >>> from accord.model import NumericIssue
    >>> discrete_options(NumericIssue(id="pay", name="Pay", unit="%", low=1, high=2, step=0.5), "GENIUS")
    (['1', '1.5', '2'], [1.0, 1.5, 2.0])
    """
    if isinstance(issue, ProvisionIssue):
        raise ValueError(f"issue {issue.id!r} is a provision set, which {tool} cannot express")
    if isinstance(issue, NumericIssue):
        return [level_label(level) for level in issue.levels], list(issue.levels)
    assert isinstance(issue, OptionIssue)
    return list(issue.options), list(issue.options)


def validation_message(error: ValidationError) -> str:
    """A pydantic error in one line: the first problem, where it is, and how many more."""
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    more = error.error_count() - 1
    return f"{where + ': ' if where else ''}{first['msg']}" + (f" (and {more} more)" if more else "")


def imported(
    name: str,
    issues: Sequence[Issue],
    labels: Sequence[str],
    models: Sequence[PreferenceModel],
    notes: Sequence[str],
    exact: Sequence[ExactProfile] = (),
    source: str = "",
) -> Imported:
    """Assemble the case (one party of kind ``other`` per model) and the preference set.

    Raises
    ------
    CaseFileError
        Naming ``source`` (the domain file) when there is no model, or the names read do not make
        a valid case (one line).
    """
    if not models:
        raise CaseFileError(
            source or name, [FileProblem("no profile to import: a domain needs at least one")]
        )
    case_id = slug(name)
    try:
        parties = [
            Party(id=m.party, name=label, kind=PartyKind.OTHER)
            for m, label in zip(models, labels, strict=True)
        ]
        case = Case(id=case_id, title=name, parties=parties, issues=tuple(issues))
        prefs = PreferenceSet(case=case_id, models=tuple(models))
    except ValidationError as error:
        raise CaseFileError(source or name, [FileProblem(validation_message(error))]) from None
    return Imported(case=case, preferences=prefs, notes=tuple(notes), exact=tuple(exact))
