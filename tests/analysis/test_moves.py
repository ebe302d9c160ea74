"""DANS move labels: exhaustive, one label per sign pair, consistent with the utility changes."""

import datetime as dt

import numpy as np
import pytest
from analysis_strategies import make_tables
from hypothesis import given
from hypothesis import strategies as st

from accord.analysis.moves import TOLERANCE, MoveLabel, classify_move, dans_moves
from accord.analysis.proposals import FillBasis, FilledIssue, FilledProposal

# (sign of own change, sign of other's change) -> label: the table of the module docstring
EXPECTED = {
    (1, 1): MoveLabel.FORTUNATE,
    (1, 0): MoveLabel.SELFISH,
    (1, -1): MoveLabel.SELFISH,
    (-1, 1): MoveLabel.CONCESSION,
    (-1, 0): MoveLabel.CONCESSION,
    (-1, -1): MoveLabel.UNFORTUNATE,
    (0, 1): MoveLabel.NICE,
    (0, 0): MoveLabel.SILENT,
    (0, -1): MoveLabel.UNFORTUNATE,
}


def _sign(x: float, tol: float) -> int:
    return 0 if abs(x) <= tol else int(np.sign(x))


def test_every_sign_pair_has_one_label_and_every_label_is_used():
    assert set(EXPECTED.values()) == set(MoveLabel)
    for (s, o), label in EXPECTED.items():
        assert classify_move(0.1 * s, 0.1 * o) is label


finite = st.floats(-2, 2, allow_nan=False)


@given(finite, finite, st.sampled_from([0.0, TOLERANCE, 0.01]))
def test_labels_follow_the_signs_of_the_changes(ds, do, tol):
    label = classify_move(ds, do, tol)
    assert label is EXPECTED[(_sign(ds, tol), _sign(do, tol))]
    if label is MoveLabel.CONCESSION:
        assert ds < -tol and do >= -tol
    if label is MoveLabel.FORTUNATE:
        assert ds > tol and do > tol


def test_changes_within_the_tolerance_count_as_none():
    assert classify_move(1e-9, -1e-9) is MoveLabel.SILENT
    assert classify_move(1e-9, -1e-9, tol=0.0) is MoveLabel.SELFISH
    with pytest.raises(ValueError, match="tolerance"):
        classify_move(0.1, 0.1, tol=-1)


def _offer(pid, day, sender, receiver, choices):
    fills = tuple(FilledIssue(f"issue{i}", f"o{c}", FillBasis.STATED, None) for i, c in enumerate(choices))
    return FilledProposal(pid, dt.date(2023, 5, day), sender, receiver, tuple(choices), fills)


def test_moves_pair_each_partys_consecutive_proposals():
    rng = np.random.default_rng(3)
    t = make_tables([rng.random((4, 2)) for _ in range(3)], np.zeros(2))
    offers = [
        _offer("a1", 1, "party0", "party1", (0, 0, 0)),
        _offer("b1", 2, "party1", "party0", (3, 3, 3)),
        _offer("a2", 3, "party0", "party1", (1, 2, 0)),
        _offer("x", 4, "party0", "outsider", (1, 1, 1)),  # no column for the receiver: skipped
        _offer("b2", 5, "party1", "party0", (3, 3, 3)),
        _offer("a3", 6, "party0", "party1", (2, 2, 2)),
    ]
    moves = dans_moves(t, offers)
    assert [(m.from_proposal, m.to_proposal) for m in moves] == [("a1", "a2"), ("b1", "b2"), ("a2", "a3")]
    by_id = {o.proposal_id: o for o in offers}
    for m in moves:
        me, other = int(m.party[-1]), int(m.other[-1])
        u = t.utilities(np.array([by_id[m.from_proposal].choices, by_id[m.to_proposal].choices]))
        assert m.delta_own == pytest.approx(u[1, me] - u[0, me])
        assert m.delta_other == pytest.approx(u[1, other] - u[0, other])
        assert m.label is classify_move(m.delta_own, m.delta_other)
    assert moves[1].label is MoveLabel.SILENT  # the same package again
