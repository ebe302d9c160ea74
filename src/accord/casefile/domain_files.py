"""A case and its preference models as a domain folder, and a domain folder as a starter case:
what ``accord domain export`` and ``accord domain import`` write.

- :func:`export_domain` writes the GENIUS (XML) or GeniusWeb (JSON) domain of a case and its
  preference models into a folder, whole or not at all, and says what the format could not
  carry (:attr:`ExportedDomain.notes`).
- :func:`write_domain_case` writes an imported domain (:func:`accord.casefile.domains.import_domain`)
  as a case file and the preference file that goes with it, both or neither.

Names travel exactly: an export names issues, values and profiles as the case does (an imported
domain keeps each name as written in the issue's or party's ``name``, its id being the name
itself where the name is a valid id), so import -> export -> import keeps every name and gives
the same utility on every outcome.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from accord.casefile.atomic import write_folder_atomically, write_text_atomically
from accord.casefile.domain_layout import domain_issues, domain_profile
from accord.casefile.errors import CaseFileError, FileProblem
from accord.casefile.genius_export import genius_texts
from accord.casefile.geniusweb_export import geniusweb_texts, reservation_choice
from accord.casefile.interop import Imported
from accord.casefile.io import dump_case, loads_case
from accord.casefile.prefsfile import PREFS_SUFFIX, dump_preferences, loads_preferences
from accord.model import Case, NumericIssue, PreferenceSet, ProvisionIssue

FORMATS = ("genius", "geniusweb")
"""The domain formats written: GENIUS XML, GeniusWeb JSON."""


@dataclass(frozen=True, slots=True)
class ExportedDomain:
    """A domain written: its ``folder``, the ``files`` in it (the domain first), the number of
    ``issues`` and ``outcomes``, and ``notes`` on what the format could not carry."""

    folder: Path
    files: tuple[str, ...]
    issues: int
    outcomes: int
    notes: tuple[str, ...]


def export_domain(
    case: Case,
    prefs: PreferenceSet,
    folder: str | os.PathLike[str],
    fmt: str,
    *,
    replace: bool = False,
) -> ExportedDomain:
    """Write the ``fmt`` (``genius`` or ``geniusweb``) domain of ``case`` with a profile per model
    of ``prefs`` as the folder ``folder``, whole or not at all
    (:func:`~accord.casefile.atomic.write_folder_atomically`).

    Raises
    ------
    ValueError
        For an unknown format, or a reservation value GeniusWeb cannot state as a bid.
    FileExistsError
        When the folder holds files and ``replace`` is false.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown domain format {fmt!r}; expected one of {list(FORMATS)}")
    texts = genius_texts(case, prefs) if fmt == "genius" else geniusweb_texts(case, prefs)
    paths = write_folder_atomically(folder, texts, replace=replace)
    issues = domain_issues(case)
    return ExportedDomain(
        folder=Path(folder),
        files=tuple(p.name for p in paths),
        issues=len(issues),
        outcomes=math.prod(len(i.labels) for i in issues),
        notes=tuple(export_notes(case, prefs, fmt)),
    )


def export_notes(case: Case, prefs: PreferenceSet, fmt: str) -> list[str]:
    """What the ``fmt`` domain of ``case`` and ``prefs`` writes differently, or leaves out."""
    tool = "GENIUS" if fmt == "genius" else "GeniusWeb"
    issues = domain_issues(case)
    notes = []
    if any(i.name != case.issue(i.issue).name and i.provision is None for i in issues):
        notes.append("issue names repeat in the case, so the domain names every issue by its id")
    for issue in case.issues:
        if isinstance(issue, ProvisionIssue):
            notes.append(
                f"issue {issue.id!r} (a set of provisions) is written as {len(issue.provisions)} no/yes "
                "issues, one per provision, with the same utilities"
            )
        elif isinstance(issue, NumericIssue):
            notes.append(f"issue {issue.id!r} (numeric) is written as its {len(issue.levels)} levels")
    costly = [m.party for m in prefs.models if m.daily_cost > 0]
    if costly:
        notes.append(f"{tool} profiles have no cost per strike day: left out for {costly}")
    if fmt == "geniusweb":
        discounted = [m.party for m in prefs.models if m.discount != 1]
        if discounted:
            notes.append(f"GeniusWeb profiles have no discount factor: left out for {discounted}")
        for model in prefs.models:
            if model.reservation <= 0:
                continue
            profile = domain_profile(case, model, issues)
            columns = [np.asarray(e) * w for e, w in zip(profile.evaluations, profile.weights, strict=True)]
            choice = reservation_choice(columns, model.reservation)
            worth = float(sum(c[k] for c, k in zip(columns, choice, strict=True)))
            if abs(worth - model.reservation) > 1e-9:
                notes.append(
                    f"{model.party}: GeniusWeb states a reservation value as a bid; the bid written is "
                    f"worth {worth:.6g}, the least at or above {model.reservation:g}"
                )
    below = sorted(
        {
            model.party
            for model in prefs.models
            for e in domain_profile(case, model, issues).evaluations
            if 0 < max(e) < 1
        }
    )
    if below and fmt == "genius":
        notes.append(
            f"some issues of {below} have no value scoring 1: GENIUS 5 to 7 (and Accord) read the "
            "evaluations as written, GENIUS 8 and later divide them by the issue's largest"
        )
    if any(p.members for p in case.parties):
        notes.append("coalitions, their members and decision rules are not part of a domain: left out")
    if prefs.costing is not None:
        notes.append("costing parameters are not part of a domain: left out")
    return notes


def write_domain_case(
    imported: Imported, path: str | os.PathLike[str], *, replace: bool = False, source: str = ""
) -> tuple[Path, Path]:
    """Write the imported domain as a starter case file at ``path`` (``.yaml`` or ``.yml``) and
    its preferences beside it as ``<name>.prefs.yaml`` (``<name>``: the file name up to its first
    dot, where :func:`~accord.casefile.prefsfile.case_with_preferences` looks): both files, or
    neither.

    Raises
    ------
    CaseFileError
        When the suffix is not ``.yaml``/``.yml``, a file exists and ``replace`` is false, or a
        file cannot be written (nothing is written then).
    """
    target = Path(path)
    name = os.fspath(target)
    if target.suffix.lower() not in (".yaml", ".yml"):
        message = f"unsupported file type {target.suffix or '(none)'!r}; expected .yaml or .yml"
        raise CaseFileError(name, [FileProblem(message)])
    prefs_path = target.with_name(target.name.split(".")[0] + PREFS_SUFFIX)  # as the case finds it
    for existing in (target, prefs_path):
        if existing.exists() and not replace:
            raise CaseFileError(
                os.fspath(existing), [FileProblem("the file exists; choose another name, or pass --force")]
            )
    where = f" from {source}" if source else ""
    case = imported.case.model_copy(
        update={
            "description": f"Imported{where} by `accord domain import`: the domain's issues and one "
            "party per profile. Add the record (proposals, events) and its sources."
        }
    )
    case_text, prefs_text = dump_case(case), dump_preferences(imported.preferences)
    read = loads_case(case_text, name)  # both read back before anything is written
    loads_preferences(prefs_text, os.fspath(prefs_path), read)
    created = not prefs_path.exists()
    try:
        write_text_atomically(prefs_path, prefs_text)
        write_text_atomically(target, case_text)
    except OSError as error:
        if created:
            prefs_path.unlink(missing_ok=True)
        raise CaseFileError(
            name, [FileProblem(f"cannot write the file: {error.strerror or error}")]
        ) from None
    return target, prefs_path
