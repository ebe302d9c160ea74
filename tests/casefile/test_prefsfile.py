import textwrap

import pytest

from accord.casefile.errors import CaseFileError
from accord.casefile.prefsfile import dump_preferences, loads_preferences, read_preferences, write_preferences
from accord.model import Case, PreferenceSet

GOOD = textwrap.dedent(
    """\
    case: demo
    description: |
      Two lines
      of notes.
    models:
      - party: wga
        label: Writers Guild
        assumption: true
        rationale: Illustrative.
        weights: {pay: 3, staffing: 2, ai: 1}
        values:
          pay: {kind: piecewise, points: [[0, 0], [4, 0.7], [6, 1]]}
          staffing: {kind: options, scores: {none: 0, "no": 0.1, some: 0.5, full: 1}}
          ai: {kind: provisions, values: {ban: 2, disclose: 1}}
        reservation: 0.3
        daily_cost: 0.001
        visibility: shared
        shared_with: [fmcs]
      - party: amptp
        label: Studios
        weights: {pay: 1}
        values:
          pay: {kind: steps, below: 1, steps: [[4, 0.6], [5, 0.2]]}
    costing:
      term_years: 3
      items:
        - {kind: raises, issue: pay, base: 1.0e9, profile: [1, 0.8, 0.7]}
        - {kind: per_provision, issue: ai, costs: {ban: 1000000}}
      shares: {amptp: 1}
    """
)


def _case():
    return Case(
        id="demo",
        title="Demo",
        parties=[
            {"id": "wga", "name": "WGA", "kind": "union"},
            {"id": "amptp", "name": "AMPTP", "kind": "coalition"},
            {"id": "fmcs", "name": "FMCS", "kind": "mediator"},
        ],
        issues=[
            {"type": "numeric", "id": "pay", "name": "Pay", "unit": "%", "low": 0, "high": 6, "step": 0.5},
            {
                "type": "ordinal",
                "id": "staffing",
                "name": "Staffing",
                "options": ["none", "no", "some", "full"],
            },
            {
                "type": "provisions",
                "id": "ai",
                "name": "AI",
                "provisions": [{"id": "ban", "name": "Ban"}, {"id": "disclose", "name": "Disclose"}],
            },
        ],
    )


def test_a_good_file_loads_and_checks_against_its_case():
    prefs = loads_preferences(GOOD, "good.yaml", _case())
    wga = prefs.model("wga")
    assert wga.values["staffing"].scores["no"] == 0.1  # "no" is text, not false
    assert wga.shared_with == ("fmcs",)
    assert prefs.costing is not None and prefs.costing.items[0].base == 1e9
    assert prefs.description == "Two lines\nof notes.\n"


def test_dump_and_load_round_trip(tmp_path):
    prefs = loads_preferences(GOOD)
    path = tmp_path / "p.prefs.yaml"
    write_preferences(prefs, path)
    again = read_preferences(path, _case())
    assert again == prefs
    assert "description: |" in dump_preferences(prefs)
    assert [p.name for p in tmp_path.iterdir()] == ["p.prefs.yaml"]  # no temporary left behind


def _problems(text, case=None):
    with pytest.raises(CaseFileError) as info:
        loads_preferences(text, "p.yaml", case)
    return [p.render("p.yaml") for p in info.value.problems]


def test_schema_problems_name_line_column_and_field():
    text = GOOD.replace("kind: steps", "kind: stairs").replace("reservation: 0.3", "reservation: 1.3")
    text = text.replace("label: Studios", "lable: Studios")
    assert _problems(text) == [
        "p.yaml:15:18: models[0].reservation: expected a number at most 1.0, got 1.3",
        "p.yaml:19:5: models[1].label: missing required field 'label'",
        "p.yaml:20:5: models[1].lable: unknown field 'lable'; expected one of: party, label, assumption, "
        "rationale, sources, weights, values, reservation, daily_cost, discount, visibility, shared_with",
        "p.yaml:23:7: models[1].values.pay: unknown kind 'stairs'; expected one of: linear, piecewise, steps, "
        "options, provisions",
    ]


def test_model_level_problems_are_placed_at_the_model():
    text = GOOD.replace("weights: {pay: 1}", "weights: {pay: 0}")
    assert _problems(text) == [
        "p.yaml:19:5: models[1]: at least one issue weight must be above 0 (all weights are 0)"
    ]


def test_reference_problems_against_the_case_name_their_lines():
    text = GOOD.replace("shared_with: [fmcs]", "shared_with: [nlrb]").replace("some: 0.5", "lots: 0.5")
    assert _problems(text, _case()) == [  # in file order; a mapping is placed at its key
        "p.yaml:13:33: models[0].values.staffing.scores: no score for option(s) ['some'] of 'staffing'",
        "p.yaml:13:68: models[0].values.staffing.scores.lots: unknown option 'lots' of 'staffing'; "
        "expected one of ['none', 'no', 'some', 'full']",
        "p.yaml:18:19: models[0].shared_with[0]: unknown party 'nlrb'; expected one of ['amptp', 'fmcs', 'wga']",
    ]


def test_syntax_errors_and_duplicate_keys():
    assert _problems("case: x\nmodels: [\n")[0].startswith("p.yaml:3:1: YAML syntax error")
    dup = GOOD.replace("    reservation: 0.3\n", "    reservation: 0.3\n    reservation: 0.4\n")
    assert _problems(dup) == [
        "p.yaml:16:5: models[0].reservation: duplicate key 'reservation' (first at line 15); "
        "a key may appear only once in a mapping"
    ]
    assert _problems("") == ["p.yaml:1:1: the file is empty; expected a preference set"]
    assert _problems("- a\n- b\n") == [
        "p.yaml:1:1: expected a mapping of preference fields (case, models, ...) at the top, got a list"
    ]


def test_unreadable_files(tmp_path):
    with pytest.raises(CaseFileError, match="No such file"):
        read_preferences(tmp_path / "missing.yaml")
    bad = tmp_path / "latin1.yaml"
    bad.write_bytes("case: caf\xe9\n".encode("latin-1"))
    with pytest.raises(CaseFileError, match="not UTF-8"):
        read_preferences(bad)


def test_a_failed_write_leaves_the_old_file(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("old")
    prefs = loads_preferences(GOOD)
    with pytest.raises(IsADirectoryError):
        write_preferences(prefs, tmp_path)  # a directory cannot be replaced by a file
    assert path.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.yaml"]


def test_a_write_keeps_the_permissions_of_the_file_it_replaces(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("old")
    path.chmod(0o640)
    write_preferences(loads_preferences(GOOD), path)
    assert path.stat().st_mode & 0o777 == 0o640
    assert loads_preferences(path.read_text()) == loads_preferences(GOOD)


def test_yaml_1_2_scalars_option_names_stay_text():
    # Read like case files (YAML 1.2 core schema): "yes", "off" and "y" are option names, not booleans.
    text = GOOD.replace('"no": 0.1', "no: 0.1").replace("none: 0,", "off: 0, yes: 0.2, y: 0.3,")
    scores = loads_preferences(text).model("wga").values["staffing"].scores
    assert scores == {"off": 0, "yes": 0.2, "y": 0.3, "no": 0.1, "some": 0.5, "full": 1}


def test_round_trip_preserves_every_field():
    prefs = loads_preferences(GOOD)
    assert PreferenceSet.model_validate(loads_preferences(dump_preferences(prefs)).model_dump()) == prefs
