"""Turn the model's complaints (pydantic errors, reference :class:`accord.model.Problem` lists) into
file problems: each at its line and column, with the field path and a plain statement of what was
expected. Case files and preference files share this, so both read the same way.

Pydantic's error locations name the branch of a union they tried (``("events", 3,
"stoppage_started", "by")``, ``(..., "value", "float")``); those labels are not in the file, so a
location is resolved against the parsed data, keeping only the keys and indexes that exist there.
When every branch of a plain union fails at one place (a position value that is neither a
number, text nor a list), the branch errors become one problem listing what each would accept.
"""

from __future__ import annotations

import json
import types
import typing
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from accord.casefile.errors import CaseFileError, FileProblem
from accord.casefile.tree import Document, FieldPath, Locations
from accord.model import Case, Problem
from accord.model.limits import printable

ModelT = TypeVar("ModelT", bound=BaseModel)

_BRANCH_NAMES = {
    "float": "a number",
    "int": "a whole number",
    "str": "text",
    "bool": "true or false",
    "frozenset[str]": "a list of ids",
    "none": "nothing (null)",
}

_EXPECTED = {
    "string_type": "text",
    "float_type": "a number",
    "float_parsing": "a number",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "date_type": "a date as YYYY-MM-DD",
    "date_parsing": "a date as YYYY-MM-DD",
    "date_from_datetime_parsing": "a date as YYYY-MM-DD",
    "date_from_datetime_inexact": "a date as YYYY-MM-DD",
    "time_type": "a time of day as HH:MM",
    "time_parsing": "a time of day as HH:MM",
    "tuple_type": "a list",
    "list_type": "a list",
    "set_type": "a list",
    "frozen_set_type": "a list",
    "dict_type": "a mapping (key: value lines)",
    "model_type": "a mapping (key: value lines)",
    "model_attributes_type": "a mapping (key: value lines)",
    "none_required": "nothing (null)",
    "string_unicode": "text of Unicode characters (no unpaired surrogates)",
}


def validate_document(document: Document, filename: str, model: type[ModelT], fields: str) -> ModelT:
    """The ``model`` value a parsed document holds; :class:`CaseFileError` listing every problem
    (at its line, column and field) if it does not hold a valid one. ``fields`` names what the top
    mapping should hold, for the message when the top is not a mapping.

    Examples
    --------
    >>> from accord.casefile.tree import parse
    >>> from accord.model import Party
    >>> validate_document(parse("id: w\\nname: W\\nkind: union\\n", "p.yaml", "yaml"), "p.yaml", Party, "").id
    'w'
    >>> validate_document(parse("- w\\n", "p.yaml", "yaml"), "p.yaml", Party, "party fields (id, name, kind)")
    Traceback (most recent call last):
    ...
    accord.casefile.errors.CaseFileError: p.yaml:1:1: expected a mapping of party fields (id, name, kind) at the top, got a list
    """
    data = document.data
    if not isinstance(data, dict):
        what = "a list" if isinstance(data, list) else f"a single value ({data!r})"
        message = f"expected a mapping of {fields} at the top, got {what}"
        raise CaseFileError(filename, [document.locations.problem((), message)])
    try:
        return model.model_validate(data)
    except ValidationError as error:
        problems = validation_problems(error, data, document.locations, model)
    raise CaseFileError(filename, problems)


def validation_problems(
    error: ValidationError, data: object, locations: Locations, root: type[BaseModel] = Case
) -> list[FileProblem]:
    """One file problem per pydantic error of validating ``data`` as a ``root`` (a :class:`Case`
    unless said otherwise)."""
    resolved = [_Resolved.of(detail, data) for detail in error.errors(include_url=False)]
    resolved = [r for r in resolved if not _is_consequence(r, resolved)]
    problems: list[FileProblem] = []
    for union_path, members in _unions(resolved):
        expected = _one_of([_BRANCH_NAMES.get(m.branch or "", m.branch or "") for m in members])
        value = _value_at(data, union_path)
        problems.append(locations.problem(union_path, f"expected {expected}, got {_show(value)}"))
    in_unions = {id(m) for _, members in _unions(resolved) for m in members}
    for item in resolved:
        if id(item) not in in_unions:
            at_key = item.detail["type"] == "extra_forbidden"
            problems.append(locations.problem(item.path, _message(item, root), at_key=at_key))
    return _in_file_order(_unique(problems))


