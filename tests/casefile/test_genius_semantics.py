"""GENIUS read as GENIUS reads it: one hand-written fixture per rule (tests/casefile/fixtures/genius),
its values worked out by hand in exact arithmetic, and the rule's line in docs/reference/preferences.md."""

from fractions import Fraction as F
from pathlib import Path

import pytest

from accord.analysis.frontier import pareto_frontier_additive
from accord.casefile.errors import CaseFileError
from accord.casefile.genius import import_genius, import_genius_folder
from accord.prefs import utility_tables
from accord.prefs.exact import exact_tables
from accord.workflows.analysis import domain_frontier

FIXTURES = Path(__file__).parent / "fixtures" / "genius"
DOCS = Path(__file__).resolve().parents[2] / "docs" / "reference" / "preferences.md"


def _values(imported, party, issue):
    index = [m.party for m in imported.preferences.models].index(party)
    return list(imported.exact[index].values[issue])


def test_integer_issue_values_start_at_the_lower_bound():
    result = import_genius_folder(FIXTURES / "integer-bounds")
    units = result.case.issue("Units")
    assert units.levels == (3, 4, 5, 6, 7, 8)
    # offset/slope (GENIUS 8): clip(0.1 + 0.25 * (x - 3), 0, 1)
    assert _values(result, "genius8", "Units") == [F(1, 10), F(7, 20), F(3, 5), F(17, 20), 1, 1]
    # parameter0/parameter1 (GENIUS 7): clip(1.6 - 0.2 * x, 0, 1), no lower bound
    assert _values(result, "genius7", "Units") == [1, F(4, 5), F(3, 5), F(2, 5), F(1, 5), 0]
    # the float model agrees with the exact values
    model = result.preferences.model("genius8")
    floats = [model.values["Units"].value(units, "genius8", x) for x in units.levels]
    assert floats == pytest.approx([0.1, 0.35, 0.6, 0.85, 1, 1])


def test_real_issue_is_linear_in_the_value_itself():
    result = import_genius_folder(FIXTURES / "real-bounds", real_steps=5)
    price = result.case.issue("Price")
    assert price.levels == (10, 12, 14, 16, 18, 20)
    # clip(2.5 - 0.1 * x, 0, 1)
    assert _values(result, "buyer", "Price") == [1, 1, 1, F(9, 10), F(7, 10), F(1, 2)]
    assert _values(result, "seller", "Price") == [F(3, 10)] * 6  # constant


def test_discrete_evaluations_in_both_readings():
    given = import_genius_folder(FIXTURES / "discrete-readings")
    assert _values(given, "profile", "Small") == [F(1, 5), F(1, 2), F(4, 5)]
    assert _values(given, "profile", "Large") == [F(1, 5), F(4, 5), 1]  # rounded: 2, 8, 10
    assert _values(given, "profile", "Whole") == [F(1, 2), 1]
    assert any("rounded to whole numbers, as GENIUS 5-7 does" in n for n in given.notes)
    latest = import_genius_folder(FIXTURES / "discrete-readings", discrete="max")
    assert _values(latest, "profile", "Small") == [F(1, 4), F(5, 8), 1]
    assert _values(latest, "profile", "Large") == [F(6, 25), F(19, 25), 1]
    assert _values(latest, "profile", "Whole") == [F(1, 2), 1]
    assert latest.preferences.models[0].values["Small"].scores == {"a": 0.25, "b": 0.625, "c": 1.0}


def test_an_evaluation_above_1_that_rounds_to_1_is_refused_in_the_given_reading(tmp_path):
    folder = tmp_path / "d"
    folder.mkdir()
    for name in ("domain.xml", "profile.xml"):
        text = (FIXTURES / "discrete-readings" / name).read_text()
        (folder / name).write_text(text.replace('evaluation="0.8"', 'evaluation="1.2"'))
    with pytest.raises(CaseFileError, match=r"above 1 but rounds to 1.*'max' reading"):
        import_genius_folder(folder)
    assert _values(import_genius_folder(folder, discrete="max"), "profile", "Small") == [F(1, 6), F(5, 12), 1]


