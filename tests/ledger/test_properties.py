import datetime as dt
import json
import math

from hypothesis import given, settings
from hypothesis import strategies as st
from ledger_strategies import as_of_dates, ledger_cases

from accord.ledger import (
    GapLabel,
    StoppageState,
    TAState,
    effective_records,
    gaps,
    positions_as_of,
    sides,
    status,
    stoppages,
    timeline,
    to_jsonable,
)
from accord.ledger.records import ledger
from accord.ledger.ta_board_view import board

CASES = settings(max_examples=60, deadline=None)


@CASES
@given(ledger_cases(), as_of_dates())
def test_gaps_are_in_the_unit_interval_and_labelled_consistently(case, as_of):
    for gap in gaps(case, as_of):
        if gap.distance is None:
            assert gap.label is GapLabel.NO_POSITION
        else:
            assert 0.0 <= gap.distance <= 1.0
            assert gap.label is not GapLabel.NO_POSITION
            assert (gap.label is GapLabel.AGREED) == (
                gap.distance == 0.0 or gap.ta_id is not None
            ) or gap.ta_id


@CASES
@given(
    ledger_cases(), as_of_dates(), st.sampled_from([("wga", "amptp"), ("sag", "amptp"), ("netflix", "wga")])
)
def test_the_gap_is_symmetric_in_its_sides(case, as_of, pair):
    a, b = pair
    forward = {g.issue: g for g in gaps(case, as_of, a, b)}
    backward = {g.issue: g for g in gaps(case, as_of, b, a)}
    for issue, gap in forward.items():
        other = backward[issue]
        if gap.distance is None:
            assert other.distance is None
        else:
            assert math.isclose(gap.distance, other.distance)
        assert (gap.label, gap.holes_a, gap.holes_b) == (other.label, other.holes_b, other.holes_a)


@CASES
@given(ledger_cases(), as_of_dates(), as_of_dates(), st.sampled_from(["wga", "amptp", "sag", "netflix"]))
def test_positions_as_of_are_monotone_in_time(case, first, second, party):
    early, late = sorted((first, second))
    book = ledger(case)
    before = positions_as_of(case, early, party)
    after = positions_as_of(case, late, party)
    for issue, at in before.items():
        if issue not in after:
            # a correction known since took the proposal off the table, or a withdrawal known since
            # took off the agreed line that was the party's only position on the issue
            assert at.proposal_id in book.superseded_by or _withdrawn_between(book, at, issue, early, late)
            continue
        assert book.keys[after[issue].proposal_id] >= book.keys[at.proposal_id]
        assert at.date <= early


def _withdrawn_between(book, at, issue, early, late) -> bool:
    """Whether ``at`` is an agreed line alone (no proposal of the party's) and, by ``late``, the
    issue's line on the board of the agreement's parties is withdrawn (that agreement withdrawn,
    or a later one that replaced it on the issue)."""
    if at.agreement is None or at.proposal_id != at.agreement.agreement_id:
        return False
    agreement = next(e for e in book.case.events if e.id == at.proposal_id)
    later = ledger(book.case, late)
    return any(
        board(later, late, at.party, other)[issue].status is TAState.WITHDRAWN
        for other in agreement.parties
        if other != at.party
    )


@CASES
@given(ledger_cases(), as_of_dates())
def test_day_number_is_days_completed_plus_one_while_in_force(case, as_of):
    for count in stoppages(case, as_of):
        if count.state is StoppageState.IN_FORCE:
            assert count.day_number == count.days_completed + 1
            assert count.day_number == (as_of - count.start_date).days + 1
        elif count.state is StoppageState.ENDED:
            assert count.days_completed == count.total_days
            assert count.total_days == max(0, (count.last_day - count.start_date).days + 1)
        else:
            assert as_of < count.start_date and count.day_number is None


@CASES
@given(ledger_cases(), st.one_of(st.none(), as_of_dates()))
def test_the_timeline_is_sorted_and_filters_only_narrow_it(case, as_of):
    entries = timeline(case, as_of)
    moments = [dt.datetime.combine(e.date, e.time or dt.time(0, 0)) for e in entries]
    assert moments == sorted(moments)
    ids = [e.record_id for e in entries]
    for party in ("wga", "sag"):
        narrowed = [e.record_id for e in timeline(case, as_of, parties=[party])]
        assert set(narrowed) <= set(ids)
        assert narrowed == [i for i in ids if i in set(narrowed)]
    effective = {r.id for r in effective_records(case, as_of)}  # corrections known by then
    assert {e.record_id for e in timeline(case, as_of, include_superseded=False)} <= effective
    assert all((e.superseded_by is None) == (e.record_id in effective) for e in entries)


@CASES
@given(ledger_cases(), as_of_dates())
def test_views_never_raise_and_always_give_json(case, as_of):
    a, b = sides(case)
    for pair in ((a, b), ("sag", "amptp")):
        data = to_jsonable(status(case, as_of, *pair))
        assert json.loads(json.dumps(data)) == data
        assert data["as_of"] == as_of.isoformat()
