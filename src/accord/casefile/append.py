"""Append sources and records to a case file, atomically, keeping what the file's author wrote.

A YAML file whose ``sources``, ``proposals`` and ``events`` are block lists gets the new items
added at the end of each list as text, so its comments and layout stay as they were; any other
file (JSON, flow-style lists) is written whole in the file format (:func:`accord.casefile.io.dump_case`).
Either way the new text is read back first and must hold exactly the case with the items
appended; the file is then replaced in one step, or not at all.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from typing import Any

from accord.casefile.atomic import write_text_atomically
from accord.casefile.errors import CaseFileError, FileProblem
from accord.casefile.io import case_data, dump_case, format_of, loads_case, read_text
from accord.casefile.yaml12 import dump_yaml
from accord.model import Case, CaseInvalid, Event, Proposal, Source

_GROUPS = ("sources", "proposals", "events")


def append_to_case_file(
    path: str | os.PathLike[str],
    expected: Case,
    sources: Sequence[Source] = (),
    records: Sequence[Proposal | Event] = (),
) -> Case:
    """Append ``sources`` and ``records`` to the case file at ``path``, which must still hold
    ``expected`` (the case the additions were planned against); the case written.

    Raises :class:`CaseFileError` (nothing written) when the file changed since, when the
    result is not a valid case, or when the file cannot be written.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "c.yaml"
    >>> _ = path.write_text("# my notes\\nid: c\\ntitle: T\\nparties:\\n  - {id: w, name: W, kind: union}\\n")
    >>> case = loads_case(path.read_text())
    >>> new = append_to_case_file(path, case, [Source(id="s1", title="An article")])
    >>> print(path.read_text(), end="")
    # my notes
    id: c
    title: T
    parties:
      - {id: w, name: W, kind: union}
    sources:
      - id: s1
        title: An article
    """
    name = str(path)
    fmt = format_of(path)
    text = read_text(path)
    current = loads_case(text, name, fmt)
    if current != expected:
        raise CaseFileError(
            name, [FileProblem("the case file changed since it was read; nothing was written")]
        )
    proposals = [r for r in records if isinstance(r, Proposal)]
    events = [r for r in records if not isinstance(r, Proposal)]
    try:
        updated = Case.model_validate(
            {
                **dict(current),
                "sources": (*current.sources, *sources),
                "proposals": (*current.proposals, *proposals),
                "events": (*current.events, *events),
            }
        )
    except CaseInvalid as error:
        problems = [FileProblem(f"{p.where}: {p.message}") for p in error.problems]
        raise CaseFileError(
            name, [FileProblem("the additions make the case invalid; nothing was written"), *problems]
        ) from None
    added = {"sources": len(sources), "proposals": len(proposals), "events": len(events)}
    new_text = _appended_yaml(text, updated, added) if fmt == "yaml" else None
    if new_text is None or _reads_as(new_text, name, fmt) != updated:
        new_text = dump_case(updated, fmt)
    try:
        write_text_atomically(path, new_text)
    except OSError as error:
        raise CaseFileError(
            name, [FileProblem(f"cannot write the file: {error.strerror or error}")]
        ) from None
    return updated


def _reads_as(text: str, name: str, fmt: Any) -> Case | None:
    try:
        return loads_case(text, name, fmt)
    except CaseFileError:
        return None


def _appended_yaml(text: str, updated: Case, added: dict[str, int]) -> str | None:
    """``text`` with the last ``added[group]`` items of each group of ``updated`` written at the
    end of that group's block list (a new top-level list where the group is missing); ``None``
    where the file's shape does not allow it (a flow-style list, an odd layout)."""
    data = case_data(updated)
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    for group in _GROUPS:
        count = added[group]
        if not count:
            continue
        items = data[group][-count:]
        key = next((i for i, line in enumerate(lines) if re.match(rf"^{group}:(\s*(#.*)?)?$", line)), None)
        if key is None:
            if any(re.match(rf"^{group}:", line) for line in lines):
                return None  # "sources: []" or another flow form
            lines += [f"{group}:", *_item_lines(items, "  ")]
            continue
        end = key + 1
        indent = None
        while end < len(lines) and (not lines[end] or lines[end][0] in " #-"):
            match = re.match(r"^(\s*)- ", lines[end])
            if indent is None and match:
                indent = match.group(1)
            end += 1
        last = end
        while last > key + 1 and (not lines[last - 1].strip() or lines[last - 1].lstrip().startswith("#")):
            last -= 1
        lines[last:last] = _item_lines(items, indent if indent is not None else "  ")
    return "\n".join(lines) + "\n"


def _item_lines(items: list[Any], indent: str) -> list[str]:
    return [indent + line if line else line for line in dump_yaml(items).rstrip("\n").split("\n")]
