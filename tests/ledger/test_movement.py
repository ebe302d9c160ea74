import pytest
from ledger_cases import ISSUES, day, event, make_case, proposal

from accord.ledger import GapLabel, movement, who_moved
from accord.model import Direction


def _one(found, party, issue):
    return next(m for m in found if m.party == party and m.issue == issue)


def test_numeric_concession_and_hardening_follow_the_stated_direction():
    case = make_case(
        [
            proposal("w1", "2023-05-01", "wga", "amptp", positions={"pay": 6}),
            proposal("a1", "2023-05-01", "amptp", "wga", positions={"pay": 4}),
            proposal("a2", "2023-06-01", "amptp", "wga", positions={"pay": 3}),  # away from the WGA
            proposal("a3", "2023-08-11", "amptp", "wga", positions={"pay": 5}),  # toward it
            proposal("a4", "2023-08-18", "amptp", "wga", positions={"pay": 5}),  # same value: no move
        ]
    )
    found = movement(case, day("2023-09-08"))
    amptp = _one(found, "amptp", "pay")
    assert (amptp.opening.proposal_id, amptp.latest.proposal_id) == ("a1", "a4")
    assert amptp.moves == 2
    assert amptp.concession == pytest.approx(0.2)
    assert amptp.hardening == pytest.approx(0.1)
    assert (amptp.direction, amptp.direction_basis) == (Direction.LOWER, "stated")
    wga = _one(found, "wga", "pay")
    assert (wga.moves, wga.concession, wga.hardening) == (0, 0.0, 0.0)
    assert wga.entrenched and wga.gap_label is GapLabel.APART  # half the opening gap still open
    assert not amptp.entrenched


def _no_directions():
    issues = [dict(ISSUES[0]), *ISSUES[1:]]
    issues[0].pop("directions")
    return issues


def test_unknown_direction_is_read_from_the_other_sides_stated_one_or_from_the_openings():
    moves = [
        proposal("w1", "2023-05-01", "wga", "amptp", positions={"pay": 6, "staffing": "min6"}),
        proposal("a1", "2023-05-01", "amptp", "wga", positions={"pay": 2, "staffing": "none"}),
        proposal("w2", "2023-08-15", "wga", "amptp", positions={"pay": 5, "staffing": "min2"}),
    ]
    issues = _no_directions()
    issues[0]["directions"] = {"amptp": "lower"}
    wga = _one(movement(make_case(moves, issues=issues), day("2023-09-01")), "wga", "pay")
    assert (wga.direction, wga.direction_basis, wga.concession) == (
        Direction.HIGHER,
        "other side",
        pytest.approx(0.1),
    )
    found = movement(make_case(moves, issues=_no_directions()), day("2023-09-01"))
    staffing = _one(found, "wga", "staffing")
    assert (staffing.direction, staffing.direction_basis) == (Direction.HIGHER, "openings")
    assert staffing.concession == pytest.approx(1 / 3)  # min6 -> min2: one step of three
    assert _one(found, "wga", "pay").direction_basis == "openings"


def test_unknown_direction_with_no_other_side_counts_moves_but_no_concession():
    case = make_case(
        [
            proposal("w1", "2023-05-01", "wga", "amptp", positions={"pay": 6}),
            proposal("w2", "2023-06-01", "wga", "amptp", positions={"pay": 5}),
        ],
        issues=_no_directions(),
    )
    wga = _one(movement(case, day("2023-09-01")), "wga", "pay")
    assert (wga.moves, wga.concession, wga.hardening, wga.direction) == (1, 0.0, 0.0, None)
    assert wga.gap_label is GapLabel.NO_POSITION and not wga.entrenched


