"""Contract costing of every package on the record (accord.analysis.costing), beside the parties'
own published estimates: golden figures from the 2023 record, as of a date, and the explanations.

The published figures are literals here, each with its source ids (the case file's `sources`,
from the facts file's section 3): the test reads nothing outside the repository.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.analysis.costing import case_costing, money, package_cost
from accord.casefile import CaseFileError, bundled_case, dump_case, read_case
from accord.casefile.prefsfile import case_with_preferences
from accord.model import Case, CaseInvalid, Costing, NumericIssue
from accord.model.preferences import costing_problems
from accord.model.problems import estimate_problems
from accord.prefs import compounded

# Published figures (USD), by source:
WGA_ASK_PER_YEAR = 429e6  # WGA's value of its May 1 ask (S8, S9)
AMPTP_OFFER_PER_YEAR = 86e6  # WGA's estimate of the AMPTP's May 1 offer, 48% from minimums (S8)
MINIMUMS_SHARE = 0.48  # (S8)
DEAL_PER_YEAR = 233e6  # WGA's value of the Sept 24 deal (S44, S45)
EIGHT_PER_YEAR = 343e6  # the part of the ask on the AMPTP Eight (S9)
DISNEY_PER_YEAR = 75e6  # the WGA's per-company table (S9)
SAG_PATTERN_WAGES, SAG_PATTERN_PH = 717e6, 177e6  # AMPTP's valuation of its Oct 11 offer (S61, S75)


@pytest.fixture(scope="module")
def wga():
    return case_with_preferences("wga-amptp-2023")


@pytest.fixture(scope="module")
def final(wga):
    case, prefs = wga
    return case_costing(case, prefs.costing, dt.date(2023, 12, 31))


def _row(result, record):
    return next(r for r in result.packages if r.record == record)


def _estimate(row, estimate_id):
    return next(e for e in row.estimates if e.estimate == estimate_id)


def test_the_yearly_patterns_on_the_record_compound_to_the_issues_figures():
    # S34: 6/5/5 is "16.9% compounded", 4/3/2 "9.3%"; S19, S36: 5/4/3.5 "~13%"
    assert round(100 * compounded([6, 5, 5]), 1) == 16.9
    assert round(100 * compounded([4, 3, 2]), 1) == 9.3
    assert round(100 * compounded([5, 4, 3.5]), 1) == 13.0


def test_every_proposal_and_the_agreement_are_costed_in_record_order(final):
    rows = [(r.record, r.kind) for r in final.packages]
    assert rows == [
        ("amptp-2023-04-30", "proposal"),
        ("wga-2023-05-01", "proposal"),
        ("amptp-2023-05-01", "proposal"),
        ("amptp-2023-08-04", "proposal"),
        ("amptp-2023-08-11", "proposal"),
        ("wga-2023-08-15", "proposal"),
        ("amptp-2023-08-17", "proposal"),
        ("amptp-2023-08-18", "proposal"),
        ("amptp-2023-09-23", "proposal"),
        ("wga-ta-2023-09-24", "agreement"),
    ]
    # the Apr 30 package names no pay increase: no figure, rather than a cost of 0
    first = _row(final, "amptp-2023-04-30")
    assert first.total is None and "no value on the costed issues" in first.note


def test_the_amptp_may_1_offer_costs_the_minimums_part_of_the_wgas_estimate(final):
    row = _row(final, "amptp-2023-05-01")
    # 4/3/2 on the $608M base: year 1 +4%, year 2 +7.12%, year 3 +9.2624%
    assert row.annual == pytest.approx([24.32e6, 43.2896e6, 56.315392e6])
    assert row.average == pytest.approx(MINIMUMS_SHARE * AMPTP_OFFER_PER_YEAR, rel=0.005)
    e = _estimate(row, "amptp-offer-value-2023-05-01")
    assert (e.figure, e.basis, e.by, e.confidence.value) == (AMPTP_OFFER_PER_YEAR, "per_year", "WGA", "A")
    assert e.difference == pytest.approx(AMPTP_OFFER_PER_YEAR - row.average)
    # the base was worked back from this estimate: the output says the agreement proves nothing
    assert "derived from this estimate" in e.explanation and "by construction" in e.explanation


def test_the_wgas_ask_and_the_final_deal_beside_the_model(final):
    ask = _row(final, "wga-2023-05-01")
    assert ask.annual == pytest.approx([36.48e6, 68.704e6, 102.5392e6])  # 6/5/5 on $608M
    e = _estimate(ask, "wga-ask-value-2023-05-01")
    assert e.figure == WGA_ASK_PER_YEAR and e.model == pytest.approx(ask.average)
    assert e.difference == pytest.approx(WGA_ASK_PER_YEAR - ask.average)
    # the model prices pay only: the gap is what staffing, duration, residuals, AI and features add
    assert set(ask.uncosted) == {"staffing", "duration", "residuals", "ai", "features"}
    assert "prices only Minimum pay increase" in e.explanation and "6.2 times" in e.explanation
    deal = _row(final, "wga-ta-2023-09-24")
    assert deal.annual == pytest.approx([30.4e6, 55.936e6, 79.17376e6])  # 5/4/3.5
    e = _estimate(deal, "wga-deal-value-2023-09-24")
    assert (e.figure, e.date) == (DEAL_PER_YEAR, dt.date(2023, 9, 24))
    assert e.model == pytest.approx(deal.average) and e.model < DEAL_PER_YEAR


def test_a_partys_estimate_is_compared_with_its_share(final):
    ask = _row(final, "wga-2023-05-01")
    disney = _estimate(ask, "wga-ask-cost-disney-2023-05-16")
    assert disney.figure == DISNEY_PER_YEAR
    assert disney.model == pytest.approx(ask.average * 75 / 343)  # the costing's shares (S9)
    eight = _estimate(ask, "wga-ask-cost-eight-2023-05-16")  # the coalition: its members' shares
    assert eight.figure == EIGHT_PER_YEAR and eight.model == pytest.approx(ask.average)


def test_counter_proposals_keep_the_pay_they_do_not_restate(final):
    counter = _row(final, "wga-2023-08-15")  # names only staffing (S49)
    (pay,) = counter.positions
    assert (pay.value, pay.basis, pay.from_record) == (16.9, "carried", "wga-2023-05-01")
    assert counter.total == pytest.approx(_row(final, "wga-2023-05-01").total)


def test_as_of_a_date_only_what_was_known_then(wga):
    case, prefs = wga
    early = case_costing(case, prefs.costing, dt.date(2023, 5, 10))
    assert [r.record for r in early.packages] == ["amptp-2023-04-30", "wga-2023-05-01", "amptp-2023-05-01"]
    ask = _row(early, "wga-2023-05-01")
    # the per-company table came out on May 16: not known on May 10
    assert [e.estimate for e in ask.estimates] == ["wga-ask-value-2023-05-01"]
    before = case_costing(case, prefs.costing, dt.date(2023, 4, 30))
    assert [r.record for r in before.packages] == ["amptp-2023-04-30"]


def test_a_case_without_costing_lists_the_estimates_without_model_figures():
    case, prefs = case_with_preferences("sag-aftra-amptp-2023")
    assert prefs.costing is None  # the facts give no payroll base nor each offer's out-years
    result = case_costing(case, None, dt.date(2023, 12, 31))
    assert result.costing is None and all(r.total is None for r in result.packages)
    pattern = _estimate(_row(result, "amptp-2023-10-11"), "amptp-pattern-value-2023-10-11")
    assert pattern.figure == SAG_PATTERN_WAGES + SAG_PATTERN_PH and pattern.basis == "term"
    assert pattern.model is None and "no costing parameters" in pattern.explanation


def test_a_package_given_is_costed_and_checked(wga):
    case, prefs = wga
    result = case_costing(case, prefs.costing, dt.date(2023, 9, 1), [{"min_pay": 12.0}])
    given_row = next(r for r in result.packages if r.kind == "package")
    assert given_row.record is None and given_row.estimates == ()
    # 12% in the DGA pattern's shape compounds to 12%
    assert (1 + given_row.annual[-1] / 608e6) == pytest.approx(1.12)
    with pytest.raises(ValueError, match="unknown issue 'pay'"):
        case_costing(case, prefs.costing, dt.date(2023, 9, 1), [{"pay": 1.0}])
    with pytest.raises(ValueError, match="min_pay"):
        case_costing(case, prefs.costing, dt.date(2023, 9, 1), [{"min_pay": 99.0}])


def _small_case(**extra) -> Case:
    data = {
        "id": "c",
        "title": "t",
        "parties": [{"id": "u", "name": "U", "kind": "union"}, {"id": "e", "name": "E", "kind": "employer"}],
        "issues": [{"id": "pay", "name": "Pay", "type": "numeric", "unit": "%", "low": 0, "high": 10}],
        "proposals": [{"id": "p1", "date": "2023-05-01", "from": "u", "to": "e", "positions": {"pay": 4}}],
    }
    return Case.model_validate(data | extra)


COSTING = Costing(term_years=2, items=[{"kind": "raises", "issue": "pay", "base": 1000}])


def test_units_bounds_and_withdrawn_agreements():
    estimates = [
        {"id": "day", "label": "Per day", "low": 5, "high": 5, "unit": "USD per day", "scope": "s", "by": "U",
         "date": "2023-05-02", "regarding": ["p1"]},
        {"id": "more", "label": "More than", "low": 100, "unit": "USD", "scope": "s", "by": "E",
         "regarding": ["p1"]},
        {"id": "eur", "label": "Euros", "low": 1, "high": 1, "unit": "EUR per year", "scope": "s", "by": "E",
         "date": "2023-05-02", "regarding": ["p1"]},
    ]  # fmt: skip
    events = [
        {"id": "ta", "kind": "tentative_agreement", "date": "2023-06-01", "parties": ["u", "e"],
         "terms": {"pay": 3}},
        {"id": "out", "kind": "ta_withdrawn", "date": "2023-06-05", "agreement": "ta", "by": "e"},
    ]  # fmt: skip
    case = _small_case(estimates=estimates, events=events)
    row = case_costing(case, COSTING, dt.date(2023, 6, 2)).packages[0]
    by_id = {e.estimate: e for e in row.estimates}
    assert by_id["day"].basis is None and by_id["day"].model is None  # per day: not compared
    assert by_id["eur"].basis is None  # another currency: not compared
    # undated: known from the date of what it regards; only a lower bound
    assert by_id["more"].basis == "term" and "lower bound" in by_id["more"].explanation
    assert by_id["more"].model == pytest.approx(40 + 81.6)
    assert [r.record for r in case_costing(case, COSTING, dt.date(2023, 6, 2)).packages] == ["p1", "ta"]
    assert [r.record for r in case_costing(case, COSTING, dt.date(2023, 6, 5)).packages] == ["p1"]


def test_estimates_must_regard_proposals_or_agreements(tmp_path):
    # the case-file reader checks what an estimate regards (the model leaves it to the reader and
    # the server, which see every record): a milestone is not a package, an unknown id no record
    case = _small_case(
        events=[{"id": "m", "kind": "milestone", "date": "2023-05-02", "summary": "x"}],
        estimates=[{"id": "x", "label": "x", "scope": "s", "by": "b", "regarding": ["m", "p9"]}],
    )
    assert [str(p) for p in estimate_problems(case)] == [
        "estimates[0].regarding[0]: 'm' is a Milestone, expected a proposal or tentative agreement",
        "estimates[0].regarding[1]: proposal or tentative agreement 'p9' does not exist",
    ]
    path = tmp_path / "c.yaml"
    path.write_text(dump_case(case))
    with pytest.raises(CaseFileError, match=r"c.yaml:\d+:\d+: estimates\[0\].regarding\[1\]: proposal or"):
        read_case(path)
    with pytest.raises(CaseInvalid, match="unknown party 'nobody'"):
        _small_case(estimates=[{"id": "x", "label": "x", "scope": "s", "by": "b", "party": "nobody"}])


def test_costing_parameters_are_checked_against_the_case():
    case = bundled_case("wga-amptp-2023")
    bad = Costing(
        term_years=3,
        items=[
            {"kind": "raises", "issue": "min_pay", "base": 1, "compounded": True,
             "patterns": {"16.9": [1, 1, 1], "99": [1], "x": [1]}}
        ],
        derived_from=["no-such-estimate"],
        sources=["S999"],
    )  # fmt: skip
    messages = sorted(f"{'.'.join(map(str, p.path))}: {p.message}" for p in costing_problems(bad, case))
    assert any("derived_from.0: unknown estimate" in m for m in messages)
    assert any("sources.0: unknown source 'S999'" in m for m in messages)
    assert any("items.0.patterns.16.9: the raises [1.0, 1.0, 1.0] compound to 3.03%" in m for m in messages)
    assert any(m.startswith("items.0.patterns.99:") for m in messages)
    assert any("expected a value of numeric issue 'min_pay', got 'x'" in m for m in messages)


@given(st.floats(0, 10, allow_nan=False), st.floats(0, 10, allow_nan=False))
def test_a_higher_raise_costs_more_every_year(low, high):
    low, high = sorted((low, high))
    pay = NumericIssue(id="pay", name="Pay", unit="%", low=0, high=10, step=0.001)
    cheap = package_cost(COSTING, [pay], {"pay": low})
    dear = package_cost(COSTING, [pay], {"pay": high})
    assert all(a <= b + 1e-9 for a, b in zip(cheap.annual, dear.annual, strict=True))
    assert dear.average == pytest.approx(dear.total / 2)


def test_money_reads_as_people_write_it():
    assert [money(x) for x in (429e6, 41.308e6, 1.11e9, -3.5e6)] == ["$429M", "$41.3M", "$1.11B", "-$3.5M"]