def reference_problems(problems: Iterable[Problem], locations: Locations) -> list[FileProblem]:
    """One file problem per broken reference the model found (``CaseInvalid.problems``,
    :func:`accord.model.preference_problems`), in file order."""
    return _in_file_order([locations.problem(p.path, p.message) for p in problems])


@dataclass(frozen=True, eq=False)
class _Resolved:
    """A pydantic error with its location resolved against the data."""

    detail: ErrorDetails
    path: FieldPath  # keys and indexes that exist in the data (plus a missing field's name)
    branch: str | None  # the last union-branch label in the location, if any
    branch_path: FieldPath  # the resolved path where that label stood

    @classmethod
    def of(cls, detail: ErrorDetails, data: object) -> _Resolved:
        path: list[str | int] = []
        branch: str | None = None
        branch_path: FieldPath = ()
        node = data
        loc = detail["loc"]
        for position, part in enumerate(loc):
            is_last = position == len(loc) - 1
            if _has(node, part):
                path.append(part)
                node = node[part]  # type: ignore[index]
            elif is_last and detail["type"] in ("missing", "extra_forbidden") and isinstance(part, str):
                path.append(part)
                node = None
            else:  # a union branch label: not in the file, and it does not move into the data
                branch, branch_path = str(part), tuple(path)
        return cls(detail, tuple(path), branch, branch_path)


def _is_consequence(item: _Resolved, everything: Sequence[_Resolved]) -> bool:
    """A "too few items" error counted after dropping the invalid ones: the real errors are below."""
    if item.detail["type"] != "too_short":
        return False
    return any(other.path[: len(item.path)] == item.path and other is not item for other in everything)


def _unions(resolved: Iterable[_Resolved]) -> list[tuple[FieldPath, list[_Resolved]]]:
    """Errors where several branches of one plain union failed at the same place."""
    groups: dict[FieldPath, list[_Resolved]] = defaultdict(list)
    for item in resolved:
        if item.branch is not None:
            groups[item.branch_path].append(item)
    return [(path, members) for path, members in groups.items() if len({m.branch for m in members}) > 1]


def _message(item: _Resolved, root: type[BaseModel]) -> str:
    detail = item.detail
    kind = detail["type"]
    ctx: dict[str, Any] = dict(detail.get("ctx") or {})
    got = _show(detail["input"])
    if kind == "missing":
        return f"missing required field {item.path[-1]!r}"
    if kind == "extra_forbidden":
        allowed = _fields_at(root, detail["loc"][:-1])
        expected = f"; expected one of: {', '.join(allowed)}" if allowed else ""
        return f"unknown field {item.path[-1]!r}{expected}"
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        field = str(ctx.get("discriminator", "'kind'")).strip("'")
        options = ", ".join(_union_tags(root, detail["loc"], field)) or str(ctx.get("expected_tags", "?"))
        if kind == "union_tag_not_found":
            return f"missing required field {field!r}; expected one of: {options}"
        return f"unknown {field} {ctx.get('tag')!r}; expected one of: {options}"
    if kind in ("enum", "literal_error"):
        return f"expected one of {ctx.get('expected')}, got {got}"
    if kind == "string_pattern_mismatch":
        return (
            f"expected an id (letters, digits, '_', '.' or '-', starting with a letter or digit), got {got}"
        )
    if kind in ("too_short", "too_long"):
        size = "at least" if kind == "too_short" else "at most"
        count = ctx.get("min_length") if kind == "too_short" else ctx.get("max_length")
        return f"expected {size} {count} item{'s' if count != 1 else ''}, got {ctx.get('actual_length')}"
    if kind in ("string_too_short", "string_too_long"):
        size = "at least" if kind == "string_too_short" else "at most"
        count = ctx.get("min_length") if kind == "string_too_short" else ctx.get("max_length")
        return f"expected text of {size} {count} character{'s' if count != 1 else ''}, got {got}"
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        bound = {"greater_than": "above", "greater_than_equal": "at least", "less_than": "below"}
        limit = ctx.get("gt", ctx.get("ge", ctx.get("lt", ctx.get("le"))))
        return f"expected a number {bound.get(kind, 'at most')} {limit}, got {got}"
    if kind == "value_error":
        return str(ctx.get("error", detail["msg"]))
    if kind in _EXPECTED:
        reason = f" ({ctx['error']})" if "error" in ctx else ""
        hint = " (quote it to make it text)" if kind == "string_type" and _is_scalar(detail["input"]) else ""
        return f"expected {_EXPECTED[kind]}, got {got}{reason}{hint}"
    return f"{detail['msg']}, got {got}"


