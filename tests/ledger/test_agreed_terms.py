"""Agreed terms (issue 13, item 2) and where each value came from (item 3), on hand-built cases
and on the bundled 2023 cases. The 2023 terms are the sources' own (facts file, section 3:
S45/S46 for minimum pay, S80/S81 for staffing, S57/S93 for SAG-AFTRA's wages)."""

from __future__ import annotations

import datetime as dt

import pytest
from ledger_cases import OPENING_PAY, day, event, make_case, proposal

from accord.casefile import resolve_case
from accord.ledger import (
    GapLabel,
    TAState,
    agreement_text,
    gaps,
    origin_text,
    positions_as_of,
    sources,
    status,
    ta_board,
)
from accord.model import Confidence

D = dt.date.fromisoformat


@pytest.fixture(scope="module")
def wga():
    return resolve_case("wga-amptp-2023")


@pytest.fixture(scope="module")
def sag():
    return resolve_case("sag-aftra-amptp-2023")


def _by_issue(found):
    return {g.issue: g for g in found}


def test_from_the_ta_the_gaps_show_the_agreed_terms_and_no_holes(wga):
    before = _by_issue(gaps(wga, D("2023-09-23")))
    assert before["residuals"].holes_a == ("viewership_bonus",)  # "WGA wants: viewership_bonus" until then
    after = _by_issue(gaps(wga, D("2023-09-25")))
    for gap in after.values():
        assert gap.label is GapLabel.AGREED and gap.distance == 0.0
        assert (gap.holes_a, gap.holes_b) == ((), ())
        assert gap.agreement is not None and gap.agreement.agreement_id == "wga-ta-2023-09-24"
        assert agreement_text(gap.agreement) == "agreed, TA 2023-09-24"
    assert after["min_pay"].agreement.terms.value == 13.0  # 5 / 4 / 3.5 compounded (S45, S46)
    assert after["min_pay"].agreement.terms.sources == ("S45", "S46")
    assert after["staffing"].agreement.terms.value == 3  # 3 writers for 1-6 episodes (S80, S81)
    assert after["staffing"].agreement.terms.confidence is Confidence.B
    assert after["min_pay"].open_share == 0.0


def test_after_ratification_the_views_say_ratified(wga):
    line = ta_board(wga, D("2023-10-09"))[0]
    assert line.status is TAState.RATIFIED  # 8,435 to 90, announced Oct 9 (S43, S42)
    assert agreement_text(line) == "ratified 2023-10-09 (TA 2023-09-24)"
    assert {g.agreement.status for g in gaps(wga, D("2023-10-09"))} == {TAState.RATIFIED}
    assert ta_board(wga, D("2023-10-08"))[0].status is TAState.TA


def test_positions_show_the_agreed_terms_from_the_ta(wga):
    before = positions_as_of(wga, D("2023-09-23"), "amptp")
    assert before["min_pay"].agreement is None
    after = positions_as_of(wga, D("2023-09-24"), "amptp")
    assert set(after) == {issue.id for issue in wga.issues}  # agreed issues it never addressed too
    assert all(p.agreement is not None and p.agreement.terms is not None for p in after.values())
    assert after["health_pension"].agreement.terms.value == 12.0  # 11.5 % -> 12 % (S46, S85)


def test_status_carries_the_agreed_terms(wga):
    report = status(wga, D("2023-09-25"))
    assert {g.label for g in report.gaps} == {GapLabel.AGREED}
    assert all(g.agreement is not None for g in report.gaps)


def test_sag_aftra_terms_with_their_sources(sag):
    found = _by_issue(gaps(sag, D("2023-11-08")))
    assert found["wages"].agreement.terms.value == 7  # 7 % in year 1 (S57, S93)
    assert found["wages"].agreement.terms.sources == ("S57", "S93")


PARTIAL = [
    *OPENING_PAY,
    event(
        "ta-ai",
        "tentative_agreement",
        "2023-09-01",
        parties=["wga", "amptp"],
        issues=["ai"],
        terms={"ai": {"value": ["not_writer", "disclosure"], "sources": ["S4"], "confidence": "B"}},
    ),
    event("vote", "vote", "2023-09-10", party="wga", subject="ratification", passed=True, agreement="ta-ai"),
]


def test_a_partial_ta_agrees_its_issues_only_and_is_ratified_per_issue():
    case = make_case(PARTIAL[:2], PARTIAL[2:])
    found = _by_issue(gaps(case, day("2023-09-02")))
    assert found["ai"].label is GapLabel.AGREED and found["ai"].holes_a == ()
    assert found["ai"].agreement.terms.value == frozenset({"not_writer", "disclosure"})
    assert found["pay"].agreement is None and found["pay"].label is not GapLabel.AGREED
    ratified = _by_issue(gaps(case, day("2023-09-10")))
    assert ratified["ai"].agreement.status is TAState.RATIFIED
    assert ratified["pay"].agreement is None
    wga = positions_as_of(case, day("2023-09-10"), "wga")
    assert wga["ai"].agreement.ratification_id == "vote" and wga["pay"].agreement is None


def test_a_carried_value_names_its_origin_and_the_confidence_that_it_still_held():
    case = make_case(
        [
            proposal("a1", "2023-08-11", "amptp", "wga", positions={"pay": 5}, sources=["S1"]),
            proposal(
                "a2", "2023-08-18", "amptp", "wga", positions={"pay": {"text": "not public"}}, confidence="C"
            ),
        ]
    )
    at = positions_as_of(case, day("2023-08-20"), "amptp")["pay"]
    assert (at.provenance, at.value_proposal_id, at.value_date) == ("carried", "a1", D("2023-08-11"))
    assert (at.confidence, at.value_confidence, at.sources) == (Confidence.C, Confidence.A, ())
    assert origin_text(at) == "carried from Aug 11, C"
    stated = positions_as_of(case, day("2023-08-12"), "amptp")["pay"]
    assert (stated.provenance, stated.sources, origin_text(stated)) == ("stated", ("S1",), "stated Aug 11, A")


def test_the_bundled_aug_18_offer_carries_aug_11_values(wga):
    at = positions_as_of(wga, D("2023-09-08"), "amptp")["min_pay"]
    assert (at.proposal_id, at.value_proposal_id) == ("amptp-2023-08-18", "amptp-2023-08-11")
    assert origin_text(at) == "carried from Aug 11, C"


def test_sources_of_a_record_include_its_terms_sources(wga):
    cited = {s.id: s for s in sources(wga, "wga-ta-2023-09-24")}
    assert {"S40", "S45", "S80"} <= set(cited)
    assert all("wga-ta-2023-09-24" in s.cited_by for s in cited.values())
    with pytest.raises(ValueError, match="unknown record 'nope'"):
        sources(wga, "nope")
