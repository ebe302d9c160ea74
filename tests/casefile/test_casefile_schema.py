"""The published JSON Schema: generated from the model, checked in, and true to real files."""

from __future__ import annotations

import functools
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given, settings

from accord.casefile import bundled_case_names, case_data, case_json_schema, case_json_schema_text
from accord.casefile.bundled import bundled_cases_folder
from accord.casefile.tree import parse
from accord.model import Case
from strategies import cases

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "src" / "accord" / "data" / "schema" / "case.schema.json"
FIXTURES = Path(__file__).parent / "fixtures"


@functools.cache
def _validator() -> jsonschema.protocols.Validator:
    schema = case_json_schema()
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def _file_data(path: Path) -> object:
    return parse(path.read_text(encoding="utf-8"), str(path), "yaml").data


def test_checked_in_schema_is_the_generated_one():
    assert SCHEMA_FILE.read_text(encoding="utf-8") == case_json_schema_text(), (
        "src/accord/data/schema/case.schema.json is out of date; regenerate it with "
        "`accord schema > src/accord/data/schema/case.schema.json`"
    )


def test_schema_is_draft_2020_12_with_id_and_title():
    schema = case_json_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == "urn:accord:schema:case-file:1"
    assert schema["title"] == "Accord case file"
    assert set(schema["properties"]) == {info.alias or name for name, info in Case.model_fields.items()}


def test_fixture_and_bundled_case_files_are_valid_against_the_schema():
    validator = _validator()
    files = [FIXTURES / "small.yaml"]
    files += [Path(str(bundled_cases_folder().joinpath(f"{name}.yaml"))) for name in bundled_case_names()]
    for path in files:
        errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(_file_data(path))]
        assert errors == [], path


def test_position_shorthand_is_valid_for_the_schema_as_for_the_model():
    data = _file_data(FIXTURES / "small.yaml")
    assert data["proposals"][1]["positions"]["minimums"] == 4  # a bare value, not {value: 4}
    _validator().validate(data)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda d: d["parties"][0].update(nickname="W"), ["parties", 0]),
        (lambda d: d["events"][0].update(kind="strike"), ["events", 0]),
        (lambda d: d["proposals"][0].update(date=20230320), ["proposals", 0, "date"]),
        (lambda d: d.pop("title"), []),
    ],
)
def test_schema_rejects_what_the_model_rejects(change, field):
    data = _file_data(FIXTURES / "small.yaml")
    change(data)
    errors = list(_validator().iter_errors(data))
    assert errors
    assert any(list(e.absolute_path)[: len(field)] == field for e in errors)


@settings(max_examples=20, deadline=None)
@given(cases())
def test_every_written_case_is_valid_against_the_schema(case: Case):
    _validator().validate(case_data(case))
