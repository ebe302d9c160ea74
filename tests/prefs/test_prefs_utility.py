import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.model import (
    CategoricalIssue,
    NumericIssue,
    OptionValue,
    PiecewiseValue,
    PreferenceModel,
    ProvisionIssue,
    ProvisionValue,
    StepValue,
)
from accord.prefs import (
    MAX_PROVISIONS,
    disagreement_value,
    issue_options,
    issue_values,
    utility,
    utility_tables,
    worst_value,
)
from strategies import preference_domains

PAY = NumericIssue(id="pay", name="Pay", unit="%", low=2, high=6, step=1, directions={"u": "higher"})
AI = ProvisionIssue(
    id="ai",
    name="AI",
    provisions=[{"id": "ban", "name": "No AI writing"}, {"id": "disclose", "name": "Disclosure"}],
)
TERM = CategoricalIssue(id="term", name="Term", options=["2y", "3y"])


def _model(**changes):
    base = {
        "party": "u",
        "label": "Union",
        "weights": {"pay": 2, "ai": 1, "term": 1},
        "values": {
            "pay": {"kind": "linear"},
            "ai": {"kind": "provisions", "values": {"ban": 3, "disclose": 1}},
            "term": {"kind": "options", "scores": {"2y": 0.2, "3y": 1.0}},
        },
    }
    return PreferenceModel(**(base | changes))


def test_utility_by_hand():
    # pay 5 on [2, 6], higher better: 0.75; ai {ban}: 3 of 4 -> 0.75; term 3y: 1.0.
    # weights 2:1:1 -> 0.5 * 0.75 + 0.25 * 0.75 + 0.25 * 1.0 = 0.8125
    value = utility(_model(), [PAY, AI, TERM], {"pay": 5.0, "ai": frozenset({"ban"}), "term": "3y"})
    assert value == pytest.approx(0.8125)


def test_missing_issue_counts_at_its_worst_value():
    # term left out: worst score 0.2 -> 0.5 * 1 + 0.25 * 1 + 0.25 * 0.2
    full = {"pay": 6.0, "ai": frozenset({"ban", "disclose"})}
    assert utility(_model(), [PAY, AI, TERM], full) == pytest.approx(0.8)
    # an issue the caller does not pass at all counts the same way
    assert utility(_model(), [PAY, AI], full) == pytest.approx(0.8)


def test_invalid_position_is_refused_with_the_issue_named():
    with pytest.raises(ValueError, match=r"issue 'pay': 9 is outside \[2, 6\]"):
        utility(_model(), [PAY, AI, TERM], {"pay": 9.0})


def test_negative_provision_values_rescale_to_unit_interval():
    function = ProvisionValue(values={"ban": -2, "disclose": 1, "credit": 0})
    sets = [frozenset(), frozenset({"ban"}), frozenset({"disclose"}), frozenset({"ban", "disclose"})]
    issue = ProvisionIssue(
        id="ai", name="AI", provisions=[{"id": p, "name": p} for p in ("ban", "disclose", "credit")]
    )
    # sum ranges over [-2, 1]: {} = 0 -> 2/3, {ban} -> 0, {disclose} -> 1, both -> 1/3
    assert issue_values(function, issue, "x", sets) == pytest.approx([2 / 3, 0, 1, 1 / 3])


def test_steps_and_piecewise():
    steps = StepValue(below=0.1, steps=[(3, 0.5), (5, 1.0)])
    assert issue_values(steps, PAY, "u", [2, 3, 4.9, 5, 6]).tolist() == [0.1, 0.5, 0.5, 1.0, 1.0]
    piecewise = PiecewiseValue(points=[(3, 0.2), (5, 1.0)])
    assert issue_values(piecewise, PAY, "u", [2, 4, 6]).tolist() == pytest.approx([0.2, 0.6, 1.0])
    assert worst_value(piecewise, PAY) == 0.2
    assert worst_value(StepValue(below=0.3, steps=[(9, 0.0)]), PAY) == 0.3  # the 0 step lies beyond high


def test_value_function_must_fit_the_issue():
    with pytest.raises(ValueError, match="needs a numeric issue"):
        issue_values(PiecewiseValue(points=[(0, 0), (1, 1)]), TERM, "u", ["2y"])
    with pytest.raises(ValueError, match="no score for option '3y' of issue 'term'"):
        issue_values(OptionValue(scores={"2y": 1}), TERM, "u", ["3y"])


def test_disagreement_value_moves_down_during_a_strike():
    model = _model(reservation=0.5, daily_cost=0.002, discount=0.95)
    assert disagreement_value(model) == 0.5
    assert disagreement_value(model, days=100) == pytest.approx(0.3)
    assert disagreement_value(model, rounds=2) == pytest.approx(0.5 * 0.95**2)
    assert disagreement_value(model, days=300) < 0  # not clipped
    with pytest.raises(ValueError, match="non-negative"):
        disagreement_value(model, days=-1)


def test_provision_subsets_in_bit_order_and_size_limit():
    options = issue_options(AI)
    assert options == (
        frozenset(),
        frozenset({"ban"}),
        frozenset({"disclose"}),
        frozenset({"ban", "disclose"}),
    )
    big = ProvisionIssue(
        id="big", name="Big", provisions=[{"id": f"p{k}", "name": "p"} for k in range(MAX_PROVISIONS + 1)]
    )
    assert len(issue_options(big.model_copy(update={"provisions": big.provisions[:MAX_PROVISIONS]}))) == 4096
    with pytest.raises(ValueError, match="has 13 provisions; at most 12"):
        utility_tables([big], [])


def test_tables_offset_holds_issues_outside_the_space():
    tables = utility_tables([PAY, AI], [_model()])
    # term is not in the space: 0.25 * worst score 0.2
    assert tables.offset.tolist() == pytest.approx([0.05])
    assert tables.parties == ("u",)
    assert tables.shape == (5, 4)


def test_duplicate_issue_ids_are_refused():
    with pytest.raises(ValueError, match=r"repeated: \['pay'\]"):
        utility_tables([PAY, PAY], [_model()])


@settings(max_examples=60, deadline=None)
@given(preference_domains())
def test_tables_agree_with_utility_on_every_outcome(domain):
    space, models = domain
    tables = utility_tables(space, models)
    choices = np.array(list(itertools.product(*(range(n) for n in tables.shape))), dtype=np.int64)
    from_tables = tables.utilities(choices)
    for row, choice in zip(from_tables, choices, strict=True):
        package = {
            issue.id: tables.options[i][c] for i, (issue, c) in enumerate(zip(space, choice, strict=True))
        }
        expected = [utility(model, space, package) for model in models]
        assert row == pytest.approx(expected, abs=1e-12)
    assert from_tables.min() >= -1e-12 and from_tables.max() <= 1 + 1e-12


@settings(max_examples=40, deadline=None)
@given(preference_domains(max_parties=1), st.floats(0.01, 100))
def test_rescaling_all_weights_changes_nothing(domain, factor):
    space, (model,) = domain
    scaled = model.model_copy(update={"weights": {k: w * factor for k, w in model.weights.items()}})
    a, b = utility_tables(space, [model]), utility_tables(space, [scaled])
    for ta, tb in zip(a.tables, b.tables, strict=True):
        assert ta == pytest.approx(tb, abs=1e-12)
