"""What reading GENIUS XML files takes besides the semantics: the file and its limits, problems
collected per file, numbers read exactly, and where issues and weights sit in the tree.

Limits (checked before the work they bound): a file of more than
:data:`accord.casefile.interop.MAX_FILE_BYTES` is not
read; the XML parser stops at :data:`accord.casefile.xmltree.MAX_ELEMENTS` elements or
:data:`accord.casefile.xmltree.MAX_DEPTH` levels of nesting; an issue may have at most
:data:`MAX_ISSUE_VALUES` values (items, or integers between its bounds).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from accord.casefile.errors import CaseFileError, FileProblem
from accord.casefile.interop import MAX_FILE_BYTES, parse_decimal
from accord.casefile.xmltree import Element, parse_xml, root_tag

MAX_ISSUE_VALUES = 100_000
"""Most values one issue may have: discrete items, or the integers of an integer issue."""


@dataclass
class Reader:
    """Collects every problem of one file before raising, so a file is fixed in one pass."""

    filename: str
    problems: list[FileProblem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def fail(self, element: Element, message: str, attribute: str | None = None) -> None:
        self.problems.append(element.problem(message, attribute))

    def note(self, element: Element | None, message: str) -> None:
        where = self.filename if element is None else f"{self.filename}:{element.line}"
        self.notes.append(f"{where}: {message}")

    def number(self, element: Element, attribute: str, default: Fraction | None = None) -> Fraction | None:
        """The attribute as an exact decimal; ``default`` when it is absent (a problem if no
        default); ``None`` (and a problem) when it is not a finite decimal number."""
        text = element.attrib.get(attribute)
        if text is None:
            if default is None:
                self.fail(element, f"attribute {attribute!r} is missing", attribute)
            return default
        try:
            return parse_decimal(text)
        except ValueError as error:
            self.fail(element, str(error), attribute)
            return None

    def raise_if_any(self) -> None:
        if self.problems:
            raise CaseFileError(self.filename, self.problems)


def _data(path: str | os.PathLike[str]) -> tuple[bytes, str]:
    filename = os.fspath(path)
    try:
        size = Path(path).stat().st_size
        if size > MAX_FILE_BYTES:
            message = (
                f"the file has {size:,} bytes; GENIUS files of more than {MAX_FILE_BYTES:,} bytes are refused"
            )
            raise CaseFileError(filename, [FileProblem(message)])
        return Path(path).read_bytes(), filename
    except FileNotFoundError:
        raise CaseFileError(filename, [FileProblem("no such file")]) from None
    except OSError as error:
        raise CaseFileError(filename, [FileProblem(f"cannot be read: {error.strerror}")]) from None


def read_xml(path: str | os.PathLike[str]) -> tuple[Element, str]:
    """The parsed file and its name (limits: see the module docstring)."""
    data, filename = _data(path)
    return parse_xml(data, filename), filename


def read_root_tag(path: str | os.PathLike[str]) -> str:
    """The tag of the file's root element, without parsing the rest."""
    data, filename = _data(path)
    return root_tag(data, filename)


def issue_container(root: Element, reader: Reader) -> Element | None:
    """Where the issues are: the ``<objective>`` of the ``<utility_space>``, or the
    ``<utility_space>`` itself when its issues stand directly under it (GENIUS reads both)."""
    space = root if root.tag == "utility_space" else root.first("utility_space")
    if space is None:
        reader.fail(root, f"expected a <utility_space> element (the root is <{root.tag}>)")
        return None
    objective = space.first("objective")
    if objective is not None:
        return objective
    if space.first("issue") is None:
        reader.fail(space, "expected an <objective> element, or <issue> elements, under <utility_space>")
        return None
    return space


def nested(container: Element, tag: str) -> list[Element]:
    """The ``tag`` elements under ``container`` and under the objectives nested in it, in file
    order (the tree is walked with a stack, not recursion)."""
    found: list[Element] = []
    stack = [iter(container.children)]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
        elif child.tag == tag:
            found.append(child)
        elif child.tag == "objective":
            stack.append(iter(child.children))
    return found
