"""Ratings files: CSV, one column per issue id plus ``rating`` (0-100), one row per rated package,
read for :func:`accord.prefs.fitting.fit_preferences` (see docs/reference/preferences.md).

Values are written as in case files: a number for a numeric issue, an option's name, a provision
set as provision ids joined by ``+`` (an empty cell: none). Every problem is reported at its line,
with the column's name, and a file with any problem loads nothing.
"""

from __future__ import annotations

import csv
import io
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass

from accord.casefile.errors import CaseFileError, FileProblem
from accord.casefile.io import read_text
from accord.model import Case, Issue, NumericIssue, ProvisionIssue, Value

RATING = "rating"
"""The column holding each package's rating."""
MAX_ROWS = 10_000
"""At most this many rated packages in one file."""


@dataclass(frozen=True, slots=True)
class Ratings:
    """Rated packages: ``issues`` in the file's column order, and per row its package, its
    rating and its name (``file:line``)."""

    issues: tuple[Issue, ...]
    packages: tuple[Mapping[str, Value], ...]
    ratings: tuple[float, ...]
    labels: tuple[str, ...]


def loads_ratings(text: str, filename: str, case: Case) -> Ratings:
    """Read ratings CSV ``text`` against ``case``.

    Raises
    ------
    CaseFileError
        Listing every problem, each at its line and column name.

    Examples
    --------
    >>> from accord.casefile import bundled_case
    >>> case = bundled_case("wga-amptp-2023")
    >>> table = loads_ratings("min_pay,ai,rating\\n13,not_a_writer+disclosure,60\\n9.3,,10\\n", "r.csv", case)
    >>> table.labels, sorted(table.packages[0]["ai"]), table.ratings
    (('r.csv:2', 'r.csv:3'), ['disclosure', 'not_a_writer'], (60.0, 10.0))
    >>> loads_ratings("min_pay,rating\\n13,160\\n", "r.csv", case)
    Traceback (most recent call last):
    accord.casefile.errors.CaseFileError: r.csv:2: rating: expected a number from 0 to 100, got '160'
    """
    reader = csv.reader(io.StringIO(text), strict=True)
    problems: list[FileProblem] = []
    try:
        rows = [(reader.line_num, row) for row in reader if any(cell.strip() for cell in row)]
    except csv.Error as error:
        raise CaseFileError(filename, [FileProblem(f"not valid CSV: {error}", reader.line_num)]) from None
    if not rows:
        raise CaseFileError(filename, [FileProblem("no header: expected issue ids and 'rating'", 1)])
    header_line, header = rows[0]
    issues = _header(case, [h.strip() for h in header], header_line, problems)
    if problems:  # the rows cannot be read without their columns
        raise CaseFileError(filename, problems)
    if len(rows) - 1 > MAX_ROWS:
        problems.append(FileProblem(f"{len(rows) - 1:,} rated packages; at most {MAX_ROWS:,}"))
    packages, ratings, labels = [], [], []
    for line, row in rows[1:]:
        if len(row) != len(header):
            problems.append(
                FileProblem(f"expected {len(header)} fields (as in the header), got {len(row)}", line)
            )
            continue
        cells = dict(zip((h.strip() for h in header), (c.strip() for c in row), strict=True))
        packages.append(_package(issues, cells, line, problems))
        ratings.append(_rating(cells.get(RATING, ""), line, problems))
        labels.append(f"{filename}:{line}")
    if len(rows) == 1:
        problems.append(FileProblem("no rated packages: one row per package is expected", header_line))
    if problems:
        raise CaseFileError(filename, problems)
    return Ratings(tuple(issues), tuple(packages), tuple(ratings), tuple(labels))


def read_ratings(path: str | os.PathLike[str], case: Case) -> Ratings:
    """Read a ratings CSV file (UTF-8) against ``case``."""
    return loads_ratings(read_text(path), os.fspath(path), case)


def _header(case: Case, header: list[str], line: int, problems: list[FileProblem]) -> list[Issue]:
    by_id = {issue.id: issue for issue in case.issues}
    issues = []
    for index, name in enumerate(header, start=1):
        if header.index(name) != index - 1:
            problems.append(FileProblem(f"column {index}: {name!r} is given twice", line, field=name))
        elif name in by_id:
            issues.append(by_id[name])
        elif name != RATING:
            problems.append(
                FileProblem(
                    f"column {index}: unknown issue {name!r}; expected issue ids of case {case.id!r} "
                    f"({', '.join(by_id)}) and {RATING!r}",
                    line,
                    field=name or f"column {index}",
                )
            )
    if RATING not in header:
        problems.append(FileProblem(f"no {RATING!r} column", line))
    if not issues and not problems:
        problems.append(FileProblem("no issue columns: expected at least one issue id", line))
    return issues


def cell_value(issue: Issue, raw: str) -> Value:
    """The value ``raw`` writes for ``issue``, as packages are written in ratings files and on the
    command line: a number, provisions joined with ``+``, an option as it is. Text that is no
    number stays text for a numeric issue (``issue.value_error`` words the problem).

    Examples
    --------
    >>> from accord.model import NumericIssue
    >>> cell_value(NumericIssue(id="pay", name="Pay", unit="%", low=0, high=20), "13")
    13.0
    """
    if isinstance(issue, NumericIssue):
        try:
            return float(raw)
        except ValueError:
            return raw
    if isinstance(issue, ProvisionIssue):
        return frozenset(p.strip() for p in raw.split("+") if p.strip())
    return raw


def _package(
    issues: list[Issue], cells: dict[str, str], line: int, problems: list[FileProblem]
) -> dict[str, Value]:
    package: dict[str, Value] = {}
    for issue in issues:
        value = cell_value(issue, cells[issue.id])
        error = issue.value_error(value)
        if error:
            problems.append(FileProblem(error, line, field=issue.id))
        package[issue.id] = value
    return package


def _rating(raw: str, line: int, problems: list[FileProblem]) -> float:
    try:
        rating = float(raw)
    except ValueError:
        rating = math.nan
    if not (math.isfinite(rating) and 0.0 <= rating <= 100.0):
        problems.append(FileProblem(f"expected a number from 0 to 100, got {raw!r}", line, field=RATING))
    return rating
