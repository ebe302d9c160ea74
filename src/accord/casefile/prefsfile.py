"""Preference files: YAML holding a :class:`~accord.model.PreferenceSet` (see
docs/reference/preferences.md for the format).

Every problem is reported with the file, line, column and field, and a file with any problem
loads nothing. Given the case, the references (parties, issues, options, provisions, sources)
are checked too, and reported at their lines.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path
from typing import Any

from accord.casefile import messages
from accord.casefile.atomic import write_text_atomically
from accord.casefile.bundled import bundled_case_names, resolve_case
from accord.casefile.errors import CaseFileError, FileProblem
from accord.casefile.io import read_text
from accord.casefile.tree import parse
from accord.casefile.yaml12 import dump_yaml
from accord.model import Case, PreferenceSet, preference_problems

PREFS_SUFFIX = ".prefs.yaml"
"""The suffix of the preference file that goes with a case (``<name>.prefs.yaml``)."""


def loads_preferences(text: str, filename: str = "<string>", case: Case | None = None) -> PreferenceSet:
    """Parse preference-file ``text``; check it against ``case`` when one is given.

    The text is read as case files are (YAML 1.2 core schema, :func:`accord.casefile.tree.parse`)
    and its problems are reported the same way (:mod:`accord.casefile.messages`).

    Raises
    ------
    CaseFileError
        Listing every problem found, each with its line, column and field.

    Examples
    --------
    >>> text = '''
    ... case: demo
    ... models:
    ...   - party: wga
    ...     label: Writers
    ...     weights: {pay: 1}
    ...     values: {pay: {kind: linear, direction: higher}}
    ... '''
    >>> loads_preferences(text).model("wga").label
    'Writers'
    >>> try:
    ...     loads_preferences(text.replace("weights: {pay: 1}", "weights: {pay: -1}"), "p.yaml")
    ... except CaseFileError as error:
    ...     print(error)
    p.yaml:6:20: models[0].weights.pay: expected a number at least 0.0, got -1
    """
    document = parse(text, filename, "yaml", what="a preference set")
    prefs = messages.validate_document(
        document, filename, PreferenceSet, "preference fields (case, models, ...)"
    )
    if case is not None:
        problems = messages.reference_problems(preference_problems(prefs, case), document.locations)
        if problems:
            raise CaseFileError(filename, problems)
    return prefs


def read_preferences(path: str | os.PathLike[str], case: Case | None = None) -> PreferenceSet:
    """Read a preference file (YAML, UTF-8); check it against ``case`` when one is given."""
    return loads_preferences(read_text(path), os.fspath(path), case)


def preferences_data(prefs: PreferenceSet) -> dict[str, Any]:
    """Plain data of ``prefs`` as the file holds it (fields left unset are left out)."""
    data: dict[str, Any] = prefs.model_dump(mode="json", exclude_none=True)
    return data


def dump_preferences(prefs: PreferenceSet) -> str:
    """``prefs`` as preference-file YAML; :func:`loads_preferences` reads it back unchanged."""
    return dump_yaml(preferences_data(prefs))


def write_preferences(prefs: PreferenceSet, path: str | os.PathLike[str]) -> None:
    """Write ``prefs`` to ``path`` (YAML), atomically (see
    :func:`~accord.casefile.atomic.write_text_atomically`); ``OSError`` if it cannot be written."""
    write_text_atomically(path, dump_preferences(prefs))


def case_with_preferences(case_arg: str, prefs_path: str | None = None) -> tuple[Case, PreferenceSet]:
    """The case named or found at ``case_arg`` and its preferences: ``prefs_path`` if given,
    else the bundled ``<name>.prefs.yaml`` (a bundled case) or the file ``<stem>.prefs.yaml``
    beside the case file.

    Raises
    ------
    CaseFileError
        When the case or the preference file cannot be found or read, or they do not fit.
    """
    case = resolve_case(case_arg)
    if prefs_path is not None:
        return case, read_preferences(prefs_path, case)
    if case_arg in bundled_case_names():
        entry = resources.files("accord").joinpath("data", "cases", case_arg + PREFS_SUFFIX)
        if entry.is_file():
            name = f"accord/data/cases/{case_arg}{PREFS_SUFFIX}"
            return case, loads_preferences(entry.read_text(encoding="utf-8"), name, case)
        raise CaseFileError(case_arg, [FileProblem(f"no bundled preferences for {case_arg!r}; give --prefs")])
    path = Path(case_arg)
    beside = path.with_name(path.name.split(".")[0] + PREFS_SUFFIX)
    if beside.is_file():
        return case, read_preferences(beside, case)
    raise CaseFileError(os.fspath(beside), [FileProblem("no preference file beside the case; give --prefs")])
