"""Golden tests: the bundled cases against public figures of the 2023 negotiations, each with its
sources named by id (S5, S12, ...): the ids of the bundled cases' ``sources``, which give each
one's address and outlet (src/accord/data/cases/wga-amptp-2023.yaml).

Strike lengths and the press's "day N" labels are computed here with plain date arithmetic from
the stoppage events (the convention of docs/cases.md: the start day is day 1; a strike that ends
at 12:01 a.m. on date E was in force through E - 1). The ledger's own counters have their tests.
"""

from __future__ import annotations

import datetime as dt
import math
import re

import pytest

from accord.model import (
    Case,
    Confidence,
    Estimate,
    StoppageEnded,
    StoppageStarted,
    TentativeAgreement,
    Vote,
    VoteSubject,
)

D = dt.date
MIDNIGHT_PLUS_ONE = dt.time(0, 1)


def _stoppage(case: Case, stoppage_id: str) -> tuple[StoppageStarted, StoppageEnded]:
    (start,) = [e for e in case.events if isinstance(e, StoppageStarted) and e.stoppage == stoppage_id]
    (end,) = [e for e in case.events if isinstance(e, StoppageEnded) and e.stoppage == stoppage_id]
    return start, end


def _day_n(start: StoppageStarted, as_of: dt.date) -> int:
    return (as_of - start.date).days + 1


def _days_completed(start: StoppageStarted, as_of: dt.date) -> int:
    return (as_of - start.date).days


def _length(start: StoppageStarted, end: StoppageEnded) -> int:
    assert end.time == MIDNIGHT_PLUS_ONE  # in force through the day before the end date
    return (end.date - start.date).days


def _vote(case: Case, party: str, subject: VoteSubject) -> Vote:
    (vote,) = [e for e in case.events if isinstance(e, Vote) and e.party == party and e.subject == subject]
    return vote


@pytest.mark.parametrize(
    ("stoppage_id", "start", "end", "how", "length"),
    [  # WGA: S4, S5, S41, S44; SAG-AFTRA ("suspended"): S52, S55, S59
        ("wga-strike-2023", D(2023, 5, 2), D(2023, 9, 27), "ended", 148),
        ("sag-aftra-strike-2023", D(2023, 7, 14), D(2023, 11, 9), "suspended", 118),
    ],
)
def test_strikes_start_and_end_at_12_01_am_and_last_as_reported(
    cases: dict[str, Case], stoppage_id: str, start: dt.date, end: dt.date, how: str, length: int
) -> None:
    for case in cases.values():  # both cases carry both strikes, with the same dates
        started, ended = _stoppage(case, stoppage_id)
        assert (started.date, started.time, started.against) == (start, MIDNIGHT_PLUS_ONE, "amptp")
        assert (ended.date, ended.time, ended.how) == (end, MIDNIGHT_PLUS_ONE, how)
        assert _length(started, ended) == length
        assert started.confidence is Confidence.A and ended.confidence is Confidence.A


@pytest.mark.parametrize(
    ("stoppage_id", "as_of", "day"),
    [  # S6, S12, S14, S40 (WGA); S61, S62 (SAG-AFTRA)
        ("wga-strike-2023", D(2023, 8, 11), 102),
        ("wga-strike-2023", D(2023, 8, 22), 113),
        ("wga-strike-2023", D(2023, 9, 8), 130),
        ("wga-strike-2023", D(2023, 9, 22), 144),
        ("wga-strike-2023", D(2023, 9, 24), 146),
        ("sag-aftra-strike-2023", D(2023, 10, 11), 90),
        ("sag-aftra-strike-2023", D(2023, 11, 4), 114),
    ],
)
def test_press_day_labels(cases: dict[str, Case], stoppage_id: str, as_of: dt.date, day: int) -> None:
    for case in cases.values():
        start, _ = _stoppage(case, stoppage_id)
        assert _day_n(start, as_of) == day


