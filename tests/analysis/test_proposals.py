"""Proposals filled to whole packages: stated, carried from the proposer's earlier position, or
the receiver's worst option."""

import datetime as dt

import pytest

from accord.analysis.proposals import FillBasis, filled_proposals, option_index
from accord.model import Case, NumericIssue, PreferenceModel
from accord.prefs import utility_tables

CASE = Case(
    id="c",
    title="t",
    parties=[
        {"id": "u", "name": "U", "kind": "union"},
        {"id": "e", "name": "E", "kind": "employer"},
        {"id": "x", "name": "X", "kind": "other"},
    ],
    issues=[
        {"id": "pay", "name": "Pay", "type": "numeric", "unit": "%", "low": 0, "high": 4, "step": 0.5},
        {
            "id": "ai",
            "name": "AI",
            "type": "provisions",
            "provisions": [{"id": "ban", "name": "Ban"}, {"id": "pay", "name": "Pay"}],
        },
        {"id": "tier", "name": "Tier", "type": "ordinal", "options": ["low", "mid", "high"]},
    ],
    proposals=[
        {"id": "u1", "date": "2023-05-01", "from": "u", "to": "e", "positions": {"pay": 3.2, "ai": ["ban"]}},
        {"id": "e1", "date": "2023-05-02", "from": "e", "to": "u", "positions": {"pay": 1, "tier": "mid"}},
        {
            "id": "u2",
            "date": "2023-05-03",
            "from": "u",
            "to": "e",
            "positions": {"pay": {"value": None, "text": "?"}, "tier": "high"},
        },
        {"id": "ux", "date": "2023-05-04", "from": "u", "to": "x", "positions": {"pay": 2}},
        {
            "id": "u3",
            "date": "2023-05-05",
            "from": "u",
            "to": "e",
            "status": "withdrawn",
            "positions": {"pay": 0},
        },
        {"id": "u4", "date": "2023-06-01", "from": "u", "to": "e", "positions": {"pay": 2.5}},
    ],
)
UNION = PreferenceModel(
    party="u",
    label="U",
    weights={"pay": 2, "ai": 1, "tier": 1},
    values={
        "pay": {"kind": "linear", "direction": "higher"},
        "ai": {"kind": "provisions", "values": {"ban": 1, "pay": 2}},
        "tier": {"kind": "options", "scores": {"low": 0, "mid": 0.5, "high": 1}},
    },
)
EMPLOYER = PreferenceModel(
    party="e",
    label="E",
    weights={"pay": 2, "ai": 1, "tier": 1},
    values={
        "pay": {"kind": "linear", "direction": "lower"},
        "ai": {"kind": "provisions", "values": {"ban": -1, "pay": -1}},
        "tier": {"kind": "options", "scores": {"low": 1, "mid": 0.5, "high": 0}},
    },
)
TABLES = utility_tables(CASE.issues, [UNION, EMPLOYER])


def _by_id(as_of=dt.date(2023, 12, 31)):
    return {p.proposal_id: p for p in filled_proposals(CASE, TABLES, as_of)}


def test_each_issue_is_stated_carried_or_the_receivers_worst():
    filled = _by_id()
    u1 = filled["u1"]
    assert u1.package == {"pay": 3.0, "ai": frozenset({"ban"}), "tier": "high"}  # 3.2 -> nearest level 3.0
    assert [f.basis for f in u1.fills] == [FillBasis.STATED, FillBasis.STATED, FillBasis.RECEIVER_WORST]
    e1 = filled["e1"]
    # the employer never stated AI: the union's worst provision set is the empty one
    assert e1.package["ai"] == frozenset() and e1.fills[1].basis is FillBasis.RECEIVER_WORST
    u2 = filled["u2"]
    # a position without a value keeps the proposer's earlier value; silence is not acceptance of e1
    assert (u2.package["pay"], u2.fills[0].basis, u2.fills[0].from_proposal) == (3.0, FillBasis.CARRIED, "u1")
    assert u2.package["ai"] == frozenset({"ban"}) and u2.stated_issues == ("tier",)


def test_third_parties_and_withdrawn_proposals_are_left_out_but_dates_count():
    assert list(_by_id()) == ["u1", "e1", "u2", "u4"]
    assert list(_by_id(dt.date(2023, 5, 2))) == ["u1", "e1"]
    # a proposal to a third party still updates its maker's position for later proposals
    assert _by_id()["u4"].package["pay"] == 2.5


def test_receivers_worst_breaks_ties_by_the_proposers_best():
    case = Case(
        id="c",
        title="t",
        parties=CASE.parties[:2],
        issues=[{"id": "perk", "name": "Perk", "type": "categorical", "options": ["a", "b", "c"]}],
        proposals=[
            {"id": "e1", "date": "2023-05-01", "from": "e", "to": "u"},
            {"id": "u1", "date": "2023-05-02", "from": "u", "to": "e"},
        ],
    )
    cares = {"perk": {"kind": "options", "scores": {"a": 0.2, "b": 1, "c": 0.5}}}
    employer = PreferenceModel(party="e", label="E", weights={"perk": 1}, values=cares)
    # the union weighs only an issue outside the case: every perk is the same to it
    union = PreferenceModel(party="u", label="U", weights={"other": 1}, values={"other": {"kind": "linear"}})
    filled = filled_proposals(case, utility_tables(case.issues, [union, employer]), dt.date(2023, 6, 1))
    assert [p.package["perk"] for p in filled] == ["b", "a"]  # the employer's best; the employer's worst


def test_option_index_rejects_unknown_options():
    issue = CASE.issue("tier")
    assert option_index(issue, ("low", "mid", "high"), "mid") == 1
    with pytest.raises(ValueError, match="not one of its options"):
        option_index(issue, ("low", "mid", "high"), "top")
    pay = CASE.issue("pay")
    assert isinstance(pay, NumericIssue) and option_index(pay, pay.levels, 3.74) == 7
