"""What the pages show, computed from model values: counters, gaps, step charts, utilities,
the coalition view, and the parsing of the record forms."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.casefile import bundled_case
from accord.model import Case, PreferenceModel
from accord.services import Invalid
from accord.services.demo import demo_preferences
from accord.web.forms import FormData, input_name, parse_agreement, parse_event, parse_proposal
from accord.web.pages.analysis import analysis_page, coalition_view
from accord.web.pages.overview import overview
from accord.web.pages.timeline import timeline_page
from accord.web.pages.valuation import valuations

WGA_CASE = bundled_case("wga-amptp-2023")
SEP_8 = dt.date(2023, 9, 8)


def test_the_overview_counts_both_strikes_side_by_side() -> None:
    page = overview(WGA_CASE, SEP_8)
    counts = {c.count.stoppage: (c.count.day_number, c.count.days_completed) for c in page.counters}
    assert counts == {"wga-strike-2023": (130, 129), "sag-aftra-strike-2023": (57, 56)}
    assert page.turn == "WGA" and page.disputed
    assert {c.party for c in page.claims} == {"WGA", "AMPTP"}
    assert all(c.sources for c in page.claims)


def test_the_gap_chart_puts_the_largest_gap_on_top_with_its_label() -> None:
    page = overview(WGA_CASE, SEP_8)
    bars = page.gap_chart["data"][0]
    ranked = [row.issue_name for row in page.gap_rows]
    assert bars["y"] == list(reversed(ranked))  # plotly draws the first category at the bottom
    assert bars["text"][-1] == "apart" and "agreed" in bars["text"]
    distances = [d for d, label in zip(bars["x"], bars["text"], strict=True) if label != "no position"]
    assert distances == sorted(distances)


def test_the_timeline_steps_each_side_up_to_the_date() -> None:
    page = timeline_page(WGA_CASE, SEP_8, lambda pid: f"/p/{pid}")
    pay = next(i for i in page.issues if i.issue.id == "min_pay")
    assert pay.chart is not None
    traces = {t["name"]: t for t in pay.chart["data"]}
    assert traces["WGA"]["line"]["shape"] == "hv"
    assert traces["WGA"]["y"][0] == 16.9 and traces["WGA"]["x"][-1] == "2023-09-08"
    assert traces["AMPTP"]["y"][-1] == 13.0
    assert "/p/wga-2023-05-01" in traces["WGA"]["customdata"]
    ai = next(i for i in page.issues if i.issue.id == "ai")
    assert ai.chart is not None and ai.chart["layout"]["yaxis"]["type"] == "category"
    assert {e.lane for e in page.events} >= {"Strikes", "Statements", "Talks"}


def _models() -> list[PreferenceModel]:
    prefs = demo_preferences(WGA_CASE)
    assert prefs is not None
    return list(prefs.models)


def test_utilities_lie_in_0_1_and_each_side_prefers_its_own_opening() -> None:
    valued = valuations(WGA_CASE, SEP_8, _models())
    assert valued and all(0.0 <= u <= 1.0 for v in valued for u in v.utilities.values())
    by_id = {v.proposal.id: v.utilities for v in valued}
    assert by_id["wga-2023-05-01"]["wga"] > by_id["amptp-2023-05-01"]["wga"]
    assert by_id["amptp-2023-05-01"]["amptp"] > by_id["wga-2023-05-01"]["amptp"]


def test_the_scatter_needs_both_sides_and_the_zopa_starts_at_the_disagreement_point() -> None:
    models = _models()
    both = analysis_page(WGA_CASE, SEP_8, models, lambda p: p)
    assert both.scatter is not None
    zopa = both.scatter["layout"]["shapes"][0]
    assert (zopa["x0"], zopa["y0"]) == (both.disagreements["wga"], both.disagreements["amptp"])
    # each day of the strike lowers the disagreement value: 129 days completed by Sept 8
    assert both.disagreements["wga"] == pytest.approx(0.35 - 0.001 * 129)
    alone = analysis_page(WGA_CASE, SEP_8, [m for m in models if m.party == "wga"], lambda p: p)
    assert alone.scatter is None and alone.over_time is not None


def test_the_coalition_verdict_follows_its_rule_when_every_member_is_visible() -> None:
    case = Case.model_validate(
        {
            "id": "c",
            "title": "t",
            "parties": [
                {"id": "u", "name": "U", "kind": "union"},
                {
                    "id": "co",
                    "name": "Co",
                    "kind": "coalition",
                    "members": ["a", "b"],
                    "decision_rule": {"kind": "unanimity"},
                },
                {"id": "a", "name": "A", "kind": "employer"},
                {"id": "b", "name": "B", "kind": "employer"},
            ],
            "issues": [{"id": "pay", "name": "Pay", "type": "numeric", "unit": "%", "low": 0, "high": 10}],
            "proposals": [
                {"id": "p1", "date": "2023-01-01", "from": "u", "to": "co", "positions": {"pay": 8}},
                {"id": "p2", "date": "2023-01-02", "from": "u", "to": "co", "positions": {"pay": 3}},
            ],
        }
    )

    def member(party: str, reservation: float) -> PreferenceModel:
        return PreferenceModel(
            party=party,
            label=party,
            weights={"pay": 1},
            values={"pay": {"kind": "linear", "direction": "lower"}},
            reservation=reservation,
        )

    models = {"a": member("a", 0.5), "b": member("b", 0.1)}
    valued = valuations(case, dt.date(2023, 2, 1), list(models.values()))
    view = coalition_view(case.parties[1], models, valued)
    assert [(accepts, verdict) for _, accepts, verdict in view.rows] == [
        ([False, True], False),  # pay 8: worth 0.2 to each; a wants 0.5
        ([True, True], True),  # pay 3: worth 0.7
    ]
    partial = coalition_view(case.parties[1], {"b": models["b"]}, valued)
    assert partial.visible == ["b"] and all(verdict is None for _, _, verdict in partial.rows)


# --- forms --------------------------------------------------------------------------------------


def test_a_proposal_form_becomes_the_proposal_the_api_would_take() -> None:
    form = FormData(
        [
            ("date", "2023-09-10"),
            ("from", "wga"),
            ("to", "amptp"),
            ("pos.min_pay", "13"),
            ("text.min_pay", "5% / 4% / 3.5%"),
            ("pos.staffing", ""),
            ("pos.ai.on", "1"),
            ("pos.ai", "not_a_writer"),
            ("pos.residuals", "view_data"),  # not ticked as addressed: left out
            ("answers", "amptp-2023-08-11"),
            ("sources", "S16"),
        ]
    )
    proposal = parse_proposal(WGA_CASE, form)
    assert proposal.positions["min_pay"].value == 13.0
    assert proposal.positions["min_pay"].text == "5% / 4% / 3.5%"
    assert proposal.positions["ai"].value == frozenset({"not_a_writer"})
    assert set(proposal.positions) == {"min_pay", "ai"}
    assert proposal.answers == ("amptp-2023-08-11",) and proposal.id.startswith("wga-2023-09-10-")


def test_a_form_with_a_bad_date_names_the_field() -> None:
    with pytest.raises(Invalid) as caught:
        parse_proposal(WGA_CASE, FormData([("date", "10/09/2023"), ("from", "wga"), ("to", "amptp")]))
    assert [p.field for p in caught.value.problems] == ["date"]
    assert "(got '10/09/2023')" in caught.value.problems[0].message


def test_an_agreement_covers_the_issues_whose_terms_it_states() -> None:
    form = FormData(
        [("date", "2023-09-24"), ("parties", "wga"), ("parties", "amptp"), ("pos.duration", "10")]
    )
    agreement = parse_agreement(WGA_CASE, form)
    assert agreement.kind == "tentative_agreement" and agreement.issues == ("duration",)


def test_an_unknown_event_kind_is_refused() -> None:
    with pytest.raises(Invalid) as caught:
        parse_event("coup", FormData([("date", "2023-09-10")]))
    assert caught.value.problems[0].field == "kind"


@given(st.sampled_from(["positions", "terms"]), st.from_regex(r"[a-z_]{1,12}", fullmatch=True), st.booleans())
def test_a_problem_under_a_position_belongs_to_that_issues_input(
    group: str, issue: str, deeper: bool
) -> None:
    field = f"{group}.{issue}" + (".value" if deeper else "")
    assert input_name(field) == f"pos.{issue}"
    assert input_name(f"tentative_agreement.{field}") == f"pos.{issue}"