def test_sept_8_counts_inclusive_and_completed(wga: Case) -> None:
    wga_start, _ = _stoppage(wga, "wga-strike-2023")
    sag_start, _ = _stoppage(wga, "sag-aftra-strike-2023")
    sept_8 = D(2023, 9, 8)
    assert (_day_n(wga_start, sept_8), _days_completed(wga_start, sept_8)) == (130, 129)
    assert (_day_n(sag_start, sept_8), _days_completed(sag_start, sept_8)) == (57, 56)
    # Both counts are kept, with their sources: the WGA memo (S14) and TheWrap (S16).
    memo = wga.record("statement-wga-2023-09-08-paralysis")
    assert {"S14", "S16"} <= set(memo.sources)
    assert all(figure in (memo.note or "") for figure in ('"130 days"', '"129 days"', '"56 days"', "57"))


@pytest.mark.parametrize(
    ("name", "ta_id", "ta_date", "parties"),
    [  # S40, S29 (WGA); S55 (SAG-AFTRA)
        ("wga-amptp-2023", "wga-ta-2023-09-24", D(2023, 9, 24), ("wga", "amptp")),
        ("sag-aftra-amptp-2023", "sag-aftra-ta-2023-11-08", D(2023, 11, 8), ("sag-aftra", "amptp")),
    ],
)
def test_tentative_agreement_dates(
    cases: dict[str, Case], name: str, ta_id: str, ta_date: dt.date, parties: tuple[str, str]
) -> None:
    ta = cases[name].record(ta_id)
    assert isinstance(ta, TentativeAgreement)
    assert (ta.date, ta.parties, ta.is_whole_contract) == (ta_date, parties, True)


def test_wga_votes(wga: Case) -> None:
    # Ratification Oct 2-9, 8,435 to 90 (S43); board Sept 26 (S41, S42); strike authorization
    # 97.85% on Apr 17 (S4, S66); pattern of demands sent Feb 27, vote by Mar 7 (S2, S3, S64).
    ratification = _vote(wga, "wga", VoteSubject.RATIFICATION)
    assert (ratification.opened, ratification.date) == (D(2023, 10, 2), D(2023, 10, 9))
    assert (ratification.yes, ratification.no, ratification.agreement) == (8435, 90, "wga-ta-2023-09-24")
    assert round(100 * (ratification.share_yes or 0)) == 99
    board = _vote(wga, "wga", VoteSubject.BOARD_APPROVAL)
    assert (board.date, board.yes_share) == (D(2023, 9, 26), 1.0)
    authorization = _vote(wga, "wga", VoteSubject.STRIKE_AUTHORIZATION)
    assert (authorization.date, authorization.yes_share) == (D(2023, 4, 17), 0.9785)
    demands = _vote(wga, "wga", VoteSubject.PATTERN_OF_DEMANDS)
    assert (demands.opened, demands.date, demands.passed) == (D(2023, 2, 27), D(2023, 3, 7), True)


def test_sag_aftra_votes(sag: Case) -> None:
    # Ratification Dec 5, 78.33% yes, turnout 38.15% (S59, S60); board Nov 10, 86% (S57, S58);
    # strike authorization 97.91% on Jun 5 (S53, S68); the board's unanimous strike vote Jul 13 (S54).
    ratification = _vote(sag, "sag-aftra", VoteSubject.RATIFICATION)
    assert (ratification.date, ratification.yes_share, ratification.turnout) == (
        D(2023, 12, 5),
        0.7833,
        0.3815,
    )
    assert ratification.agreement == "sag-aftra-ta-2023-11-08"
    board = _vote(sag, "sag-aftra", VoteSubject.BOARD_APPROVAL)
    assert (board.date, board.yes_share, board.agreement) == (
        D(2023, 11, 10),
        0.86,
        "sag-aftra-ta-2023-11-08",
    )
    authorizations = sorted(
        (e.date, e.yes_share)
        for e in sag.events
        if isinstance(e, Vote) and e.subject is VoteSubject.STRIKE_AUTHORIZATION
    )
    assert authorizations == [(D(2023, 6, 5), 0.9791), (D(2023, 7, 13), 1.0)]


