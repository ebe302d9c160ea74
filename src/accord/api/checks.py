"""What every API request is checked for before its handler runs: its path and query values, and
a JSON body's keys and text, by the one text rule of :mod:`accord.model.limits`.

The model checks the fields it knows (with each field's length limit); this checks what reaches
the handlers without passing through a model field: path ids, query values, and every key and
string of a JSON body (a body whose model takes any mapping, such as a private note's payload,
included). A body may not repeat a key in one object either: :mod:`json` would keep the last one
silently, so what was sent and what was stored could differ.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import Request

from accord.model.limits import printable, text_problem
from accord.services import FieldProblem, Invalid
from accord.services.problems import request_value_problems

MAX_PROBLEMS = 20
"""Most problems one refusal lists (a body may hold thousands of bad strings)."""


class _Object(dict[str, Any]):
    """A JSON object as parsed, with the keys it repeated."""

    repeated: list[str]


_HOLDS_TEXT = frozenset({str, list, _Object})
"""The JSON values that may hold text (what :func:`json.loads` makes of strings, arrays, objects)."""


def _object(pairs: list[tuple[str, Any]]) -> _Object:
    result = _Object(pairs)
    result.repeated = []
    if len(result) < len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                result.repeated.append(key)
            seen.add(key)
    return result


def json_body_problems(body: bytes) -> list[FieldProblem]:
    """Repeated keys, and keys or strings that break the text rule, in a JSON ``body`` (each
    named by its dotted path, as the model's problems are). A body that is not JSON gives none:
    the framework refuses it (400) before this is asked.

    Examples
    --------
    >>> [str(p) for p in json_body_problems(b'{"id": "a", "positions": {"pay": 1, "pay": 2}}')]
    ["positions.pay: duplicate key 'pay'; a key may appear only once in an object"]
    >>> [str(p) for p in json_body_problems(b'{"summary": ["ok", "\\\\ud800"]}')]
    ['summary.1: contains U+D800 (an unpaired surrogate) at character 1; expected text without NUL, control characters, unpaired surrogates or noncharacters']
    """
    try:
        data = json.loads(body, object_pairs_hook=_object)
    except (ValueError, RecursionError):
        return []
    problems: list[FieldProblem] = []
    # Walked with a stack, not recursively: the body may nest as deep as the parser allowed.
    stack: list[tuple[tuple[str, ...], Any]] = [((), data)]
    while stack and len(problems) < MAX_PROBLEMS:
        path, value = stack.pop()
        if isinstance(value, str):
            problem = text_problem(value)
            if problem:
                problems.append(FieldProblem(printable(".".join(path)), problem))
        elif isinstance(value, list):
            # numbers, booleans and null hold no text: only the rest is walked (a sweep's 100,000
            # values are skipped at C speed, not each made a path)
            nested = [index for index, item in enumerate(value) if type(item) in _HOLDS_TEXT]
            stack.extend(((*path, str(index)), value[index]) for index in reversed(nested))
        elif isinstance(value, _Object):
            for key in value.repeated:
                message = f"duplicate key {printable(key)!r}; a key may appear only once in an object"
                problems.append(FieldProblem(printable(".".join((*path, key))), message))
            for key, item in reversed(list(value.items())):
                problem = text_problem(key)
                if problem:
                    problems.append(FieldProblem(printable(".".join((*path, key))), f"the key {problem}"))
                stack.append(((*path, key), item))
    return problems[:MAX_PROBLEMS]


def _takes_json(request: Request) -> bool:
    """Whether the route reads a body that the framework parses as JSON (no content type, or
    ``application/json`` or ``application/*+json``)."""
    if getattr(request.scope.get("route"), "body_field", None) is None:
        return False
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    return (
        not content_type
        or content_type == "application/json"
        or (content_type.startswith("application/") and content_type.endswith("+json"))
    )


async def checked_request(request: Request) -> None:
    """Refuse (422, every field named) a request whose path or query values or JSON body break
    the text rule, or whose body repeats a key: a dependency of every API route, run before the
    caller is even identified."""
    problems = request_value_problems(request.path_params, request.query_params.multi_items())
    if _takes_json(request):
        problems += json_body_problems(await request.body())
    if problems:
        request.state.refused_before_sign_in = True  # reported as is, token or none
        raise Invalid(problems[:MAX_PROBLEMS])
