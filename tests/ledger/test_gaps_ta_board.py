import pytest
from ledger_cases import day, event, make_case, proposal

from accord.ledger import GapLabel, TAState, gaps, ta_board


def _by_issue(found):
    return {g.issue: g for g in found}


OPENING = [
    proposal(
        "wga-05-01",
        "2023-05-01",
        "wga",
        "amptp",
        positions={
            "pay": 6,
            "staffing": "min6",
            "duration": "20wk",
            "ai": ["not_writer", "not_source", "no_training"],
        },
    ),
    proposal(
        "amptp-05-01",
        "2023-05-01",
        "amptp",
        "wga",
        positions={"pay": 4, "staffing": "none", "ai": ["not_writer", "disclosure"]},
    ),
]


def test_distance_per_issue_type_and_labels():
    found = _by_issue(gaps(make_case(OPENING), day("2023-05-02")))
    assert found["pay"].distance == pytest.approx(0.2)  # 2 points of a 0-10 range
    assert (found["pay"].open_share, found["pay"].label) == (1.0, GapLabel.APART)  # the openings: all open
    assert found["staffing"].distance == 1.0  # 3 steps of 3
    assert found["staffing"].label is GapLabel.APART
    assert found["ai"].distance == pytest.approx(3 / 4)  # {not_source, no_training, disclosure} / union of 4
    assert found["duration"].distance is None
    assert found["duration"].label is GapLabel.NO_POSITION
    assert found["duration"].proposal_a == "wga-05-01" and found["duration"].proposal_b is None


def test_holes_are_the_provisions_one_side_wants_that_the_other_lacks():
    ai = _by_issue(gaps(make_case(OPENING), day("2023-05-02")))["ai"]
    assert ai.holes_a == ("not_source", "no_training")
    assert ai.holes_b == ("disclosure",)
    flipped = _by_issue(gaps(make_case(OPENING), day("2023-05-02"), "amptp", "wga"))["ai"]
    assert (flipped.holes_a, flipped.holes_b) == (ai.holes_b, ai.holes_a)
    assert _by_issue(gaps(make_case(OPENING), day("2023-05-02")))["pay"].holes_a == ()


def test_empty_provision_sets_on_both_sides_are_agreed():
    case = make_case(
        [
            proposal("a", "2023-05-01", "wga", "amptp", positions={"ai": []}),
            proposal("b", "2023-05-01", "amptp", "wga", positions={"ai": []}),
        ]
    )
    ai = _by_issue(gaps(case, day("2023-05-01")))["ai"]
    assert (ai.distance, ai.label) == (0.0, GapLabel.AGREED)


def test_ranking_runs_from_largest_gap_to_smallest_with_no_position_last():
    found = gaps(make_case(OPENING), day("2023-05-02"))
    assert [g.issue for g in found] == ["staffing", "ai", "pay", "duration"]


def test_close_threshold_moves_the_close_apart_line():
    moved = make_case(
        [*OPENING, proposal("amptp-06-01", "2023-06-01", "amptp", "wga", positions={"pay": 5.5})]
    )
    pay = _by_issue(gaps(moved, day("2023-06-01")))["pay"]
    assert pay.open_share == pytest.approx(0.25) and pay.label is GapLabel.CLOSE
    assert _by_issue(gaps(moved, day("2023-06-01"), close_threshold=0.2))["pay"].label is GapLabel.APART


def test_same_value_is_agreed_and_categorical_is_zero_or_one():
    case = make_case(
        [
            proposal("a", "2023-05-01", "wga", "amptp", positions={"pay": 5, "duration": "10wk"}),
            proposal("b", "2023-05-01", "amptp", "wga", positions={"pay": 5, "duration": "none"}),
        ]
    )
    found = _by_issue(gaps(case, day("2023-05-01")))
    assert (found["pay"].distance, found["pay"].label) == (0.0, GapLabel.AGREED)
    assert (found["duration"].distance, found["duration"].label) == (1.0, GapLabel.APART)


