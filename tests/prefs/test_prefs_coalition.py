import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from accord.model import DecisionRule
from accord.prefs import coalition_accepts

MEMBERS = ["disney", "wbd", "nbcu", "paramount", "sony", "netflix", "amazon", "apple"]
SHARES = {
    "disney": 75,
    "netflix": 68,
    "wbd": 47,
    "paramount": 45,
    "nbcu": 34,
    "amazon": 32,
    "sony": 25,
    "apple": 17,
}


@st.composite
def votes(draw):
    m = draw(st.integers(1, 6))
    n = draw(st.integers(1, 30))
    members = [f"m{k}" for k in range(m)]
    utilities = draw(arrays(np.float64, (n, m), elements=st.floats(0, 1)))
    reservations = draw(arrays(np.float64, (m,), elements=st.floats(0, 1)))
    shares = {member: draw(st.floats(0, 10)) for member in members}
    if sum(shares.values()) == 0:
        shares[members[0]] = 1.0
    vetoes = draw(st.lists(st.sampled_from(members), unique=True))
    threshold = draw(st.floats(0.05, 0.95))
    return members, utilities, reservations, shares, vetoes, threshold


def _accepted(kind, members, u, r, shares=None, vetoes=(), threshold=0.5):
    rule = DecisionRule(kind=kind, shares=shares or {}, vetoes=list(vetoes), threshold=threshold)
    return coalition_accepts(rule, members, u, r).accepted


@settings(max_examples=150, deadline=None)
@given(votes())
def test_unanimity_accepts_a_subset_of_every_other_rule(case):
    members, u, r, shares, _, threshold = case
    unanimous = _accepted("unanimity", members, u, r)
    assert not (unanimous & ~_accepted("majority", members, u, r)).any()
    assert not (unanimous & ~_accepted("weighted", members, u, r, shares, threshold=threshold)).any()


@settings(max_examples=150, deadline=None)
@given(votes(), st.sampled_from(["unanimity", "majority", "weighted"]))
def test_vetoes_only_ever_shrink_acceptance(case, kind):
    members, u, r, shares, vetoes, threshold = case
    without = _accepted(kind, members, u, r, shares, threshold=threshold)
    with_vetoes = _accepted(kind, members, u, r, shares, vetoes, threshold)
    assert not (with_vetoes & ~without).any()
    # and a package a veto-holder rejects is never accepted
    veto_rejects = (
        (u < r)[:, [members.index(v) for v in vetoes]].any(axis=1) if vetoes else np.zeros(len(u), bool)
    )
    assert not (with_vetoes & veto_rejects).any()


@settings(max_examples=150, deadline=None)
@given(votes(), st.sampled_from(["unanimity", "majority", "weighted"]), st.data())
def test_raising_a_members_utility_never_turns_acceptance_into_rejection(case, kind, data):
    members, u, r, shares, vetoes, threshold = case
    before = coalition_accepts(
        DecisionRule(kind=kind, shares=shares, vetoes=vetoes, threshold=threshold), members, u, r
    )
    column = data.draw(st.integers(0, len(members) - 1))
    better = u.copy()
    better[:, column] = np.maximum(better[:, column], r[column])
    after = coalition_accepts(
        DecisionRule(kind=kind, shares=shares, vetoes=vetoes, threshold=threshold), members, better, r
    )
    assert not (before.accepted & ~after.accepted).any()
    assert (before.blockers == (u < r)).all()


def test_weighted_rule_with_the_wga_cost_shares():
    # legacy studios (disney, wbd, nbcu, paramount, sony) accept; streamers and tech reject.
    accept = np.array([[1, 1, 1, 1, 1, 0, 0, 0]], dtype=float)
    r = np.full(8, 0.5)
    # legacy shares 75+47+34+45+25 = 226 of 343 = 65.9%: more than a half, less than two thirds
    assert _accepted("weighted", MEMBERS, accept, r, SHARES, threshold=0.5).tolist() == [True]
    assert _accepted("weighted", MEMBERS, accept, r, SHARES, threshold=2 / 3).tolist() == [False]
    assert _accepted("majority", MEMBERS, accept, r).tolist() == [True]
    assert _accepted("unanimity", MEMBERS, accept, r).tolist() == [False]
    # Netflix's veto blocks what the majority would take
    assert _accepted("majority", MEMBERS, accept, r, vetoes=["netflix"]).tolist() == [False]
    verdict = coalition_accepts(DecisionRule(), MEMBERS, accept, r)
    assert [m for m, b in zip(MEMBERS, verdict.blockers[0], strict=True) if b] == [
        "netflix",
        "amazon",
        "apple",
    ]


def test_ties_do_not_carry_a_majority_and_reservation_itself_is_accepted():
    u = np.array([[0.5, 0.4], [0.5, 0.5]])
    assert _accepted("majority", ["a", "b"], u, [0.5, 0.5]).tolist() == [False, True]


def test_one_package_as_a_vector():
    verdict = coalition_accepts(DecisionRule(), ["a", "b"], [0.7, 0.2], [0.5, 0.5])
    assert verdict.accepted.tolist() == [False]
    assert verdict.blockers.tolist() == [[False, True]]


@pytest.mark.parametrize(
    ("members", "u", "r", "rule", "message"),
    [
        ([], np.zeros((1, 0)), [], DecisionRule(), "at least one member"),
        (["a"], np.zeros((2, 2)), [0], DecisionRule(), r"expected \(n, 1\)"),
        (["a", "b"], np.zeros((2, 2)), [0], DecisionRule(), r"expected \(2,\)"),
        (["a"], np.zeros((1, 1)), [0], DecisionRule(vetoes=["z"]), r"names \['z'\]"),
    ],
)
def test_bad_inputs_are_named(members, u, r, rule, message):
    with pytest.raises(ValueError, match=message):
        coalition_accepts(rule, members, u, r)
