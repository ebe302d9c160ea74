from ledger_cases import day, event, make_case, proposal

from accord.ledger import pending
from accord.model import RequestKind


def _request(rid, date, frm, to, asks="response", **fields):
    return event(rid, "request", date, **{"from": frm, "to": to, "asks": asks, **fields})


def _response(rid, date, frm, to, responds_to):
    return event(rid, "response", date, **{"from": frm, "to": to, "responds_to": responds_to})


def test_open_requests_until_a_response_with_days_waiting():
    case = make_case(
        events=[
            _request("ask-meet", "2023-09-13", "wga", "amptp", asks="meeting"),
            _response("ok", "2023-09-14", "amptp", "wga", "ask-meet"),
            _request("ask-info", "2023-08-01", "wga", "amptp", asks="information"),
        ]
    )
    before = pending(case, day("2023-09-13"))
    assert [(r.request_id, r.days_waiting, r.asks) for r in before.open_requests] == [
        ("ask-info", 43, RequestKind.INFORMATION),
        ("ask-meet", 0, RequestKind.MEETING),
    ]
    after = pending(case, day("2023-09-14"))
    assert [r.request_id for r in after.open_requests] == ["ask-info"]


def test_a_meeting_request_is_met_by_talks_and_a_response_request_by_a_proposal():
    case = make_case(
        [proposal("counter", "2023-08-15", "wga", "amptp")],
        [
            _request("meet", "2023-08-10", "amptp", "wga", asks="meeting"),
            event("talks", "talks_held", "2023-08-11", parties=["wga", "amptp"]),
            _request("respond", "2023-08-12", "amptp", "wga"),
        ],
    )
    assert [r.request_id for r in pending(case, day("2023-08-11")).open_requests] == []
    assert [r.request_id for r in pending(case, day("2023-08-14")).open_requests] == ["respond"]
    assert pending(case, day("2023-08-15")).open_requests == ()


def test_unanswered_proposals_and_what_answers_them():
    case = make_case(
        [
            proposal("amptp-08-11", "2023-08-11", "amptp", "wga"),
            proposal("wga-08-15", "2023-08-15", "wga", "amptp", answers=["amptp-08-11"]),
            proposal("amptp-08-18", "2023-08-18", "amptp", "wga"),
            proposal("to-sag", "2023-07-13", "amptp", "sag"),
            proposal("draft", "2023-08-20", "wga", "amptp", status="draft"),
        ],
        [_response("sag-reply", "2023-11-06", "sag", "amptp", "to-sag")],
    )
    aug14 = pending(case, day("2023-08-14"))
    assert [(p.proposal_id, p.days_waiting) for p in aug14.unanswered] == [("to-sag", 32), ("amptp-08-11", 3)]
    assert aug14.turn == "wga" and aug14.turn_basis == "amptp-08-11"
    aug15 = pending(case, day("2023-08-15"))
    assert [p.proposal_id for p in aug15.unanswered] == ["to-sag", "wga-08-15"]
    assert aug15.turn == "amptp"
    sept8 = pending(case, day("2023-09-08"))
    # the AMPTP's Aug 18 proposal to the WGA answers the WGA's Aug 15 one (a later proposal to its sender)
    assert [p.proposal_id for p in sept8.unanswered] == ["to-sag", "amptp-08-18"]
    assert (sept8.turn, sept8.turn_basis) == ("wga", "amptp-08-18")
    assert [p.proposal_id for p in pending(case, day("2023-11-06")).unanswered] == ["amptp-08-18"]


def test_an_answer_to_a_superseded_proposal_answers_its_correction():
    case = make_case(
        [
            proposal("p", "2023-08-11", "amptp", "wga"),
            proposal("p-fix", "2023-08-11", "amptp", "wga", supersedes="p"),
            proposal("reply", "2023-08-15", "wga", "sag", answers=["p"]),
        ],
    )
    assert "p-fix" not in [p.proposal_id for p in pending(case, day("2023-08-15")).unanswered]


TURN_CLAIMS = [
    event(
        "amptp-08-30",
        "statement",
        "2023-08-30",
        party="amptp",
        summary="waiting for the WGA's official response to Aug 11",
        turn_of="wga",
        sources=["S1"],
    ),
    event(
        "wga-08-30",
        "statement",
        "2023-08-30",
        party="wga",
        summary="we countered on Aug 15; the ball is in the studios' court",
        turn_of="amptp",
        disputes="amptp-08-30",
        sources=["S2"],
    ),
]


