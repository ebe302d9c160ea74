"""The cases that ship with Accord (``accord/data/cases/<name>.yaml``), and finding a case by
bundled name or by path; the example domains that ship with it (``accord/data/domains/<name>/``,
GENIUS or GeniusWeb folders for ``accord frontier``).

Only files named ``<name>.yaml`` with a single suffix are cases; files beside them with a second
suffix (``<name>.prefs.yaml``) belong to other parts of Accord and are not listed.
"""

from __future__ import annotations

import os
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from accord.casefile.errors import CaseFileError, FileProblem
from accord.casefile.io import loads_case, read_case
from accord.model import Case

CASE_SUFFIX = ".yaml"


def bundled_cases_folder() -> Traversable:
    """The package folder that holds the bundled cases."""
    return resources.files("accord").joinpath("data", "cases")


def case_names_in(folder: Traversable | Path) -> list[str]:
    """Names of the case files in ``folder`` (``<name>.yaml`` with no second suffix), sorted.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> for name in ("b.yaml", "a.yaml", "a.prefs.yaml", "notes.md"):
    ...     _ = (folder / name).write_text("")
    >>> case_names_in(folder)
    ['a', 'b']
    """
    if not folder.is_dir():
        return []
    names = []
    for entry in folder.iterdir():
        stem, suffix = os.path.splitext(entry.name)
        if entry.is_file() and suffix == CASE_SUFFIX and stem and "." not in stem:
            names.append(stem)
    return sorted(names)


def bundled_case_names() -> list[str]:
    """Names of the bundled cases, sorted (``accord cases`` lists them).

    Examples
    --------
    >>> all(isinstance(name, str) for name in bundled_case_names())
    True
    """
    return case_names_in(bundled_cases_folder())


def bundled_case(name: str) -> Case:
    """The bundled case called ``name``; :class:`CaseFileError` if there is none."""
    if name not in bundled_case_names():
        raise CaseFileError(name, [FileProblem(_not_found(name))])
    entry = bundled_cases_folder().joinpath(name + CASE_SUFFIX)
    return loads_case(entry.read_text(encoding="utf-8"), f"accord/data/cases/{name}{CASE_SUFFIX}", "yaml")


def resolve_case(name_or_path: str | os.PathLike[str]) -> Case:
    """The bundled case of that name, else the case in the file at that path.

    Raises :class:`CaseFileError` when it is neither (the message lists the bundled cases), or
    when the file holds no valid case.

    Examples
    --------
    >>> resolve_case("no-such-case")
    Traceback (most recent call last):
    ...
    accord.casefile.errors.CaseFileError: no-such-case: no bundled case or file named 'no-such-case'; ...
    """
    text = os.fspath(name_or_path)
    if text in bundled_case_names():
        return bundled_case(text)
    if Path(text).is_file():
        return read_case(text)
    raise CaseFileError(text, [FileProblem(_not_found(text))])


def _not_found(name: str) -> str:
    names = bundled_case_names()
    listed = ", ".join(names) if names else "none"
    return f"no bundled case or file named {name!r}; expected a file path or a bundled case ({listed})"


def bundled_domains_folder() -> Path:
    """The package folder that holds the example domains (a real folder: the importers read paths)."""
    return Path(str(resources.files("accord").joinpath("data", "domains")))


def bundled_domain_names() -> list[str]:
    """Names of the example domains, sorted.

    Examples
    --------
    >>> "job-offer" in bundled_domain_names()
    True
    """
    folder = bundled_domains_folder()
    return sorted(p.name for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []


def bundled_domain_folder(name: str) -> Path | None:
    """The folder of the example domain called ``name``, or ``None`` if there is none."""
    return bundled_domains_folder() / name if name in bundled_domain_names() else None
