import datetime as dt

import pytest
from ledger_cases import day, event, make_case, proposal, strike

from accord.ledger import effective_records, timeline
from accord.model import Confidence


def _ids(entries):
    return [e.record_id for e in entries]


def test_effective_records_keep_only_the_newest_of_a_correction_chain():
    case = make_case(
        [
            proposal("p1", "2023-05-01", "wga", "amptp", positions={"pay": 6}),
            proposal("p1-fix", "2023-05-01", "wga", "amptp", positions={"pay": 5}, supersedes="p1"),
            proposal("p1-fix2", "2023-05-01", "wga", "amptp", positions={"pay": 5.5}, supersedes="p1-fix"),
        ],
        [event("m", "milestone", "2023-04-01", summary="contract expires soon")],
    )
    assert [r.id for r in effective_records(case)] == ["m", "p1-fix2"]


def test_timeline_orders_by_date_then_time_with_unknown_time_first():
    case = make_case(
        [proposal("late", "2023-08-11", "amptp", "wga", time="18:00")],
        [
            event("noon", "milestone", "2023-08-11", time="12:00", summary="noon"),
            event("dayonly", "milestone", "2023-08-11", summary="no time"),
            event("before", "milestone", "2023-08-10", time="23:00", summary="day before"),
        ],
    )
    assert _ids(timeline(case)) == ["before", "dayonly", "noon", "late"]


def test_timeline_marks_superseded_records_and_can_leave_them_out():
    case = make_case(
        events=[
            event("st", "statement", "2023-08-30", party="amptp", summary="first report", sources=["S1"]),
            event("st-fix", "statement", "2023-08-30", party="amptp", summary="corrected", supersedes="st"),
        ]
    )
    entries = {e.record_id: e for e in timeline(case)}
    assert entries["st"].superseded_by == "st-fix"
    assert entries["st-fix"].supersedes == "st"
    assert entries["st-fix"].superseded_by is None
    assert _ids(timeline(case, include_superseded=False)) == ["st-fix"]


def test_timeline_as_of_and_date_range_are_inclusive():
    case = make_case(
        events=[event(f"m{d}", "milestone", f"2023-09-{d:02d}", summary=str(d)) for d in (1, 8, 15, 24)]
    )
    assert _ids(timeline(case, day("2023-09-15"))) == ["m1", "m8", "m15"]
    assert _ids(timeline(case, start=day("2023-09-08"), end=day("2023-09-15"))) == ["m8", "m15"]
    assert _ids(timeline(case, dt.datetime(2023, 9, 8, 23, 0))) == ["m1", "m8"]


def test_party_filter_matches_any_party_involved():
    case = make_case(
        [proposal("p", "2023-05-01", "wga", "amptp")],
        [
            *strike("sag-strike", "2023-07-14", "2023-11-09", by="sag"),
            event("vote", "vote", "2023-10-09", party="wga", subject="ratification", passed=True),
            event("claim", "statement", "2023-08-30", party="amptp", summary="your move", turn_of="wga"),
        ],
    )
    assert _ids(timeline(case, parties=["sag"])) == ["sag-strike-start", "sag-strike-end"]
    assert _ids(timeline(case, parties=["wga"])) == ["p", "claim", "vote"]
    assert _ids(timeline(case, parties=["netflix"])) == []


def test_issue_filter_keeps_proposals_with_a_position_and_agreements_covering_it():
    case = make_case(
        [
            proposal("pay-only", "2023-05-01", "wga", "amptp", positions={"pay": 6}),
            proposal("ai-only", "2023-05-02", "amptp", "wga", positions={"ai": ["not_writer"]}),
        ],
        [
            event("ta-ai", "tentative_agreement", "2023-09-01", parties=["wga", "amptp"], issues=["ai"]),
            event("ta-all", "tentative_agreement", "2023-09-24", parties=["wga", "amptp"]),
            event("talks", "talks_held", "2023-08-11", parties=["wga", "amptp"]),
        ],
    )
    assert _ids(timeline(case, issues=["ai"])) == ["ai-only", "ta-ai", "ta-all"]
    assert _ids(timeline(case, issues=["pay"])) == ["pay-only", "ta-all"]
    whole = next(e for e in timeline(case) if e.record_id == "ta-all")
    assert whole.issues == ("pay", "staffing", "duration", "ai")


def test_entries_carry_sources_confidence_and_a_one_line_summary():
    case = make_case(
        [
            proposal(
                "p",
                "2023-08-15",
                "wga",
                "amptp",
                positions={"staffing": "min6"},
                sources=["S4"],
                confidence="B",
            )
        ],
        [
            event(
                "s",
                "statement",
                "2023-09-08",
                party="wga",
                summary="AMPTP\n  paralysis",
                sources=["S1", "S2"],
            ),
            event(
                "v", "vote", "2023-10-09", party="wga", subject="ratification", passed=True, yes=8435, no=90
            ),
        ],
    )
    entries = {e.record_id: e for e in timeline(case)}
    assert entries["p"].summary == "WGA → AMPTP: proposal on staffing"
    assert (entries["p"].sources, entries["p"].confidence) == (("S4",), Confidence.B)
    assert entries["p"].kind == "proposal" and entries["p"].parties == ("wga", "amptp")
    assert entries["s"].summary == "AMPTP paralysis"
    assert entries["s"].sources == ("S1", "S2")
    assert entries["v"].summary == "WGA ratification vote passed, 98.9% yes"


def test_unknown_parties_and_issues_in_the_filters_are_named():
    case = make_case([proposal("p", "2023-05-01", "wga", "amptp")])
    with pytest.raises(ValueError, match=r"unknown party 'dga'; expected one of \['amptp'"):
        timeline(case, parties=["wga", "dga"])
    with pytest.raises(ValueError, match="unknown issue 'wages'"):
        timeline(case, issues=["wages"])
