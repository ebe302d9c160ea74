"""Reading and writing case files: round trips, the YAML 1.2 reading, atomic writes."""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from accord.casefile import CaseFileError, case_data, dump_case, format_of, loads_case, read_case, write_case
from accord.model import Case
from accord.model.limits import text_problem
from strategies import cases

FIXTURES = Path(__file__).parent / "fixtures"
SMALL = FIXTURES / "small.yaml"

ROUND_TRIP = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@ROUND_TRIP
@given(cases())
def test_yaml_round_trip_gives_an_equal_case(case: Case):
    text = dump_case(case, "yaml")
    assert loads_case(text, fmt="yaml") == case
    assert dump_case(loads_case(text)) == text  # and the text is stable


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_json_round_trip_gives_an_equal_case(case: Case):
    assert loads_case(dump_case(case, "json"), fmt="json") == case


@settings(max_examples=10, deadline=None)
@given(cases())
def test_write_then_read_gives_an_equal_case(case: Case):
    with tempfile.TemporaryDirectory() as folder:
        for name in ("case.yaml", "case.yml", "case.json"):
            write_case(case, Path(folder) / name)
            assert read_case(Path(folder) / name) == case
        assert sorted(os.listdir(folder)) == ["case.json", "case.yaml", "case.yml"]  # no temporary files


def test_fixture_loads_and_survives_a_round_trip():
    case = read_case(SMALL)
    assert case.party("amptp").members == ("netflix", "disney")
    assert case.events[1].time == dt.time(0, 1)
    assert loads_case(dump_case(case)) == case


def test_written_yaml_is_block_style_in_field_order_with_unicode_and_iso_dates():
    text = dump_case(read_case(SMALL))
    assert text.startswith("id: small-2023\ntitle: A small writers' negotiation (test fixture)\n")
    assert "description: |\n  Trimmed from the 2023 WGA–AMPTP talks.\n" in text  # unicode kept, literal block
    assert "  - id: wga-opening\n    date: 2023-03-20\n" in text  # ISO date, plain
    assert (
        "  - id: strike-start\n    kind: stoppage_started\n    date: 2023-05-02\n    time: 00:01:00\n" in text
    )
    assert "  - id: minimums\n    type: numeric\n    name: " in text
    assert "{" not in text and "[" not in text.replace("[]", "")  # block style only
    assert "\n    no: 90\n" in text  # a key called "no" needs no quotes in YAML 1.2


def test_file_shape_is_the_models_dump_with_aliases_and_defaults_left_out():
    case = read_case(SMALL)
    data = case_data(case)
    proposal = data["proposals"][1]
    assert proposal["from"] == "amptp" and proposal["to"] == "wga"
    assert "status" not in proposal  # the default, "tabled"
    assert data["issues"][0]["type"] == "numeric"  # a default, but it says which kind of issue
    dumped = case.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    assert {k: v for k, v in data.items() if k not in ("issues", "events")} == {
        k: v for k, v in dumped.items() if k not in ("issues", "events")
    }


def test_yaml_is_read_by_the_core_schema_of_yaml_1_2():
    text = (
        "id: c\ntitle: T\n"
        "parties: [{id: w, name: W, kind: union}, {id: a, name: A, kind: employer}]\n"
        "issues:\n  - {id: yn, type: categorical, name: Yes or no, options: [yes, no, on, off]}\n"
        "proposals:\n  - {id: p, date: 2023-05-01, from: w, to: a, positions: {yn: no}}\n"
        "events:\n"
        "  - {id: s, kind: stoppage_started, date: 2023-05-02, time: 12:01, stoppage: s, by: w, against: a}\n"
        "  - {id: v, kind: vote, date: 2023-10-09, party: w, subject: ratification, yes: 0x10, no: 0o10,\n"
        "     passed: True, turnout: .5}\n"
    )
    case = loads_case(text)
    assert case.issue("yn").options == ("yes", "no", "on", "off")  # YAML 1.1 would read booleans
    assert case.proposals[0].positions["yn"].value == "no"
    assert case.events[0].time == dt.time(12, 1)  # YAML 1.1 would read 721 (base 60)
    vote = case.events[1]
    assert (vote.yes, vote.no, vote.passed, vote.turnout) == (16, 8, True, 0.5)


def test_text_that_would_read_as_another_type_is_quoted_on_writing():
    case = loads_case(
        "id: c\ntitle: 'true'\ndescription: '12'\n"
        "parties: [{id: '2023', name: 'null', kind: union}, {id: a, name: '1e3', kind: employer}]\n"
    )
    text = dump_case(case)
    assert "title: 'true'\n" in text and "description: '12'\n" in text
    assert "  - id: '2023'\n    name: 'null'\n" in text and "name: '1e3'" in text
    assert loads_case(text) == case


def test_line_separators_and_tabs_survive_a_round_trip():
    case = loads_case("id: c\ntitle: T\nparties: [{id: w, name: W, kind: union}]\n")
    for odd in (
        "a\u2028b",
        "a\r\nb",
        "a\rb",
        "\tx",
        " lead",
        "trail ",
        "a\n\nb\n",
        "# not a comment",
        "\ufeffx",
    ):
        changed = case.model_copy(update={"description": odd})
        assert loads_case(dump_case(changed)).description == odd
        assert loads_case(dump_case(changed, "json"), fmt="json").description == odd


