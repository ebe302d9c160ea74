"""The analysis and proposal pages, built from real analyses of the bundled SAG-AFTRA case (small
enough to analyse in a blink) and of a two-issue case with a dominated proposal."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from accord.analysis.case_analysis import analyze_case
from accord.casefile import bundled_case
from accord.ledger import sides
from accord.model import Case, PreferenceModel, PreferenceSet
from accord.services import SeenAnalysis
from accord.services.demo import demo_preferences
from accord.web.pages.analysis import analysis_page, coalition_view
from accord.web.pages.proposal import proposal_page
from accord.web.pages.valuation import valuations

SAG = bundled_case("sag-aftra-amptp-2023")
AS_OF = dt.date(2023, 11, 9)


def _seen(case: Case, models: list[PreferenceModel], as_of: dt.date = AS_OF) -> SeenAnalysis:
    a, b = sides(case)
    result, note = None, "one side only"
    if {a, b} <= {m.party for m in models}:
        result, note = analyze_case(case, PreferenceSet(case=case.id, models=models), as_of, a, b), None
    return SeenAnalysis(case, as_of, (a, b), tuple(models), (), result, note)


def _models(case: Case) -> list[PreferenceModel]:
    prefs = demo_preferences(case)
    assert prefs is not None
    return list(prefs.models)


@pytest.fixture(scope="module")
def sag_page():
    seen = _seen(SAG, _models(SAG))
    return seen, analysis_page(seen, lambda p: f"/p/{p}")


def _trace(spec: dict, name: str) -> dict:
    return next(t for t in spec["data"] if t["name"] == name)


def test_the_scatter_draws_the_exact_frontier_and_nothing_on_it_is_dominated(sag_page) -> None:
    seen, page = sag_page
    frontier = _trace(page.scatter, "Pareto frontier")
    points = np.column_stack([frontier["x"], frontier["y"]])
    assert sorted(map(tuple, points)) == sorted(seen.result.frontier.points)
    for point in points:
        assert not np.any(np.all(points >= point, axis=1) & np.any(points > point, axis=1))
    d = np.array(seen.result.disagreement)
    inside = _trace(page.scatter, "frontier inside the ZOPA")
    assert inside["x"] and all(x >= d[0] for x in inside["x"]) and all(y >= d[1] for y in inside["y"])
    zopa = page.scatter["layout"]["shapes"][0]
    assert (zopa["x0"], zopa["y0"]) == tuple(seen.result.disagreement)


def test_the_solutions_lie_on_the_frontier_and_the_nash_point_is_drawn(sag_page) -> None:
    seen, page = sag_page
    frontier = set(seen.result.frontier.points)
    nash = _trace(page.scatter, "Nash solution")
    table_nash = next(s for s in seen.result.solutions if s.reading == "table" and s.concept == "nash")
    assert list(zip(nash["x"], nash["y"], strict=True)) == list(
        table_nash.points
    )  # the advice: from the table
    assert all(tuple(p) in frontier for _, s, _ in page.solutions for p in s.points)
    names = ["Nash", "Kalai–Smorodinsky", "egalitarian", "utilitarian", "Kalai (GeniusWeb)"]
    assert [(name, s.reading) for name, s, _ in page.solutions] == [
        (n, reading) for reading in ("batna", "table") for n in names
    ]
    assert all(text for _, s, text in page.solutions if s.points)  # each names a package reaching it


def test_the_proposals_are_a_path_in_time_order_linking_to_their_pages(sag_page) -> None:
    seen, page = sag_page
    path = _trace(page.scatter, "proposals over time")
    filled = seen.result.proposals
    assert [p.date for p in filled] == sorted(p.date for p in filled)
    assert list(zip(path["x"], path["y"], strict=True)) == [p.efficiency.utilities for p in filled]
    links = [url for t in page.scatter["data"] if t["name"].endswith(" proposals") for url in t["customdata"]]
    assert sorted(links) == sorted(f"/p/{p.proposal_id}" for p in filled)


def test_the_utilities_in_the_table_are_the_ones_on_the_scatter(sag_page) -> None:
    seen, page = sag_page
    a, b = seen.sides
    for valued in page.valued:
        assert (valued.utilities[a], valued.utilities[b]) == pytest.approx(
            page.efficiency[valued.proposal.id].efficiency.utilities
        )


def test_with_one_side_there_is_no_scatter_but_each_visible_side_over_time() -> None:
    models = [m for m in _models(SAG) if m.party != "sag-aftra"]
    page = analysis_page(_seen(SAG, models), lambda p: p)
    assert page.scatter is None and page.result is None and page.note == "one side only"
    assert page.over_time is not None
    proposers = {v.proposal.from_party for v in page.valued}
    # the side's utility over time; its members' are in the table and the coalition view
    assert [t["name"].split(":")[0] for t in page.over_time["data"]] == ["to AMPTP"] * len(proposers)
    assert all(0.0 <= u <= 1.0 for v in page.valued for u in v.utilities.values())


def test_the_coalition_view_follows_the_rule_when_every_member_is_visible(sag_page) -> None:
    seen, page = sag_page
    (view,) = page.coalitions
    assert view.visible == view.members == list(SAG.party("amptp").members)
    for valued, accepts, verdict in view.rows:
        expected = [valued.utilities[m] >= page.disagreements[m] for m in view.visible]
        assert accepts == expected and verdict == all(expected)  # the AMPTP decides unanimously
    assert seen.result.coalition is not None and seen.result.coalition.members == tuple(view.members)


# --- a small case with a dominated proposal ---------------------------------------------------

TRADE = Case.model_validate(
    {
        "id": "trade",
        "title": "Two issues, each side cares more about one",
        "parties": [
            {"id": "u", "name": "Union", "kind": "union"},
            {
                "id": "co",
                "name": "Coalition",
                "kind": "coalition",
                "members": ["a", "b"],
                "decision_rule": {"kind": "unanimity"},
            },
            {"id": "a", "name": "A", "kind": "employer"},
            {"id": "b", "name": "B", "kind": "employer"},
        ],
        "issues": [
            {"id": "pay", "name": "Pay", "type": "numeric", "unit": "%", "low": 0, "high": 4},
            {"id": "days", "name": "Days", "type": "numeric", "unit": "d", "low": 0, "high": 4},
        ],
        "proposals": [
            {"id": "p1", "date": "2023-01-01", "from": "u", "to": "co", "positions": {"pay": 4, "days": 0}},
            {"id": "p2", "date": "2023-01-02", "from": "co", "to": "u", "positions": {"pay": 2, "days": 2}},
        ],
    }
)


def _model(party: str, pay: float, days: float, direction: str, reservation: float = 0.0) -> PreferenceModel:
    value = {"kind": "linear", "direction": direction}
    return PreferenceModel(
        party=party,
        label=party,
        weights={"pay": pay, "days": days},
        values={"pay": value, "days": value},
        reservation=reservation,
    )


TRADE_MODELS = [
    _model("u", 3, 1, "higher"),
    _model("co", 1, 3, "lower"),
    _model("a", 1, 1, "lower", 0.5),
    _model("b", 1, 3, "lower", 0.1),
]


def test_a_dominated_proposal_shows_how_far_it_is_and_what_would_improve_it() -> None:
    seen = _seen(TRADE, TRADE_MODELS, dt.date(2023, 2, 1))
    page = proposal_page(TRADE, "p2", seen)
    assert page.efficiency is not None
    e = page.efficiency.efficiency
    assert e.is_dominated and e.distance > 0 and e.equal_gain > 0
    assert e.suggestions
    for s in e.suggestions:  # each leaves both sides at least as well off, one better
        assert all(g >= 0 for g in s.gains) and any(g > 0 for g in s.gains)
    assert (page.valuation.utilities["u"], page.valuation.utilities["co"]) == pytest.approx(e.utilities)
    assert page.value_text("pay", 3.0) == "3 %"


def test_a_proposal_page_without_both_sides_says_why_there_is_no_efficiency() -> None:
    seen = _seen(TRADE, TRADE_MODELS[:1], dt.date(2023, 2, 1))
    page = proposal_page(TRADE, "p2", seen)
    assert page.efficiency is None and page.efficiency_note == "one side only"
    assert page.valuation is not None and set(page.valuation.utilities) == {"u"}
    assert proposal_page(TRADE, "p2").valuation is None  # no preferences: nothing to value


def test_a_member_accepts_what_is_worth_its_disagreement_value_and_the_rule_decides() -> None:
    models = {m.party: m for m in TRADE_MODELS}
    valued = valuations(TRADE, dt.date(2023, 2, 1), TRADE_MODELS)
    floors = {"a": 0.5, "b": 0.1}
    view = coalition_view(TRADE.party("co"), models, valued, floors)
    # p1 (pay 4, days 0): worth 0.5 to a, 0.75 to b; p2 (pay 2, days 2): 0.5 to both
    assert [(accepts, verdict) for _, accepts, verdict in view.rows] == [([True, True], True)] * 2
    view = coalition_view(TRADE.party("co"), models, valued, {"a": 0.6, "b": 0.1})
    assert [(accepts, verdict) for _, accepts, verdict in view.rows] == [([False, True], False)] * 2
    partial = coalition_view(TRADE.party("co"), {"b": models["b"]}, valued, floors)
    assert partial.visible == ["b"] and all(verdict is None for _, _, verdict in partial.rows)
