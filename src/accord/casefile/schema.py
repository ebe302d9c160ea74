"""The published JSON Schema of case files, generated from the model.

The checked-in copy (``accord/data/schema/case.schema.json``) is what editors and other tools
use; a test fails when it differs from :func:`case_json_schema`. Regenerate it with
``accord schema > src/accord/data/schema/case.schema.json``.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from accord.model import Case

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_ID = "urn:accord:schema:case-file:1"
SCHEMA_TITLE = "Accord case file"

_POSITION_REF = {"$ref": "#/$defs/Position"}


def case_json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a case file, in file shape (``from``/``to`` aliases).

    A position may be written in full (``{value: 5, text: ...}``) or as its bare value
    (``staffing: 5``); the model accepts both, and so does the schema.

    Examples
    --------
    >>> schema = case_json_schema()
    >>> schema["title"], sorted(schema["required"])
    ('Accord case file', ['id', 'parties', 'title'])
    """
    generated = Case.model_json_schema(by_alias=True, mode="validation")
    definitions = generated.get("$defs", {})
    value = copy.deepcopy(definitions["Position"]["properties"]["value"])
    for key in ("default", "title"):
        value.pop(key, None)
    value["description"] = "A position's value: a number, an option name, or a list of provision ids."
    definitions["PositionValue"] = value
    shorthand = {"anyOf": [_POSITION_REF, {"$ref": "#/$defs/PositionValue"}]}
    _replace(generated, _POSITION_REF, shorthand)
    definitions["Position"]["properties"]["value"] = {"$ref": "#/$defs/PositionValue", "default": None}
    description = generated.pop("description", "")
    return {
        "$schema": SCHEMA_DIALECT,
        "$id": SCHEMA_ID,
        "title": SCHEMA_TITLE,
        "description": description,
        **{key: item for key, item in generated.items() if key != "title"},
    }


def _replace(node: Any, old: dict[str, Any], new: dict[str, Any]) -> None:
    """Replace every ``old`` sub-schema under ``patternProperties``/``additionalProperties``."""
    if isinstance(node, dict):
        for key in ("patternProperties",):
            for name, item in node.get(key, {}).items():
                if item == old:
                    node[key][name] = copy.deepcopy(new)
        if node.get("additionalProperties") == old:
            node["additionalProperties"] = copy.deepcopy(new)
        for item in node.values():
            _replace(item, old, new)
    elif isinstance(node, list):
        for item in node:
            _replace(item, old, new)


def case_json_schema_text() -> str:
    """:func:`case_json_schema` as the text of ``case.schema.json`` (what ``accord schema`` prints)."""
    return json.dumps(case_json_schema(), indent=2, ensure_ascii=False) + "\n"
