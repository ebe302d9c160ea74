import dataclasses
import datetime as dt
import json
from enum import Enum

import pytest
from ledger_cases import day, event, make_case, proposal, strike

from accord.ledger import (
    GapLabel,
    StoppageState,
    gaps,
    pending,
    positions_as_of,
    status,
    stoppages,
    ta_board,
    timeline,
    to_jsonable,
)


def _case():
    return make_case(
        [
            proposal(
                "wga-05-01",
                "2023-05-01",
                "wga",
                "amptp",
                positions={"pay": 6, "ai": ["not_writer", "no_training"]},
            ),
            proposal("amptp-05-01", "2023-05-01", "amptp", "wga", positions={"pay": 4, "ai": []}),
            proposal("amptp-08-11", "2023-08-11", "amptp", "wga", positions={"pay": 5, "ai": ["not_writer"]}),
        ],
        [
            *strike("wga-strike", "2023-05-02", "2023-09-27", end_time="00:01"),
            *strike("sag-strike", "2023-07-14", "2023-11-09", end_time="00:01", by="sag"),
            event(
                "claim",
                "statement",
                "2023-08-30",
                party="amptp",
                summary="your move",
                turn_of="wga",
                sources=["S1"],
            ),
            event("ta", "tentative_agreement", "2023-09-24", parties=["wga", "amptp"]),
        ],
    )


def test_status_puts_every_view_in_one_value():
    case = _case()
    report = status(case, day("2023-09-08"))
    assert (report.case_id, report.title, report.as_of, report.sides) == (
        "toy",
        "Toy talks",
        day("2023-09-08"),
        ("wga", "amptp"),
    )
    assert list(report.gaps) == gaps(case, day("2023-09-08"))
    assert list(report.ta_board) == ta_board(case, day("2023-09-08"))
    assert report.pending == pending(case, day("2023-09-08"))
    assert [s.day_number for s in report.stoppages] == [130, 57]
    assert [m.party for m in report.who_moved] == ["wga", "amptp"]
    assert len(report.movement) == 2 * len(case.issues)
    assert [e.record_id for e in report.recent] == [e.record_id for e in timeline(case, day("2023-09-08"))][
        -5:
    ]
    assert status(case, day("2023-09-08"), recent=0).recent == ()


def test_status_leaves_out_stoppages_not_started_yet():
    report = status(_case(), day("2023-06-01"))
    assert [s.stoppage for s in report.stoppages] == ["wga-strike"]
    assert [s.state for s in stoppages(_case(), day("2023-06-01"))] == [StoppageState.IN_FORCE]


def test_status_after_the_tentative_agreement_shows_every_issue_agreed():
    report = status(_case(), day("2023-09-24"))
    assert {g.label for g in report.gaps} == {GapLabel.AGREED}
    assert not any(m.entrenched for m in report.movement)


def test_to_jsonable_converts_dates_enums_sets_and_nesting():
    data = to_jsonable(positions_as_of(_case(), day("2023-09-08"), "wga"))
    assert data["ai"] == {
        "party": "wga",
        "issue": "ai",
        "value": ["no_training", "not_writer"],
        "text": None,
        "proposal_id": "wga-05-01",
        "date": "2023-05-01",
        "value_proposal_id": "wga-05-01",
        "confidence": "A",
        "provenance": "stated",
        "value_date": "2023-05-01",
        "value_confidence": "A",
        "sources": [],
        "agreement": None,
    }
    assert to_jsonable({"t": dt.time(0, 1), "x": float("nan"), 3: (1, 2)}) == {
        "t": "00:01:00",
        "x": None,
        "3": [1, 2],
    }
    with pytest.raises(TypeError, match="cannot convert object"):
        to_jsonable(object())


def _check_plain(value):
    """Only JSON types, all the way down."""
    if isinstance(value, dict):
        assert all(isinstance(k, str) for k in value)
        for item in value.values():
            _check_plain(item)
    elif isinstance(value, list):
        for item in value:
            _check_plain(item)
    else:
        assert value is None or isinstance(value, (str, int, float, bool))
        assert not isinstance(value, Enum)


def test_every_view_round_trips_through_json_with_one_key_per_field():
    case = _case()
    report = status(case, day("2023-09-08"))
    data = to_jsonable(report)
    _check_plain(data)
    assert json.loads(json.dumps(data)) == data
    assert list(data) == [f.name for f in dataclasses.fields(report)]
    assert list(data["pending"]) == [f.name for f in dataclasses.fields(report.pending)]
    assert data["gaps"][0]["label"] in {label.value for label in GapLabel}
    assert data["stoppages"][0]["start_time"] == "00:01:00"
    assert data["ta_board"][0]["terms"] is None
    _check_plain(to_jsonable(timeline(case)))