def test_a_tentative_agreement_makes_its_issues_agreed_from_its_date():
    case = make_case(
        OPENING,
        [
            event(
                "ta-ai",
                "tentative_agreement",
                "2023-09-01",
                parties=["amptp", "wga"],
                issues=["ai", "duration"],
            )
        ],
    )
    before = _by_issue(gaps(case, day("2023-08-31")))
    assert before["ai"].label is GapLabel.APART and before["ai"].ta_id is None
    after = _by_issue(gaps(case, day("2023-09-01")))
    assert (after["ai"].label, after["ai"].distance, after["ai"].ta_id) == (GapLabel.AGREED, 0.0, "ta-ai")
    assert after["duration"].label is GapLabel.AGREED  # agreed even with one side silent
    assert after["staffing"].label is GapLabel.APART


def test_ta_board_open_ta_whole_contract_and_withdrawn():
    case = make_case(
        OPENING,
        [
            event(
                "ta-ai",
                "tentative_agreement",
                "2023-09-01",
                parties=["wga", "amptp"],
                issues=["ai", "pay"],
                terms={"pay": 5},
            ),
            event("wd", "ta_withdrawn", "2023-09-05", agreement="ta-ai", issues=["pay"], by="amptp"),
            event("ta-all", "tentative_agreement", "2023-09-24", parties=["wga", "amptp"]),
        ],
    )

    def status(date):
        return {line.issue: line for line in ta_board(case, day(date))}

    assert {k: v.status for k, v in status("2023-08-31").items()} == dict.fromkeys(
        ("pay", "staffing", "duration", "ai"), TAState.OPEN
    )
    sept1 = status("2023-09-01")
    assert (sept1["pay"].status, sept1["pay"].agreement_id, sept1["pay"].terms.value) == (
        TAState.TA,
        "ta-ai",
        5.0,
    )
    assert sept1["staffing"].status is TAState.OPEN
    sept5 = status("2023-09-05")
    assert (sept5["pay"].status, sept5["pay"].withdrawal_id, sept5["pay"].agreement_id) == (
        TAState.WITHDRAWN,
        "wd",
        "ta-ai",
    )
    assert sept5["ai"].status is TAState.TA
    assert _by_issue(gaps(case, day("2023-09-05")))["pay"].label is GapLabel.APART  # open again
    sept24 = status("2023-09-24")
    assert all(
        line.status is TAState.TA and line.agreement_id == "ta-all" and line.whole_contract
        for line in sept24.values()
    )
    assert {g.label for g in gaps(case, day("2023-09-24"))} == {GapLabel.AGREED}


def test_withdrawing_a_whole_agreement_reopens_only_what_it_still_covers():
    case = make_case(
        OPENING,
        [
            event("ta1", "tentative_agreement", "2023-09-01", parties=["wga", "amptp"], issues=["ai", "pay"]),
            event("ta2", "tentative_agreement", "2023-09-02", parties=["wga", "amptp"], issues=["pay"]),
            event("wd", "ta_withdrawn", "2023-09-03", agreement="ta1"),
        ],
    )
    lines = {line.issue: line for line in ta_board(case, day("2023-09-03"))}
    assert lines["ai"].status is TAState.WITHDRAWN
    assert (lines["pay"].status, lines["pay"].agreement_id) == (TAState.TA, "ta2")


def test_agreements_between_other_parties_do_not_count():
    case = make_case(
        OPENING,
        [event("sag-ta", "tentative_agreement", "2023-11-08", parties=["sag", "amptp"])],
    )
    assert {line.status for line in ta_board(case, day("2023-12-01"))} == {TAState.OPEN}
    assert {line.status for line in ta_board(case, day("2023-12-01"), "sag", "amptp")} == {TAState.TA}


@pytest.mark.parametrize("view", [gaps, ta_board])
def test_two_sided_views_name_an_unknown_side(view):
    with pytest.raises(ValueError, match="unknown party 'dga'"):
        view(make_case(OPENING), day("2023-05-02"), "wga", "dga")