def test_provision_concession_counts_dropped_and_added_provisions():
    case = make_case(
        [
            proposal(
                "w1",
                "2023-05-01",
                "wga",
                "amptp",
                positions={"ai": ["not_writer", "not_source", "no_training"]},
            ),
            proposal("a1", "2023-05-01", "amptp", "wga", positions={"ai": []}),
            # AMPTP adds two provisions the WGA wants and one it does not ask for
            proposal(
                "a2",
                "2023-08-11",
                "amptp",
                "wga",
                positions={"ai": ["not_writer", "not_source", "disclosure"]},
            ),
            # WGA drops no_training (AMPTP lacks it) and adds disclosure (AMPTP has it)
            proposal(
                "w2",
                "2023-08-15",
                "wga",
                "amptp",
                positions={"ai": ["not_writer", "not_source", "disclosure"]},
            ),
        ]
    )
    found = movement(case, day("2023-09-08"))
    amptp = _one(found, "amptp", "ai")
    assert amptp.concession == pytest.approx(2 / 4)
    assert amptp.hardening == pytest.approx(1 / 4)
    wga = _one(found, "wga", "ai")
    assert wga.concession == pytest.approx(2 / 4) and wga.hardening == 0.0
    assert wga.gap_label is GapLabel.AGREED and not wga.entrenched


def test_categorical_concession_is_reaching_the_other_sides_option():
    case = make_case(
        [
            proposal("w1", "2023-05-01", "wga", "amptp", positions={"duration": "20wk"}),
            proposal("a1", "2023-05-01", "amptp", "wga", positions={"duration": "none"}),
            proposal("a2", "2023-08-11", "amptp", "wga", positions={"duration": "10wk"}),
            proposal("w2", "2023-08-15", "wga", "amptp", positions={"duration": "10wk"}),
        ]
    )
    found = movement(case, day("2023-09-08"))
    assert _one(found, "amptp", "duration").concession == 0.0  # none -> 10wk is still not the WGA's 20wk
    assert _one(found, "wga", "duration").concession == 1.0  # 20wk -> 10wk meets the AMPTP's Aug 11 option


def test_entrenched_needs_a_position_a_remaining_gap_and_little_concession():
    case = make_case(
        [
            proposal("w1", "2023-05-01", "wga", "amptp", positions={"staffing": "min6", "pay": 6}),
            proposal("a1", "2023-05-01", "amptp", "wga", positions={"staffing": "none", "pay": 4}),
            proposal("w2", "2023-08-15", "wga", "amptp", positions={"staffing": "min2"}),
        ],
        [event("ta", "tentative_agreement", "2023-09-01", parties=["wga", "amptp"], issues=["pay"])],
    )
    found = movement(case, day("2023-09-08"))
    assert _one(found, "amptp", "staffing").entrenched
    assert not _one(found, "wga", "staffing").entrenched
    assert not _one(found, "amptp", "pay").entrenched  # TA'd: no gap remains
    assert not _one(found, "amptp", "ai").entrenched  # no position
    assert not _one(
        movement(case, day("2023-09-08"), entrenched_threshold=0.0), "amptp", "staffing"
    ).entrenched


def test_who_moved_sums_per_party():
    case = make_case(
        [
            proposal("w1", "2023-05-01", "wga", "amptp", positions={"staffing": "min6", "pay": 6}),
            proposal("a1", "2023-05-01", "amptp", "wga", positions={"staffing": "none", "pay": 4}),
            proposal("w2", "2023-08-15", "wga", "amptp", positions={"staffing": "min2", "pay": 5.5}),
        ]
    )
    wga, amptp = who_moved(case, day("2023-09-08"))
    assert (wga.party, wga.issues_with_position, wga.issues_moved, wga.moves) == (
        "wga",
        2,
        ("pay", "staffing"),
        2,
    )
    assert wga.concession == pytest.approx(0.05 + 1 / 3)
    assert (amptp.party, amptp.moves, amptp.concession, amptp.entrenched_issues) == (
        "amptp",
        0,
        0.0,
        ("pay", "staffing"),
    )
    assert [s.party for s in who_moved(case, day("2023-09-08"), "amptp", "wga")] == ["amptp", "wga"]
