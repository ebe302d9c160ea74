"""Golden tests: the ledger views on the bundled 2023 cases, against public figures of the 2023
negotiations. Each figure names its sources by id (S5, S12, ...): the ids of the bundled cases'
``sources`` (src/accord/data/cases/wga-amptp-2023.yaml gives each one's address and outlet).

Expected values are the sources' own figures (day labels, strike lengths, compounded raises, the
one-writer staffing cut, who claimed whose turn on which date), or derived from them and the case's
issue bounds in the test; none is copied from the views' output.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from accord.casefile import resolve_case
from accord.ledger import (
    GapLabel,
    StoppageState,
    TAState,
    gaps,
    movement,
    pending,
    positions_as_of,
    sides,
    status,
    stoppages,
    ta_board,
    timeline,
    to_jsonable,
    who_moved,
)
from accord.model import Case, NumericIssue

D = dt.date.fromisoformat
WGA_STRIKE = "wga-strike-2023"
SAG_STRIKE = "sag-aftra-strike-2023"


@pytest.fixture(scope="module")
def wga() -> Case:
    return resolve_case("wga-amptp-2023")


@pytest.fixture(scope="module")
def sag() -> Case:
    return resolve_case("sag-aftra-amptp-2023")


def _count(case: Case, stoppage: str, date: str):
    (found,) = [c for c in stoppages(case, D(date)) if c.stoppage == stoppage]
    return found


def _by_issue(items):
    return {item.issue: item for item in items}


def test_default_sides_are_the_union_and_the_amptp(wga, sag):
    assert sides(wga) == ("wga", "amptp")
    assert sides(sag) == ("sag-aftra", "amptp")


# Trade "day N" labels use the inclusive count (start day = day 1): Aug 11 "102nd day", Aug 22 "113th
# day", Sept 22 "Day 144", Sept 24 "146 days" (S6, S12, S40); Sept 8, the WGA's "130 days" (S14).
@pytest.mark.parametrize(
    ("date", "label"),
    [("2023-08-11", 102), ("2023-08-22", 113), ("2023-09-08", 130), ("2023-09-22", 144), ("2023-09-24", 146)],
)
def test_wga_strike_day_labels(wga, date, label):
    count = _count(wga, WGA_STRIKE, date)
    assert (count.state, count.day_number, count.days_completed) == (StoppageState.IN_FORCE, label, label - 1)


def test_wga_strike_lasted_148_days_ending_at_1201_am_sept_27(wga):
    # 148 days (S5, S44); it ended at 12:01 a.m. PT on Sept 27 (S41, S42).
    last_day = _count(wga, WGA_STRIKE, "2023-09-26")
    assert (last_day.state, last_day.day_number) == (StoppageState.IN_FORCE, 148)
    for date in ("2023-09-27", "2023-10-09"):
        ended = _count(wga, WGA_STRIKE, date)
        assert (ended.state, ended.total_days, ended.days_completed, ended.day_number) == (
            StoppageState.ENDED,
            148,
            148,
            None,
        )
        assert ended.last_day == D("2023-09-26")
    assert [c.stoppage for c in stoppages(wga, D("2023-05-01"))] == []  # not yet started: not listed


@pytest.mark.parametrize("case_name", ["wga", "sag"])
def test_sag_aftra_strike_labels_and_118_days(case_name, request):
    case = request.getfixturevalue(case_name)
    # Oct 11 = day 90 (S61), Nov 4 = "114th day" (S62); 118 days, ended 12:01 a.m. Nov 9 (S55, S59).
    assert _count(case, SAG_STRIKE, "2023-10-11").day_number == 90
    assert _count(case, SAG_STRIKE, "2023-11-04").day_number == 114
    assert _count(case, SAG_STRIKE, "2023-11-08").day_number == 118
    ended = _count(case, SAG_STRIKE, "2023-11-09")
    assert (ended.state, ended.total_days) == (StoppageState.ENDED, 118)


def test_sept_8_counts_both_conventions_side_by_side(wga):
    # The WGA's memo said "130 days" (inclusive, S14); TheWrap said 129 (WGA) and 56 (SAG-AFTRA) (S16).
    counts = {c.stoppage: c for c in stoppages(wga, D("2023-09-08"))}
    assert counts[WGA_STRIKE].day_number == 130
    assert counts[WGA_STRIKE].days_completed == 129
    assert counts[SAG_STRIKE].days_completed == 56
    assert counts[SAG_STRIKE].day_number == 57


def test_the_sept_24_tentative_agreement_closes_every_issue(wga):
    before = ta_board(wga, D("2023-09-23"))
    assert {line.status for line in before} == {TAState.OPEN}
    for date, state in (
        ("2023-09-24", TAState.TA),
        ("2023-10-08", TAState.TA),
        ("2023-10-09", TAState.RATIFIED),
    ):
        board = ta_board(wga, D(date))
        assert len(board) == len(wga.issues)
        assert all(line.status is state and line.agreement_date == D("2023-09-24") for line in board)
        assert {g.label for g in gaps(wga, D(date))} == {GapLabel.AGREED}
    assert {line.ratification_id for line in ta_board(wga, D("2023-10-09"))} == {
        "wga-ratification-2023-10-09"
    }
    assert not any(m.entrenched for m in movement(wga, D("2023-09-24")))


def test_the_sag_aftra_agreement_of_nov_8_belongs_to_its_own_pair(sag):
    assert {line.status for line in ta_board(sag, D("2023-11-07"))} == {TAState.OPEN}
    assert {line.agreement_date for line in ta_board(sag, D("2023-11-08"))} == {D("2023-11-08")}
    assert {line.status for line in ta_board(sag, D("2023-11-08"), "wga", "amptp")} == {TAState.OPEN}


def test_timeline_has_the_agreement_and_the_ratification_on_their_dates(wga):
    entries = timeline(wga, D("2023-10-31"), start=D("2023-09-24"), parties=["wga"])
    kinds = {(e.date, e.kind) for e in entries}
    assert (D("2023-09-24"), "tentative_agreement") in kinds
    assert (D("2023-10-09"), "vote") in kinds
    whole = next(e for e in entries if e.kind == "tentative_agreement")
    assert set(whole.issues) == {issue.id for issue in wga.issues}
    assert timeline(wga, D("2023-09-23"), start=D("2023-09-24")) == []


def _claims(report):
    return {(c.party, c.turn_of, c.date) for c in report.claims}


def test_sept_8_turn_claims_are_disputed_with_both_sources(wga):
    # WGA: the AMPTP made one proposal and has not moved ("AMPTP paralysis", S14); AMPTP: the WGA
    # "holds the power to move this negotiation forward by responding" (S16, S17).
    report = pending(wga, D("2023-09-08"))
    assert report.disputed
    assert _claims(report) == {("wga", "amptp", D("2023-09-08")), ("amptp", "wga", D("2023-09-08"))}
    known = {source.id for source in wga.sources}
    for claim in report.claims:
        assert claim.is_current and claim.sources and set(claim.sources) <= known
    # The AMPTP's last offers before Sept 8 were those of Aug 17-18, to the WGA (S16, S17).
    assert report.turn == "wga"
    assert wga.proposal(report.turn_basis).date == D("2023-08-18")


def test_aug_30_turn_claims_are_disputed_until_sept_8(wga):
    # Aug 30, AMPTP waits for the WGA's response; WGA: the ball is in the studios' court (S24).
    report = pending(wga, D("2023-09-01"))
    assert report.disputed
    assert _claims(report) == {("amptp", "wga", D("2023-08-30")), ("wga", "amptp", D("2023-08-30"))}
    assert not pending(wga, D("2023-08-29")).disputed


def _numeric(case: Case, issue_id: str) -> NumericIssue:
    issue = case.issue(issue_id)
    assert isinstance(issue, NumericIssue)
    return issue


def test_amptp_raised_its_minimum_pay_offer_from_9_3_to_13_percent(wga):
    # May 1 4%/3%/2% (9.3% compounded, S34); Aug 11 5%/4%/3.5% (~13% compounded, S19, S36).
    pay = _numeric(wga, "min_pay")
    amptp = next(m for m in movement(wga, D("2023-09-08")) if m.party == "amptp" and m.issue == "min_pay")
    assert amptp.opening.value == pytest.approx(9.3)
    assert amptp.latest.value == pytest.approx(13.0)
    assert amptp.latest.date == D("2023-08-11")
    assert amptp.concession == pytest.approx((13.0 - 9.3) / (pay.high - pay.low))
    assert amptp.hardening == 0.0 and not amptp.entrenched


def test_the_wga_cut_by_one_writer_was_in_development_rooms_so_it_stayed_entrenched(wga):
    # Aug 15, the guild cut a staffing ask "by one writer" (S49, S79); the AMPTP, Sept 8: the WGA
    # "remained entrenched in its original position, except for a single modest change in its
    # position on staffing in development rooms" (S17). The writers'-room minimum did not move.
    found = next(m for m in movement(wga, D("2023-09-08")) if m.party == "wga" and m.issue == "staffing")
    assert (found.moves, found.opening.value, found.latest.value) == (0, 6, 6)
    assert found.latest.proposal_id == "wga-2023-08-15"
    assert "development-room" in found.latest.text and "by one writer" in found.latest.text
    assert found.entrenched
    said = wga.record("statement-amptp-2023-09-08-entrenched")
    assert "single modest change in its position on staffing in development rooms" in said.summary


def test_the_amptp_had_not_moved_since_aug_11_by_the_record(wga):
    # WGA, Sept 8: "one proposal (Aug 11) and has not moved since" (S14); the contents of the
    # Aug 17-18 offers are not public (S16, S17), so no stated value of the AMPTP is later than Aug 11.
    for at in positions_as_of(wga, D("2023-09-08"), "amptp").values():
        if at.value_proposal_id is not None:
            assert wga.proposal(at.value_proposal_id).date <= D("2023-08-11")
    on_aug_11 = who_moved(wga, D("2023-08-11"))[1]
    on_sept_8 = who_moved(wga, D("2023-09-08"))[1]
    assert on_aug_11.party == on_sept_8.party == "amptp"
    assert (on_aug_11.moves, on_aug_11.concession) == (on_sept_8.moves, on_sept_8.concession)
    assert on_sept_8.moves > 0


def test_the_holes_in_the_amptp_offer_on_sept_8(wga):
    found = _by_issue(gaps(wga, D("2023-09-08")))
    # Aug 24, the companies "still refuse to regulate use of writers' work to train AI" (S22).
    assert "no_training" in found["ai"].holes_a
    assert found["ai"].label is not GapLabel.AGREED
    # Aug 11, "No viewership residual" (S48, S83).
    assert "viewership_bonus" in found["residuals"].holes_a
    # No pre-deal AMPTP figures on health and pension were published (the WGA's demands: S2, S3).
    assert found["health_pension"].label is GapLabel.NO_POSITION


@pytest.mark.parametrize("date", ["2023-03-01", "2023-05-02", "2023-09-08", "2023-09-27", "2023-12-31"])
def test_the_status_report_of_the_bundled_case_is_json_ready(wga, date):
    data = to_jsonable(status(wga, D(date)))
    assert json.loads(json.dumps(data)) == data
    assert data["sides"] == ["wga", "amptp"]
