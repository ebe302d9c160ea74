import pytest
from pydantic import ValidationError

from accord.model import Costing, NumericIssue, OrdinalIssue, ProvisionIssue
from accord.prefs import compounded, contract_cost, raise_costs

PATTERNS = {"4/3/2": [4, 3, 2], "5/4/3.5": [5, 4, 3.5], "3.5/4/5": [3.5, 4, 5], "6/5/5": [6, 5, 5]}
MIN_PAY = OrdinalIssue(id="min_pay", name="Minimums", options=list(PATTERNS))


def test_compounded_rates_match_the_reported_figures():
    # facts file §3: 6/5/5 is "16.9% compounded", 4/3/2 "9.3% compounded", 5/4/3.5 "~13%"
    assert round(100 * compounded([6, 5, 5]), 1) == 16.9
    assert round(100 * compounded([4, 3, 2]), 1) == 9.3
    assert round(100 * compounded([5, 4, 3.5])) == 13


def test_front_loading_costs_more_over_the_term_than_back_loading():
    front = raise_costs(1.0, [5, 4, 3.5], 3)
    back = raise_costs(1.0, [3.5, 4, 5], 3)
    assert front[-1] == pytest.approx(back[-1])  # same final rate
    # 0.05 + 0.092 + 0.13022 = 0.27222 against 0.035 + 0.0764 + 0.13022 = 0.24162
    assert front.sum() == pytest.approx(0.27222)
    assert back.sum() == pytest.approx(0.24162)


def test_years_after_the_last_raise_hold_the_pay():
    assert raise_costs(100, [10], 3).tolist() == pytest.approx([10, 10, 10])
    with pytest.raises(ValueError, match="do not fit a 2-year term"):
        raise_costs(100, [1, 2, 3], 2)


def _costing(**changes):
    base = {
        "term_years": 3,
        "items": [
            {"kind": "raises", "issue": "min_pay", "base": 1000, "patterns": PATTERNS},
            {"kind": "per_unit", "issue": "staff", "per_unit": 2.0},
            {"kind": "per_provision", "issue": "ai", "costs": {"ban": 5}},
        ],
        "shares": {"disney": 75, "apple": 17},
    }
    return Costing(**(base | changes))


ISSUES = [
    MIN_PAY,
    NumericIssue(id="staff", name="Staff", unit="writers", low=0, high=6),
    ProvisionIssue(
        id="ai", name="AI", provisions=[{"id": "ban", "name": "Ban"}, {"id": "disclose", "name": "D"}]
    ),
]


def test_contract_cost_adds_items_per_year_and_splits_by_share():
    cost = contract_cost(
        _costing(), ISSUES, {"min_pay": "6/5/5", "staff": 3.0, "ai": frozenset({"ban", "disclose"})}
    )
    raises = [60.0, 113.0, 168.65]
    assert cost.by_item["raises:min_pay"] == pytest.approx(raises)
    assert cost.by_item["per_unit:staff"] == pytest.approx([6, 6, 6])
    assert cost.by_item["per_provision:ai"] == pytest.approx([5, 5, 5])
    assert cost.annual == pytest.approx([r + 11 for r in raises])
    assert cost.total == pytest.approx(sum(raises) + 33)
    assert cost.by_party["disney"] == pytest.approx(cost.total * 75 / 92)


def test_issues_left_out_cost_nothing():
    cost = contract_cost(_costing(), ISSUES, {})
    assert cost.total == 0 and cost.annual == (0.0, 0.0, 0.0)


def test_numeric_raise_with_a_profile():
    pay = NumericIssue(id="pay", name="Pay", unit="%", low=0, high=10, step=0.5)
    costing = Costing(
        term_years=3, items=[{"kind": "raises", "issue": "pay", "base": 100, "profile": [1, 0.8, 0.7]}]
    )
    cost = contract_cost(costing, [pay], {"pay": 5.0})  # 5 -> 5/4/3.5
    assert cost.annual == pytest.approx(list(raise_costs(100, [5, 4, 3.5], 3)))


def test_bad_costing_is_refused():
    with pytest.raises(ValidationError, match="list 4 years; the term is 3"):
        _costing(items=[{"kind": "raises", "issue": "min_pay", "base": 1, "patterns": {"x": [1, 1, 1, 1]}}])
    with pytest.raises(ValueError, match="not among the issues"):
        contract_cost(_costing(), ISSUES[:1], {"min_pay": "6/5/5"})
    with pytest.raises(ValueError, match="outside"):
        contract_cost(_costing(), ISSUES, {"staff": 9.0})


def test_a_compounded_value_is_spread_in_the_profiles_shape():
    pay = NumericIssue(id="min_pay", name="Minimums", unit="%", low=0, high=20, step=0.1)
    costing = Costing(
        term_years=3,
        items=[
            {"kind": "raises", "issue": "min_pay", "base": 100, "profile": [1, 0.8, 0.7], "compounded": True}
        ],
    )
    # 13.022% compounded in the 5/4/3.5 shape is 5/4/3.5
    assert contract_cost(costing, [pay], {"min_pay": 13.022}).annual == pytest.approx(
        [5, 9.2, 13.022], abs=1e-6
    )
    flat = costing.model_copy(update={"items": (costing.items[0].model_copy(update={"profile": ()}),)})
    # equal raises compounding to 16.9%: (1.169) ** (1/3) - 1 = 5.342% a year
    assert contract_cost(flat, [pay], {"min_pay": 16.9}).annual[0] == pytest.approx(5.342, abs=0.001)
    assert contract_cost(flat, [pay], {"min_pay": 0.0}).total == pytest.approx(0, abs=1e-9)
