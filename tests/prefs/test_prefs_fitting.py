"""Preferences fitted from ratings (accord.prefs.fitting): a known additive model is recovered from
its own ratings, and ratings that cannot settle a model are refused, saying why."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.model import CategoricalIssue, Issue, NumericIssue, ProvisionIssue
from accord.prefs import utility
from accord.prefs.fitting import RatingsError, fit_preferences

PAY = NumericIssue(id="pay", name="Pay", unit="%", low=0, high=10, step=1)
VENUE = CategoricalIssue(id="venue", name="Venue", options=["a", "b", "c"])
AI = ProvisionIssue(
    id="ai", name="AI", provisions=[{"id": "ban", "name": "Ban"}, {"id": "tax", "name": "Tax"}]
)


@st.composite
def known_models(draw: st.DrawFn) -> tuple[list[Issue], dict, list[dict]]:
    """Issues, a preference model whose every value function runs from 0 to 1 (so the usual
    normalisation is the model itself), and every package of the issues."""
    kinds = draw(st.lists(st.sampled_from(["numeric", "options", "provisions"]), min_size=1, max_size=3))
    issues: list[Issue] = []
    values: dict[str, dict] = {}
    grid = st.integers(0, 10).map(lambda k: k / 10)
    for index, kind in enumerate(kinds):
        issue_id = f"i{index}"
        if kind == "numeric":
            high = draw(st.integers(2, 4))
            issue = NumericIssue(id=issue_id, name=issue_id, unit="u", low=0, high=high, step=1)
            levels = draw(st.lists(grid, min_size=high + 1, max_size=high + 1))
            labels = list(range(high + 1))
        elif kind == "options":
            count = draw(st.integers(2, 4))
            issue = CategoricalIssue(id=issue_id, name=issue_id, options=[f"o{k}" for k in range(count)])
            levels = draw(st.lists(grid, min_size=count, max_size=count))
            labels = list(issue.options)
        else:
            count = draw(st.integers(1, 3))
            provisions = [{"id": f"p{k}", "name": f"p{k}"} for k in range(count)]
            issue = ProvisionIssue(id=issue_id, name=issue_id, provisions=provisions)
            signed = draw(st.lists(st.integers(-5, 5).filter(bool), min_size=count, max_size=count))
            values[issue_id] = {"kind": "provisions", "values": {f"p{k}": v for k, v in enumerate(signed)}}
            issues.append(issue)
            continue
        low, high_at = draw(st.permutations(range(len(levels))))[:2]
        levels[low], levels[high_at] = 0.0, 1.0  # each issue runs from 0 to 1
        if kind == "numeric":
            values[issue_id] = {
                "kind": "piecewise",
                "points": [[x, v] for x, v in zip(labels, levels, strict=True)],
            }
        else:
            values[issue_id] = {"kind": "options", "scores": dict(zip(labels, levels, strict=True))}
        issues.append(issue)
    weights = {issue.id: draw(st.integers(1, 6)) for issue in issues}
    model = {"party": "u", "label": "U", "weights": weights, "values": values}
    return issues, model, _every_package(issues)


def _every_package(issues: list[Issue]) -> list[dict]:
    def positions(issue: Issue) -> list:
        if isinstance(issue, NumericIssue):
            return list(issue.levels)
        if isinstance(issue, ProvisionIssue):
            ids = issue.provision_ids
            return [frozenset(c) for r in range(len(ids) + 1) for c in itertools.combinations(ids, r)]
        return list(issue.options)

    return [
        dict(zip([i.id for i in issues], combo, strict=True))
        for combo in itertools.product(*map(positions, issues))
    ]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(known_models())
def test_a_known_additive_model_is_recovered_from_its_ratings(known):
    from accord.model import PreferenceModel

    issues, data, packages = known
    model = PreferenceModel.model_validate(data)
    ratings = [100 * utility(model, issues, p) for p in packages]
    if np.ptp(ratings) == 0:
        return  # a model whose every package is worth the same: nothing to recover (refused below)
    fit = fit_preferences(issues, "u", packages, ratings)
    total = sum(data["weights"].values())
    for issue_id, weight in data["weights"].items():
        assert fit.weights[issue_id] == pytest.approx(weight / total, abs=0.02)
    assert fit.quality.kendall_tau == 1.0
    assert fit.quality.rmse < 0.1
    assert fit.offset == pytest.approx(0, abs=0.01) and fit.scale == pytest.approx(1, abs=0.02)
    recovered = [100 * (fit.offset + fit.scale * utility(fit.model, issues, p)) for p in packages]
    assert np.allclose(recovered, fit.fitted, atol=0.01)  # the model written is the fit


def _rated(ratings: list[float]) -> tuple[list[dict], list[float]]:
    packages = [{"pay": p, "venue": v} for p in (0, 5, 10) for v in ("a", "b", "c")]
    return packages, ratings


def test_too_few_ratings_say_how_many_the_model_needs():
    packages = [{"pay": p, "venue": v} for p, v in ((0, "a"), (5, "b"), (10, "c"), (0, "b"))]
    expected = (
        "4 rated packages, but the model has 5 parameters (1 for the ratings' floor, pay 2, venue 2): "
        "rate at least 5 packages"
    )
    with pytest.raises(RatingsError) as caught:
        fit_preferences([PAY, VENUE], "u", packages, [0, 50, 100, 30])
    assert str(caught.value) == expected


def test_ratings_out_of_range_and_unrated_options_are_named():
    packages, ratings = _rated([0, 10, 20, 30, 40, 50, 60, 70, 80])
    with pytest.raises(RatingsError, match=r"^row 3: rating 120 is outside 0-100$"):
        fit_preferences([PAY, VENUE], "u", packages, [0, 10, 120, 30, 40, 50, 60, 70, 80])
    unrated = [p for p in packages if p["venue"] != "c"]
    with pytest.raises(RatingsError, match=r"issue 'venue': option 'c' is in no rated package"):
        fit_preferences([PAY, VENUE], "u", unrated, ratings[: len(unrated)])
    with pytest.raises(RatingsError, match=r"provision 'tax' is in no rated package"):
        fit_preferences([AI], "u", [{"ai": frozenset()}, {"ai": frozenset({"ban"})}] * 2, [0, 50, 5, 55])
    with pytest.raises(RatingsError, match=r"every package is rated 50"):
        fit_preferences([PAY, VENUE], "u", packages, [50] * 9)


def test_packages_that_move_issues_together_are_refused():
    packages = [{"pay": p, "venue": v} for p, v in ((0, "a"), (5, "b"), (10, "c"))] * 3
    with pytest.raises(RatingsError, match=r"settle only 3 of the model's 5 parameters"):
        fit_preferences([PAY, VENUE], "u", packages, [0, 50, 100, 1, 51, 99, 2, 49, 98])


def test_an_inconsistent_rating_is_named_in_a_warning():
    packages, _ = _rated([])
    ratings = [10 * k for k in range(9)]
    ratings[4] = 100  # the middle package rated as the best
    fit = fit_preferences([PAY, VENUE], "u", packages, ratings, labels=[f"r.csv:{k + 2}" for k in range(9)])
    assert fit.quality.least_consistent[0].row == "r.csv:6"
    assert any(w.startswith("r.csv:6: rated 100") for w in fit.quality.warnings), fit.quality.warnings
    again = fit_preferences([PAY, VENUE], "u", [*packages, packages[0]], [*range(0, 90, 10), 60])
    assert any(
        "row 10: the same package as row 1, rated 60 there and 0 here" in w for w in again.quality.warnings
    )