def _compounded(text: str) -> float | None:
    """The compounded increase of the first "a% / b% / c%" in ``text``, rounded as the press does."""
    rate = r"(\d+(?:\.\d+)?)%(?: \([^)]*\))?"  # a rate, with its effective date where given
    match = re.search(" / ".join([rate] * 3), text)
    if match is None:
        return None
    growth = math.prod(1 + float(rate) / 100 for rate in match.groups())
    return round(100 * (growth - 1), 1)


def test_min_pay_values_are_the_compounded_year_by_year_terms(wga: Case) -> None:
    # WGA May 1 6/5/5 and AMPTP 4/3/2 (S34); Aug 4 and Aug 11 5/4/3.5 (S10, S19, S36); final (S45, S46).
    ta = wga.record("wga-ta-2023-09-24")
    assert isinstance(ta, TentativeAgreement)
    positions = [p.positions["min_pay"] for p in wga.proposals if "min_pay" in p.positions]
    positions.append(ta.terms["min_pay"])
    checked = 0
    for position in positions:
        expected = _compounded(position.text or "")
        if position.value is not None and expected is not None:
            assert position.value == pytest.approx(expected), position.text
            checked += 1
    assert checked == 5  # WGA May 1, AMPTP May 1, Aug 4, Aug 11 and the final terms


def test_aug_11_offer_has_the_pattern_terms(wga: Case) -> None:
    # S19, S36 (pay), S36, S87, S88 (AI), S48, S83, S84 (residuals, data).
    offer = wga.proposal("amptp-2023-08-11")
    assert (offer.from_party, offer.to_party, offer.answers) == ("amptp", "wga", ("wga-2023-05-01",))
    min_pay = offer.positions["min_pay"]
    assert min_pay.value == 13.0
    assert "5% / 4% / 3.5%" in (min_pay.text or "")
    assert offer.positions["ai"].value == {"not_a_writer", "not_source_material", "disclosure"}
    assert "no_training" not in (offer.positions["ai"].value or set())
    assert offer.positions["residuals"].value == {"foreign_svod_increase", "view_data"}


def test_opening_positions_and_counter(wga: Case) -> None:
    # May 1: S8, S34, S37, S38 (pay, staffing, duration, AI), S86; Aug 15: S49, S79.
    union, studios = wga.proposal("wga-2023-05-01"), wga.proposal("amptp-2023-05-01")
    assert (union.positions["min_pay"].value, studios.positions["min_pay"].value) == (16.9, 9.3)
    assert (union.positions["staffing"].value, studios.positions["staffing"].value) == (6, 0)
    assert (union.positions["duration"].value, studios.positions["duration"].value) == (10, 0)
    assert studios.positions["ai"].value == {"tech_meetings"}
    counter = wga.proposal("wga-2023-08-15")
    # the cut "by one writer" was in development rooms (S17): the writers'-room ask stays 6
    assert (counter.answers, counter.positions["staffing"].value) == (("amptp-2023-08-11",), 6)
    assert set(counter.positions) == {"staffing"}  # nothing else about the Aug 15 counter is public


def test_final_wga_terms(wga: Case) -> None:
    # S42, S45, S46, S80, S81, S82, S85, S89.
    ta = wga.record("wga-ta-2023-09-24")
    assert isinstance(ta, TentativeAgreement)
    values = {issue: position.value for issue, position in ta.terms.items()}
    assert values["min_pay"] == 13.0 and values["staffing"] == 3 and values["duration"] == 10
    assert values["health_pension"] == 12.0
    assert values["residuals"] == {
        "foreign_svod_increase",
        "viewership_bonus",
        "view_data",
        "view_data_to_members",
    }
    assert values["ai"] == {
        "not_a_writer",
        "not_source_material",
        "no_required_use",
        "disclosure",
        "training_reserved",
    }


