"""Dates resolved against the published date: the same article gives the same dates whatever
day it is read (no clock)."""

from __future__ import annotations

import datetime as dt

import pytest

from accord.ingest.dates import find_dates

SAT = dt.date(2023, 9, 9)  # a Saturday


def _dates(text: str, published: dt.date = SAT) -> list[tuple[str, tuple[dt.date, ...]]]:
    return [(m.text, m.dates) for m in find_dates(text, published)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("said Friday", dt.date(2023, 9, 8)),
        ("earlier Friday", dt.date(2023, 9, 8)),
        ("late Friday", dt.date(2023, 9, 8)),
        ("on Saturday", dt.date(2023, 9, 9)),
        ("last Saturday", dt.date(2023, 9, 2)),
        ("Tuesday night", dt.date(2023, 9, 5)),
        ("will meet Tuesday", dt.date(2023, 9, 12)),
        ("next Monday", dt.date(2023, 9, 11)),
        ("talks set to resume on Wednesday", dt.date(2023, 9, 13)),
        ("yesterday", dt.date(2023, 9, 8)),
        ("last week", dt.date(2023, 9, 2)),
        ("two days ago", dt.date(2023, 9, 7)),
        ("since Aug. 18", dt.date(2023, 8, 18)),
        ("on Sept. 20", dt.date(2023, 9, 20)),
        ("Dec. 5, 2022", dt.date(2022, 12, 5)),
        ("on 2023-08-11", dt.date(2023, 8, 11)),
    ],
)
def test_a_date_is_resolved_against_the_published_date(text, expected):
    found = _dates(text)
    assert len(found) == 1 and found[0][1] == (expected,), found


def test_lists_and_ranges_of_days_give_one_date_each():
    assert _dates("offers on August 17th and 18th") == [
        ("August 17th and 18th", (dt.date(2023, 8, 17), dt.date(2023, 8, 18)))
    ]
    assert _dates("sessions on Aug. 16-18")[0][1] == (
        dt.date(2023, 8, 16),
        dt.date(2023, 8, 17),
        dt.date(2023, 8, 18),
    )


def test_a_month_day_without_year_takes_the_nearest_year():
    assert _dates("on Dec. 28", dt.date(2024, 1, 3))[0][1] == (dt.date(2023, 12, 28),)
    assert _dates("on Jan. 4", dt.date(2023, 12, 30))[0][1] == (dt.date(2024, 1, 4),)


def test_a_month_alone_is_its_first_day_in_the_past():
    found = find_dates("its April offer", dt.date(2025, 6, 3))
    assert [(m.dates, m.precision) for m in found] == [((dt.date(2025, 4, 1),), "month")]
    assert find_dates("since May, the guild", SAT)[0].dates == (dt.date(2023, 5, 1),)
    assert find_dates("May I say the offer was poor", SAT) == []


def test_numbers_that_are_not_days_stay_out_of_ranges():
    assert _dates("on Sept. 27 after 148 days") == [("Sept. 27", (dt.date(2023, 9, 27),))]
    assert _dates("on Aug. 11 and 15% more") == [("Aug. 11", (dt.date(2023, 8, 11),))]