def _type_at(root: type[BaseModel], loc: tuple[int | str, ...]) -> Any:
    """The annotation at a pydantic location in ``root`` (union labels included), or ``None``."""
    target: Any = root
    for part in loc:
        target = _step(target, part)
        if target is None:
            return None
    return _unwrap(target)


def _union_tags(root: type[BaseModel], loc: tuple[int | str, ...], tag_field: str) -> list[str]:
    """The tags a discriminated union at ``loc`` accepts, in the model's order."""
    tags: list[str] = []
    for member in typing.get_args(_type_at(root, loc)):
        info = getattr(_unwrap(member), "model_fields", {}).get(tag_field)
        if info is not None:
            tags += [str(tag) for tag in typing.get_args(_unwrap(info.annotation))]
    return tags


def _fields_at(root: type[BaseModel], loc: tuple[int | str, ...]) -> list[str]:
    """The field names (aliases where set) of the model at a pydantic location, or [] if unknown."""
    model = _type_at(root, loc)
    if isinstance(model, type) and issubclass(model, BaseModel):
        return [info.alias or name for name, info in model.model_fields.items()]
    return []


def _unwrap(target: Any) -> Any:
    while True:
        origin = typing.get_origin(target)
        if origin is typing.Annotated:
            target = typing.get_args(target)[0]
            continue
        if origin in (typing.Union, types.UnionType):
            members = [a for a in typing.get_args(target) if a is not type(None)]
            if len(members) == 1:
                target = members[0]
                continue
        return target


def _step(target: Any, part: int | str) -> Any:
    target = _unwrap(target)
    origin = typing.get_origin(target)
    args = typing.get_args(target)
    if isinstance(target, type) and issubclass(target, BaseModel) and isinstance(part, str):
        for name, info in target.model_fields.items():
            if part in (name, info.alias):
                return info.annotation
        return None
    if origin in (tuple, list, frozenset, set) and isinstance(part, int):
        return args[0]
    if origin is dict and isinstance(part, str):
        return args[1]
    if origin in (typing.Union, types.UnionType) and isinstance(part, str):
        for member in args:
            member = _unwrap(member)
            if isinstance(member, type) and issubclass(member, BaseModel):
                for tag_field in ("kind", "type"):
                    tag_info = member.model_fields.get(tag_field)
                    if tag_info is not None and part in typing.get_args(_unwrap(tag_info.annotation)):
                        return member
    return None


def _value_at(data: object, path: FieldPath) -> object:
    for part in path:
        if not _has(data, part):
            return None
        data = data[part]  # type: ignore[index]
    return data


def _has(node: object, part: int | str) -> bool:
    """Whether ``part`` is a key (of a mapping) or an index (of a list) in ``node``."""
    if isinstance(node, dict):
        return isinstance(part, str) and part in node
    return isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)


def _one_of(options: list[str]) -> str:
    """``a, b or c``, each option once."""
    unique = list(dict.fromkeys(options))
    return unique[0] if len(unique) == 1 else ", ".join(unique[:-1]) + " or " + unique[-1]


def _is_scalar(value: object) -> bool:
    return isinstance(value, (int, float, bool)) or value is None


def _show(value: object, limit: int = 60) -> str:
    if isinstance(value, (set, frozenset)):
        value = sorted(value, key=str)
    try:
        text = json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        text = repr(value)
    text = printable(text)  # a message is one printable line, whatever the value holds
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _unique(problems: list[FileProblem]) -> list[FileProblem]:
    return list(dict.fromkeys(problems))


def _in_file_order(problems: list[FileProblem]) -> list[FileProblem]:
    return sorted(problems, key=lambda p: (p.line or 0, p.column or 0))