@pytest.mark.parametrize("odd", ["a\x85b", "\x00", "\x1b[31m", "a\ud800", "\ufffe", "\U0010ffff"])
def test_control_characters_surrogates_and_noncharacters_are_refused_where_they_are(odd):
    in_yaml = odd.encode("unicode_escape").decode().replace("\\x", "\\u00")
    files = [
        (f'id: c\ntitle: T\nparties: [{{id: w, name: W, kind: union}}]\ndescription: "{in_yaml}"\n', "yaml"),
        (
            '{"id": "c", "title": "T", "parties": [{"id": "w", "name": "W", "kind": "union"}],\n'
            f' "description": {json.dumps(odd)}}}',
            "json",
        ),
    ]
    bad = next(c for c in odd if text_problem(c))
    for text, fmt in files:
        with pytest.raises(CaseFileError) as caught:
            loads_case(text, "c." + fmt, fmt)  # type: ignore[arg-type]
        problem = caught.value.problems[0]
        assert problem.line == (4 if fmt == "yaml" else 2)
        if "invalid Unicode character escape" in problem.message:  # libyaml refuses "\ud800" itself
            assert fmt == "yaml" and 0xD800 <= ord(bad) <= 0xDFFF
        else:
            assert problem.field == "description" and f"contains U+{ord(bad):04X}" in problem.message
        assert "\n" not in str(caught.value).strip()  # one printable line


def test_json_written_is_plain_indented_json():
    text = dump_case(read_case(SMALL), "json")
    assert text.startswith('{\n  "id": "small-2023",\n')
    assert "WGA–AMPTP" in text  # not escaped


def test_write_case_replaces_a_file_whole():
    case = read_case(SMALL)
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "case.yaml"
        target.write_text("old content\n")
        target.chmod(0o640)
        write_case(case, target)
        assert target.read_text() == dump_case(case)
        assert target.stat().st_mode & 0o777 == 0o640  # permissions kept
        assert os.listdir(folder) == ["case.yaml"]


def test_write_case_refuses_an_invalid_case_and_leaves_the_file_byte_identical():
    valid = read_case(SMALL)
    broken = Case.model_construct(**{**dict(valid), "proposals": (valid.proposals[1],)})  # answers a ghost
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "case.yaml"
        original = SMALL.read_bytes()
        target.write_bytes(original)
        with pytest.raises(CaseFileError) as info:
            write_case(broken, target)
        assert target.read_bytes() == original
        assert os.listdir(folder) == ["case.yaml"]
    messages = [p.message for p in info.value.problems]
    assert messages[0] == "the case is not valid; nothing was written"
    assert "answers proposal 'wga-opening', which does not exist" in messages
    assert info.value.problems[1].field == "proposals[0].answers[0]"


def test_write_case_to_a_missing_folder_is_a_case_file_error():
    with pytest.raises(CaseFileError, match="cannot write the file"):
        write_case(read_case(SMALL), Path(tempfile.gettempdir()) / "no-such-folder-for-accord" / "c.yaml")


def test_a_failed_read_loads_nothing_and_names_the_file():
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bad.yaml"
        path.write_text(SMALL.read_text().replace("to: wga\n    answers", "to: nobody\n    answers"))
        result = None
        with pytest.raises(CaseFileError) as info:
            result = read_case(path)
        assert result is None
        assert info.value.file == str(path)
        assert info.value.problems[0].field == "proposals[1].to"


@pytest.mark.parametrize(
    ("name", "expected"),
    [("c.yaml", "yaml"), ("c.YML", "yaml"), ("dir.v2/c.json", "json")],
)
def test_format_follows_the_suffix(name, expected):
    assert format_of(name) == expected


def test_unknown_suffix_missing_file_and_bad_encoding_are_case_file_errors():
    with pytest.raises(
        CaseFileError, match=r"unsupported file type '\.toml'; expected \.yaml, \.yml or \.json"
    ):
        read_case("case.toml")
    with pytest.raises(CaseFileError, match="cannot read the file: No such file or directory"):
        read_case(FIXTURES / "missing.yaml")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "latin1.yaml"
        path.write_bytes("id: c\ntitle: Caf\xe9\n".encode("latin-1"))
        with pytest.raises(CaseFileError) as info:
            read_case(path)
    problem = info.value.problems[0]
    assert (problem.line, problem.column) == (2, 11)
    assert problem.message == "byte 0xe9 is not UTF-8; expected a UTF-8 text file"


def test_a_byte_order_mark_and_windows_line_endings_are_accepted():
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "c.yaml"
        path.write_bytes(b"\xef\xbb\xbfid: c\r\ntitle: T\r\nparties: [{id: w, name: W, kind: union}]\r\n")
        assert read_case(path).title == "T"


def test_the_example_in_the_case_file_reference_is_a_valid_case():
    reference = Path(__file__).resolve().parents[2] / "docs" / "reference" / "case-files.md"
    text = reference.read_text(encoding="utf-8")
    example = text.split("```yaml\n", 1)[1].split("```", 1)[0]
    case = loads_case(example, str(reference))
    assert [p.id for p in case.parties] == ["wga", "amptp", "netflix", "disney"]
    assert [i.type for i in case.issues] == ["numeric", "ordinal", "categorical", "provisions"]
    assert case.proposals[0].positions["ai"].value == frozenset({"not-literary-material", "no-training"})
    assert case.events[0].time == dt.time(0, 1)
    assert loads_case(dump_case(case)) == case
