"""Broken references beside structure problems, so that one reading of a case file reports both.

The model checks references only once every field is well formed: a file with a field of the wrong
type would otherwise show its broken references only after that is fixed. Here the well-formed
parts are checked on their own: each item of each list (parties, issues, sources, proposals,
events, estimates) that is valid by itself is kept, at its place in the file, and the model's
reference check runs on those. A reference to an item that is present but ill-formed is not
reported (fixing that item fixes it); neither is one into a list that is not a list at all.
"""

from __future__ import annotations

import re
import typing
from typing import Any

from pydantic import TypeAdapter, ValidationError

from accord.casefile.errors import FileProblem
from accord.casefile.tree import Locations
from accord.model import Case
from accord.model.problems import Problem, estimate_problems, reference_problems

GROUPS = ("parties", "issues", "sources", "proposals", "events", "estimates")

# The words with which the model's messages name what a reference points to, per list.
_POINTS_INTO = {
    "parties": ("party", "member"),
    "issues": ("issue",),
    "sources": ("source",),
    "proposals": ("proposal", "record", "does not exist"),
    "events": ("record", "request", "statement", "agreement", "stoppage", "does not exist"),
    "estimates": (),
}


def reference_problems_of_valid_parts(data: dict[str, Any], locations: Locations) -> list[FileProblem]:
    """The broken references among the well-formed items of ``data`` (a case file's top mapping),
    each at its line and column.

    Examples
    --------
    >>> from accord.casefile.tree import parse
    >>> doc = parse(
    ...     "id: c\\ntitle: T\\nparties:\\n  - {id: w, name: W, kind: union}\\n  - {id: e, kind: boss}\\n"
    ...     "proposals:\\n  - {id: p, date: 2023-05-01, from: w, to: x}\\n"
    ...     "  - {id: q, date: 2023-05-02, from: w, to: e}\\n", "c.yaml", "yaml")
    >>> [p.render("c.yaml") for p in reference_problems_of_valid_parts(doc.data, doc.locations)]
    ["c.yaml:7:44: proposals[0].to: unknown party 'x'; expected one of ['w']"]
    """
    kept: dict[str, tuple[Any, ...]] = {}
    places: dict[str, list[int]] = {}
    ill_formed: set[str] = set()  # ids (and stoppage ids) of items that are present but not valid
    broken: set[str] = set()  # lists that are not lists
    for group in GROUPS:
        raw = data.get(group, [])
        if raw is None:
            raw = []
        if not isinstance(raw, list):
            broken.add(group)
            raw = []
        adapter: TypeAdapter[Any] = TypeAdapter(typing.get_args(Case.model_fields[group].annotation)[0])
        items, indexes = [], []
        for index, item in enumerate(raw):
            try:
                items.append(adapter.validate_python(item))
                indexes.append(index)
            except ValidationError:
                if isinstance(item, dict):
                    ill_formed.update(
                        v for k, v in item.items() if k in ("id", "stoppage") and isinstance(v, str)
                    )
                else:
                    broken.add(group)  # an item that is not even a mapping: its id is unknown
        kept[group], places[group] = tuple(items), indexes
    fields: dict[str, Any] = {"id": "case", "title": "case", **kept}
    case = Case.model_construct(**fields)  # not validated: its references are checked below
    problems = []
    for problem in [*reference_problems(case), *estimate_problems(case)]:
        if _follows_from(problem, ill_formed, broken):
            continue
        path = problem.path
        if len(path) >= 2 and path[0] in places and isinstance(path[1], int):
            path = (path[0], places[str(path[0])][path[1]], *path[2:])
        problems.append(locations.problem(path, problem.message))
    return problems


def _follows_from(problem: Problem, ill_formed: set[str], broken: set[str]) -> bool:
    """Whether ``problem`` names an ill-formed item, or points into a list that could not be read."""
    named = set(re.findall(r"'([^']*)'", problem.message))
    if named & ill_formed:
        return True
    return any(word in problem.message for group in broken for word in _POINTS_INTO[group])
