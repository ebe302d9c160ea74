"""Analysis use cases: analyse a case with its preferences, time the frontier of a benchmark domain.

The core (:mod:`accord.analysis`) computes and reads no files or clocks; this module reads the
files (through :mod:`accord.casefile`) and measures wall time for ``accord frontier``.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from dataclasses import dataclass

import numpy as np

from accord.analysis.case_analysis import CaseAnalysis, analyze_case
from accord.analysis.frontier import pareto_frontier_additive
from accord.analysis.solutions import all_solutions
from accord.casefile.interop import Imported
from accord.casefile.prefsfile import case_with_preferences
from accord.model import Case, Value
from accord.prefs.exact import exact_tables


def analyze(
    case_arg: str,
    as_of: dt.date | None = None,
    prefs_path: str | os.PathLike[str] | None = None,
    side_a: str | None = None,
    side_b: str | None = None,
) -> tuple[Case, CaseAnalysis]:
    """The case named or found at ``case_arg``, analysed with its preferences (``prefs_path``, else
    the ``<name>.prefs.yaml`` that goes with the case: see
    :func:`accord.casefile.prefsfile.case_with_preferences`) as of ``as_of`` (default: the date of
    the case's last record).

    Raises
    ------
    CaseFileError
        When the case or its preferences cannot be found or read, or do not fit.
    ValueError
        When a side is unknown or has no model.
    """
    case, prefs = case_with_preferences(case_arg, None if prefs_path is None else os.fspath(prefs_path))
    when = as_of if as_of is not None else case.default_as_of()
    return case, analyze_case(case, prefs, when, side_a, side_b)


MAX_FRONTIER_PARTIES = 10
"""Most parties whose frontier ``accord frontier`` computes (a pool of profiles: choose some)."""


@dataclass(frozen=True, slots=True)
class DomainSolution:
    concept: str
    points: tuple[tuple[float, ...], ...]
    value: float
    package: dict[str, Value] | None


@dataclass(frozen=True, slots=True)
class DomainFrontier:
    """The frontier of an imported domain; ``seconds`` is the wall time of building the utility
    tables and the frontier (not the import)."""

    domain: str
    parties: tuple[str, ...]
    issues: tuple[str, ...]
    n_outcomes: int
    disagreement: tuple[float, ...]
    size: int
    packages: int
    points: tuple[tuple[float, ...], ...]
    solutions: tuple[DomainSolution, ...]
    seconds: float
    notes: tuple[str, ...]


def domain_frontier(imported: Imported) -> DomainFrontier:
    """Frontier, solutions (relative to the profiles' reservation values) and timing of a domain,
    decided exactly on the numbers as the files state them (:func:`accord.prefs.exact.exact_tables`).

    Raises
    ------
    ValueError
        For more than :data:`MAX_FRONTIER_PARTIES` profiles.
    """
    models = imported.preferences.models
    if len(models) > MAX_FRONTIER_PARTIES:
        names = [m.party for m in models]
        shown = ", ".join(names[:12]) + (", ..." if len(names) > 12 else "")
        raise ValueError(
            f"{imported.case.title}: {len(models)} profiles; the frontier is computed for at most "
            f"{MAX_FRONTIER_PARTIES} parties: choose them with --parties (profiles: {shown})"
        )
    exact = imported.exact if len(imported.exact) == len(models) else None
    start = time.perf_counter()
    tables = exact_tables(imported.case.issues, models, exact)
    frontier = pareto_frontier_additive(tables)
    seconds = time.perf_counter() - start
    d = [p.reservation for p in exact] if exact else [m.reservation for m in models]
    solutions = []
    for name, s in all_solutions(frontier, d).items():
        example = None
        if s.choices.shape[0]:
            example = {
                issue: value
                for issue, value in zip(
                    tables.issue_ids,
                    (opts[int(c)] for opts, c in zip(tables.options, s.choices[0], strict=True)),
                    strict=True,
                )
            }
        solutions.append(DomainSolution(name, _rows(s.points), float(s.value), example))
    return DomainFrontier(
        domain=imported.case.title,
        parties=tables.parties,
        issues=tables.issue_ids,
        n_outcomes=tables.n_outcomes,
        disagreement=tuple(float(x) for x in d),
        size=frontier.size,
        packages=sum(frontier.counts),
        points=_rows(frontier.points),
        solutions=tuple(solutions),
        seconds=seconds,
        notes=imported.notes,
    )


def _rows(points: np.ndarray) -> tuple[tuple[float, ...], ...]:
    return tuple(tuple(float(x) for x in row) for row in points)
