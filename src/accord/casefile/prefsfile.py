"""Preference files: YAML holding a :class:`~accord.model.PreferenceSet` (see
docs/reference/preferences.md for the format).

Every problem is reported with the file, line, column and field, and a file with any problem
loads nothing. Given the case, the references (parties, issues, options, provisions, sources)
are checked too, and reported at their lines.
"""

from __future__ import annotations

import os
from typing import Any

from accord.casefile import messages
from accord.casefile.atomic import write_text_atomically
from accord.casefile.errors import CaseFileError
from accord.casefile.io import read_text
from accord.casefile.tree import parse
from accord.casefile.yaml12 import dump_yaml
from accord.model import Case, PreferenceSet, preference_problems


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