def test_the_objective_weight_is_ignored():
    result = import_genius_folder(FIXTURES / "objective-weight")
    assert result.exact[0].weights == {"Price": F(7, 10), "Delivery": F(3, 10)}
    assert result.preferences.models[0].weights == {"Price": 0.7, "Delivery": 0.3}
    assert any("<weight index='0'> matches no issue" in n and ":5:" in n for n in result.notes)


def test_agents_only_label_the_profiles_they_name():
    result = import_genius_folder(FIXTURES / "agents")
    assert [(p.id, p.name) for p in result.case.parties] == [("Buyer", "Buyer"), ("seller", "seller")]
    assert any("agent 'Ghost' names 'ghost.xml', which is not in the folder" in n for n in result.notes)


def test_issues_directly_under_the_utility_space():
    result = import_genius_folder(FIXTURES / "flat-issues")
    assert [i.id for i in result.case.issues] == ["Price", "Units"]
    assert result.case.title == "domain"  # no objective to name it
    assert _values(result, "profile", "Price") == [1, F(1, 4)]
    assert _values(result, "profile", "Units") == [0, F(1, 2), 1]  # 0.5 * (x - 1)
    assert result.exact[0].reservation == F(1, 10)


def test_reservation_values_outside_0_and_1_are_used_as_written():
    result = import_genius_folder(FIXTURES / "reservation-outside")
    assert [p.reservation for p in result.exact] == [F(-1, 2), 0]
    assert [m.reservation for m in result.preferences.models] == [0.0, 0.0]  # the model is clipped
    assert any("reservation value -0.5 is outside [0, 1]" in n for n in result.notes)
    frontier = domain_frontier(result)
    assert frontier.disagreement == (-0.5, 0.0)
    nash = next(s for s in frontier.solutions if s.concept == "nash")
    # (a + 1/2) * b: 1/2, 5/9, 7/18, 0 over shares 0..3; with d = (0, 0) shares 1 and 2 would tie
    assert nash.package == {"Share": "1"} and len(nash.points) == 1
    assert nash.value == pytest.approx(5 / 9)


def test_a_reservation_value_above_1_leaves_nothing_individually_rational(tmp_path):
    folder = tmp_path / "r"
    folder.mkdir()
    for path in (FIXTURES / "reservation-outside").glob("*.xml"):
        (folder / path.name).write_text(path.read_text().replace('value="-0.5"', 'value="1.5"'))
    frontier = domain_frontier(import_genius_folder(folder))
    assert frontier.disagreement == (1.5, 0.0) and frontier.size == 4
    assert all(not s.points and s.package is None for s in frontier.solutions)


def test_float_ties_keep_a_dominated_point_that_the_exact_frontier_drops():
    result = import_genius_folder(FIXTURES / "ties")
    issues, models = result.case.issues, result.preferences.models
    floats = pareto_frontier_additive(utility_tables(issues, models))
    exact = pareto_frontier_additive(exact_tables(issues, models, result.exact))
    assert floats.size == 4  # what rounding does
    assert exact.exact_points() == [(1, F(11, 15)), (F(74, 93), F(13, 15)), (F(19, 62), 1)]
    # the two 13/15 come out as one float, the nearest to 13/15
    assert exact.points[1, 1] == 13 / 15
    assert domain_frontier(result).size == 3


def test_every_rule_has_its_line_in_the_preferences_reference():
    page = " ".join(DOCS.read_text().split())
    for rule in (
        "clip(offset + slope * (x - lowerbound), 0, 1)",
        "clip(parameter0 + parameter1 * x, 0, 1)",
        "GENIUS 5 to 7",
        "GENIUS 8 and later",
        "--discrete max",
        "objective's own weight",
        "`<agent>`",
        "directly under `<utility_space>`",
        "outside `[0, 1]`",
        "--parties",
        "exact",
    ):
        assert rule in page, rule


def test_labels_and_profiles_must_match(tmp_path):
    domain = FIXTURES / "ties" / "domain.xml"
    with pytest.raises(ValueError, match="1 labels for 2 profiles"):
        import_genius(domain, [FIXTURES / "ties" / "a.xml", FIXTURES / "ties" / "b.xml"], ["a"])
    with pytest.raises(ValueError, match="unknown reading of discrete evaluations 'newest'"):
        import_genius(domain, [FIXTURES / "ties" / "a.xml"], discrete="newest")
