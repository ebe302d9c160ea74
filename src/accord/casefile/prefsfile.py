"""Preference files: YAML holding a :class:`~accord.model.PreferenceSet` (see
docs/reference/preferences.md for the format).

Every problem is reported with the file, line, column and field, and a file with any problem
loads nothing. Given the case, the references (parties, issues, options, provisions, sources)
are checked too, and reported at their lines.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from accord.casefile.errors import CaseFileError, FileProblem
from accord.casefile.yamlpos import load_yaml
from accord.model import Case, PreferenceSet, preference_problems


def loads_preferences(text: str, filename: str = "<string>", case: Case | None = None) -> PreferenceSet:
    """Parse preference-file ``text``; check it against ``case`` when one is given.

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
    p.yaml:6:20: models[0].weights.pay: Input should be greater than or equal to 0
    """
    located = load_yaml(text, filename)
    if not isinstance(located.data, dict):
        raise CaseFileError(
            filename,
            [FileProblem("expected a mapping with 'case' and 'models' at the top of the file", 1, 1)],
        )
    try:
        prefs = PreferenceSet.model_validate(located.data)
    except ValidationError as error:
        raise CaseFileError(filename, located.validation_problems(error)) from None
    if case is not None:
        problems = [located.problem(p.path, p.message) for p in preference_problems(prefs, case)]
        if problems:
            raise CaseFileError(filename, problems)
    return prefs


def read_preferences(path: str | os.PathLike[str], case: Case | None = None) -> PreferenceSet:
    """Read a preference file (YAML); check it against ``case`` when one is given."""
    filename = os.fspath(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CaseFileError(filename, [FileProblem("no such file")]) from None
    except UnicodeDecodeError as error:
        raise CaseFileError(
            filename, [FileProblem(f"not UTF-8 text ({error.reason} at byte {error.start})")]
        ) from None
    except OSError as error:
        raise CaseFileError(filename, [FileProblem(f"cannot be read: {error.strerror}")]) from None
    return loads_preferences(text, filename, case)


class _Dumper(yaml.SafeDumper):
    """Safe dumper that writes multi-line text as a ``|`` block."""


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _represent_str)


def preferences_data(prefs: PreferenceSet) -> dict[str, Any]:
    """Plain data of ``prefs`` as the file holds it (fields left unset are left out)."""
    data: dict[str, Any] = prefs.model_dump(mode="json", exclude_none=True)
    return data


def dump_preferences(prefs: PreferenceSet) -> str:
    """``prefs`` as preference-file YAML; :func:`loads_preferences` reads it back unchanged."""
    return yaml.dump(preferences_data(prefs), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def write_preferences(prefs: PreferenceSet, path: str | os.PathLike[str]) -> None:
    """Write ``prefs`` to ``path`` (YAML). The file is replaced whole or not at all."""
    text = dump_preferences(prefs)
    target = Path(path)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
