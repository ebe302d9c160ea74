"""analyze_case on the bundled WGA case as of 2023-09-08, checked through independent paths
(accord.prefs.utility on the filled packages, the ledger's strike counters, enumeration of the
frontier condition)."""

import datetime as dt
import json
from importlib import resources

import numpy as np
import pytest

from accord.analysis.case_analysis import analyze_case
from accord.analysis.moves import MoveLabel
from accord.casefile import bundled_case
from accord.casefile.prefsfile import loads_preferences
from accord.ledger import stoppages, to_jsonable
from accord.model import Case, PreferenceSet
from accord.prefs import disagreement_value, utility

AS_OF = dt.date(2023, 9, 8)


@pytest.fixture(scope="module")
def wga():
    case = bundled_case("wga-amptp-2023")
    text = resources.files("accord").joinpath("data", "cases", "wga-amptp-2023.prefs.yaml").read_text("utf-8")
    prefs = loads_preferences(text, "wga-amptp-2023.prefs.yaml", case)
    return case, prefs, analyze_case(case, prefs, AS_OF)


def test_the_disagreement_point_follows_the_strike_days(wga):
    case, prefs, result = wga
    strike = next(s for s in stoppages(case, AS_OF) if s.by == "wga")
    assert result.stoppage_days == strike.days_completed == 129
    assert result.disagreement == (
        disagreement_value(prefs.model("wga"), 129),
        disagreement_value(prefs.model("amptp"), 129),
    )


def test_aug_11_and_aug_15_are_there_with_utilities_from_the_models(wga):
    case, prefs, result = wga
    by_id = {p.proposal_id: p for p in result.proposals}
    assert {"amptp-2023-08-11", "wga-2023-08-15"} <= set(by_id)
    for pid in ("amptp-2023-08-11", "wga-2023-08-15"):
        p = by_id[pid]
        package = {f.issue: f.value for f in p.fills}
        expected = (
            utility(prefs.model("wga"), case.issues, package),
            utility(prefs.model("amptp"), case.issues, package),
        )
        assert p.efficiency.utilities == pytest.approx(expected, abs=1e-12)
    # the Aug 15 counter states only staffing: the rest is the WGA's May 1 package
    aug15 = by_id["wga-2023-08-15"]
    assert [f.issue for f in aug15.fills if f.basis.value == "stated"] == ["staffing"]
    assert {f.from_proposal for f in aug15.fills if f.basis.value == "carried"} == {"wga-2023-05-01"}


def test_a_dominated_proposal_comes_with_packages_that_beat_it_for_both(wga):
    case, prefs, result = wga
    for p in result.proposals:
        e = p.efficiency
        if not e.is_dominated:
            assert e.suggestions == () and e.pss is None
            continue
        base = {f.issue: f.value for f in p.fills}
        for s in [*e.suggestions, e.pss]:
            better = {**base, **s.changes}
            for j, side in enumerate(("wga", "amptp")):
                assert utility(prefs.model(side), case.issues, better) >= e.utilities[j] - 1e-12
            assert max(s.gains) > 0
        assert min(e.pss.gains) == pytest.approx(e.equal_gain)


def test_solutions_lie_on_the_frontier_above_the_disagreement_point(wga):
    _, _, result = wga
    points = np.array(result.frontier.points)
    assert result.frontier.size == len(points) > 0
    for s in result.solutions:
        assert s.package is not None
        u = np.array(s.points[0])
        assert np.all(u >= np.array(result.disagreement))
        assert not np.any(np.all(points >= u, axis=1) & np.any(points > u, axis=1))


def test_moves_and_the_coalition_view(wga):
    case, prefs, result = wga
    aug15 = next(m for m in result.moves if m.to_proposal == "wga-2023-08-15")
    # Aug 15 cut the development-room ask, which no issue measures: no value moved (docs/cases.md)
    assert aug15.label is MoveLabel.SILENT
    c = result.coalition
    assert c is not None and c.members == case.party("amptp").members and c.rule == "unanimity"
    best = c.best_for_union
    assert best is not None and c.best_is_exact
    for member in c.members:  # every member accepts the package best for the WGA
        d = disagreement_value(prefs.model(member), 129)
        assert utility(prefs.model(member), case.issues, best.package) >= d - 1e-12
    assert c.worst_off and set(c.worst_off) == set(c.members)
    surpluses = [next(v.offer_surplus for v in c.member_views if v.member == m) for m in c.worst_off]
    assert surpluses == sorted(surpluses)


def test_the_result_is_json_data(wga):
    _, _, result = wga
    data = json.loads(json.dumps(to_jsonable(result)))
    assert data["as_of"] == "2023-09-08" and data["side_a"] == "wga" and data["assumptions"] is True
    assert data["zopa"]["n_outcomes"] == data["n_outcomes"] == 201 * 13 * 21 * 16 * 128 * 4 * 16


def test_missing_models_and_sides_are_reported():
    case = Case(
        id="c",
        title="t",
        parties=[{"id": "u", "name": "U", "kind": "union"}, {"id": "e", "name": "E", "kind": "employer"}],
        issues=[{"id": "pay", "name": "Pay", "type": "numeric", "unit": "%", "low": 0, "high": 4}],
    )
    prefs = PreferenceSet(
        case="c",
        models=[
            {
                "party": "u",
                "label": "U",
                "weights": {"pay": 1},
                "values": {"pay": {"kind": "linear", "direction": "higher"}},
            }
        ],
    )
    with pytest.raises(ValueError, match="no preference model for \\['e'\\]"):
        analyze_case(case, prefs, AS_OF)
    with pytest.raises(ValueError, match="unknown party"):
        analyze_case(case, prefs, AS_OF, side_a="nobody")