def test_disagreeing_turn_claims_are_disputed_with_both_sources():
    case = make_case(
        [
            proposal("amptp-08-11", "2023-08-11", "amptp", "wga"),
            proposal("wga-08-15", "2023-08-15", "wga", "amptp"),
        ],
        TURN_CLAIMS,
    )
    report = pending(case, day("2023-09-08"))
    assert report.disputed
    assert report.turn == "amptp"
    assert [(c.party, c.turn_of, c.sources, c.is_current) for c in report.claims] == [
        ("amptp", "wga", ("S1",), True),
        ("wga", "amptp", ("S2",), True),
    ]
    assert [c.agrees_with_record for c in report.claims] == [False, True]
    assert report.claims[1].disputes == "amptp-08-30"
    assert not pending(case, day("2023-08-29")).disputed


def test_only_each_partys_latest_claim_counts_and_agreeing_claims_are_not_disputed():
    case = make_case(
        [proposal("amptp-08-11", "2023-08-11", "amptp", "wga")],
        [
            *TURN_CLAIMS,
            event(
                "wga-09-08",
                "statement",
                "2023-09-08",
                party="wga",
                summary="fine, we will answer",
                turn_of="wga",
            ),
        ],
    )
    report = pending(case, day("2023-09-08"))
    assert [c.statement_id for c in report.claims] == ["amptp-08-30", "wga-09-08"]
    assert not report.disputed


def test_claims_overtaken_by_a_later_proposal_are_not_a_live_dispute():
    case = make_case(
        [proposal("amptp-09-23", "2023-09-23", "amptp", "wga")],
        TURN_CLAIMS,
    )
    report = pending(case, day("2023-09-23"))
    assert [c.is_current for c in report.claims] == [False, False]
    assert not report.disputed
    assert pending(case, day("2023-09-22")).disputed


def test_claims_about_other_pairs_and_by_outsiders_are_left_out():
    case = make_case(
        events=[
            event(
                "sag", "statement", "2023-10-11", party="sag", summary="studios must move", turn_of="amptp"
            ),
            event("amptp-sag", "statement", "2023-10-11", party="amptp", summary="SAG's move", turn_of="sag"),
            event(
                "mediator",
                "statement",
                "2023-10-12",
                party="fmcs",
                summary="the WGA owes a reply",
                turn_of="wga",
            ),
        ]
    )
    report = pending(case, day("2023-10-31"))
    assert [c.statement_id for c in report.claims] == ["mediator"]
    assert report.turn is None and report.turn_basis is None
    assert [c.agrees_with_record for c in report.claims] == [None]
    assert [c.statement_id for c in pending(case, day("2023-10-31"), "sag", "amptp").claims] == [
        "sag",
        "amptp-sag",
    ]


def test_a_later_proposal_from_the_same_sender_takes_the_earlier_ones_place():
    case = make_case(
        [
            proposal("amptp-05-01", "2023-05-01", "amptp", "wga"),
            proposal("amptp-06-01", "2023-06-01", "amptp", "wga"),
            proposal("amptp-to-sag", "2023-06-02", "amptp", "sag"),
        ]
    )
    assert [p.proposal_id for p in pending(case, day("2023-05-31")).unanswered] == ["amptp-05-01"]
    assert [(p.proposal_id, p.days_waiting) for p in pending(case, day("2023-06-11")).unanswered] == [
        ("amptp-06-01", 10),
        ("amptp-to-sag", 9),
    ]


def test_a_tentative_agreement_on_the_whole_contract_ends_whose_turn_it_is():
    """After the sides settle, nobody owes a move: the proposals before the agreement are
    answered by it (issue 13: the views after the TA showed the AMPTP's last offer unanswered)."""
    case = make_case(
        [proposal("offer", "2023-09-23", "amptp", "wga")],
        [event("ta", "tentative_agreement", "2023-09-24", parties=["wga", "amptp"])],
    )
    before = pending(case, day("2023-09-23"))
    assert (before.turn, before.turn_basis, before.settled_by) == ("wga", "offer", None)
    assert [u.proposal_id for u in before.unanswered] == ["offer"]
    after = pending(case, day("2023-09-24"))
    assert (after.turn, after.turn_basis, after.settled_by, after.settled_on) == (
        None,
        None,
        "ta",
        day("2023-09-24"),
    )
    assert after.unanswered == ()
