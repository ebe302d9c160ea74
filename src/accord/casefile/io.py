"""Read and write case files (YAML or JSON). A file with any problem loads nothing; a write either
replaces the file whole or leaves it untouched.

The file format is the model's own shape: ``Case.model_dump(mode="json", by_alias=True,
exclude_defaults=True)`` (so ``from``/``to``, dates as ISO text, fields in model order), except
that the field saying which kind of record it is (an issue's ``type``, an event's ``kind``) is
always written, right after the ``id``. See docs/reference/case-files.md.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Literal

from accord.casefile import messages
from accord.casefile.atomic import write_text_atomically
from accord.casefile.errors import CaseFileError, FileProblem
from accord.casefile.onepass import reference_problems_of_valid_parts
from accord.casefile.tree import Document, parse
from accord.casefile.yaml12 import dump_yaml
from accord.model import Case, CaseInvalid, request_limits
from accord.model.problems import estimate_problems

Format = Literal["yaml", "json"]

SUFFIXES: dict[str, Format] = {".yaml": "yaml", ".yml": "yaml", ".json": "json"}


def format_of(path: str | os.PathLike[str]) -> Format:
    """The format a file name's suffix stands for.

    Raises :class:`CaseFileError` for any other suffix.

    Examples
    --------
    >>> format_of("cases/wga.yml"), format_of("x.JSON")
    ('yaml', 'json')
    """
    suffix = Path(path).suffix.lower()
    if suffix not in SUFFIXES:
        message = f"unsupported file type {suffix or '(none)'!r}; expected .yaml, .yml or .json"
        raise CaseFileError(str(path), [FileProblem(message)])
    return SUFFIXES[suffix]


def loads_case(text: str, filename: str = "<string>", fmt: Format = "yaml") -> Case:
    """The case in ``text``.

    Raises :class:`CaseFileError` listing every problem found (each with its line, column and
    field); nothing is loaded then.

    Examples
    --------
    >>> case = loads_case("id: c\\ntitle: T\\nparties:\\n  - {id: w, name: W, kind: union}\\n")
    >>> case.parties[0].kind.value
    'union'
    >>> loads_case("id: c\\ntitle: T\\nparties: []\\n")
    Traceback (most recent call last):
    ...
    accord.casefile.errors.CaseFileError: <string>:3:1: parties: expected at least 1 item, got 0
    """
    return validate(parse(text, filename, fmt), filename)


def validate(document: Document, filename: str) -> Case:
    """The case a parsed document holds; :class:`CaseFileError` if it does not hold a valid one,
    listing every problem in file order: structure problems and, among the well-formed parts,
    broken references (:mod:`accord.casefile.onepass`), in one pass."""
    try:
        case = messages.validate_document(document, filename, Case, "case fields (id, title, parties, ...)")
        loose = estimate_problems(case)
        if loose:
            raise CaseInvalid(loose)
        return case
    except CaseInvalid as error:
        raise CaseFileError(
            filename, messages.reference_problems(error.problems, document.locations)
        ) from None
    except CaseFileError as error:
        if not isinstance(document.data, dict):
            raise
        references = reference_problems_of_valid_parts(document.data, document.locations)
        if not references:
            raise
        problems = sorted(
            dict.fromkeys([*error.problems, *references]), key=lambda p: (p.line or 0, p.column or 0)
        )
        raise CaseFileError(filename, problems) from None


def read_case(path: str | os.PathLike[str]) -> Case:
    """The case in the file at ``path`` (YAML for ``.yaml``/``.yml``, JSON for ``.json``).

    Raises :class:`CaseFileError` when the file cannot be read or holds no valid case.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "c.yaml").write_text("id: c\\ntitle: T\\nparties: [{id: w, name: W, kind: union}]\\n")
    >>> read_case(folder / "c.yaml").id
    'c'
    """
    fmt = format_of(path)
    return loads_case(read_text(path), str(path), fmt)


def read_text(path: str | os.PathLike[str]) -> str:
    """A case file's text (UTF-8, an initial byte-order mark allowed), line endings as ``\\n``."""
    name = str(path)
    try:
        size = Path(path).stat().st_size
        if size > request_limits.CASE_FILE_BYTES:  # refused before it is read
            message = (
                f"the file is {size:,} bytes; a case file may be at most {request_limits.CASE_FILE_BYTES:,}"
            )
            raise CaseFileError(name, [FileProblem(message)])
        raw = Path(path).read_bytes()
    except OSError as error:
        raise CaseFileError(name, [FileProblem(f"cannot read the file: {error.strerror or error}")]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        byte = raw[error.start : error.start + 1].hex()
        message = f"byte 0x{byte} is not UTF-8; expected a UTF-8 text file"
        raise CaseFileError(name, [FileProblem(message, line, column)]) from None
    return text.replace("\r\n", "\n")


def case_data(case: Case) -> dict[str, Any]:
    """The case as plain data in file shape (see the module docstring).

    Examples
    --------
    >>> case = loads_case("id: c\\ntitle: T\\nparties: [{id: w, name: W, kind: union}]\\n")
    >>> case_data(case)
    {'id': 'c', 'title': 'T', 'parties': [{'id': 'w', 'name': 'W', 'kind': 'union'}]}
    """
    data = case.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    if "issues" in data:
        # ``type`` has a default for each kind of issue, but it is what says which kind it is.
        data["issues"] = [
            _tag_after_id({**item, "type": issue.type}, "type")
            for issue, item in zip(case.issues, data["issues"], strict=True)
        ]
    if "events" in data:
        data["events"] = [_tag_after_id(item, "kind") for item in data["events"]]
    return data


def _tag_after_id(item: dict[str, Any], tag: str) -> dict[str, Any]:
    """The field that says which kind of record this is, written right after its id."""
    rest = {key: value for key, value in item.items() if key not in ("id", tag)}
    return {"id": item["id"], tag: item[tag], **rest}


def dump_case(case: Case, fmt: Format = "yaml") -> str:
    """The text of a case file holding ``case``; :func:`loads_case` reads it back equal.

    Examples
    --------
    >>> case = loads_case("id: c\\ntitle: T\\nparties: [{id: w, name: W, kind: union}]\\n")
    >>> print(dump_case(case), end="")
    id: c
    title: T
    parties:
      - id: w
        name: W
        kind: union
    """
    data = case_data(case)
    if fmt == "json":
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if fmt == "yaml":
        return dump_yaml(data)
    raise ValueError(f"unknown format {fmt!r}; expected 'yaml' or 'json'")


def write_case(case: Case, path: str | os.PathLike[str]) -> None:
    """Write ``case`` to ``path`` (format by suffix), atomically.

    The text is read back first: if it does not load as an equal case (e.g. a case assembled
    with ``Case.model_construct``, which skips validation), :class:`CaseFileError` is raised and
    the file is not touched. Otherwise it is written by
    :func:`~accord.casefile.atomic.write_text_atomically`: a reader sees the old file or the new
    one, never a half-written one.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> case = loads_case("id: c\\ntitle: T\\nparties: [{id: w, name: W, kind: union}]\\n")
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "c.json"
    >>> write_case(case, target)
    >>> read_case(target) == case
    True
    """
    fmt = format_of(path)
    name = str(path)
    text = dump_case(case, fmt)
    try:
        read_back = loads_case(text, name, fmt)
    except CaseFileError as error:
        # Line numbers would point into text that was never written: keep the fields and messages.
        problems = [FileProblem(p.message, field=p.field) for p in error.problems]
        raise CaseFileError(
            name, [FileProblem("the case is not valid; nothing was written"), *problems]
        ) from None
    if read_back != case:
        raise CaseFileError(name, [FileProblem("the case does not read back equal; nothing was written")])
    try:
        write_text_atomically(path, text)
    except OSError as error:
        raise CaseFileError(
            name, [FileProblem(f"cannot write the file: {error.strerror or error}")]
        ) from None
