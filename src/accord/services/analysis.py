"""Analysis use cases: find a case's preferences, import a benchmark domain, time its frontier.

The core (:mod:`accord.analysis`) computes and reads no files or clocks; this module finds the
files (the bundled ``<case>.prefs.yaml`` beside a bundled case, or ``<name>.prefs.yaml`` beside a
case file) and measures wall time for ``accord frontier``.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from accord.analysis.case_analysis import CaseAnalysis, analyze_case
from accord.analysis.frontier import pareto_frontier_additive
from accord.analysis.solutions import all_solutions
from accord.casefile import bundled_case_names
from accord.casefile.bundled import bundled_cases_folder
from accord.casefile.genius import import_genius_folder
from accord.casefile.geniusweb import import_geniusweb_folder
from accord.casefile.interop import Imported
from accord.casefile.prefsfile import loads_preferences, read_preferences
from accord.model import Case, PreferenceSet, Value
from accord.prefs import utility_tables

PREFS_SUFFIX = ".prefs.yaml"


def preferences_for(
    case_arg: str, case: Case, prefs_path: str | os.PathLike[str] | None = None
) -> PreferenceSet:
    """The preferences to analyse ``case`` with: ``prefs_path`` if given, else the bundled
    ``<name>.prefs.yaml`` of a bundled case, else ``<stem>.prefs.yaml`` beside the case file.

    Raises
    ------
    ValueError
        When no preference file is given and none is found.
    CaseFileError
        When the file is malformed or does not fit the case.
    """
    if prefs_path is not None:
        return read_preferences(prefs_path, case)
    if case_arg in bundled_case_names():
        entry = bundled_cases_folder().joinpath(case_arg + PREFS_SUFFIX)
        if entry.is_file():
            filename = f"accord/data/cases/{case_arg}{PREFS_SUFFIX}"
            return loads_preferences(entry.read_text(encoding="utf-8"), filename, case)
    else:
        path = Path(case_arg)
        beside = path.with_name(path.name.split(".")[0] + PREFS_SUFFIX)
        if beside.is_file():
            return read_preferences(beside, case)
    raise ValueError(f"no preference file found for case {case_arg!r}: pass one with --prefs FILE")


def analyze(
    case_arg: str,
    case: Case,
    as_of: dt.date,
    prefs_path: str | os.PathLike[str] | None = None,
    side_a: str | None = None,
    side_b: str | None = None,
) -> CaseAnalysis:
    """:func:`accord.analysis.case_analysis.analyze_case` with the preferences found by :func:`preferences_for`."""
    return analyze_case(case, preferences_for(case_arg, case, prefs_path), as_of, side_a, side_b)


def import_domain(path: str | os.PathLike[str]) -> Imported:
    """Import a GENIUS (XML) or GeniusWeb (JSON) domain: a folder, or any file in it (which stands
    for its folder).

    Raises
    ------
    ValueError
        When the path does not exist or holds neither XML nor JSON files.
    """
    target = Path(path)
    if not target.exists():
        raise ValueError(f"{os.fspath(path)}: no such file or folder")
    folder = target if target.is_dir() else target.parent
    if any(folder.glob("*.xml")):
        return import_genius_folder(folder)
    if any(folder.glob("*.json")):
        return import_geniusweb_folder(folder)
    raise ValueError(f"{os.fspath(folder)}: no GENIUS (.xml) or GeniusWeb (.json) files found")


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
    """Frontier, solutions (relative to the profiles' reservation values) and timing of a domain."""
    models = imported.preferences.models
    start = time.perf_counter()
    tables = utility_tables(imported.case.issues, models)
    frontier = pareto_frontier_additive(tables)
    seconds = time.perf_counter() - start
    d = np.array([m.reservation for m in models])
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
