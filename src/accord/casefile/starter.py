"""The starter case of ``accord init``: a small, commented, valid case file to edit into one's own
(``accord/data/starter/case.yaml``)."""

from __future__ import annotations

import os
import re
from importlib import resources
from pathlib import Path

from accord.casefile.atomic import write_text_atomically
from accord.casefile.errors import CaseFileError, FileProblem
from accord.casefile.io import loads_case
from accord.model import Case

PLACEHOLDER = "CASE_ID"
DEFAULT_ID = "my-case"


def case_id_for(path: str | os.PathLike[str]) -> str:
    """A case id made from a file name: its stem, with what an id may not hold turned into ``-``.

    Examples
    --------
    >>> case_id_for("talks/my-case.yaml"), case_id_for("Contract 2025.yml"), case_id_for("...yaml")
    ('my-case', 'Contract-2025', 'my-case')
    """
    stem = Path(path).name.split(".")[0]
    slug = re.sub(r"[^A-Za-z0-9_.\-]+", "-", stem).strip("-_.")[:80]
    return slug or DEFAULT_ID


def starter_case_text(case_id: str = DEFAULT_ID) -> str:
    """The starter case's text, with ``case_id`` as its id.

    Examples
    --------
    >>> loads_case(starter_case_text("riverton-2025")).id
    'riverton-2025'
    """
    template = resources.files("accord").joinpath("data", "starter", "case.yaml").read_text(encoding="utf-8")
    return template.replace(PLACEHOLDER, case_id, 1)


def write_starter_case(path: str | os.PathLike[str], *, overwrite: bool = False) -> Case:
    """Write the starter case to ``path`` (a new ``.yaml``/``.yml`` file; its id from the file name)
    and return it.

    Raises
    ------
    CaseFileError
        When the suffix is not ``.yaml``/``.yml`` (JSON has no comments), the file exists and
        ``overwrite`` is false, or it cannot be written; nothing is written then.
    """
    name = os.fspath(path)
    suffix = Path(name).suffix.lower()
    if suffix not in (".yaml", ".yml"):
        message = f"unsupported file type {suffix or '(none)'!r}; expected .yaml or .yml (the starter case has comments)"
        raise CaseFileError(name, [FileProblem(message)])
    if Path(name).exists() and not overwrite:
        raise CaseFileError(name, [FileProblem("the file exists; choose another name, or pass --force")])
    text = starter_case_text(case_id_for(name))
    case = loads_case(text, name, "yaml")
    try:
        write_text_atomically(name, text)
    except OSError as error:
        raise CaseFileError(
            name, [FileProblem(f"cannot write the file: {error.strerror or error}")]
        ) from None
    return case
