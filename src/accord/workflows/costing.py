"""Contract costing of a case's packages: the case and its preference file read, packages given as
text parsed, :func:`accord.analysis.costing.case_costing` run.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence

from accord.analysis.costing import CaseCosting, case_costing
from accord.casefile.prefsfile import case_with_preferences
from accord.casefile.ratings import cell_value
from accord.model import Case, NumericIssue, Value


def costing(
    case_arg: str,
    as_of: dt.date | None = None,
    prefs_path: str | os.PathLike[str] | None = None,
    packages: Sequence[str] = (),
) -> tuple[Case, CaseCosting]:
    """The case named or found at ``case_arg``, its packages costed with the costing parameters
    of its preference file (``prefs_path``, else the one that goes with the case), as of
    ``as_of`` (default: the date of the case's last record); ``packages`` are more packages
    to cost, each as :func:`parse_package` reads it.

    Raises
    ------
    CaseFileError
        When the case or its preference file cannot be found or read, or do not fit.
    ValueError
        When a package names an unknown issue or a value its issue does not take.
    """
    case, prefs = case_with_preferences(case_arg, None if prefs_path is None else os.fspath(prefs_path))
    when = as_of if as_of is not None else max((r.date for r in case.records()), default=dt.date.min)
    parsed = [parse_package(case, text) for text in packages]
    return case, case_costing(case, prefs.costing, when, parsed)


def parse_package(case: Case, text: str) -> dict[str, Value]:
    """A package written ``issue=value; issue=value``: a number for a numeric issue, an option's
    name, or a provision set as ids joined by ``+`` (nothing after ``=``: the empty set).

    Raises
    ------
    ValueError
        Naming the part at fault and what was expected.

    Examples
    --------
    >>> from accord.casefile import bundled_case
    >>> package = parse_package(bundled_case("wga-amptp-2023"), "min_pay=13; ai=not_a_writer+disclosure")
    >>> package["min_pay"], sorted(package["ai"])
    (13.0, ['disclosure', 'not_a_writer'])
    >>> parse_package(bundled_case("wga-amptp-2023"), "pay=13")
    Traceback (most recent call last):
    ValueError: package 'pay=13': unknown issue 'pay'; expected one of ['min_pay', 'staffing', 'duration', 'residuals', 'ai', 'health_pension', 'features']
    """
    issues = {issue.id: issue for issue in case.issues}
    package: dict[str, Value] = {}
    for part in (p.strip() for p in text.split(";")):
        if not part:
            continue
        issue_id, equals, raw = (s.strip() for s in part.partition("="))
        where = f"package {text.strip()!r}"
        if not equals:
            raise ValueError(f"{where}: expected issue=value, got {part!r}")
        issue = issues.get(issue_id)
        if issue is None:
            raise ValueError(f"{where}: unknown issue {issue_id!r}; expected one of {list(issues)}")
        if issue_id in package:
            raise ValueError(f"{where}: issue {issue_id!r} is given twice")
        value = cell_value(issue, raw)
        if isinstance(issue, NumericIssue) and isinstance(value, str):
            raise ValueError(f"{where}: {issue_id!r} needs a number, got {raw!r}")
        error = issue.value_error(value)
        if error:
            raise ValueError(f"{where}: issue {issue_id!r}: {error}")
        package[issue_id] = value
    if not package:
        raise ValueError(f"package {text!r}: expected issue=value pairs separated by ';'")
    return package