def test_final_sag_aftra_terms_and_offers(sag: Case) -> None:
    # 11% vs 5% in July (S71, S72), 7% on Oct 24 (S76), the Nov 4 offer (S62, S77), final (S57, S93).
    ta = sag.record("sag-aftra-ta-2023-11-08")
    assert isinstance(ta, TentativeAgreement)
    assert ta.terms["wages"].value == 7
    assert ta.terms["ai"].value == {"replica_consent", "replica_pay", "deceased_replicas"}
    first_year = [(p.id, p.positions["wages"].value) for p in sag.proposals if "wages" in p.positions]
    assert first_year == [
        ("sag-aftra-2023-07-12", 11),
        ("amptp-2023-07-12", 5),
        ("amptp-2023-10-11", 5),
        ("amptp-2023-10-24", 7),
        ("amptp-2023-11-04", 7),
    ]
    assert sag.proposal("amptp-2023-11-04").positions["wages"].confidence is Confidence.C


def test_requests_and_whose_turn(wga: Case) -> None:
    # Requests Aug 1 and Aug 10 (S11, S12), Sept 13 answered Sept 14 (S27); claims S24, S14, S16.
    # The AMPTP's Sept 8 request on AI (S16, S17) has no answer on the record.
    requests = {e.id: e for e in wga.events if e.kind == "request"}
    assert sorted((r.date, r.from_party) for r in requests.values()) == [
        (D(2023, 8, 1), "amptp"),
        (D(2023, 8, 10), "amptp"),
        (D(2023, 9, 8), "amptp"),
        (D(2023, 9, 13), "wga"),
    ]
    answered = {e.responds_to: e.date for e in wga.events if e.kind == "response"}
    assert answered["request-wga-2023-09-13"] == D(2023, 9, 14)
    assert set(requests) - set(answered) == {"request-amptp-2023-09-08-ai"}
    assert requests["request-amptp-2023-09-08-ai"].issues == ("ai",)
    claims = {(e.date, e.party): e.turn_of for e in wga.events if e.kind == "statement" and e.turn_of}
    assert claims == {
        (D(2023, 8, 30), "amptp"): "wga",
        (D(2023, 8, 30), "wga"): "amptp",
        (D(2023, 9, 8), "amptp"): "wga",
        (D(2023, 9, 8), "wga"): "amptp",
    }


def _estimate(case: Case, estimate_id: str) -> Estimate:
    (estimate,) = [e for e in case.estimates if e.id == estimate_id]
    return estimate


def test_economic_estimates_keep_their_scopes(wga: Case) -> None:
    # WBD $300-500M (S25, S26); the cost of the WGA's ask, $343M on the eight largest (S9).
    wbd = _estimate(wga, "wbd-ebitda-2023-09")
    assert (wbd.low, wbd.high, wbd.confidence) == (300e6, 500e6, Confidence.A)
    costs = [e for e in wga.estimates if e.id.startswith("cost-")]
    assert len(costs) == 12
    assert len({e.scope for e in costs}) == len(costs)  # different things counted: not one series
    ucla, reuters = _estimate(wga, "cost-la-ucla-2024-03"), _estimate(wga, "cost-states-both-reuters-2023-11")
    assert "Los Angeles" in ucla.scope and "Georgia" in reuters.scope
    assert (ucla.low, reuters.low) == (1.5e9, 6e9)
    assert _estimate(wga, "cost-per-day-derived").confidence is Confidence.C
    cost_of_ask = sum(
        (e.low or 0)
        for e in wga.estimates
        if re.fullmatch(r"wga-ask-cost-[a-z]+-2023-05-16", e.id) and "eight" not in e.id
    )
    assert cost_of_ask == _estimate(wga, "wga-ask-cost-eight-2023-05-16").low == 343e6
