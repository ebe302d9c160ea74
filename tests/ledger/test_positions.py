import pytest
from ledger_cases import PARTIES, day, make_case, proposal

from accord.ledger import positions_as_of, sides
from accord.ledger.positions import resolve_sides


def test_latest_position_per_issue_with_the_proposal_it_came_from():
    case = make_case(
        [
            proposal("wga-05-01", "2023-05-01", "wga", "amptp", positions={"pay": 6, "staffing": "min6"}),
            proposal(
                "wga-08-15",
                "2023-08-15",
                "wga",
                "amptp",
                positions={"staffing": {"value": "min2", "text": "one writer fewer"}},
            ),
            proposal("amptp-08-11", "2023-08-11", "amptp", "wga", positions={"pay": 5}),
        ]
    )
    before = positions_as_of(case, day("2023-08-14"), "wga")
    assert {k: (v.value, v.proposal_id) for k, v in before.items()} == {
        "pay": (6.0, "wga-05-01"),
        "staffing": ("min6", "wga-05-01"),
    }
    after = positions_as_of(case, day("2023-08-15"), "wga")
    assert (after["staffing"].value, after["staffing"].proposal_id) == ("min2", "wga-08-15")
    assert after["staffing"].text == "one writer fewer"
    assert after["staffing"].date == day("2023-08-15")
    assert after["pay"].proposal_id == "wga-05-01"
    assert positions_as_of(case, day("2023-04-30"), "wga") == {}


def test_drafts_withdrawn_and_superseded_proposals_do_not_count():
    case = make_case(
        [
            proposal("open", "2023-05-01", "wga", "amptp", positions={"pay": 6}),
            proposal("draft", "2023-06-01", "wga", "amptp", positions={"pay": 9}, status="draft"),
            proposal("gone", "2023-06-02", "wga", "amptp", positions={"pay": 8}, status="withdrawn"),
            proposal("wrong", "2023-07-01", "wga", "amptp", positions={"pay": 7}),
            proposal("right", "2023-07-01", "wga", "amptp", positions={"pay": 6.5}, supersedes="wrong"),
            proposal(
                "rejected", "2023-07-02", "wga", "amptp", positions={"staffing": "min6"}, status="rejected"
            ),
        ]
    )
    at = positions_as_of(case, day("2023-12-31"), "wga")
    assert (at["pay"].value, at["pay"].proposal_id) == (6.5, "right")
    assert at["staffing"].proposal_id == "rejected"
    assert positions_as_of(case, day("2023-06-30"), "wga")["pay"].proposal_id == "open"


def test_a_position_without_a_stated_value_keeps_the_last_stated_value():
    case = make_case(
        [
            proposal("aug11", "2023-08-11", "amptp", "wga", positions={"ai": ["not_writer", "disclosure"]}),
            proposal(
                "aug18",
                "2023-08-18",
                "amptp",
                "wga",
                positions={"ai": {"text": "further AI offers; contents not public"}},
            ),
            proposal("other", "2023-08-18", "amptp", "wga", positions={"duration": {"text": "unknown"}}),
        ]
    )
    at = positions_as_of(case, day("2023-09-08"), "amptp")
    assert at["ai"].proposal_id == "aug18"
    assert at["ai"].value == frozenset({"not_writer", "disclosure"})
    assert at["ai"].value_proposal_id == "aug11"
    assert at["ai"].text == "further AI offers; contents not public"
    assert at["duration"].value is None and at["duration"].value_proposal_id is None
    assert not at["duration"].has_value


def test_position_confidence_overrides_the_proposal_confidence():
    case = make_case(
        [
            proposal(
                "p",
                "2023-08-18",
                "amptp",
                "wga",
                confidence="A",
                positions={"ai": {"value": [], "confidence": "C"}, "pay": 5},
            )
        ]
    )
    at = positions_as_of(case, day("2023-08-18"), "amptp")
    assert (at["ai"].confidence.value, at["pay"].confidence.value) == ("C", "A")


def test_sides_pick_the_first_union_and_the_party_it_proposes_to_most():
    case = make_case(
        [
            proposal("a", "2023-05-01", "wga", "fmcs"),
            proposal("b", "2023-05-02", "wga", "amptp"),
            proposal("c", "2023-05-03", "wga", "amptp"),
            proposal("d", "2023-05-04", "sag", "amptp"),
        ]
    )
    assert sides(case) == ("wga", "amptp")


def test_sides_fall_back_to_proposals_received_then_to_the_first_employer_side():
    received = make_case([proposal("a", "2023-05-01", "netflix", "wga")])
    assert sides(received) == ("wga", "netflix")
    assert sides(make_case()) == ("wga", "amptp")
    no_union = make_case(
        [proposal("a", "2023-05-01", "sony", "netflix")],
        parties=[p for p in PARTIES if p["kind"] != "union"],
        issues=[],
    )
    assert sides(no_union) == ("sony", "netflix")
    alone = make_case(parties=[PARTIES[0]], issues=[])
    assert sides(alone) == ("wga", "wga")


def test_resolve_sides_fills_defaults_and_names_unknown_parties():
    case = make_case([proposal("a", "2023-05-01", "wga", "amptp")])
    assert resolve_sides(case, None, None) == ("wga", "amptp")
    assert resolve_sides(case, "sag", None) == ("sag", "amptp")
    assert resolve_sides(case, None, "wga") == ("amptp", "wga")
    with pytest.raises(ValueError, match="unknown party 'dga'"):
        resolve_sides(case, "dga", None)


def test_positions_of_an_unknown_party_are_an_error():
    with pytest.raises(ValueError, match="unknown party 'dga'"):
        positions_as_of(make_case(), day("2023-05-01"), "dga")
