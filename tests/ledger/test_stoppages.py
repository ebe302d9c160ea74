import pytest
from ledger_cases import day, event, make_case, strike

from accord.ledger import StoppageState, stoppages


def _count(case, date):
    (only,) = stoppages(case, day(date))
    return only


@pytest.mark.parametrize(
    ("date", "state", "day_number", "completed", "total"),
    [
        ("2023-05-02", StoppageState.IN_FORCE, 1, 0, None),
        ("2023-05-03", StoppageState.IN_FORCE, 2, 1, None),
        ("2023-09-26", StoppageState.IN_FORCE, 148, 147, None),
        ("2023-09-27", StoppageState.ENDED, None, 148, 148),  # ended at 12:01 a.m. on the end day
        ("2024-01-01", StoppageState.ENDED, None, 148, 148),
    ],
)
def test_a_strike_ending_at_1201_am_is_not_in_force_on_its_end_date(
    date, state, day_number, completed, total
):
    count = _count(make_case(events=strike("wga-strike", "2023-05-02", "2023-09-27", end_time="00:01")), date)
    assert (count.state, count.day_number, count.days_completed, count.total_days) == (
        state,
        day_number,
        completed,
        total,
    )


def test_a_strike_ending_in_the_afternoon_was_in_force_on_its_end_date():
    case = make_case(events=strike("s", "2023-05-02", "2023-09-27", end_time="15:00"))
    end_day = _count(case, "2023-09-27")
    assert (end_day.state, end_day.day_number, end_day.total_days, end_day.last_day) == (
        StoppageState.ENDED,
        149,
        149,
        day("2023-09-27"),
    )
    assert _count(case, "2023-09-28").day_number is None


def test_an_end_without_a_time_counts_as_the_start_of_the_day():
    count = _count(make_case(events=strike("s", "2023-07-14", "2023-11-09")), "2023-12-05")
    assert (count.total_days, count.last_day) == (118, day("2023-11-08"))


def test_an_end_dated_after_as_of_is_not_yet_known():
    count = _count(make_case(events=strike("s", "2023-07-14", "2023-11-09")), "2023-11-08")
    assert (count.state, count.day_number, count.end_id, count.total_days) == (
        StoppageState.IN_FORCE,
        118,
        None,
        None,
    )


def test_concurrent_stoppages_are_counted_side_by_side():
    case = make_case(
        events=[
            *strike("wga-strike", "2023-05-02", "2023-09-27", end_time="00:01"),
            *strike("sag-strike", "2023-07-14", "2023-11-09", end_time="00:01", by="sag"),
        ]
    )
    counts = {c.stoppage: c for c in stoppages(case, day("2023-09-08"))}
    assert [c.stoppage for c in stoppages(case, day("2023-09-08"))] == ["wga-strike", "sag-strike"]
    assert (counts["wga-strike"].day_number, counts["wga-strike"].days_completed) == (130, 129)
    assert (counts["sag-strike"].day_number, counts["sag-strike"].days_completed) == (57, 56)
    assert counts["sag-strike"].by == "sag" and counts["sag-strike"].against == "amptp"


def test_a_corrected_start_date_replaces_the_wrong_one():
    case = make_case(
        events=[
            event(
                "wrong",
                "stoppage_started",
                "2023-07-13",
                stoppage="s",
                by="sag",
                against="amptp",
                sources=["S1"],
            ),
            event(
                "right",
                "stoppage_started",
                "2023-07-14",
                stoppage="s",
                by="sag",
                against="amptp",
                supersedes="wrong",
            ),
            event(
                "end",
                "stoppage_ended",
                "2023-11-09",
                time="00:01",
                stoppage="s",
                how="suspended",
                sources=["S2"],
            ),
        ]
    )
    count = _count(case, "2023-11-09")
    assert (count.start_id, count.start_date, count.total_days, count.how) == (
        "right",
        day("2023-07-14"),
        118,
        "suspended",
    )
    assert count.sources == ("S2",)
    # before the correction is known, the record it corrects stands
    before = _count(case, "2023-07-13")
    assert (before.start_id, before.state, before.day_number) == ("wrong", StoppageState.IN_FORCE, 1)


def test_a_stoppage_exists_only_from_its_start():
    case = make_case(events=strike("wga-strike", "2023-05-02", "2023-09-27", end_time="00:01"))
    assert stoppages(case, day("2023-05-01")) == []
    assert [s.stoppage for s in stoppages(case, day("2023-05-02"))] == ["wga-strike"]


def test_an_announced_stoppage_is_listed_from_its_announcement_as_not_started():
    (start,) = strike("sag-strike", "2023-07-14")
    case = make_case(events=[{**start, "announced": "2023-07-13"}])
    assert stoppages(case, day("2023-07-12")) == []
    announced = _count(case, "2023-07-13")
    assert (announced.state, announced.day_number, announced.days_completed) == (
        StoppageState.NOT_STARTED,
        None,
        0,
    )
    assert _count(case, "2023-07-14").day_number == 1


def test_an_announcement_after_the_start_is_refused():
    (start,) = strike("sag-strike", "2023-07-14")
    with pytest.raises(ValueError, match=r"announced[\s\S]*on or before the start \(2023-07-14\)"):
        make_case(events=[{**start, "announced": "2023-07-15"}])


def test_an_end_known_later_leaves_the_stoppage_in_force_until_then():
    events = strike("wga-strike", "2023-05-02", "2023-09-27", end_time="00:01")
    events[1] = {**events[1], "known": "2023-09-30"}
    case = make_case(events=events)
    assert _count(case, "2023-09-28").state is StoppageState.IN_FORCE
    assert (_count(case, "2023-09-30").state, _count(case, "2023-09-30").total_days) == (
        StoppageState.ENDED,
        148,
    )


def test_a_stoppage_called_off_at_1201_am_on_its_first_day_lasted_zero_days():
    count = _count(make_case(events=strike("s", "2023-05-02", "2023-05-02", end_time="00:01")), "2023-05-02")
    assert (count.state, count.day_number, count.total_days, count.days_completed) == (
        StoppageState.ENDED,
        None,
        0,
        0,
    )
