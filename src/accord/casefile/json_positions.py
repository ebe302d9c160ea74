"""Where each value of a (valid) JSON text starts, and which keys repeat within an object.

:mod:`json` reports syntax errors with their line and column but keeps no positions for values,
and it silently keeps the last of two equal keys. This scanner walks a text that ``json.loads``
has already accepted and records, for every field path, the offset of its value (for an object
member also: of its key).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from accord.model import request_limits

PathPart = str | int
FieldPath = tuple[PathPart, ...]

MAX_DEPTH = request_limits.NESTING_DEPTH
"""Deepest nesting of arrays and objects a file may have (a case needs fewer than ten levels)."""

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_SCALAR = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?|true|false|null|NaN|-?Infinity")


@dataclass
class Scan:
    """``offsets``: field path -> character offset; ``keys``: path of an object member -> offset
    of its key; ``duplicates``: (path of a repeated key, its
    offset, the offset of its first occurrence)."""

    offsets: dict[FieldPath, int] = field(default_factory=dict)
    keys: dict[FieldPath, int] = field(default_factory=dict)
    duplicates: list[tuple[FieldPath, int, int]] = field(default_factory=list)


class TooDeepError(ValueError):
    """Arrays and objects nested deeper than :data:`MAX_DEPTH`; ``offset`` is where."""

    def __init__(self, offset: int) -> None:
        super().__init__(f"nested more than {MAX_DEPTH} levels deep")
        self.offset = offset


def scan(text: str) -> Scan:
    """Positions of every value in ``text``, which must be valid JSON.

    Raises :class:`TooDeepError` for nesting deeper than :data:`MAX_DEPTH`.

    Examples
    --------
    >>> found = scan('{"a": [1, {"b": 2}], "a": 3}')
    >>> found.offsets[("a", 1, "b")], found.keys[("a", 1, "b")], found.duplicates
    (16, 11, [(('a',), 21, 1)])
    """
    result = Scan()
    _Scanner(text, result).value(_skip(text, 0), ())
    return result


def _skip(text: str, index: int) -> int:
    match = _WHITESPACE.match(text, index)
    assert match is not None  # the pattern matches the empty string
    return match.end()


class _Scanner:
    def __init__(self, text: str, result: Scan) -> None:
        self.text = text
        self.result = result

    def value(self, index: int, path: FieldPath) -> int:
        """Scan the value at ``index``; return the offset just after it."""
        self.result.offsets.setdefault(path, index)
        char = self.text[index]
        if char in "{[" and len(path) >= MAX_DEPTH:
            raise TooDeepError(index)
        if char == "{":
            return self.members(index + 1, path)
        if char == "[":
            return self.items(index + 1, path)
        match = (_STRING if char == '"' else _SCALAR).match(self.text, index)
        if match is None:  # json.loads accepted the text, so this cannot happen
            raise ValueError(f"not valid JSON at offset {index}")
        return match.end()

    def members(self, index: int, path: FieldPath) -> int:
        index = _skip(self.text, index)
        if self.text[index] == "}":
            return index + 1
        first: dict[str, int] = {}
        while True:
            match = _STRING.match(self.text, index)
            if match is None:  # json.loads accepted the text, so this cannot happen
                raise ValueError(f"not valid JSON at offset {index}")
            key, after_key = json.loads(match.group()), match.end()
            if key in first:
                self.result.duplicates.append(((*path, key), index, first[key]))
            else:
                first[key] = index
                self.result.keys[(*path, key)] = index
            index = _skip(self.text, _skip(self.text, after_key) + 1)  # past the colon
            index = _skip(self.text, self.value(index, (*path, key)))
            if self.text[index] == "}":
                return index + 1
            index = _skip(self.text, index + 1)  # past the comma

    def items(self, index: int, path: FieldPath) -> int:
        index = _skip(self.text, index)
        if self.text[index] == "]":
            return index + 1
        position = 0
        while True:
            index = _skip(self.text, self.value(index, (*path, position)))
            position += 1
            if self.text[index] == "]":
                return index + 1
            index = _skip(self.text, index + 1)
