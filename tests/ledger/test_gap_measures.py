"""Gap measures (issue 13, item 6): the share of the opening gap still open and who closed it,
for every issue type, and labels derived from them that compare across issues."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ledger_strategies import _ISSUES, as_of_dates, ledger_cases

from accord.casefile import resolve_case
from accord.ledger import GapLabel, gap_label, gap_measures, gaps
from accord.ledger.gaps_view import GapMeasures
from strategies import position_values

D = dt.date.fromisoformat


@st.composite
def four_positions(draw):
    issue = draw(st.sampled_from(_ISSUES))
    values = [draw(position_values(issue, on_grid=True)) for _ in range(4)]
    return issue, values


@given(four_positions())
@settings(max_examples=200, deadline=None)
def test_what_each_side_closed_adds_up_to_what_is_no_longer_open(drawn):
    issue, (open_a, open_b, late_a, late_b) = drawn
    m = gap_measures(issue, open_a, open_b, late_a, late_b)
    if m.opening_distance == 0.0:
        assert m.open_share is None and m.closed_by_a is None
        return
    assert m.closed_by_a + m.closed_by_b == pytest.approx(1 - m.open_share)
    assert m.open_share >= 0
    unmoved = gap_measures(issue, open_a, open_b, open_a, open_b)
    assert (unmoved.open_share, unmoved.closed_by_a, unmoved.closed_by_b) == (1.0, 0.0, 0.0)
    a_only = gap_measures(issue, open_a, open_b, late_a, open_b)
    assert a_only.closed_by_b == pytest.approx(0.0)  # B did not move: it closed nothing


@given(ledger_cases(), as_of_dates())
@settings(max_examples=60, deadline=None)
def test_labels_follow_the_measures(case, as_of):
    for gap in gaps(case, as_of):
        if gap.agreement is not None:
            assert gap.label is GapLabel.AGREED and gap.distance == 0.0
        elif gap.distance is None:
            assert gap.label is GapLabel.NO_POSITION
        elif gap.label is GapLabel.CLOSE:
            assert gap.open_share is not None and gap.open_share <= 0.25
        elif gap.label is GapLabel.ENTRENCHED:
            assert gap.open_share is not None and gap.open_share >= 0.95


def test_labels_from_the_share_still_open():
    assert gap_label(None, GapMeasures(None, None, None, None)) is GapLabel.NO_POSITION
    assert gap_label(0.0, GapMeasures(0.5, 0.0, 0.5, 0.5)) is GapLabel.AGREED
    assert gap_label(0.1, GapMeasures(0.5, 0.2, 0.4, 0.4)) is GapLabel.CLOSE
    assert gap_label(0.3, GapMeasures(0.5, 0.6, 0.2, 0.2)) is GapLabel.APART
    assert gap_label(0.5, GapMeasures(0.5, 1.0, 0.0, 0.0)) is GapLabel.ENTRENCHED
    assert gap_label(0.5, GapMeasures(0.5, 1.0, 0.0, 0.0), restated=False) is GapLabel.APART  # the openings
    assert gap_label(0.2, GapMeasures(0.0, None, None, None)) is GapLabel.APART  # opened agreed, parted


def test_the_wga_case_on_sept_20_worked_example():
    """docs/concepts.md, "Gap measures and labels": staffing two thirds open, AI half open, whatever
    their ranges (the old absolute labels called staffing "close" at 0.25, AI "apart")."""
    found = {g.issue: g for g in gaps(resolve_case("wga-amptp-2023"), D("2023-09-20"))}
    staffing, ai, pay = found["staffing"], found["ai"], found["min_pay"]
    # staffing: WGA opened at 6 writers and stayed there (its Aug 15 cut by one writer was in
    # development rooms, docs/cases.md); AMPTP 0, then 2 on Aug 11 (S47-S49)
    assert staffing.opening_distance == pytest.approx(6 / 12)
    assert staffing.open_share == pytest.approx(4 / 6)
    assert (staffing.closed_by_a, staffing.closed_by_b) == (pytest.approx(0.0), pytest.approx(2 / 6))
    # minimum pay: 16.9 % (S34) vs 9.3 % (S34), then 13 % (S19, S36): the AMPTP closed 3.7 of 7.6 points
    assert pay.open_share == pytest.approx(3.9 / 7.6)
    assert (pay.closed_by_a, pay.closed_by_b) == (pytest.approx(0.0), pytest.approx(3.7 / 7.6))
    assert ai.open_share == pytest.approx(0.5)
    assert {staffing.label, ai.label, pay.label} == {GapLabel.APART}
    after = {g.issue: g for g in gaps(resolve_case("wga-amptp-2023"), D("2023-09-24"))}
    # to the agreed 13 %: WGA closed 3.9 points of 7.6, AMPTP 3.7
    assert (after["min_pay"].closed_by_a, after["min_pay"].closed_by_b) == (
        pytest.approx(3.9 / 7.6),
        pytest.approx(3.7 / 7.6),
    )
