"""YAML loading that remembers where each value is, so later problems can name a line and column.

Small on purpose: the preference-file reader needs it now. (The case-file reader grows a fuller
parser in parallel; the two are meant to be folded together.)

- Safe: PyYAML's safe composer, no Python tags.
- Booleans are only ``true``/``false`` (not YAML 1.1's ``yes``/``no``/``on``/``off``, which
  would turn an option called "no" into ``False``); mapping keys are always their text.
- Duplicate keys are problems (PyYAML silently keeps the last one).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import yaml
from pydantic import ValidationError

from accord.casefile.errors import CaseFileError, FileProblem

PathPart = str | int
FieldPath = tuple[PathPart, ...]


class _Loader(yaml.SafeLoader):
    """The safe loader, with booleans limited to true/false."""


_BOOL = "tag:yaml.org,2002:bool"
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != _BOOL]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


def field_path(path: Iterable[PathPart]) -> str:
    """``("models", 0, "weights", "pay")`` -> ``models[0].weights.pay``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


@dataclass
class Located:
    """Parsed data and the (line, column) of each value, both 1-based, by field path."""

    data: object
    places: dict[FieldPath, tuple[int, int]] = field(default_factory=dict)

    def resolve(self, loc: Iterable[PathPart]) -> FieldPath:
        """Keep the parts of a validation location that exist in the data (pydantic adds the
        names of union branches, which are not in the file)."""
        node: object = self.data
        kept: list[PathPart] = []
        for part in loc:
            if _has(node, part):
                node = node[part]  # type: ignore[index]
            elif (
                isinstance(node, dict)
                and isinstance(part, str)
                and node.get("kind") != part
                and "[" not in part
            ):
                kept.append(part)  # a missing field: named, and placed at its parent
                break
            else:
                continue  # a union branch or validator name
            kept.append(part)
        return tuple(kept)

    def problem(self, path: FieldPath, message: str) -> FileProblem:
        line, column = self.place(path)
        return FileProblem(message, line, column, field_path(path) or None)

    def place(self, path: FieldPath) -> tuple[int, int]:
        for end in range(len(path), -1, -1):
            found = self.places.get(path[:end])
            if found is not None:
                return found
        return (1, 1)

    def validation_problems(self, error: ValidationError) -> list[FileProblem]:
        """One file problem per pydantic error, at the line of the field at fault."""
        problems = []
        details = error.errors(include_url=False)
        paths = [self.resolve(detail["loc"]) for detail in details]
        for detail, path in zip(details, paths, strict=True):
            if detail["type"] == "too_short" and any(
                len(p) > len(path) and p[: len(path)] == path for p in paths
            ):
                continue  # a list left short because its items failed: the items say why
            message = detail["msg"].removeprefix("Value error, ")
            if detail["type"] == "missing":
                message = "required field is missing"
            elif detail["type"] == "extra_forbidden":
                message = "unknown field (not part of the format)"
            elif detail["type"] == "union_tag_invalid":
                message = (
                    f"unknown kind {detail['input'].get('kind')!r}; expected one of "
                    + message.split(": ", 1)[-1]
                )
            problems.append(self.problem(path, message))
        unique = {(p.line, p.field, p.message): p for p in problems}
        return sorted(unique.values(), key=lambda p: (p.line or 0, p.column or 0))


def _has(node: object, part: PathPart) -> bool:
    if isinstance(node, dict):
        return part in node
    return isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)


def load_yaml(text: str, filename: str) -> Located:
    """Parse YAML ``text``; raise :class:`CaseFileError` naming the line on a syntax error or a
    duplicate key.

    Examples
    --------
    >>> doc = load_yaml("a:\\n  b: no\\n  c: [1, 2]\\n", "x.yaml")
    >>> doc.data, doc.places[("a", "c", 1)]
    ({'a': {'b': 'no', 'c': [1, 2]}}, (3, 10))
    """
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise CaseFileError(filename, [FileProblem("the file is empty", 1, 1)])
        located = Located(data=None)
        problems: list[FileProblem] = []
        located.data = _build(loader, node, (), located, problems)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = (mark.line + 1, mark.column + 1) if mark else (None, None)
        message = f"not valid YAML: {error.problem or error.context}"
        raise CaseFileError(filename, [FileProblem(message, *where)]) from None
    except yaml.YAMLError as error:
        raise CaseFileError(filename, [FileProblem(f"not valid YAML: {error}")]) from None
    finally:
        loader.dispose()
    if problems:
        raise CaseFileError(filename, problems)
    return located


def _build(
    loader: _Loader, node: yaml.Node, path: FieldPath, located: Located, problems: list[FileProblem]
) -> object:
    located.places.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
    if isinstance(node, yaml.MappingNode):
        result: dict[str, object] = {}
        first: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                problems.append(located.problem(path, "mapping keys must be plain text"))
                continue
            key = str(key_node.value)
            if key in first:
                line = key_node.start_mark.line + 1
                problems.append(
                    FileProblem(
                        f"duplicate key {key!r} (first at line {first[key]})",
                        line,
                        key_node.start_mark.column + 1,
                        field_path((*path, key)),
                    )
                )
                continue
            first[key] = key_node.start_mark.line + 1
            result[key] = _build(loader, value_node, (*path, key), located, problems)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_build(loader, item, (*path, i), located, problems) for i, item in enumerate(node.value)]
    return loader.construct_object(node, deep=True)
