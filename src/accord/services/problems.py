"""A request that fails its schema, worded once: the field a person sent and what was wrong with it.

Pydantic reports where a value failed with the path it walked, which names more than fields: the
member of a union it tried (``float``, ``frozenset[str]``, ``function-after[...]``) and the tag of
a tagged union (an event's ``kind``). :func:`validation_problems` keeps the fields only, and adds
the value it got to pydantic's message, so the API's problem details and the dashboard's inline
form messages say the same thing about the same mistake.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, get_args

from pydantic import ValidationError

from accord.model import CostItem, Event, Issue, ValueFunction
from accord.model.limits import PARAMETER_MAX, printable, text_problem
from accord.services.errors import FieldProblem

EVENT_KINDS = frozenset(
    kind
    for member in get_args(get_args(Event)[0])
    for kind in get_args(member.model_fields["kind"].annotation)
)
"""The ``kind`` of every event (the tags of the tagged union)."""


def _tags(union: Any, field: str) -> frozenset[str]:
    return frozenset(
        tag
        for member in get_args(get_args(union)[0])
        for tag in get_args(member.model_fields[field].annotation)
    )


_OTHER_TAGS = _tags(Issue, "type") | _tags(ValueFunction, "kind") | _tags(CostItem, "kind")
"""Tags of the other tagged unions (an issue's ``type``, a value function's or cost's ``kind``);
some are also field names (``options``, ``provisions``, ``steps``), so one is dropped only where a
field of its member follows it."""
_TYPE_NAMES = frozenset({"float", "int", "str", "bool", "none", "dict", "list"})


def field_path(path: Sequence[Any]) -> str:
    """The dotted field of a pydantic error location, without the union members and tags it names.

    Examples
    --------
    >>> field_path(["positions", "pay", "value", "float"])
    'positions.pay.value'
    >>> field_path(["statement", "party"]), field_path(["sources", 0]), field_path(["positions", "int", "value"])
    ('party', 'sources.0', 'positions.int.value')
    >>> field_path(["issues", 0, "numeric", "high"]), field_path(["provisions", "provisions", 0, "name"])
    ('issues.0.high', 'provisions.0.name')
    """
    kept = []
    for index, part in enumerate(path):
        text = str(part)
        following = path[index + 1] if index + 1 < len(path) else None
        tag = text in EVENT_KINDS or (
            text in _OTHER_TAGS and isinstance(following, str) and following not in _TYPE_NAMES
        )
        if "[" not in text and not text.startswith("function-") and not tag:
            kept.append(text)
    while kept and kept[-1] in _TYPE_NAMES:  # a scalar member of a union; a field so named is not last
        kept.pop()
    return ".".join(kept)


def error_message(item: Mapping[str, Any]) -> str:
    """Pydantic's message for one error, with (the start of) the value it got.

    Examples
    --------
    >>> error_message({"msg": "Input should be a valid number", "type": "float_parsing", "input": "ten"})
    "Input should be a valid number (got 'ten')"
    """
    message = str(item.get("msg", "invalid"))
    if "input" in item and item.get("type") not in ("missing", "json_invalid"):
        message += f" (got {repr(item['input'])[:80]})"
    return message


def validation_problems(
    errors: ValidationError | Iterable[Mapping[str, Any]], *, located: bool = False
) -> list[FieldProblem]:
    """Each field at fault, once (a union reports every member it tried; the first one is kept).

    ``errors`` is a :class:`pydantic.ValidationError` of a body, or the error items of a whole
    request (FastAPI's ``RequestValidationError.errors()``) with ``located=True``, whose
    locations start with the part of the request (``body``, ``query``, ``path``, ``header``).

    Examples
    --------
    >>> from pydantic import TypeAdapter
    >>> try:
    ...     TypeAdapter(Event).validate_python({"kind": "milestone", "id": "m", "date": "2023-05-02", "summary": 1})
    ... except ValidationError as error:
    ...     [str(p) for p in validation_problems(error)]
    ['summary: Input should be a valid string (got 1)']
    """
    items = errors.errors() if isinstance(errors, ValidationError) else errors
    found: dict[tuple[str, str], FieldProblem] = {}
    for item in items:
        path = list(item.get("loc", ()))
        location = str(path.pop(0)) if located and path else "body"
        problem = FieldProblem(field_path(path), error_message(item), location)
        found.setdefault((problem.location, problem.field), problem)
    return list(found.values())


def request_value_problems(
    path: Mapping[str, object], query: Iterable[tuple[str, str]]
) -> list[FieldProblem]:
    """The path and query values of a request that break the one-line text rule
    (:mod:`accord.model.limits`) or are longer than :data:`~accord.model.limits.PARAMETER_MAX`:
    checked before any handler, so that no such value reaches a query or a page.

    Examples
    --------
    >>> [str(p) for p in request_value_problems({"case_id": "wga\\x00"}, [("as_of", "2023-05-01")])]
    ['case_id: contains U+0000 (NUL) at character 4; expected text without NUL, control characters, unpaired surrogates or noncharacters']
    """
    problems: list[FieldProblem] = []
    for location, items in (("path", list(path.items())), ("query", list(query))):
        for name, value in items:
            if not isinstance(value, str):
                continue
            problem = text_problem(name, one_line=True) or text_problem(value, one_line=True)
            if problem is None and len(value) > PARAMETER_MAX:
                problem = f"expected at most {PARAMETER_MAX} characters, got {len(value)}"
            if problem:
                problems.append(FieldProblem(printable(name), problem, location))
    return problems
