"""Parse case-file text into plain data plus where each value sits in the file.

A :class:`Document` is the parsed data (dicts, lists, text, numbers, booleans, ``None``) and a
:class:`Locations` index from a field path such as ``("proposals", 3, "positions", "staffing")``
to its line and column, so that a problem found later by the model can be reported at its place.

YAML is composed into PyYAML's node tree (:func:`accord.casefile.yaml12.compose`) and built
into data here, node by node: duplicate keys, unsupported tags, merge keys and recursive aliases
become problems. JSON is parsed by :mod:`json` (for its exact syntax errors) and then scanned once
more for positions and duplicate keys (:mod:`accord.casefile.json_positions`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field

import yaml

from accord.casefile import json_positions
from accord.casefile.errors import CaseFileError, FileProblem
from accord.casefile.yaml12 import MAP_TAG, MAX_DEPTH, SEQ_TAG, TooDeepError, compose, scalar_value
from accord.model import request_limits
from accord.model.limits import printable

PathPart = str | int
FieldPath = tuple[PathPart, ...]

MAX_VALUES = request_limits.CASE_FILE_VALUES
"""Most values one file may expand to (aliases can multiply a small file into a huge one)."""


def field_path(path: FieldPath) -> str:
    """A field path written as ``proposals[3].positions.staffing.value``.

    Examples
    --------
    >>> field_path(("proposals", 3, "positions", "staffing", "value"))
    'proposals[3].positions.staffing.value'
    """
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return printable(text)  # a key may hold anything: the path is still one printable line


@dataclass
class Locations:
    """Field path -> (line, column), both 1-based. Lookups fall back to the nearest ancestor."""

    index: dict[FieldPath, tuple[int, int]] = field(default_factory=dict)
    keys: dict[FieldPath, tuple[int, int]] = field(default_factory=dict)

    def add(self, path: FieldPath, line: int, column: int) -> None:
        self.index.setdefault(path, (line, column))

    def add_key(self, path: FieldPath, line: int, column: int) -> None:
        """Where the key of a mapping entry is (its value may start later on the line, or below)."""
        self.keys.setdefault(path, (line, column))

    def find(self, path: FieldPath, at_key: bool = False) -> tuple[int, int]:
        """Where ``path`` is (its key, if ``at_key`` and it has one), or its nearest ancestor that
        is in the file (for a missing field: its parent mapping), or line 1, column 1."""
        if at_key and path in self.keys:
            return self.keys[path]
        for end in range(len(path), -1, -1):
            found = self.index.get(path[:end])
            if found is not None:
                return found
        return (1, 1)

    def problem(self, path: FieldPath, message: str, at_key: bool = False) -> FileProblem:
        line, column = self.find(path, at_key)
        return FileProblem(message, line, column, field_path(path) or None)


@dataclass(frozen=True)
class Document:
    """Parsed file content (``data``) and where each of its values is (``locations``)."""

    data: object
    locations: Locations


def parse(text: str, filename: str, fmt: str, what: str = "a case") -> Document:
    """Parse ``text`` as ``fmt`` (``"yaml"`` or ``"json"``); raise :class:`CaseFileError` on any
    syntax or structure problem. ``what`` names what the file should hold, for the messages.

    Examples
    --------
    >>> doc = parse("id: c\\nparties:\\n  - id: w\\n", "c.yaml", "yaml")
    >>> doc.data, doc.locations.find(("parties", 0, "id"))
    ({'id': 'c', 'parties': [{'id': 'w'}]}, (3, 9))
    """
    if fmt == "yaml":
        return parse_yaml(text, filename, what)
    if fmt == "json":
        return parse_json(text, filename, what)
    raise ValueError(f"unknown format {fmt!r}; expected 'yaml' or 'json'")


def parse_yaml(text: str, filename: str, what: str = "a case") -> Document:
    try:
        node = compose(text)
    except TooDeepError as error:
        mark = error.problem_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise CaseFileError(filename, [FileProblem(_too_deep(what), line, column)]) from None
    except yaml.MarkedYAMLError as error:
        raise CaseFileError(filename, [_syntax_problem(error)]) from None
    except yaml.reader.ReaderError as error:
        line, column = _line_column(text, error.position)
        code = error.character if isinstance(error.character, int) else ord(error.character)
        message = f"character U+{code:04X} is not allowed in a YAML file ({error.reason})"
        raise CaseFileError(filename, [FileProblem(message, line, column)]) from None
    if node is None:
        raise CaseFileError(filename, [FileProblem(f"the file is empty; expected {what}", 1, 1)])
    builder = _Builder()
    data = builder.build(node, ())
    if builder.problems:
        raise CaseFileError(filename, builder.problems)
    return Document(data, builder.locations)


def parse_json(text: str, filename: str, what: str = "a case") -> Document:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        message = f"JSON syntax error: {error.msg}"
        raise CaseFileError(filename, [FileProblem(message, error.lineno, error.colno)]) from None
    except RecursionError:
        raise CaseFileError(filename, [FileProblem(_too_deep(what), 1, 1)]) from None
    try:
        found = json_positions.scan(text)
    except json_positions.TooDeepError as error:
        raise CaseFileError(
            filename, [FileProblem(_too_deep(what), *_line_column(text, error.offset))]
        ) from None
    locations = Locations()
    for path, offset in found.offsets.items():
        locations.add(path, *_line_column(text, offset))
    for path, offset in found.keys.items():
        locations.add_key(path, *_line_column(text, offset))
    problems = [
        FileProblem(
            _duplicate_message(path[-1], _line_column(text, first)[0]),
            *_line_column(text, offset),
            field_path(path),
        )
        for path, offset, first in found.duplicates
    ]
    if problems:
        raise CaseFileError(filename, problems)
    return Document(data, locations)


def _too_deep(what: str) -> str:
    return f"lists and mappings are nested more than {MAX_DEPTH} levels deep; {what} needs far fewer"


def _duplicate_message(key: PathPart, first_line: int) -> str:
    return f"duplicate key {key!r} (first at line {first_line}); a key may appear only once in a mapping"


_SYNTAX_HINTS = {
    "expected <block end>": "check the indentation of this line and the ones above",
    "mapping values are not allowed": "a value containing ': ' must be quoted",
    "tab character": "indent with spaces, not tabs",
    "cannot start any token": "indent with spaces, not tabs; quote values that start with '@', '`' or '%'",
    "found duplicate anchor": "each anchor (&name) may be defined once",
}


def _syntax_problem(error: yaml.MarkedYAMLError) -> FileProblem:
    mark = error.problem_mark or error.context_mark
    problem = error.problem or "not valid YAML"
    context_mark = error.context_mark if error.context_mark is not mark else None
    if error.context and context_mark is not None and problem.startswith("but "):
        # "expected a single document in the stream ..., but found another document"
        message = f"YAML syntax error: {error.context} (line {context_mark.line + 1}), {problem}"
    elif error.context and context_mark is not None:
        message = f"YAML syntax error: {problem} ({error.context} at line {context_mark.line + 1})"
    else:
        message = f"YAML syntax error: {problem}"
    for clue, hint in _SYNTAX_HINTS.items():
        if clue in message:
            message += f"; {hint}"
    if mark is None:
        return FileProblem(message, 1, 1)
    return FileProblem(message, mark.line + 1, mark.column + 1)


def _line_column(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _start(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


class _Builder:
    """Turns a node tree into plain data, recording positions and problems as it goes."""

    def __init__(self) -> None:
        self.locations = Locations()
        self.problems: list[FileProblem] = []
        self.count = 0
        self.active: set[int] = set()  # nodes being built: meeting one again is a recursive alias

    def problem(self, node: yaml.Node, path: FieldPath, message: str) -> None:
        line, column = _start(node)
        self.problems.append(FileProblem(message, line, column, field_path(path) or None))

    def build(self, node: yaml.Node, path: FieldPath) -> object:
        self.count += 1
        if self.count > MAX_VALUES:
            if self.count == MAX_VALUES + 1:
                self.problem(node, path, f"the file expands to more than {MAX_VALUES:,} values (aliases?)")
            return None
        self.locations.add(path, *_start(node))
        if id(node) in self.active:
            self.problem(node, path, "recursive alias: a value cannot contain itself")
            return None
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node, path)
        self.active.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode):
                self.expect_tag(node, path, SEQ_TAG, "a list")
                return [self.build(item, (*path, index)) for index, item in enumerate(node.value)]
            assert isinstance(node, yaml.MappingNode)
            self.expect_tag(node, path, MAP_TAG, "a mapping")
            return dict(self.entries(node, path))
        finally:
            self.active.discard(id(node))

    def expect_tag(self, node: yaml.Node, path: FieldPath, tag: str, what: str) -> None:
        if node.tag != tag:
            self.problem(node, path, f"unsupported YAML tag {node.tag!r}; expected {what} without a tag")

    def scalar(self, node: yaml.ScalarNode, path: FieldPath) -> object:
        try:
            return scalar_value(node.tag, node.value)
        except LookupError:
            self.problem(
                node, path, f"unsupported YAML tag {node.tag!r}; expected text, a number, true/false or null"
            )
        except ValueError as error:
            self.problem(node, path, f"{error} (tag {node.tag!r})")
        return None

    def entries(self, node: yaml.MappingNode, path: FieldPath) -> Iterator[tuple[str, object]]:
        first_lines: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.problem(key_node, path, "a mapping key must be plain text, not a list or mapping")
                continue
            # Keys are field names or ids: always text, whatever they look like (``2023:`` is "2023").
            key = key_node.value
            key_path = (*path, key)
            if key == "<<" and not key_node.style:  # plain, not quoted
                self.problem(key_node, path, "merge keys ('<<') are not supported; write the fields out")
                continue
            if key in first_lines:
                self.problem(key_node, key_path, _duplicate_message(key, first_lines[key]))
                continue
            first_lines[key] = key_node.start_mark.line + 1
            self.locations.add_key(key_path, *_start(key_node))
            # A scalar is reported where the value is; a list or mapping where its key is.
            if not isinstance(value_node, yaml.ScalarNode):
                self.locations.add(key_path, *_start(key_node))
            yield key, self.build(value_node, key_path)
