"""Preferences asked step by step (accord.prefs.elicit) and the packages the dashboard asks to rate
(accord.prefs.rating_design)."""

from __future__ import annotations

import numpy as np
import pytest

from accord.casefile import bundled_case
from accord.model import CategoricalIssue, NumericIssue, ProvisionIssue
from accord.prefs import utility
from accord.prefs.elicit import (
    asked_levels,
    elicited_model,
    fit_weights,
    informative_packages,
    package_count,
    rank_weights,
    value_function,
)
from accord.prefs.fitting import RatingsError, fit_preferences
from accord.prefs.rating_design import packages_to_rate, parameter_count

PAY = NumericIssue(id="pay", name="Pay", unit="%", low=0, high=10, step=0.5)
VENUE = CategoricalIssue(id="venue", name="Venue", options=["a", "b", "c"])
AI = ProvisionIssue(
    id="ai", name="AI", provisions=[{"id": "ban", "name": "Ban"}, {"id": "tax", "name": "Tax"}]
)
ISSUES = [PAY, VENUE, AI]
FUNCTIONS = {
    "pay": value_function(PAY, dict(zip(asked_levels(PAY), [0, 40, 70, 90, 100], strict=True))),
    "venue": value_function(VENUE, {"a": 10, "b": 100, "c": 50}),
    "ai": value_function(AI, {"ban": 80, "tax": -40}),
}


def test_the_packages_asked_are_informative_and_the_same_each_time():
    packages = informative_packages(ISSUES, FUNCTIONS, "u", package_count(ISSUES))
    assert len(packages) == 8 == package_count(ISSUES)  # 3 issues: 8 packages (at least 8, at most 12)
    assert packages == informative_packages(ISSUES, FUNCTIONS, "u", 8)
    rows = np.array([[1.0, *(FUNCTIONS[i.id].value(i, "u", p[i.id]) for i in ISSUES)] for p in packages])
    assert np.linalg.matrix_rank(rows) == 4  # every weight and the floor are settled
    assert len({tuple(sorted(map(str, p.values()))) for p in packages}) == 8  # no package twice


def test_the_weights_are_recovered_from_ratings_of_the_packages_asked():
    truth = {"pay": 0.5, "venue": 0.2, "ai": 0.3}
    model = elicited_model("u", "U", truth, FUNCTIONS)
    packages = informative_packages(ISSUES, FUNCTIONS, "u", 8)
    ratings = [10 + 80 * utility(model, ISSUES, p) for p in packages]  # a floor and a scale of their own
    labels = [f"package {n}" for n in range(1, 9)]
    weights, offset, scale, _, quality = fit_weights(ISSUES, FUNCTIONS, "u", packages, ratings, labels)
    assert weights == pytest.approx(truth, abs=0.01)
    assert offset == pytest.approx(0.1, abs=0.01) and scale == pytest.approx(0.8, abs=0.01)
    assert quality.kendall_tau == 1.0
    with pytest.raises(RatingsError, match="package 2: rating -5 is outside 0-100"):
        fit_weights(ISSUES, FUNCTIONS, "u", packages, [10, -5, *ratings[2:]], labels)
    with pytest.raises(RatingsError, match="no issue weights reproduce these ratings"):
        fit_weights(ISSUES, FUNCTIONS, "u", packages, [100 - r for r in ratings], labels)


def test_rank_order_centroid_weights_sum_to_one_and_fall_with_rank():
    weights = rank_weights(["a", "b", "c", "d"])
    assert sum(weights.values()) == pytest.approx(1)
    assert list(weights.values()) == sorted(weights.values(), reverse=True)


def test_the_dashboards_packages_settle_the_model_of_the_wga_case():
    issues = bundled_case("wga-amptp-2023").issues
    packages = packages_to_rate(issues)
    assert len(packages) == parameter_count(issues) + 4 == 35
    ratings = list(np.linspace(0, 100, len(packages)))
    fit = fit_preferences(issues, "wga", packages, ratings)  # rated at all: the model can be fitted
    assert fit.quality.rows == 35
